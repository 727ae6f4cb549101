// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The copies shift-speed compares, built the way the kernel builds its C
 * (-O2, no SSE/AVX: see the Makefile), each behind a call it cannot see
 * through: the shift as the ULP runs it, `rep movsb` (what the kernel's
 * memcpy and copy_to_user use on CPUs with ERMS/FSRM, like this one) and
 * glibc's memcpy (vector registers, for reference).
 */
#include <string.h>

#include <caesar_shift.h>

#include "shift_speed.h"

void speed_shift(void *dst, const void *src, size_t len)
{
	caesar_shift_copy(dst, src, len, SPEED_SHIFT);
}

void speed_movsb(void *dst, const void *src, size_t len)
{
	__asm__ volatile("rep movsb"
			 : "+D"(dst), "+S"(src), "+c"(len)
			 :
			 : "memory");
}

void speed_memcpy(void *dst, const void *src, size_t len)
{
	memcpy(dst, src, len);
}

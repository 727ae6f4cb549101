// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The copies shift-speed compares, built the way the kernel builds its C
 * (-O2, no SSE/AVX: see the Makefile), each behind a call it cannot see
 * through: the shift as the ULP runs it on kernel buffers, the same with
 * SSE2 on a CPU that has AVX2, the SWAR loop alone (what the ULP runs on
 * short runs and into user memory), `rep movsb` (what the kernel's memcpy
 * and copy_to_user use on CPUs with ERMS/FSRM, like this one) and glibc's
 * memcpy (vector registers, for reference).
 *
 * The kernel brackets the vector loop with kernel_fpu_begin() and
 * kernel_fpu_end(); userspace needs neither, so their cost is not here.
 */
#include <stdbool.h>
#include <string.h>

#include <caesar_shift.h>
#include <caesar_shift_x86.h>

#include "rep_movsb.h"
#include "shift_speed.h"

static void shift_vec(void *dst, const void *src, size_t len, bool avx2)
{
	if (len >= CAESAR_SHIFT_VEC_MIN)
		caesar_shift_copy_vec(dst, src, len, SPEED_SHIFT, avx2);
	else
		caesar_shift_copy(dst, src, len, SPEED_SHIFT);
}

void speed_shift(void *dst, const void *src, size_t len)
{
	shift_vec(dst, src, len, __builtin_cpu_supports("avx2"));
}

void speed_shift_sse2(void *dst, const void *src, size_t len)
{
	shift_vec(dst, src, len, false);
}

void speed_shift_swar(void *dst, const void *src, size_t len)
{
	caesar_shift_copy(dst, src, len, SPEED_SHIFT);
}

void speed_movsb(void *dst, const void *src, size_t len)
{
	rep_movsb(dst, src, len);
}

void speed_memcpy(void *dst, const void *src, size_t len)
{
	memcpy(dst, src, len);
}

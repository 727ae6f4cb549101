/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The kernel's copy on CPUs with ERMS or FSRM: copy_to_user(),
 * copy_from_user() and memcpy() come down to `rep movsb` there, which is
 * what plain TCP pays per byte where the ULP shifts.
 */
#ifndef GAIUS_REP_MOVSB_H
#define GAIUS_REP_MOVSB_H

#include <stddef.h>

static inline void rep_movsb(void *dst, const void *src, size_t len)
{
	__asm__ volatile("rep movsb"
			 : "+D"(dst), "+S"(src), "+c"(len)
			 :
			 : "memory");
}

#endif /* GAIUS_REP_MOVSB_H */

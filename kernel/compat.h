/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels gaius builds for, and nowhere else.
 * Force-included by Kbuild ahead of each source file.
 *
 * The code is written against the 6.1 - 6.4 API, and this file tests for
 * the features it needs rather than for version numbers. Other kernels are
 * refused here, at build time, rather than half-working; a port adds its
 * differences below.
 */
#ifndef _GAIUS_COMPAT_H
#define _GAIUS_COMPAT_H

#include <linux/skbuff.h>
#include <linux/socket.h>

/* 6.5 removed struct proto's sendpage, in favour of MSG_SPLICE_PAGES. */
#ifndef MSG_SENDPAGE_NOTLAST
#error "gaius: this kernel has no sendpage (6.5 or later); not ported yet"
#endif

/* 6.1 split the MSG_ZEROCOPY state out of struct ubuf_info. */
#ifndef uarg_to_msgzc
#error "gaius: this kernel predates struct ubuf_info_msgzc (6.1); not ported yet"
#endif

#endif /* _GAIUS_COMPAT_H */

/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The memory native-cost's calls read and write, laid out as the kernel's
 * (native_shapes.c):
 *
 *   the program's buffer  page-aligned, one run
 *   the page_frag         order-3 pages: 32 KiB-aligned, filled in order
 *   page cache pages      4 KiB each, page-aligned, sendfile()'s source
 *   the receive queue     skbs of a linear part, the first 256 bytes of the
 *                         frame (past NET_SKB_PAD, headers of 66 bytes:
 *                         Ethernet, IPv4, TCP with timestamps; so 190 bytes
 *                         of payload starting 2 bytes past a word), then
 *                         16 frag pages of 4 KiB: 65726 bytes an skb
 *
 * Every call starts at the start of each, as a read() or write() of the
 * same size would at steady state with its frag aligned.
 */
#ifndef GAIUS_NATIVE_SHAPES_H
#define GAIUS_NATIVE_SHAPES_H

#include <stdbool.h>
#include <stddef.h>

#include "native_paths.h"

#define NATIVE_PAGE		4096u
#define NATIVE_SKB_PAD		64u	/* NET_SKB_PAD */
#define NATIVE_SKB_HEADERS	66u	/* Ethernet 14, IPv4 20, TCP 32 */
#define NATIVE_SKB_LINEAR	256u	/* the frame's bytes in the linear part */
#define NATIVE_SKB_HEAD_ROOM	1024u	/* the linear part's allocation */
#define NATIVE_SKB_FRAGS	16u

struct native_shapes {
	struct native_io io;
	size_t max;			/* the longest call the shapes hold */
	unsigned char *pages;		/* sendfile()'s pages */
	unsigned char *skb_heads;	/* the skbs' linear parts */
	unsigned char *skb_pages;	/* their frags */
	struct native_span *page_spans;
	struct native_span *skb_spans;
};

/* Room for calls of up to @max bytes; false if memory ran out. */
bool native_shapes_init(struct native_shapes *s, size_t max);
void native_shapes_free(struct native_shapes *s);

/*
 * Out of every cache: the kernel's memory that a call of @len bytes reads
 * or writes (skbs, page cache, frag), and with @user the program's buffer.
 */
void native_shapes_flush(const struct native_shapes *s, size_t len, bool user);

#endif /* GAIUS_NATIVE_SHAPES_H */

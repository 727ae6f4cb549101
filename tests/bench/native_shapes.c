// SPDX-License-Identifier: GPL-2.0 OR MIT
/* native-cost's memory, shaped as the kernel's: see native_shapes.h. */
#include <stdlib.h>
#include <string.h>

#include "native_shapes.h"
#include "native_timing.h"

#define SKB_PAYLOAD	(NATIVE_SKB_LINEAR - NATIVE_SKB_HEADERS)
#define SKB_BYTES	(SKB_PAYLOAD + NATIVE_SKB_FRAGS * NATIVE_PAGE)

static size_t round_up(size_t n, size_t to)
{
	return (n + to - 1) / to * to;
}

/* Bytes that are no two alike in a row, so that a shift changes them. */
static void fill(unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (unsigned char)(i * 2654435761u >> 13);
}

bool native_shapes_init(struct native_shapes *s, size_t max)
{
	size_t npages = round_up(max, NATIVE_PAGE) / NATIVE_PAGE;
	size_t nskbs = round_up(max, SKB_BYTES) / SKB_BYTES;

	memset(s, 0, sizeof(*s));
	s->max = max;
	s->io.user = aligned_alloc(NATIVE_PAGE, npages * NATIVE_PAGE);
	s->io.frag = aligned_alloc(NATIVE_FRAG_SIZE, round_up(max, NATIVE_FRAG_SIZE));
	s->pages = aligned_alloc(NATIVE_PAGE, npages * NATIVE_PAGE);
	s->skb_heads = aligned_alloc(NATIVE_SKB_HEAD_ROOM, nskbs * NATIVE_SKB_HEAD_ROOM);
	s->skb_pages = aligned_alloc(NATIVE_PAGE, nskbs * NATIVE_SKB_FRAGS * NATIVE_PAGE);
	s->page_spans = calloc(npages, sizeof(*s->page_spans));
	s->skb_spans = calloc(nskbs * (1 + NATIVE_SKB_FRAGS), sizeof(*s->skb_spans));
	if (!s->io.user || !s->io.frag || !s->pages || !s->skb_heads ||
	    !s->skb_pages || !s->page_spans || !s->skb_spans) {
		native_shapes_free(s);
		return false;
	}
	fill(s->io.user, npages * NATIVE_PAGE);
	memset(s->io.frag, 0, round_up(max, NATIVE_FRAG_SIZE));
	fill(s->pages, npages * NATIVE_PAGE);
	fill(s->skb_heads, nskbs * NATIVE_SKB_HEAD_ROOM);
	fill(s->skb_pages, nskbs * NATIVE_SKB_FRAGS * NATIVE_PAGE);
	for (size_t i = 0; i < npages; i++)
		s->page_spans[i] = (struct native_span){ s->pages + i * NATIVE_PAGE, NATIVE_PAGE };
	for (size_t i = 0; i < nskbs; i++) {
		struct native_span *span = s->skb_spans + i * (1 + NATIVE_SKB_FRAGS);
		const unsigned char *head = s->skb_heads + i * NATIVE_SKB_HEAD_ROOM;
		const unsigned char *frags = s->skb_pages + i * NATIVE_SKB_FRAGS * NATIVE_PAGE;

		span[0] = (struct native_span){
			head + NATIVE_SKB_PAD + NATIVE_SKB_HEADERS, SKB_PAYLOAD
		};
		for (size_t f = 0; f < NATIVE_SKB_FRAGS; f++)
			span[1 + f] = (struct native_span){ frags + f * NATIVE_PAGE, NATIVE_PAGE };
	}
	s->io.pages = s->page_spans;
	s->io.skb = s->skb_spans;
	s->io.chunk = NATIVE_RX_CHUNK;
	return true;
}

void native_shapes_free(struct native_shapes *s)
{
	free(s->io.user);
	free(s->io.frag);
	free(s->pages);
	free(s->skb_heads);
	free(s->skb_pages);
	free(s->page_spans);
	free(s->skb_spans);
	memset(s, 0, sizeof(*s));
}

/* The runs at @span that hold the first @len bytes. */
static void flush_spans(const struct native_span *span, size_t len)
{
	for (size_t done = 0; done < len; done += span->len, span++)
		timing_flush(span->data, span->len);
}

void native_shapes_flush(const struct native_shapes *s, size_t len, bool user)
{
	if (user)
		timing_flush(s->io.user, len);
	timing_flush(s->io.frag, len);
	flush_spans(s->io.pages, len);
	flush_spans(s->io.skb, len);
	timing_flushed();
}

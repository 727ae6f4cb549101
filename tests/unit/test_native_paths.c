// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host unit test of native-cost's data paths (tests/bench/native_paths.c)
 * against a byte-at-a-time reference: each path as the cost model times
 * it, so each of the kernel's loops it runs (the fused loops of
 * caesar_shift_user.h both ways, the vector and SWAR shifts and the rule
 * between them, the bounce buffer of the receive candidate) and the walks
 * around them, which split a call at the frag's 32 KiB, at each page and
 * at each run of an skb.
 *
 * Lengths 0 to 300 and some odd longer ones; the program's buffer 0 to 7
 * bytes past a word, the frag 0 to 7 bytes past its page and 5 bytes
 * before its end; skbs whose linear part and pages have odd offsets and
 * lengths; bounce buffers of 1, 7, 512, 1 KiB and 4 KiB. The plain paths
 * must copy, the others shift; nothing may be written outside the
 * destination. Prints `PASS: <name>` or `FAIL: <name>: <reason>` per path.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "native_paths.h"
#include "unit_report.h"

#define GUARD		64
#define GUARD_BYTE	0x5c
#define PAGE		4096
#define MAX_LEN		(2 * NATIVE_FRAG_SIZE + 4 * PAGE)
#define NSPANS		40

/* The frag's two order-3 pages, and room for the guards and offsets around them. */
static unsigned char frag_area[5 * NATIVE_FRAG_SIZE] __attribute__((aligned(NATIVE_FRAG_SIZE)));
static unsigned char user_area[MAX_LEN + 2 * GUARD + 8] __attribute__((aligned(64)));
static unsigned char source_area[NSPANS * PAGE] __attribute__((aligned(PAGE)));
static struct native_span spans[NSPANS];
static unsigned char stream[MAX_LEN];	/* the bytes the runs hold, in order */
static char reason[200];

static const unsigned char shifts[] = { 1, 100, 255 };
static const size_t long_lengths[] = {
	511, 1023, 1025, 3071, 3073, 4097, 9999, NATIVE_FRAG_SIZE + 13,
	2 * NATIVE_FRAG_SIZE + 3,
};

static void fill(unsigned char *p, size_t len, unsigned int salt)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (unsigned char)(i * 131 + salt * 7 + (i >> 8));
}

/*
 * The runs a source is cut into: one page each, the first @first_off bytes
 * into its page and @first_len long, then every @odd-th page @odd_len long
 * from 3 bytes in, as bvecs and skb frags may be.
 */
static void make_spans(size_t first_off, size_t first_len, size_t odd,
		       size_t odd_len)
{
	for (size_t i = 0; i < NSPANS; i++) {
		unsigned char *page = source_area + i * PAGE;

		if (i == 0)
			spans[i] = (struct native_span){ page + first_off, first_len };
		else if (odd && i % odd == 0)
			spans[i] = (struct native_span){ page + 3, odd_len };
		else
			spans[i] = (struct native_span){ page, PAGE };
	}
	for (size_t i = 0, done = 0; i < NSPANS && done < MAX_LEN; i++) {
		size_t n = spans[i].len < MAX_LEN - done ? spans[i].len : MAX_LEN - done;

		memcpy(stream + done, spans[i].data, n);
		done += n;
	}
}

static bool guards_intact(const unsigned char *dst, size_t len)
{
	for (size_t i = 1; i <= GUARD; i++)
		if (dst[-(long)i] != GUARD_BYTE || dst[len + i - 1] != GUARD_BYTE)
			return false;
	return true;
}

struct path {
	const char *name;
	native_path_fn *run;
	bool rx;	/* reads the runs into the program's buffer */
	bool runs;	/* transmit from the runs (sendfile), not the program's buffer */
	bool shifts;
};

static const struct path paths[] = {
	{ "tx_plain", native_tx_plain, false, false, false },
	{ "tx_fused", native_tx_fused, false, false, true },
	{ "tx_copy_shift", native_tx_copy_shift, false, false, true },
	{ "tx_sendfile", native_tx_sendfile, false, true, true },
	{ "rx_plain", native_rx_plain, true, true, false },
	{ "rx_fused", native_rx_fused, true, true, true },
	{ "rx_bounce", native_rx_bounce, true, true, true },
};

/* One call; false with reason set when it fails. */
static bool check_call(const struct path *p, struct native_io *io, size_t len)
{
	unsigned char *dst = p->rx ? io->user : io->frag;

	memset(dst - GUARD, GUARD_BYTE, len + 2 * GUARD);
	if (!p->rx)
		fill(io->user, len, io->shift);
	p->run(io, len);
	for (size_t i = 0; i < len; i++) {
		unsigned char in = p->runs ? stream[i] : io->user[i];
		unsigned char want = (unsigned char)(in + (p->shifts ? io->shift : 0));

		if (dst[i] != want) {
			snprintf(reason, sizeof(reason),
				 "len %zu shift %u dst+%u chunk %zu: byte %zu is 0x%02x, expected 0x%02x",
				 len, io->shift, (unsigned int)((uintptr_t)dst & 7), io->chunk,
				 i, dst[i], want);
			return false;
		}
	}
	if (!guards_intact(dst, len)) {
		snprintf(reason, sizeof(reason),
			 "len %zu shift %u chunk %zu: wrote outside the destination",
			 len, io->shift, io->chunk);
		return false;
	}
	return true;
}

/* Every length to 300 and the long ones, in one layout. */
static bool check_lengths(const struct path *p, struct native_io *io)
{
	for (size_t len = 0; len <= 300; len++)
		if (!check_call(p, io, len))
			return false;
	for (size_t i = 0; i < sizeof(long_lengths) / sizeof(long_lengths[0]); i++)
		if (!check_call(p, io, long_lengths[i]))
			return false;
	return true;
}

/* Where the program's buffer, the frag and the runs start, and each shift. */
static bool check_layouts(const struct path *p)
{
	static const size_t frag_offsets[] = { 0, 1, 2, 3, 4, 5, 6, 7, NATIVE_FRAG_SIZE - 5 };
	static const size_t chunks[] = { 0, 1, 7, 512, 1024, 4096 };
	struct native_io io = { .pages = spans, .skb = spans };

	for (size_t s = 0; s < sizeof(shifts); s++)
		for (size_t ua = 0; ua < 8; ua++)
			for (size_t f = 0; f < sizeof(frag_offsets) / sizeof(frag_offsets[0]); f++)
				for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
					/* The runs' layout changes with the frag's. */
					size_t head = (f * 37 + ua) % 200;

					if (c && p->run != native_rx_bounce)
						break;
					if (p->rx && f > 2)
						break;
					make_spans(130 + ua, head, 2 + f % 3, 17 + 300 * f);
					io.shift = shifts[s];
					io.chunk = chunks[c];
					io.user = user_area + GUARD + ua;
					io.frag = frag_area + NATIVE_FRAG_SIZE + frag_offsets[f];
					if (!check_lengths(p, &io))
						return false;
				}
	return true;
}

int main(void)
{
	char name[120];
	int failed = 0;

	fill(source_area, sizeof(source_area), 3);
	for (int avx2 = 0; avx2 < 2; avx2++) {
		/* Where the CPU has no AVX2, its loop would fault: say so, no verdict. */
		if (avx2 && !__builtin_cpu_supports("avx2")) {
			printf("native_paths with AVX2: not checked, this CPU has no AVX2\n");
			break;
		}
		native_paths_init(avx2);
		for (size_t p = 0; p < sizeof(paths) / sizeof(paths[0]); p++) {
			snprintf(name, sizeof(name), "native_paths_%s_%s_odd_lengths_and_misalignments",
				 paths[p].name, avx2 ? "avx2" : "sse2");
			failed += unit_report(name, check_layouts(&paths[p]), reason);
		}
	}
	return failed ? 1 : 0;
}

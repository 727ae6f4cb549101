// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer harness for the Caesar byte shift (include/caesar_shift.h): the
 * word-at-a-time caesar_shift_copy() against a byte-by-byte reference, for
 * any length, source and destination alignment, shift, in place or not; and
 * caesar_shift_copy() with caesar_unshift() must give the input back.
 *
 * Input: shift, source offset, destination offset, mode, then the bytes.
 * Each buffer is allocated to its exact end, so AddressSanitizer reports a
 * read or write past it. A wrong byte aborts, which libFuzzer reports with
 * the input that caused it.
 */
#include <caesar_shift.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER 4
#define ALIGNMENTS 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void expect_bytes(const char *what, const unsigned char *got,
			 const unsigned char *want, size_t len, unsigned int shift)
{
	for (size_t i = 0; i < len; i++) {
		if (got[i] != want[i]) {
			fprintf(stderr, "fuzz_shift: %s, shift %u, %zu bytes: byte %zu is 0x%02x, expected 0x%02x\n",
				what, shift, len, i, got[i], want[i]);
			abort();
		}
	}
}

/* Exactly @n bytes (one when @n is 0, which nothing then touches). */
static unsigned char *exact_alloc(size_t n)
{
	unsigned char *p = malloc(n ? n : 1);

	if (!p)
		abort();
	return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int shift, src_off, dst_off;
	unsigned char *src_area, *dst_area, *src, *dst, *want, *back;
	const uint8_t *plain;
	int in_place;
	size_t len;

	if (size < HEADER)
		return 0;
	shift = data[0];
	src_off = data[1] % ALIGNMENTS;
	dst_off = data[2] % ALIGNMENTS;
	in_place = data[3] & 1;
	plain = data + HEADER;
	len = size - HEADER;

	src_area = exact_alloc(src_off + len);
	dst_area = exact_alloc(dst_off + len);
	want = exact_alloc(len);
	back = exact_alloc(len);
	src = src_area + src_off;
	dst = in_place ? src : dst_area + dst_off;
	memcpy(src, plain, len);

	for (size_t i = 0; i < len; i++)
		want[i] = (unsigned char)(plain[i] + shift);
	caesar_shift_copy(dst, src, len, (__u8)shift);
	expect_bytes(in_place ? "in place" : "out of place", dst, want, len, shift);
	if (!in_place)
		expect_bytes("the source after an out-of-place copy", src, plain, len, shift);

	caesar_shift_copy(back, dst, len, caesar_unshift((__u8)shift));
	expect_bytes("unshift(shift(x))", back, plain, len, shift);

	free(src_area);
	free(dst_area);
	free(want);
	free(back);
	return 0;
}

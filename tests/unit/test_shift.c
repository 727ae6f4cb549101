// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host unit test of caesar_shift_copy() (include/caesar_shift.h) against a
 * byte-at-a-time reference: every shift 0..255, lengths 0..100 and a few
 * large ones, every source and destination alignment 0..7, out of place and
 * in place, with guard bytes around the destination.
 * Prints `PASS: <name>` or `FAIL: <name>: <reason>` per check.
 */
#include <caesar_shift.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "unit_report.h"

#define ALIGNMENTS 8
#define GUARD 16
#define GUARD_BYTE 0x5c
#define MAX_LEN 16391

static const size_t large_lengths[] = { 1029, 4099, MAX_LEN };

static unsigned char src_area[MAX_LEN + ALIGNMENTS + 2 * GUARD];
static unsigned char dst_area[MAX_LEN + ALIGNMENTS + 2 * GUARD];
static unsigned char expected[MAX_LEN];
static char reason[160];

static void fill_source(unsigned char *src, size_t len, unsigned int salt)
{
	for (size_t i = 0; i < len; i++)
		src[i] = (unsigned char)(i * 131 + salt * 7 + (i >> 8));
}

static void reference_shift(unsigned char *dst, const unsigned char *src,
			    size_t len, unsigned char shift)
{
	for (size_t i = 0; i < len; i++)
		dst[i] = (unsigned char)((src[i] + shift) & 0xff);
}

static bool guards_intact(const unsigned char *dst, size_t len)
{
	for (size_t i = 1; i <= GUARD; i++)
		if (dst[-(long)i] != GUARD_BYTE || dst[len + i - 1] != GUARD_BYTE)
			return false;
	return true;
}

/* One case; false with reason set when it fails. */
static bool check_case(unsigned int shift, size_t len, unsigned int src_align,
		       unsigned int dst_align, bool in_place)
{
	unsigned char *src = src_area + GUARD + src_align;
	unsigned char *dst = in_place ? src : dst_area + GUARD + dst_align;

	memset(src_area, GUARD_BYTE, sizeof(src_area));
	memset(dst_area, GUARD_BYTE, sizeof(dst_area));
	fill_source(src, len, shift);
	reference_shift(expected, src, len, (unsigned char)shift);
	caesar_shift_copy(dst, src, len, (__u8)shift);
	for (size_t i = 0; i < len; i++) {
		if (dst[i] != expected[i]) {
			snprintf(reason, sizeof(reason),
				 "shift %u len %zu src+%u dst+%u: byte %zu is 0x%02x, expected 0x%02x",
				 shift, len, src_align, in_place ? src_align : dst_align,
				 i, dst[i], expected[i]);
			return false;
		}
	}
	if (!guards_intact(dst, len)) {
		snprintf(reason, sizeof(reason),
			 "shift %u len %zu src+%u dst+%u: wrote outside the destination",
			 shift, len, src_align, dst_align);
		return false;
	}
	return true;
}

static bool check_length(size_t len, bool in_place)
{
	for (unsigned int shift = 0; shift < 256; shift++)
		for (unsigned int sa = 0; sa < ALIGNMENTS; sa++)
			for (unsigned int da = 0; da < (in_place ? 1 : ALIGNMENTS); da++)
				if (!check_case(shift, len, sa, da, in_place))
					return false;
	return true;
}

static bool check_lengths(bool in_place, bool large)
{
	size_t count = large ? sizeof(large_lengths) / sizeof(large_lengths[0]) : 101;

	for (size_t i = 0; i < count; i++)
		if (!check_length(large ? large_lengths[i] : i, in_place))
			return false;
	return true;
}

static bool check_unshift(void)
{
	unsigned char plain[256], cipher[256], back[256];

	for (unsigned int i = 0; i < 256; i++)
		plain[i] = (unsigned char)i;
	for (unsigned int shift = 0; shift < 256; shift++) {
		caesar_shift_copy(cipher, plain, sizeof(plain), (__u8)shift);
		caesar_shift_copy(back, cipher, sizeof(cipher), caesar_unshift((__u8)shift));
		if (memcmp(back, plain, sizeof(plain))) {
			snprintf(reason, sizeof(reason),
				 "shift %u then caesar_unshift(%u) = %u does not give the input back",
				 shift, shift, caesar_unshift((__u8)shift));
			return false;
		}
	}
	return true;
}

int main(void)
{
	int failed = 0;

	failed += unit_report("shift_copy_out_of_place_lengths_0_to_100", check_lengths(false, false), reason);
	failed += unit_report("shift_copy_out_of_place_large", check_lengths(false, true), reason);
	failed += unit_report("shift_copy_in_place_lengths_0_to_100", check_lengths(true, false), reason);
	failed += unit_report("shift_copy_in_place_large", check_lengths(true, true), reason);
	failed += unit_report("unshift_undoes_every_shift", check_unshift(), reason);
	return failed ? 1 : 0;
}

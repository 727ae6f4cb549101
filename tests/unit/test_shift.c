// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host unit test of the Caesar shifts against a byte-at-a-time reference:
 * caesar_shift_copy() (include/caesar_shift.h), and on x86-64 the vector
 * loops the kernel runs on its own buffers, caesar_shift_copy_vec() with
 * SSE2 and with AVX2 (include/caesar_shift_x86.h), at every length, not
 * only the kernel's CAESAR_SHIFT_VEC_MIN and up.
 *
 * Each shift is checked for every shift 0..255 at lengths 0..100 and source
 * and destination alignments 0..7; for shifts 1, 100, 128 and 255 at
 * lengths 0..600 and alignments 0..31, which covers every way a length
 * splits into 128-, 32-, 16- and 8-byte steps and a byte tail; and for a
 * few large lengths. Out of place and in place, with guard bytes around
 * the destination.
 * Prints `PASS: <name>` or `FAIL: <name>: <reason>` per check.
 */
#include <caesar_shift.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#ifdef __x86_64__
#include <caesar_shift_x86.h>
#endif

#include "unit_report.h"

#define MAX_ALIGN 32
#define GUARD 16
#define GUARD_BYTE 0x5c
#define MAX_LEN 16391

typedef void shift_fn(void *dst, const void *src, size_t len, __u8 shift);

/* One sweep: lengths [min_len, max_len], alignments 0..align - 1. */
struct sweep {
	const char *name;
	size_t min_len, max_len;
	unsigned int align;
	const unsigned char *shifts;	/* NULL: every shift 0..255 */
	size_t nshifts;
};

static const unsigned char some_shifts[] = { 1, 100, 128, 255 };

static const struct sweep sweeps[] = {
	{ "lengths_0_to_100_every_shift", 0, 100, 8, NULL, 256 },
	{ "lengths_0_to_600_alignments_0_to_31", 0, 600, MAX_ALIGN,
	  some_shifts, sizeof(some_shifts) },
	{ "length_1029", 1029, 1029, MAX_ALIGN, some_shifts, sizeof(some_shifts) },
	{ "length_4099", 4099, 4099, MAX_ALIGN, some_shifts, sizeof(some_shifts) },
	{ "length_16391", MAX_LEN, MAX_LEN, 8, some_shifts, sizeof(some_shifts) },
};

static unsigned char src_area[MAX_LEN + MAX_ALIGN + 2 * GUARD];
static unsigned char dst_area[MAX_LEN + MAX_ALIGN + 2 * GUARD];
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
static bool check_case(shift_fn *shift_copy, unsigned int shift, size_t len,
		       unsigned int src_align, unsigned int dst_align,
		       bool in_place)
{
	unsigned char *src = src_area + GUARD + src_align;
	unsigned char *dst = in_place ? src : dst_area + GUARD + dst_align;
	size_t used = GUARD + MAX_ALIGN + len + GUARD;

	/* Only what the case touches: the sweeps run millions of cases. */
	memset(src_area, GUARD_BYTE, used);
	memset(dst_area, GUARD_BYTE, used);
	fill_source(src, len, shift);
	reference_shift(expected, src, len, (unsigned char)shift);
	shift_copy(dst, src, len, (__u8)shift);
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
			 shift, len, src_align, in_place ? src_align : dst_align);
		return false;
	}
	return true;
}

static bool check_sweep(shift_fn *shift_copy, const struct sweep *sw,
			bool in_place)
{
	for (size_t len = sw->min_len; len <= sw->max_len; len++)
		for (size_t i = 0; i < sw->nshifts; i++)
			for (unsigned int sa = 0; sa < sw->align; sa++)
				for (unsigned int da = 0; da < (in_place ? 1 : sw->align); da++)
					if (!check_case(shift_copy,
							sw->shifts ? sw->shifts[i] : (unsigned int)i,
							len, sa, da, in_place))
						return false;
	return true;
}

static int check_shift(const char *name, shift_fn *shift_copy)
{
	char check[160];
	int failed = 0;

	for (size_t i = 0; i < sizeof(sweeps) / sizeof(sweeps[0]); i++) {
		snprintf(check, sizeof(check), "%s_out_of_place_%s", name, sweeps[i].name);
		failed += unit_report(check, check_sweep(shift_copy, &sweeps[i], false), reason);
		snprintf(check, sizeof(check), "%s_in_place_%s", name, sweeps[i].name);
		failed += unit_report(check, check_sweep(shift_copy, &sweeps[i], true), reason);
	}
	return failed;
}

static void shift_swar(void *dst, const void *src, size_t len, __u8 shift)
{
	caesar_shift_copy(dst, src, len, shift);
}

#ifdef __x86_64__
static void shift_sse2(void *dst, const void *src, size_t len, __u8 shift)
{
	caesar_shift_copy_vec(dst, src, len, shift, false);
}

static void shift_avx2(void *dst, const void *src, size_t len, __u8 shift)
{
	caesar_shift_copy_vec(dst, src, len, shift, true);
}
#endif

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

	failed += check_shift("shift_copy", shift_swar);
#ifdef __x86_64__
	failed += check_shift("shift_copy_sse2", shift_sse2);
	/* Where the CPU has no AVX2, its loop would fault: say so, no verdict. */
	if (__builtin_cpu_supports("avx2"))
		failed += check_shift("shift_copy_avx2", shift_avx2);
	else
		printf("shift_copy_avx2: not checked, this CPU has no AVX2\n");
#endif
	failed += unit_report("unshift_undoes_every_shift", check_unshift(), reason);
	return failed ? 1 : 0;
}

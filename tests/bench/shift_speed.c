// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * shift-speed: the Caesar transform's bytes per cycle against plain copies,
 * natively, on buffers that fit in L1, in L2, and far larger than the last
 * level cache. Cycles are TSC ticks (rdtsc): the host has no PMU to count
 * core cycles, and the ratios are what matters.
 *
 *   shift-speed [ROUNDS]
 *
 * Prints one JSON record per copy, size and round, the copies interleaved
 * within a round; exits 1 if a shift produced a wrong byte.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <x86intrin.h>

#include "shift_speed.h"

/* Bytes each measurement moves, so small buffers are timed long enough. */
#define BYTES_PER_MEASUREMENT (256ull << 20)

static const struct {
	const char *name;
	void (*copy)(void *dst, const void *src, size_t len);
	bool shifts;
} copies[] = {
	{ "shift", speed_shift, true },
	{ "shift_sse2", speed_shift_sse2, true },
	{ "shift_swar", speed_shift_swar, true },
	{ "rep_movsb", speed_movsb, false },
	{ "memcpy", speed_memcpy, false },
};

static const struct {
	const char *where;
	size_t size;
} buffers[] = {
	{ "L1", 16 << 10 },
	{ "L2", 512 << 10 },
	{ "DRAM", 64 << 20 },
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static bool shift_is_right(const unsigned char *dst, const unsigned char *src,
			   size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (dst[i] != (unsigned char)(src[i] + SPEED_SHIFT))
			return false;
	return true;
}

static void measure(size_t c, size_t b, unsigned char *dst,
		    const unsigned char *src, unsigned int round)
{
	size_t size = buffers[b].size;
	unsigned long long reps = BYTES_PER_MEASUREMENT / size;
	unsigned long long t0, t1;
	double ns;

	copies[c].copy(dst, src, size); /* warm the caches and the TLB */
	ns = now_ns();
	t0 = __rdtsc();
	for (unsigned long long i = 0; i < reps; i++)
		copies[c].copy(dst, src, size);
	t1 = __rdtsc();
	ns = now_ns() - ns;
	printf("{\"test\": \"transform\", \"fn\": \"%s\", \"where\": \"%s\", \"size\": %zu"
	       ", \"round\": %u, \"bytes_per_cycle\": %.4f, \"gbps\": %.3f"
	       ", \"tsc_ghz\": %.3f, \"verified\": true}\n",
	       copies[c].name, buffers[b].where, size, round,
	       (double)(reps * size) / (double)(t1 - t0),
	       (double)(reps * size) / ns, (double)(t1 - t0) / ns);
}

int main(int argc, char **argv)
{
	unsigned int rounds = argc > 1 ? (unsigned int)atoi(argv[1]) : 5;
	size_t max = buffers[sizeof(buffers) / sizeof(buffers[0]) - 1].size;
	unsigned char *src = aligned_alloc(64, max), *dst = aligned_alloc(64, max);

	if (!src || !dst)
		return 2;
	for (size_t i = 0; i < max; i++)
		src[i] = (unsigned char)(i * 2654435761u >> 13);
	for (size_t c = 0; c < sizeof(copies) / sizeof(copies[0]); c++) {
		if (!copies[c].shifts)
			continue;
		copies[c].copy(dst, src, max);
		if (!shift_is_right(dst, src, max)) {
			fprintf(stderr, "shift-speed: %s produced a wrong byte\n",
				copies[c].name);
			return 1;
		}
	}
	for (unsigned int r = 1; r <= rounds; r++)
		for (size_t b = 0; b < sizeof(buffers) / sizeof(buffers[0]); b++)
			for (size_t c = 0; c < sizeof(copies) / sizeof(copies[0]); c++)
				measure(c, b, dst, src, r);
	free(src);
	free(dst);
	return 0;
}

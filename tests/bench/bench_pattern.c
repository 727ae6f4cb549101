// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The stream: gaius-xfer's payload for BENCH_SEED, repeated every
 * BENCH_PERIOD bytes, kept with BENCH_MAX_SIZE bytes of the next period
 * after it so that any read or write is one contiguous piece.
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "payload.h"

static unsigned char *pattern;

const unsigned char *bench_pattern(void)
{
	if (!pattern) {
		pattern = malloc(BENCH_PERIOD + BENCH_MAX_SIZE);
		if (!pattern)
			abort();
		payload_fill(BENCH_SEED, 0, pattern, BENCH_PERIOD);
		memcpy(pattern + BENCH_PERIOD, pattern, BENCH_MAX_SIZE);
	}
	return pattern;
}

bool bench_pattern_is(const unsigned char *buf, uint64_t off, size_t len)
{
	return !memcmp(buf, bench_pattern() + off % BENCH_PERIOD, len);
}

void bench_message(uint64_t seq, unsigned char *buf, size_t len)
{
	payload_fill(BENCH_SEED + 1 + seq, 0, buf, len);
}

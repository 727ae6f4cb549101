// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host unit test of the test payload (tests/tools/payload.c): known
 * splitmix64 outputs, and that any offset gives the same bytes as the
 * whole stream. Prints `PASS: <name>` or `FAIL: <name>: <reason>`.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../tools/payload.h"
#include "unit_report.h"

#define STREAM_LEN 4096

static char reason[160];

/* splitmix64 seeded with 0: the first two outputs, as published with it. */
static bool check_known_words(void)
{
	static const uint64_t words[] = { 0xe220a8397b1dcdafULL, 0x6e789e6aa1b965f4ULL };
	unsigned char buf[16];

	payload_fill(0, 0, buf, sizeof(buf));
	for (unsigned int w = 0; w < 2; w++) {
		uint64_t got = 0;

		for (unsigned int b = 0; b < 8; b++)
			got |= (uint64_t)buf[w * 8 + b] << (8 * b);
		if (got != words[w]) {
			snprintf(reason, sizeof(reason), "word %u is 0x%016llx, expected 0x%016llx",
				 w, (unsigned long long)got, (unsigned long long)words[w]);
			return false;
		}
	}
	return true;
}

static bool check_random_access(void)
{
	unsigned char whole[STREAM_LEN], part[STREAM_LEN];

	payload_fill(12354, 0, whole, sizeof(whole));
	for (size_t off = 0; off < 64; off++) {
		for (size_t len = 0; off + len <= STREAM_LEN; len += 1 + len / 2) {
			payload_fill(12354, off, part, len);
			if (memcmp(part, whole + off, len)) {
				snprintf(reason, sizeof(reason), "offset %zu length %zu differs", off, len);
				return false;
			}
		}
	}
	return true;
}

static bool check_stream_seeds(void)
{
	unsigned char a[64], b[64];

	payload_fill(payload_stream_seed(7, PAYLOAD_CLIENT_TO_SERVER), 0, a, sizeof(a));
	payload_fill(payload_stream_seed(7, PAYLOAD_SERVER_TO_CLIENT), 0, b, sizeof(b));
	if (payload_stream_seed(7, PAYLOAD_CLIENT_TO_SERVER) != 7 || !memcmp(a, b, sizeof(a))) {
		snprintf(reason, sizeof(reason), "directions must use seed and seed + 1");
		return false;
	}
	return true;
}

int main(void)
{
	int failed = 0;

	failed += unit_report("payload_splitmix64_known_outputs", check_known_words(), reason);
	failed += unit_report("payload_any_offset_matches_stream", check_random_access(), reason);
	failed += unit_report("payload_direction_seeds", check_stream_seeds(), reason);
	return failed ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Latency and connection rate: 64-byte round trips (rr), connections (crr). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_client.h"
#include "bench_net.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double usec(uint64_t ns)
{
	return (double)ns / 1e3;
}

int client_rr(const struct bench_options *o)
{
	struct bench_hello h = { .test = BENCH_RR };
	unsigned char msg[BENCH_MSG], echo[BENCH_MSG];
	uint64_t *rtt = calloc(o->count, sizeof(*rtt)), sum = 0, start, end;
	char ulp[16];
	bool ok = true;
	int fd = rtt && o->count ? client_open(o, &h) : -1;

	if (fd < 0) {
		free(rtt);
		return -1;
	}
	bench_nodelay(fd);
	start = bench_now_ns();
	for (uint32_t i = 0; i < o->count && ok; i++) {
		uint64_t t0 = bench_now_ns();

		bench_message(i, msg, sizeof(msg));
		ok = !bench_write_full(fd, msg, sizeof(msg)) &&
		     !bench_read_full(fd, echo, sizeof(echo)) &&
		     !memcmp(echo, msg, sizeof(msg));
		rtt[i] = bench_now_ns() - t0;
		sum += rtt[i];
	}
	end = bench_now_ns();
	bench_ulp_name(fd, ulp, sizeof(ulp));
	close(fd);
	ok = ok && client_ulp_ok(o, ulp);
	qsort(rtt, o->count, sizeof(*rtt), cmp_u64);
	record_begin(o, "rr");
	printf(", \"count\": %u, \"p50_us\": %.1f, \"p99_us\": %.1f, \"mean_us\": %.1f"
	       ", \"min_us\": %.1f, \"max_us\": %.1f, \"ulp_client\": \"%s\""
	       ", \"t0\": %.6f, \"t1\": %.6f",
	       o->count, usec(rtt[o->count / 2]), usec(rtt[o->count * 99 / 100]),
	       usec(sum / o->count), usec(rtt[0]), usec(rtt[o->count - 1]), ulp,
	       (double)start / 1e9, (double)end / 1e9);
	record_end(ok);
	free(rtt);
	return ok ? 0 : -1;
}

/* One connection: the hello for @seq out, the same 64 bytes back. */
static int one_exchange(const struct bench_options *o, uint64_t seq,
			char *ulp, size_t ulp_size)
{
	struct bench_hello h = { .test = BENCH_CRR, .seq = seq }, echo;
	int fd, ret;

	bench_message(seq, h.fill, sizeof(h.fill));
	fd = client_open(o, &h);
	if (fd < 0)
		return -1;
	ret = bench_read_full(fd, &echo, sizeof(echo)) ||
	      memcmp(&echo, &h, sizeof(h)) ? -1 : 0;
	if (ulp)
		bench_ulp_name(fd, ulp, ulp_size);
	close(fd);
	return ret;
}

int client_crr(const struct bench_options *o)
{
	uint64_t start = bench_now_ns(), end = start;
	uint64_t deadline = start + (uint64_t)(o->seconds * 1e9);
	uint64_t n = 0;
	char ulp[16] = "";
	bool ok = true;

	while (ok && end < deadline) {
		ok = !one_exchange(o, n, n ? NULL : ulp, sizeof(ulp));
		n += ok;
		end = bench_now_ns();
	}
	ok = ok && client_ulp_ok(o, ulp);
	record_begin(o, "crr");
	printf(", \"connections\": %llu, \"seconds\": %.4f, \"cps\": %.1f, \"ulp_client\": \"%s\""
	       ", \"t0\": %.6f, \"t1\": %.6f",
	       (unsigned long long)n, (double)(end - start) / 1e9,
	       (double)n * 1e9 / (double)(end - start), ulp,
	       (double)start / 1e9, (double)end / 1e9);
	record_end(ok);
	return ok ? 0 : -1;
}

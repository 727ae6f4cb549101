// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Kernel memory per attached socket: --count connections to a server that
 * holds them, then the slab bytes (/proc/slabinfo, active objects times
 * their size) and the kmem trace events of attaching to every one of them,
 * per socket. A pass that only asks each socket its TCP_ULP, between the
 * two, shows how much the slab total moves on its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_client.h"
#include "bench_net.h"
#include "bench_trace.h"

/* "name active_objs num_objs objsize ...": active_objs * objsize, or 0. */
static long long slab_line_bytes(char *line)
{
	unsigned long v[3];
	char *save = NULL;

	if (!strtok_r(line, " ", &save))
		return 0;
	for (int i = 0; i < 3; i++) {
		const char *t = strtok_r(NULL, " ", &save);
		char *end;

		if (!t)
			return 0;
		v[i] = strtoul(t, &end, 10);
		if (end == t || *end)
			return 0;
	}
	return (long long)v[0] * (long long)v[2];
}

static long long slab_bytes(void)
{
	FILE *f = fopen("/proc/slabinfo", "re");
	char line[512];
	long long total = 0;

	if (!f) {
		perror("gaius-bench: /proc/slabinfo");
		return 0;
	}
	while (fgets(line, sizeof(line), f))
		total += slab_line_bytes(line);
	fclose(f);
	return total;
}

static void settle(void)
{
	const struct timespec second = { .tv_sec = 1 };

	nanosleep(&second, NULL);
}

static int open_held(const struct bench_options *o, int *fds)
{
	for (uint32_t i = 0; i < o->count; i++) {
		struct bench_hello h = { .magic = BENCH_MAGIC, .test = BENCH_HOLD };

		fds[i] = bench_connect(o->address, o->port);
		if (fds[i] < 0 || bench_write_full(fds[i], &h, sizeof(h)))
			return -1;
	}
	return 0;
}

int client_mem(const struct bench_options *o)
{
	int *fds = malloc(o->count * sizeof(*fds));
	struct bench_allocs a = { .calls = o->count };
	long long s0, s1, s2, s3;
	double n = o->count;
	char ulp[16];
	bool ok = fds && o->count;

	for (uint32_t i = 0; ok && i < o->count; i++)
		fds[i] = -1;
	s0 = slab_bytes();
	ok = ok && !open_held(o, fds);
	settle();
	s1 = slab_bytes();
	for (uint32_t i = 0; ok && i < o->count; i++)
		bench_ulp_name(fds[i], ulp, sizeof(ulp));
	s2 = slab_bytes();
	ok = ok && !bench_trace_begin();
	for (uint32_t i = 0; ok && i < o->count; i++)
		ok = !bench_attach(fds[i], o->attach, o->key);
	ok = !bench_trace_end(&a) && ok;
	s3 = slab_bytes();
	if (ok)
		bench_ulp_name(fds[0], ulp, sizeof(ulp));
	ok = ok && client_ulp_ok(o, ulp);
	record_begin(o, "mem");
	printf(", \"sockets\": %u, \"connect_slab_bytes\": %.1f, \"noop_slab_bytes\": %.1f"
	       ", \"attach_slab_bytes\": %.1f, \"attach_pages\": %.3f, \"attach_kmalloc\": %.3f"
	       ", \"attach_cache_alloc\": %.3f, \"attach_alloc_bytes\": %.1f"
	       ", \"attach_ours\": %.3f, \"attach_ours_bytes\": %.1f, \"ulp_client\": \"%s\"",
	       o->count, (double)(s1 - s0) / n, (double)(s2 - s1) / n, (double)(s3 - s2) / n,
	       (double)a.pages / n, (double)a.kmalloc / n, (double)a.cache_alloc / n,
	       (double)a.bytes / n, (double)a.ours / n, (double)a.ours_bytes / n,
	       ok ? ulp : "?");
	record_end(ok);
	for (uint32_t i = 0; fds && i < o->count; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
	return ok ? 0 : -1;
}

// SPDX-License-Identifier: GPL-2.0 OR MIT
/* gaius-bench client: the tests' common parts and the dispatch. */
#include "bench_client.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench_net.h"
#include "bench_roles.h"

int client_open(const struct bench_options *o, struct bench_hello *h)
{
	int fd = bench_connect(o->address, o->port);

	if (fd < 0)
		return -1;
	h->magic = BENCH_MAGIC;
	if (bench_attach(fd, o->attach, o->key) ||
	    bench_write_full(fd, h, sizeof(*h))) {
		perror("gaius-bench: client: hello");
		close(fd);
		return -1;
	}
	return fd;
}

bool client_ulp_ok(const struct bench_options *o, const char *ulp)
{
	if (!o->expect_ulp || !strcmp(o->expect_ulp, ulp))
		return true;
	fprintf(stderr, "gaius-bench: %s: TCP_ULP is %s, expected %s\n",
		o->label, ulp, o->expect_ulp);
	return false;
}

void record_begin(const struct bench_options *o, const char *test)
{
	printf("{\"test\": \"%s\", \"path\": \"%s\", \"round\": %u", test,
	       o->label, o->round);
}

void record_end(bool verified)
{
	printf(", \"verified\": %s}\n", verified ? "true" : "false");
	fflush(stdout);
}

void record_allocs(const struct bench_allocs *a)
{
	printf(", \"calls\": %llu, \"kmalloc\": %llu, \"cache_alloc\": %llu"
	       ", \"pages\": %llu, \"alloc_bytes\": %llu, \"ours\": %llu"
	       ", \"ours_bytes\": %llu, \"lost\": %llu",
	       (unsigned long long)a->calls, (unsigned long long)a->kmalloc,
	       (unsigned long long)a->cache_alloc, (unsigned long long)a->pages,
	       (unsigned long long)a->bytes, (unsigned long long)a->ours,
	       (unsigned long long)a->ours_bytes, (unsigned long long)a->lost);
}

static int quit_server(const struct bench_options *o)
{
	struct bench_hello h = { .test = BENCH_QUIT };
	int fd = client_open(o, &h);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int client_streams(const struct bench_options *o)
{
	int ret = 0;

	for (unsigned int s = 0; s < o->n_sizes; s++)
		for (unsigned int m = 0; m < o->n_methods; m++)
			ret |= client_stream(o, o->sizes[s], o->methods[m]);
	return ret;
}

static int run_test(const struct bench_options *o, const char *name)
{
	static const struct {
		const char *name;
		int (*run)(const struct bench_options *o);
	} tests[] = {
		{ "stream", client_streams },
		{ "rr", client_rr },
		{ "crr", client_crr },
		{ "mem", client_mem },
		{ "quit", quit_server },
	};

	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (!strcmp(name, tests[i].name))
			return tests[i].run(o) ? 1 : 0;
	fprintf(stderr, "gaius-bench: unknown test %s (see --help)\n", name);
	return 2;
}

/* Each test of the comma-separated --test, in order; the worst status. */
int bench_client(const struct bench_options *o)
{
	char list[64], *save = NULL;
	int status = 0;

	snprintf(list, sizeof(list), "%s", o->test);
	for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		int ret = run_test(o, t);

		status = ret > status ? ret : status;
	}
	return status;
}

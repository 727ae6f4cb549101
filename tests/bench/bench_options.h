/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* gaius-bench's command line: `gaius-bench --help` says what each does. */
#ifndef GAIUS_BENCH_OPTIONS_H
#define GAIUS_BENCH_OPTIONS_H

#include "bench.h"

#define BENCH_MAX_LIST 4

enum bench_method {
	METHOD_WRITE,
	METHOD_SENDFILE,
};

enum bench_trace_side {
	TRACE_NONE,
	TRACE_SEND,
	TRACE_RECV,
};

struct bench_options {
	bool server;
	const char *address;
	int port;
	int cpu;
	enum bench_attach attach;
	int key;
	const char *test;		/* client: stream, rr, crr, mem, quit */
	uint32_t sizes[BENCH_MAX_LIST];
	unsigned int n_sizes;
	enum bench_method methods[BENCH_MAX_LIST];
	unsigned int n_methods;
	double seconds;
	uint32_t count;
	enum bench_trace_side trace;
	const char *tracefs;		/* NULL: BENCH_TRACEFS */
	const char *label;		/* "path" in the records */
	const char *expect_ulp;		/* both ends' TCP_ULP must be this */
	unsigned int round;
};

void bench_parse_options(int argc, char **argv, struct bench_options *o);
const char *bench_method_name(enum bench_method m);

#endif /* GAIUS_BENCH_OPTIONS_H */

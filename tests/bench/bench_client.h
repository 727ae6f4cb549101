/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* What gaius-bench's client tests share (bench_client.c). */
#ifndef GAIUS_BENCH_CLIENT_H
#define GAIUS_BENCH_CLIENT_H

#include "bench_options.h"

/* Connect, attach as --attach says, send @h (magic filled in); -1 on error. */
int client_open(const struct bench_options *o, struct bench_hello *h);
/* Whether an end's TCP_ULP is --expect-ulp (always, without the option). */
bool client_ulp_ok(const struct bench_options *o, const char *ulp);
/* Starts a record: {"test": @test, "path": ..., "round": ...; the caller
 * adds its fields and ends it with record_end(). */
void record_begin(const struct bench_options *o, const char *test);
void record_end(bool verified);
void record_allocs(const struct bench_allocs *a);

/* The tests; each returns 0, or -1 once it has said what failed. */
int client_stream(const struct bench_options *o, uint32_t size,
		  enum bench_method method);
int client_rr(const struct bench_options *o);
int client_crr(const struct bench_options *o);
int client_mem(const struct bench_options *o);

#endif /* GAIUS_BENCH_CLIENT_H */

/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The two roles of gaius-bench. */
#ifndef GAIUS_BENCH_ROLES_H
#define GAIUS_BENCH_ROLES_H

#include "bench_options.h"

/* Both return the exit status. */
int bench_server(const struct bench_options *o);
int bench_client(const struct bench_options *o);

#endif /* GAIUS_BENCH_ROLES_H */

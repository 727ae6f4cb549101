// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * gaius-bench: throughput, latency, connection rate and kernel memory of a
 * TCP path, plain or enciphered; `gaius-bench --help` for the options and
 * bench.h for how the two ends talk.
 */
#include <signal.h>

#include "bench_options.h"
#include "bench_roles.h"
#include "bench_trace.h"

int main(int argc, char **argv)
{
	struct bench_options o;

	bench_parse_options(argc, argv, &o);
	signal(SIGPIPE, SIG_IGN);
	bench_pin_cpu(o.cpu);
	if (o.tracefs)
		bench_trace_dir(o.tracefs);
	return o.server ? bench_server(&o) : bench_client(&o);
}

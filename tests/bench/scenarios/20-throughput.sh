#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Throughput of a single stream, each path side by side: writes (and reads)
# of 1 KiB, 64 KiB and 1 MiB, by write() and by sendfile(), for
# $BENCH_SECONDS each, $BENCH_ROUNDS rounds. Within a round each method runs
# on every path back to back (one client for the three sizes: under TCG a
# process takes seconds to start), the paths in an order rotated by the
# round, so that the runs compared are seconds apart on a host whose load
# keeps changing. The receiver checks every byte; a server that saw a
# wrong byte, or an end whose TCP_ULP was not the path's, fails that path.
# shellcheck source=bench-lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/bench-lib.sh"

start_servers
for ((r = 1; r <= BENCH_ROUNDS; r++)); do
	for method in write sendfile; do
		for p in $(round_paths "$r"); do
			bench_client "$p" --test stream --round "$r" --sizes 1K,64K,1M \
				--methods "$method" --seconds "$BENCH_SECONDS" ||
				fail "throughput-$p-$method-round-$r" "$(tail_line "$WORK/client-$p.log" 1)"
		done
	done
done
stop_servers throughput
finish

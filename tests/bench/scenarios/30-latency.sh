#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Latency and connection rate, each path side by side, $BENCH_ROUNDS rounds:
# 2000 round trips of 64 bytes on one connection (p50, p99), then for
# $BENCH_SECONDS connections that each connect, exchange 64 bytes and
# close. For the rules path the rules attach the ULP to every connection at
# its SYN; the bare pair has no rule at all.
# shellcheck source=bench-lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/bench-lib.sh"

# TIME_WAIT piles up on the client side: let connect() reuse those ports.
for ns in "$NS_CLIENT" "$NS_BARE_C"; do
	ip netns exec "$ns" sysctl -qw net.ipv4.tcp_tw_reuse=1 net.ipv4.ip_local_port_range="1024 65000"
done

start_servers
for ((r = 1; r <= BENCH_ROUNDS; r++)); do
	for p in $(round_paths "$r"); do
		bench_client "$p" --test rr,crr --round "$r" --count 2000 --seconds "$BENCH_SECONDS" ||
			fail "latency-$p-round-$r" "$(tail_line "$WORK/client-$p.log" 1)"
	done
done
stop_servers latency
finish

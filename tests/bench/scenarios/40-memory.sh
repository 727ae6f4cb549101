#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Kernel memory and allocations, from the kmem trace events and
# /proc/slabinfo:
# - per attached socket: 200 connections held open, then what attaching the
#   caesar ULP (or kTLS, or nothing: the noise) to each of them allocates,
#   $BENCH_ROUNDS rounds;
# - per send and receive call: the events of the write() or read() calls
#   that move 1 MiB of a stream (16 at least), once past slow start, per
#   path and size (kTLS left out: under TCG it is too slow to reach the
#   window at 1 MiB).
# shellcheck source=bench-lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/bench-lib.sh"

readonly TRACEFS=$BENCH_TRACEFS
readonly EVENTS=(kmalloc kmem_cache_alloc mm_page_alloc)

trace_setup() {
	local e
	if [[ ! -e $TRACEFS/tracing_on ]]; then
		mkdir -p "$TRACEFS" && mount -t tracefs nodev "$TRACEFS" || return 1
	fi
	echo 0 >"$TRACEFS/tracing_on"
	echo 8192 >"$TRACEFS/buffer_size_kb"
	for e in "${EVENTS[@]}"; do
		echo 1 >"$TRACEFS/events/kmem/$e/enable" || return 1
	done
}

trace_teardown() {
	local e
	for e in "${EVENTS[@]}"; do
		echo 0 >"$TRACEFS/events/kmem/$e/enable"
	done
	echo >"$TRACEFS/trace"
}

if ! trace_setup; then
	fail memory-tracefs "cannot set up the kmem trace events"
	exit 1
fi
start_servers
for ((r = 1; r <= BENCH_ROUNDS; r++)); do
	for how in caesar:ulp:caesar ktls:ktls:tls none:plain:none; do
		IFS=: read -r attach label ulp <<<"$how"
		bench_client plain --test mem --round "$r" --count 200 --attach "$attach" \
			--label "$label" --expect-ulp "$ulp" --tracefs "$TRACEFS" ||
			fail "memory-$label-round-$r" "$(tail_line "$WORK/client-plain.log" 1)"
	done
done
for p in plain ulp rules; do
	for side in send recv; do
		bench_client "$p" --test stream --round 1 --sizes 1K,64K,1M --trace "$side" \
			--seconds "$BENCH_SECONDS" --tracefs "$TRACEFS" ||
			fail "allocs-$p-$side" "$(tail_line "$WORK/client-$p.log" 1)"
	done
done
stop_servers memory
trace_teardown
finish

# SPDX-License-Identifier: GPL-2.0 OR MIT
# shellcheck shell=bash
#
# Shared by the fault and fuzzing scenarios (tests/netns/9?-*.sh); source it
# after tests/netns/lib.sh (and xt-lib.sh where rules are used).

readonly WIRECHECK_MANY=$GAIUS_BUILD/fuzz/wirecheck-many.py

# wire_batches NAME SPEC...: one check of the (stopped) capture for several
# gaius-xfer batches, each SPEC PORT:DIRECTION:SEED:SIZE:KEY:STREAMS
# (tests/fuzz/wirecheck-many.py: wirecheck.py's check, faster).
wire_batches() {
	local name=$1 spec args=()
	shift
	for spec in "$@"; do
		args+=(--xfer "$spec")
	done
	check "$name" "$WIRECHECK_MANY" "$CAPTURE" "${args[@]}"
}

# xfer_both NAME ADDR SEED SIZE KEY STREAMS OPTIONS...: lib.sh's xfer of
# STREAMS connections moving SIZE bytes each way, with OPTIONS at both ends;
# adds its two directions to $SPECS for wire_batches.
xfer_both() {
	local name=$1 addr=$2 seed=$3 size=$4 key=$5 streams=$6 d opts
	shift 6
	opts=(--size "$size" --seed "$seed" --direction both --connections "$streams" "$@")
	xfer "$name" "$addr" "${opts[@]}" -- "${opts[@]}"
	for d in client-to-server server-to-client; do
		SPECS+=("$PORT:$d:$seed:$size:$key:$streams")
	done
}

# start_capture_of FILTER: lib.sh's capture (stop_capture, capture_text and
# wire work on it), of the TCP packets that match FILTER only.
start_capture_of() {
	ip netns exec "$NS_SERVER" tcpdump -i veth-s -n -U -s 0 -B 65536 -w "$CAPTURE" \
		"($1) or udp port 9" 2>"$WORK/tcpdump.err" &
	CAPTURE_PID=$!
	BACKGROUND_PIDS+=("$CAPTURE_PID")
	poll "$WAIT_TENTHS" capture_ready
}

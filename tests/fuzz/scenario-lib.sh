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

# tally_sockfuzz LOG: the calls, the bad ones, and the oracles' connections
# and bytes that gaius-sockfuzz's LOG reports.
tally_sockfuzz() {
	local what
	awk '
	$2 == "fuzzing:" { print "inputs", $3; print "bad-inputs", $5 }
	$2 == "oracle" && $6 == "connections," { print "connections", $5; print "bytes", $7 }' "$1" |
		while read -r what; do
			# shellcheck disable=SC2086 # "NAME COUNT"
			tally $what
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

# flush_rules BACKEND FAMILY: both_ends_rules' rules gone from both ends
# (xt-lib's clear_rules empties every table of both families: slower).
flush_rules() {
	local ns
	for ns in "$NS_CLIENT" "$NS_SERVER"; do
		if [[ $1 == nft ]]; then
			ip netns exec "$ns" nft flush ruleset
		else
			ipt "$ns" legacy "$2" -F
		fi
	done
}

# nstat_value NS COUNTER: a kernel SNMP counter (TcpRetransSegs, ...) of
# namespace NS, 0 when it has not moved.
nstat_value() {
	local value
	# shellcheck disable=SC2016 # awk's $1, $2
	value=$(ip netns exec "$1" nstat -asz "$2" 2>/dev/null | awk -v c="$2" '$1 == c { print $2 }')
	printf '%s\n' "${value:-0}"
}

# nstat_sum COUNTER: COUNTER of the client and the server namespaces, added.
nstat_sum() {
	echo $(($(nstat_value "$NS_CLIENT" "$1") + $(nstat_value "$NS_SERVER" "$1")))
}

# log_size NAME MIN MAX: NAME set to a size from MIN to MAX bytes, every
# power of two in between as likely as the next; from bash's RANDOM, which
# a command substitution would reseed: seed it, and call this directly.
log_size() {
	local min=$2 max=$3 bits=0 size
	while (((min << (bits + 1)) <= max)); do
		bits=$((bits + 1))
	done
	size=$((min << (RANDOM % (bits + 1))))
	size=$((size + ((RANDOM << 15) | RANDOM) % size))
	printf -v "$1" '%d' $((size > max ? max : size))
}

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# gaius-pktfuzz (tests/fuzz/pktfuzz/): random and spoofed TCP segments into
# the ports under the README's rules (GAIUSENCRYPT on OUTPUT and
# GAIUSDECRYPT on INPUT for a port range, on both ends) while real
# connections run there, both backends, IPv4 and IPv6. For each seed of
# GAIUS_PACKET_FUZZ_SEEDS (make check: 1), GAIUS_PACKET_FUZZ_SECONDS
# (make check: 60) of fuzzing shared by the four backend and family
# combinations; make fuzz-packets runs longer (mk/fuzz.mk).
#
# - Fuzzing: gaius-xfer batches one after another, each on a port of its
#   own, every byte verified by its receiver; the fuzzer sniffs their
#   four-tuples and sequence numbers and aims at them. The capture (which
#   leaves out the fuzzer's own frames, by their MAC address) must show
#   only ciphertext.
# - SYN flood: GAIUS_PACKET_FUZZ_FLOOD (12000; 0: none) SYNs from spoofed
#   sources to a real server's port, then connections to it: each must
#   complete byte for byte with ciphertext on the wire, or fail closed
#   (refused, reset, timed out), never read a wrong byte or send
#   plaintext. GAIUS_PACKET_FUZZ_PPS sets the fuzzer's rate (300 packets/s).
#
# Fails when any real connection reads a wrong byte or puts a byte of
# plaintext on the wire, or when the fuzzer ends most connections; the VM
# runner fails the run on any kernel warning. A connection that the
# fuzzer's resets end (or the flood's fail-closed) is counted as a fault.
# The spoofed sources, 203.0.113.0/24 and 2001:db8:ffff::/48, are routed
# to a dummy device in both namespaces: the replies go nowhere.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=xt-lib.sh
source "$(dirname "$0")/xt-lib.sh"
# shellcheck source=../fuzz/scenario-lib.sh
source "$(dirname "$0")/../fuzz/scenario-lib.sh"

readonly FUZZ_SECONDS=${GAIUS_PACKET_FUZZ_SECONDS:-60}
read -r -a SEEDS <<<"${GAIUS_PACKET_FUZZ_SEEDS:-1}"
readonly SEEDS
readonly FLOOD_SYNS=${GAIUS_PACKET_FUZZ_FLOOD:-12000}
readonly PPS=${GAIUS_PACKET_FUZZ_PPS:-300}
readonly PKTFUZZ=$GAIUS_BUILD/fuzz/gaius-pktfuzz
readonly KEY=12354 PORTS=7100:7999 PORT_RANGE=7100-7999
readonly FUZZ_MAC=02:67:61:69:75:73
# Per batch while fuzzing; per flood, the connections after it.
readonly ROUND_CONNECTIONS=4 FLOOD_CONNECTIONS=6 FLOOD_SIZE=20011
# What gaius-xfer says when a byte read is not the byte written.
readonly WRONG_BYTES='first mismatch at offset|past the [0-9]+ bytes sent'
readonly COMBINATIONS=4

[[ -x $PKTFUZZ && -x $WIRECHECK_MANY ]] || {
	fail "$SCENARIO-setup" "$PKTFUZZ is not built (make -C tests/fuzz)"
	exit 1
}

# The documentation ranges lead to a dummy device on both ends, and no
# reverse path filter drops what comes from them over the veth.
spoofed_routes() {
	local ns
	modprobe dummy 2>/dev/null
	for ns in "$NS_SERVER" "$NS_CLIENT"; do
		ip netns exec "$ns" ip link add fz0 type dummy &&
			ip netns exec "$ns" ip link set fz0 up &&
			ip netns exec "$ns" ip route add 203.0.113.0/24 dev fz0 &&
			ip netns exec "$ns" ip -6 route add 2001:db8:ffff::/48 dev fz0 &&
			ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
				net.ipv4.conf.default.rp_filter=0 || return 1
	done
	in_server sysctl -qw net.ipv4.conf.veth-s.rp_filter=0 &&
		in_client sysctl -qw net.ipv4.conf.veth-c.rp_filter=0
}

pktfuzz() {
	"$PKTFUZZ" --client-netns "/run/netns/$NS_CLIENT" --client-if veth-c \
		--server-netns "/run/netns/$NS_SERVER" --server-if veth-s \
		--server4 "$SERVER4" --server6 "$SERVER6" --ports "$PORT_RANGE" "$@"
}

exited() {
	! kill -0 "$1" 2>/dev/null
}

# reap PID: its exit status, once it has exited; after 10 s it is killed
# (a server still waiting for a connection the fuzzer ended).
reap() {
	poll 100 exited "$1" || {
		log "pid $1 still running: killed"
		kill "$1" 2>/dev/null
	}
	wait "$1"
}

# wrong_bytes NAME LOG...: FAIL when a receiver in LOG read a wrong byte;
# true when it did.
wrong_bytes() {
	local name=$1
	shift
	grep -qE "$WRONG_BYTES" "$@" 2>/dev/null || return 1
	fail "$name" "a wrong byte read: $(grep -hE "$WRONG_BYTES" "$@" | head -n 2 | tr '\n' ' ')"
}

# completed LOG: how many of a gaius-xfer client's connections verified
# every byte both ways.
completed() {
	grep -c '^gaius-xfer: client conn [0-9]*: sent .*: ok$' "$1"
}

# round NAME ADDR: a batch of ROUND_CONNECTIONS concurrent connections on
# a fresh $PORT, a random size each way. Adds its wire check to
# WIRE_ARGS, and its connections to ATTEMPTED and COMPLETED.
round() {
	local name=$1 addr=$2 seed bytes server_pid status=0 ok spec=--xfer d opts
	seed=$((RANDOM % 1000 + 1))
	# Long enough for the fuzzer to find them (not "size": log_size has
	# a local of that name).
	log_size bytes 65536 2097152
	opts=(--size "$bytes" --seed "$seed" --direction both --connections "$ROUND_CONNECTIONS"
		--concurrent --timeout 90)
	next_port
	in_background "$WORK/$name.server.log" "$NS_SERVER" gaius-xfer server --port "$PORT" "${opts[@]}"
	server_pid=$BG_PID
	if ! wait_listening "$NS_SERVER" "$PORT"; then
		fail "$name" "the server never listened on port $PORT"
		return
	fi
	in_client gaius-xfer client --address "$addr" --port "$PORT" "${opts[@]}" --connect-timeout 20 \
		>"$WORK/$name.client.log" 2>&1 || status=1
	reap "$server_pid" || status=1
	ok=$(completed "$WORK/$name.client.log")
	ATTEMPTED=$((ATTEMPTED + ROUND_CONNECTIONS)) COMPLETED=$((COMPLETED + ok))
	tally_xfer "$WORK/$name.server.log" "$WORK/$name.client.log"
	if wrong_bytes "$name" "$WORK/$name.server.log" "$WORK/$name.client.log"; then
		show "$WORK/$name.server.log"
		show "$WORK/$name.client.log"
		spec=--partial-xfer
	elif ((status != 0)); then
		log "$name: $ok of $ROUND_CONNECTIONS connection(s) completed; the others were reset," \
			"refused or timed out, and read nothing wrong: a fault"
		grep -h 'gaius-xfer: .*: .*: [A-Z]' "$WORK/$name.server.log" "$WORK/$name.client.log" |
			head -n 4 | sed 's/^/    | /'
		tally faults $((ROUND_CONNECTIONS - ok))
		spec=--partial-xfer
	fi
	for d in client-to-server server-to-client; do
		WIRE_ARGS+=("$spec" "$PORT:$d:$seed:$bytes:$KEY:$ROUND_CONNECTIONS")
	done
}

# tally_pktfuzz LOG: its packets as inputs, the broken ones as bad inputs.
tally_pktfuzz() {
	local packets garbage
	packets=$(sed -n 's/^gaius-pktfuzz: seed [0-9]*: \([0-9]*\) packets .*/\1/p' "$1")
	garbage=$(sed -n 's/^gaius-pktfuzz: sent garbage \([0-9]*\)$/\1/p' "$1")
	tally inputs "${packets:-0}"
	tally bad-inputs "${garbage:-0}"
}

# fuzz SEED BACKEND FAMILY ADDR: the fuzzer for SLICE seconds, batches
# after each other until it stops, then the wire.
fuzz() {
	local seed=$1 b=$2 f=$3 addr=$4 name="fuzz-packets-seed-$1-$2-v$3" pid status=0 rounds=0 hits
	local failures=$FAILURES
	WIRE_ARGS=() ATTEMPTED=0 COMPLETED=0
	start_capture_of "tcp portrange $PORT_RANGE and not ether src $FUZZ_MAC" ||
		fail "$name-capture" "tcpdump did not start"
	pktfuzz --seed "$seed" --seconds "$SLICE" --pps "$PPS" --family "$f" >"$WORK/$name.log" 2>&1 &
	pid=$!
	BACKGROUND_PIDS+=("$pid")
	while kill -0 "$pid" 2>/dev/null; do
		rounds=$((rounds + 1))
		round "$name-round-$rounds" "$addr"
	done
	wait "$pid" || status=$?
	stop_capture
	show "$WORK/$name.log"
	tally_pktfuzz "$WORK/$name.log"
	log "$name: $COMPLETED of $ATTEMPTED connection(s) in $rounds batch(es) completed"
	hits=$(sed -n 's/.*, \([0-9]*\) on real four-tuples;.*/\1/p' "$WORK/$name.log")
	if ((status != 0)); then
		fail "$name" "gaius-pktfuzz exited $status: $(tail_line "$WORK/$name.log")"
	elif ((${hits:-0} == 0)); then
		fail "$name" "gaius-pktfuzz sent nothing to a real connection: did it sniff none?"
	elif ((FAILURES == failures)); then
		pass "$name"
	fi
	check "$name-wire" "$WIRECHECK_MANY" "$CAPTURE" "${WIRE_ARGS[@]}"
	if ((2 * COMPLETED >= ATTEMPTED && ATTEMPTED > 0)); then
		pass "$name-most-completed"
	else
		fail "$name-most-completed" "$COMPLETED of $ATTEMPTED connection(s) completed"
	fi
	rm -f "$CAPTURE"
}

# The packets the server's end of the veth has received.
rx_packets() {
	in_server cat /sys/class/net/veth-s/statistics/rx_packets
}

# flood SEED BACKEND FAMILY ADDR: FLOOD_SYNS spoofed SYNs to a server's
# port, then FLOOD_CONNECTIONS concurrent clients, each a process of its
# own with a short connect timeout: each completes, or fails closed.
flood() {
	local seed=$1 b=$2 f=$3 addr=$4 name="fuzz-packets-flood-seed-$1-$2-v$3" server_pid i ok=0
	local xseed=$((RANDOM % 1000 + 1)) pids=() logs=() opts started=$SECONDS d spec=() received
	opts=(--size "$FLOOD_SIZE" --seed "$xseed" --direction both)
	next_port
	in_background "$WORK/$name.server.log" "$NS_SERVER" gaius-xfer server --port "$PORT" "${opts[@]}" \
		--connections "$FLOOD_CONNECTIONS" --concurrent --timeout 300
	server_pid=$BG_PID
	if ! wait_listening "$NS_SERVER" "$PORT"; then
		fail "$name" "the server never listened on port $PORT"
		return
	fi
	received=$(rx_packets)
	pktfuzz --seed "$seed" --syn-flood "$FLOOD_SYNS" --flood-port "$PORT" --family "$f" --pps 0 \
		>"$WORK/$name.log" 2>&1 || fail "$name" "gaius-pktfuzz --syn-flood: $(tail_line "$WORK/$name.log")"
	show "$WORK/$name.log"
	tally inputs "$FLOOD_SYNS"
	received=$(($(rx_packets) - received))
	# Else the connections after it would prove nothing.
	check "$name-arrived" test "$received" -ge "$FLOOD_SYNS"
	log "$name: $FLOOD_SYNS SYNs to port $PORT in $((SECONDS - started)) s; the server's counters:"
	in_server nstat -asz TcpExtSyncookiesSent TcpExtSyncookiesRecv TcpExtListenOverflows \
		TcpExtListenDrops TcpExtTCPReqQFullDrop | sed 's/^/    | /'
	show_stats "$NS_SERVER"
	start_capture_of "tcp port $PORT and not ether src $FUZZ_MAC" ||
		fail "$name-capture" "tcpdump did not start"
	for ((i = 0; i < FLOOD_CONNECTIONS; i++)); do
		logs+=("$WORK/$name.client-$i.log")
		in_client gaius-xfer client --address "$addr" --port "$PORT" "${opts[@]}" \
			--connect-timeout 5 --timeout 30 >"${logs[i]}" 2>&1 &
		pids+=($!)
	done
	for i in "${!pids[@]}"; do
		wait "${pids[i]}" && ok=$((ok + 1))
	done
	reap "$server_pid"
	stop_capture
	show "$WORK/$name.server.log"
	for i in "${!logs[@]}"; do
		show "${logs[i]}"
	done
	tally_xfer "$WORK/$name.server.log" "${logs[@]}"
	tally faults $((FLOOD_CONNECTIONS - ok))
	log "$name: after $FLOOD_SYNS spoofed SYNs, $ok of $FLOOD_CONNECTIONS connection(s) completed byte for byte," \
		"$((FLOOD_CONNECTIONS - ok)) failed"
	show_stats "$NS_SERVER"
	wrong_bytes "$name" "$WORK/$name.server.log" "${logs[@]}" || pass "$name"
	for d in client-to-server server-to-client; do
		spec+=(--partial-xfer "$PORT:$d:$xseed:$FLOOD_SIZE:$KEY:$FLOOD_CONNECTIONS")
	done
	check "$name-wire" "$WIRECHECK_MANY" "$CAPTURE" "${spec[@]}"
	rm -f "$CAPTURE"
}

if ! spoofed_routes; then
	fail "$SCENARIO-setup" "cannot route the documentation ranges to a dummy device"
	exit 1
fi
SLICE=$((FUZZ_SECONDS / COMBINATIONS))
((SLICE >= 5)) || SLICE=5
readonly SLICE
for seed in "${SEEDS[@]}"; do
	RANDOM=$seed
	for backend in "${BACKENDS[@]}"; do
		for family in 4 6; do
			if ((family == 4)); then addr=$SERVER4; else addr=$SERVER6; fi
			both_ends_rules "fuzz-packets-rules-$backend-v$family" "$backend" "$family" "$PORTS" "$KEY" ||
				continue
			log "seed $seed, $backend, IPv$family: $SLICE s of fuzzing"
			fuzz "$seed" "$backend" "$family" "$addr"
			if ((FLOOD_SYNS > 0)); then
				log "seed $seed, $backend, IPv$family: a flood of $FLOOD_SYNS SYNs"
				flood "$seed" "$backend" "$family" "$addr"
			fi
			flush_rules "$backend" "$family"
		done
	done
done
show_stats "$NS_CLIENT" "$NS_SERVER"
finish

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Tearing things down under enciphered traffic:
#   1. rules flushed (and added back) again and again while connections
#      that the rules keyed move data, then while their clients reset them
#      with unread data; nft and legacy;
#   2. rules added and removed while connections move data: rules with the
#      connections' own key on setsockopt-attached connections, rules for
#      other ports with another key, and the connections' own rules deleted
#      mid-transfer on rule-attached ones;
#   3. rmmod while sockets use the ULP: caesar refused while setsockopt- or
#      rule-keyed connections are open, xt_GAIUS refused while rules exist
#      and allowed once they are gone, caesar allowed once the sockets are;
#   4. TEARDOWN_CYCLES (100) unload/load cycles of both modules, every
#      fifth with a transfer in between (setsockopt, every twentieth by
#      rules);
#   5. both namespaces deleted while they hold enciphered connections in
#      the middle of a transfer; then nothing may hold the modules.
# Every transfer compares every byte. The wire is checked for ciphertext
# for the transfers of parts 1 and 2 and two of the cycles'; not for the
# streams cut short: the resets', and those of parts 3 and 5, which are
# killed. Prints what it tried. Parts 1 and 2 slow the link (netem rate)
# while their first rounds run, so that data is still moving.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=xt-lib.sh
source "$(dirname "$0")/xt-lib.sh"
# shellcheck source=../fuzz/scenario-lib.sh
source "$(dirname "$0")/../fuzz/scenario-lib.sh"

readonly KEY=3083 OTHER_KEY=77 PORTS=7100:7999 OTHER_PORTS=8000:8999
# Parts 1 and 2: each connection moves SIZE bytes each way.
readonly SIZE=$((512 << 10)) SLOW_RATE=512kbit
readonly CYCLES=${TEARDOWN_CYCLES:-100}
readonly SOCKFUZZ=$GAIUS_BUILD/fuzz/gaius-sockfuzz ORACLE_PORT=20000
ROUNDS=0 rule_changes=0 refusals=0 transfers=0

# established_count PORT [STATE]: connections to PORT in $NS_SERVER in
# STATE (an ss state or state class, default established).
established_count() {
	in_server ss -Htn state "${2:-established}" "sport = :$1" | wc -l
}

# start_pair NAME ADDR SERVER-OPTIONS -- CLIENT-OPTIONS: gaius-xfer server
# and client in the background on a fresh $PORT; $SERVER_PID, $CLIENT_PID.
start_pair() {
	local name=$1 addr=$2 server_opts=()
	shift 2
	while [[ $1 != -- ]]; do
		server_opts+=("$1")
		shift
	done
	shift
	next_port
	in_background "$WORK/$name.server.log" "$NS_SERVER" gaius-xfer server --port "$PORT" "${server_opts[@]}"
	SERVER_PID=$BG_PID
	wait_listening "$NS_SERVER" "$PORT" || log "$name: the server never listened"
	in_background "$WORK/$name.client.log" "$NS_CLIENT" gaius-xfer client --address "$addr" --port "$PORT" "$@"
	CLIENT_PID=$BG_PID
}

# finish_pair NAME: waits for start_pair's two and reports them.
finish_pair() {
	local status=0
	wait "$SERVER_PID" || status=1
	wait "$CLIENT_PID" || status=1
	report_pair "$1" "$status"
}

running() {
	kill -0 "$CLIENT_PID" 2>/dev/null
}

# all_established PORT N [STATE]: N connections there, or the client done.
all_established() {
	(($(established_count "$1" "${3:-established}") >= $2)) || ! running
}

# slow_link RATE: netem at RATE on both ends, so that a transfer is still
# moving data while rules change; "off" takes it away (if it is there).
slow_link() {
	local ns dev
	for ns in "$NS_CLIENT:veth-c" "$NS_SERVER:veth-s"; do
		IFS=: read -r ns dev <<<"$ns"
		if [[ $1 == off ]]; then
			ip netns exec "$ns" tc qdisc del dev "$dev" root 2>/dev/null
		else
			ip netns exec "$ns" tc qdisc add dev "$dev" root netem rate "$1"
		fi
	done
	return 0
}

# under_traffic NAME MIN CMD...: runs CMD round after round while
# start_pair's client runs: MIN rounds on the slowed link, data still
# moving, then at full speed until the client exits, its connections
# closing or resetting meanwhile. FAIL unless the MIN rounds were made.
under_traffic() {
	local name=$1 min=$2 n=0
	shift 2
	while running && ((n < min)); do
		"$@" || break
		n=$((n + 1))
	done
	slow_link off
	while running; do
		"$@" || break
		n=$((n + 1))
	done
	ROUNDS=$((ROUNDS + n))
	log "$name: $n round(s) of $1 under traffic"
	if ((n >= min)); then
		pass "$name-rounds-under-traffic"
	else
		fail "$name-rounds-under-traffic" "$n round(s) of $* before the transfer ended"
	fi
}

# flush_round NAME BACKEND FAMILY: the rules gone, and back.
flush_round() {
	flush_rules "$2" "$3"
	both_ends_rules "$1-rules" "$2" "$3" "$PORTS" "$KEY"
}

# 1. Rules flushed under traffic that they keyed: flushed and added back
# while the connections move data and then close (FIN), and while they
# are held and then reset (RST).
flush_under_traffic() {
	local backend=$1 family=$2 addr=$3 name opts
	name=teardown-flush-$backend-v$family
	both_ends_rules "$name-rules" "$backend" "$family" "$PORTS" "$KEY" || return
	opts=(--size "$SIZE" --seed 951 --direction both --connections 4 --concurrent --timeout 300)
	slow_link "$SLOW_RATE"
	start_pair "$name" "$addr" "${opts[@]}" -- "${opts[@]}"
	poll "$WAIT_TENTHS" all_established "$PORT" 4 || log "$name: not all connections established"
	under_traffic "$name" 3 flush_round "$name" "$backend" "$family"
	finish_pair "$name"
	SPECS+=("$PORT:client-to-server:951:$SIZE:$KEY:4" "$PORT:server-to-client:951:$SIZE:$KEY:4")

	name=teardown-flush-reset-$backend-v$family
	# What the sockets can hold, so that the server has sent it all when
	# the client, holding its connections for a while, resets them.
	opts=(--size 60000 --seed 952 --direction server-to-client --connections 8 --concurrent)
	start_pair "$name" "$addr" "${opts[@]}" -- "${opts[@]}" --recv-limit 5000 --hold 12000 --reset
	# The server has sent everything and shut down its side: not established.
	poll "$WAIT_TENTHS" all_established "$PORT" 8 connected || log "$name: not all connections made"
	# A round takes seconds on the emulated VM: one while they are held.
	under_traffic "$name" 1 flush_round "$name" "$backend" "$family"
	finish_pair "$name"
	flush_rules "$backend" "$family"
}

# 2. Rules added and removed under traffic.
add_rules() {
	local ports=$1 key=$2 family=$3
	both_ends_rules teardown-churn-rules legacy "$family" "$ports" "$key"
	rule_changes=$((rule_changes + 4))
}

# churn_round FAMILY PORTS:KEY...: these rules added, then all flushed.
churn_round() {
	local family=$1 r
	shift
	for r in "$@"; do
		add_rules "${r%:*}" "${r##*:}" "$family" || return
	done
	flush_rules legacy "$family"
}

# ulp_on PORT N: N connections on PORT show the ULP (ss) at both ends.
ulp_on() {
	local port=$1 n=$2
	(($(in_server ss -Htin state established "sport = :$port" | grep -c tcp-ulp-caesar) >= n &&
		$(in_client ss -Htin state established "dport = :$port" | grep -c tcp-ulp-caesar) >= n)) ||
		! running
}

churn_under_traffic() {
	local opts
	opts=(--size "$SIZE" --seed 953 --direction both --connections 4 --concurrent --timeout 300)
	slow_link "$SLOW_RATE"
	start_pair teardown-churn-setsockopt "$SERVER4" "${opts[@]}" --key "$KEY" -- "${opts[@]}" --key "$KEY"
	# Once gaius-xfer attached the ULP itself: a rule first would take its place.
	poll "$WAIT_TENTHS" ulp_on "$PORT" 4 || log "teardown-churn-setsockopt: the ULP is not on all connections"
	under_traffic teardown-churn-setsockopt 2 churn_round 4 "$PORTS:$KEY" "$OTHER_PORTS:$OTHER_KEY"
	finish_pair teardown-churn-setsockopt
	SPECS+=("$PORT:client-to-server:953:$SIZE:$KEY:4" "$PORT:server-to-client:953:$SIZE:$KEY:4")

	add_rules "$PORTS" "$KEY" 6
	slow_link "$SLOW_RATE"
	start_pair teardown-churn-rules-v6 "$SERVER6" "${opts[@]}" -- "${opts[@]}"
	poll "$WAIT_TENTHS" all_established "$PORT" 4 || log "teardown-churn-rules-v6: not all connections established"
	# Their own rules go; the keys stay.
	flush_rules legacy 6
	under_traffic teardown-churn-rules-v6 2 churn_round 6 "$OTHER_PORTS:$OTHER_KEY"
	finish_pair teardown-churn-rules-v6
	SPECS+=("$PORT:client-to-server:953:$SIZE:$KEY:4" "$PORT:server-to-client:953:$SIZE:$KEY:4")
}

# 3. rmmod while sockets use the ULP.
holding() {
	local log
	for log in "$@"; do
		(($(grep -c 'holding' "$WORK/$log") >= 2)) || return 1
	done
}

# refused NAME MODULE: rmmod MODULE must fail, as in use.
refused() {
	local out
	if out=$(rmmod "$2" 2>&1); then
		fail "$1" "rmmod $2 succeeded"
		modprobe "$2"
	elif [[ $out == *"in use"* ]]; then
		pass "$1"
		refusals=$((refusals + 1))
	else
		fail "$1" "rmmod $2: $out"
	fi
}

unloads() {
	rmmod "$@" 2>/dev/null
}

rmmod_while_in_use() {
	local held=(--size 100000 --seed 954 --direction both --connections 2 --concurrent --hold 120000)
	local pids=()
	start_pair teardown-held-setsockopt "$SERVER4" "${held[@]}" --key "$KEY" -- "${held[@]}" --key "$KEY"
	pids+=("$SERVER_PID" "$CLIENT_PID")
	add_rules "$PORTS" "$KEY" 6
	start_pair teardown-held-rules "$SERVER6" "${held[@]}" -- "${held[@]}"
	pids+=("$SERVER_PID" "$CLIENT_PID")
	if ! poll "$WAIT_TENTHS" holding teardown-held-{setsockopt,rules}.{server,client}.log; then
		fail teardown-held "the connections are not all holding"
	fi
	refused teardown-rmmod-caesar-refused caesar
	refused teardown-rmmod-xt-gaius-refused-with-rules xt_GAIUS
	flush_rules legacy 6
	if poll "$WAIT_TENTHS" unloads xt_GAIUS; then
		pass teardown-rmmod-xt-gaius-without-rules
	else
		fail teardown-rmmod-xt-gaius-without-rules "$(rmmod xt_GAIUS 2>&1)"
	fi
	refused teardown-rmmod-caesar-still-refused caesar
	kill "${pids[@]}" 2>/dev/null
	wait "${pids[@]}" 2>/dev/null
	if poll "$WAIT_TENTHS" unloads caesar; then
		pass teardown-rmmod-caesar-once-closed
	else
		fail teardown-rmmod-caesar-once-closed "$(rmmod caesar 2>&1)"
	fi
	check teardown-modprobe-again modprobe xt_GAIUS
}

# 4. Unload and load again, CYCLES times, every fifth time with a
# transfer in between (a cycle with one takes seconds on the emulated VM):
# one gaius-sockfuzz oracle connection over the veth (one process for both
# ends), and every twentieth cycle a gaius-xfer transfer through rules
# instead.
cycle_transfer() {
	local c=$1
	if ((c % 20 == 0)); then
		add_rules "$PORTS" "$KEY" 4
		xfer "teardown-cycle-$c" "$SERVER4" --size 65536 --seed "$c" --direction both \
			-- --size 65536 --seed "$c" --direction both
		return
	fi
	in_client "$SOCKFUZZ" --seed "$c" --seconds 0 --threads 0 --oracles 1 --no-fork \
		--oracle-max 65536 --server-netns "/run/netns/$NS_SERVER" --server4 "$SERVER4" \
		--server6 "$SERVER6" --oracle-port "$ORACLE_PORT" --manifest "$WORK/cycle-$c.manifest"
}

# on_wire CYCLE: whether CYCLE's transfer is checked on the wire: an
# oracle's and one through rules.
on_wire() {
	(($1 == 15 || $1 == 40))
}

cycles() {
	local c failed=() name
	for ((c = 1; c <= CYCLES; c++)); do
		name=teardown-cycle-$c
		if ! modprobe xt_GAIUS; then
			failed+=("$c: modprobe")
		fi
		if ((c % 5 == 0)); then
			if on_wire "$c"; then
				start_capture || log "$name: tcpdump did not start"
			fi
			if ! cycle_transfer "$c" >"$WORK/$name.log" 2>&1; then
				failed+=("$c: $(tail_line "$WORK/$name.log" 1)")
			fi
			transfers=$((transfers + 1))
		fi
		if on_wire "$c"; then
			stop_capture
			if ((c % 20)); then
				check "$name-wire" "$WIRECHECK_MANY" "$CAPTURE" \
					--manifest "$WORK/cycle-$c.manifest" --first 1 --at-least 1
			else
				wire_batches "$name-wire" "$PORT:client-to-server:$c:65536:$KEY:1" \
					"$PORT:server-to-client:$c:65536:$KEY:1"
			fi
		fi
		if ((c % 20 == 0)); then
			flush_rules legacy 4
		fi
		if ! poll "$WAIT_TENTHS" unloads xt_GAIUS caesar; then
			failed+=("$c: rmmod: $(rmmod xt_GAIUS caesar 2>&1)")
		fi
	done
	if ((${#failed[@]} == 0)); then
		pass "teardown-$CYCLES-unload-load-cycles"
	else
		fail "teardown-$CYCLES-unload-load-cycles" "${#failed[@]} failed: ${failed[*]:0:3}"
	fi
	modprobe xt_GAIUS
}

# 5. The namespaces go away under enciphered connections in mid-transfer.
delete_namespaces() {
	local opts pids=() killed
	opts=(--size $((64 << 20)) --seed 955 --direction both --connections 2 --concurrent --timeout 300)
	start_pair teardown-netns-setsockopt "$SERVER4" "${opts[@]}" --key "$KEY" -- "${opts[@]}" --key "$KEY"
	pids+=("$SERVER_PID" "$CLIENT_PID")
	add_rules "$PORTS" "$KEY" 6
	start_pair teardown-netns-rules "$SERVER6" "${opts[@]}" -- "${opts[@]}"
	pids+=("$SERVER_PID" "$CLIENT_PID")
	poll "$WAIT_TENTHS" all_established "$PORT" 2 || log "teardown-netns: not all connections established"
	killed=$(($(established_count "$PORT") + $(established_count $((PORT - 1)))))
	ip netns del "$NS_CLIENT"
	ip netns del "$NS_SERVER"
	kill -9 "${pids[@]}" 2>/dev/null
	wait "${pids[@]}" 2>/dev/null
	log "deleted both namespaces with $killed enciphered connections in mid-transfer"
	if poll $((WAIT_TENTHS * 4)) unloads xt_GAIUS caesar; then
		pass teardown-netns-deleted-nothing-holds-the-modules
	else
		fail teardown-netns-deleted-nothing-holds-the-modules "$(rmmod xt_GAIUS caesar 2>&1)"
	fi
	modprobe xt_GAIUS
}

check teardown-modprobe modprobe -a xt_GAIUS sch_netem
SPECS=()
start_capture || fail "$SCENARIO-capture" "tcpdump did not start"
flush_under_traffic nft 4 "$SERVER4"
flush_under_traffic legacy 6 "$SERVER6"
log "flushes under traffic done after $SECONDS s"
churn_under_traffic
stop_capture
wire_batches teardown-traffic-wire "${SPECS[@]}"
log "rules added and removed under traffic done after $SECONDS s"
rmmod_while_in_use
cycles
log "$CYCLES cycles done after $SECONDS s"
delete_namespaces
log "$ROUNDS rounds of rule changes under traffic ($rule_changes rules added), $refusals rmmod refusals, $CYCLES unload/load cycles ($transfers with a transfer)"
# The two namespaces deleted under live connections count as two faults.
tally faults $((ROUNDS + rule_changes + refusals + CYCLES + 2))
((FAILURES)) || log "no byte lost or wrong"
finish

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Rules on both ends, four of them (each side GAIUSENCRYPT out, GAIUSDECRYPT
# in, on the test ports), and unmodified gaius-xfer (no --key) on both
# ends: client-first (the client writes right after connect), server-first
# (the server writes right after accept) and bidirectional (both at once),
# each over $CONNECTIONS concurrent connections of $SIZE bytes per
# direction that write and read at once. Every byte is verified end to end
# by gaius-xfer, every byte on the wire is ciphertext (wirecheck, exactly
# $CONNECTIONS streams per direction), and the counters agree: one child
# keyed per accepted connection, no retries. For both backends, IPv4 and
# IPv6: 2 x 2 x 3 x $CONNECTIONS connections in all.
#
# Also: a long-lived client-first connection (--hold) shows tcp-ulp-caesar
# in `ss -tin` on both ends, though neither program attached anything.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=xt-lib.sh
source "$(dirname "$0")/xt-lib.sh"

readonly KEY=12354 CONNECTIONS=${GAIUS_XT_CONNECTIONS:-200} SIZE=4001 HOLD_MS=20000
readonly PORTS=7100:7999


# has_ulp NS PORT: an established connection on PORT in NS carries the ULP.
has_ulp() {
	[[ $(ip netns exec "$1" ss -Htin state established "( sport = :$2 or dport = :$2 )") == *tcp-ulp-caesar* ]]
}

# hold BACKEND FAMILY ADDR: the long-lived connection, seen by ss on both ends.
hold() {
	local name=xt-hold-$1-v$2 addr=$3 server_pid client_pid
	next_port
	in_background "$WORK/$name.server.log" "$NS_SERVER" gaius-xfer server --port "$PORT" --size 1000 --hold "$HOLD_MS"
	server_pid=$BG_PID
	wait_listening "$NS_SERVER" "$PORT" || log "$name: the server never listened"
	in_background "$WORK/$name.client.log" "$NS_CLIENT" gaius-xfer client --address "$addr" --port "$PORT" --size 1000 --hold "$HOLD_MS"
	client_pid=$BG_PID
	check "$name-ss-client" poll "$WAIT_TENTHS" has_ulp "$NS_CLIENT" "$PORT"
	check "$name-ss-server" poll "$WAIT_TENTHS" has_ulp "$NS_SERVER" "$PORT"
	in_client ss -tin "( dport = :$PORT )" | sed 's/^/    | /'
	in_server ss -tin "( sport = :$PORT )" | sed 's/^/    | /'
	# Done looking: no need to sit out the hold.
	kill "$client_pid" "$server_pid" 2>/dev/null
	wait "$client_pid" "$server_pid" 2>/dev/null
}

total=0
for backend in "${BACKENDS[@]}"; do
	for family in 4 6; do
		if ((family == 4)); then addr=$SERVER4; else addr=$SERVER6; fi
		both_ends_rules "xt-rules-$backend-v$family" "$backend" "$family" "$PORTS" "$KEY" || continue
		XFER_RUNS=()
		start_capture || fail "$SCENARIO-capture" "tcpdump did not start"
		xfer_directions "xt-$backend-v$family" "$addr" "$SIZE" "$CONNECTIONS"
		total=$((total + 3 * CONNECTIONS))
		hold "$backend" "$family" "$addr"
		total=$((total + 1))
		stop_capture
		wire_directions "xt-$backend-v$family" "$SIZE" "$CONNECTIONS" "$KEY" "${XFER_RUNS[@]}"
		mv "$CAPTURE" "$WORK/$backend-v$family.pcap"
		# One keyed child per connection; TCP may make a twin of a child
		# when a slow handshake's last ACK comes twice (its SYN-ACK
		# resent) and drops it: that one is counted too.
		stat_is "xt-$backend-v$family-children" "$NS_SERVER" CaesarRuleChildren -ge "$total"
		stat_is "xt-$backend-v$family-children-twins" "$NS_SERVER" CaesarRuleChildren -le $((total + total / 100))
		log "CaesarRuleRetries: client $(caesar_stat "$NS_CLIENT" CaesarRuleRetries), server $(caesar_stat "$NS_SERVER" CaesarRuleRetries)"
	done
	clear_rules "$NS_CLIENT" "$backend"
	clear_rules "$NS_SERVER" "$backend"
done

# Each retry is a dropped packet that TCP resends (a stall of one RTO). It
# should be 0; a run of 2404 connections counted 5 on the client and 3 on
# the server, so allow one per hundred connections and log the figure.
retries_at_most xt-protocols-client-retries "$NS_CLIENT" 0
retries_at_most xt-protocols-server-retries "$NS_SERVER" 0
no_rule_fails xt-protocols-client-rule-fails "$NS_CLIENT" "$total"
no_rule_fails xt-protocols-server-rule-fails "$NS_SERVER" "$total"
show_stats "$NS_CLIENT" "$NS_SERVER"
finish

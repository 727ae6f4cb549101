#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# A DNAT'ed connection to a local server is enciphered: the client connects
# to the server's port $FRONT, the server namespace DNATs it (nat
# PREROUTING) to its own address on the port gaius-xfer listens on. The
# server's rules name that post-NAT port (INPUT --dport, OUTPUT --sport:
# OUTPUT sees the reply before it is un-NATed), the client's the port it
# dialled. Unmodified gaius-xfer both ends, both directions, 20 concurrent
# connections of 100003 bytes each way: every byte verified, and the
# capture (pre-NAT, port $FRONT) only ciphertext. Both backends, IPv4 and
# IPv6.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=xt-lib.sh
source "$(dirname "$0")/xt-lib.sh"

readonly KEY=12354 FRONT=8080 SIZE=100003 CONNECTIONS=20

total=0
for backend in "${BACKENDS[@]}"; do
	for family in 4 6; do
		if ((family == 4)); then addr=$SERVER4 to=$SERVER4; else addr=$SERVER6 to="[$SERVER6]"; fi
		name=xt-nat-$backend-v$family
		seed=$((RANDOM % 1000 + 1))
		next_port
		rule "$name-rules" ipt "$NS_SERVER" "$backend" "$family" -t nat -A PREROUTING -p tcp --dport "$FRONT" \
			-j DNAT --to-destination "$to:$PORT"
		rule "$name-rules" ipt "$NS_SERVER" "$backend" "$family" -A INPUT -p tcp --dport "$PORT" -j GAIUSDECRYPT --key "$KEY"
		rule "$name-rules" ipt "$NS_SERVER" "$backend" "$family" -A OUTPUT -p tcp --sport "$PORT" -j GAIUSENCRYPT --key "$KEY"
		rule "$name-rules" ipt "$NS_CLIENT" "$backend" "$family" -A OUTPUT -p tcp --dport "$FRONT" -j GAIUSENCRYPT --key "$KEY"
		rule "$name-rules" ipt "$NS_CLIENT" "$backend" "$family" -A INPUT -p tcp --sport "$FRONT" -j GAIUSDECRYPT --key "$KEY"
		start_capture || fail "$name-capture" "tcpdump did not start"
		opts=(--size "$SIZE" --seed "$seed" --direction both --connections "$CONNECTIONS" --concurrent)
		in_background "$WORK/$name.server.log" "$NS_SERVER" gaius-xfer server --port "$PORT" "${opts[@]}"
		pid=$BG_PID
		wait_listening "$NS_SERVER" "$PORT" || log "$name: the server never listened"
		check "$name-client" in_client gaius-xfer client --address "$addr" --port "$FRONT" "${opts[@]}"
		check "$name-server" wait "$pid"
		show "$WORK/$name.server.log"
		total=$((total + CONNECTIONS))
		stop_capture
		for d in client-to-server server-to-client; do
			wire "$name-wire-$d" "$FRONT" --direction "$d" --seed "$seed" --size "$SIZE" --shift "$KEY" --streams "$CONNECTIONS"
		done
		check "$name-no-wire-on-the-inner-port" test -z "$(capture_text "tcp port $PORT")"
		mv "$CAPTURE" "$WORK/$name.pcap"
		stat_is "$name-children" "$NS_SERVER" CaesarRuleChildren -eq "$total"
		clear_rules "$NS_SERVER" "$backend"
		clear_rules "$NS_CLIENT" "$backend"
	done
done
show_stats "$NS_CLIENT" "$NS_SERVER"
finish

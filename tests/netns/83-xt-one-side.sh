#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Rules on one side only: the other side's program, which knows nothing of
# the key, reads the ciphertext, byte for byte (each byte + 66), and so does
# the capture.
#   1. client rules only (GAIUSENCRYPT out): gaius-xfer client sends
#      $SIZE bytes, a python3 server dumps what it reads;
#   2. server rules only (GAIUSENCRYPT out, server-first): gaius-xfer
#      server writes $SIZE bytes right after accept, a python3 client dumps.
# With the client's rules still there, a third namespace with no rules
# talking to the server over the same ports moves plaintext both ways. For
# both backends, IPv4 and IPv6.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=xt-lib.sh
source "$(dirname "$0")/xt-lib.sh"

readonly KEY=12354 SIZE=300007 PORTS=7100:7999

add_other_ns || fail "$SCENARIO-setup" "cannot create the third namespace"

# one_side NAME FAMILY ADDR SEED: case 1, then case 2, on fresh ports.
for backend in "${BACKENDS[@]}"; do
	for family in 4 6; do
		if ((family == 4)); then addr=$SERVER4 other=$OTHER_SERVER4; else addr=$SERVER6 other=$OTHER_SERVER6; fi
		name=xt-one-side-$backend-v$family
		seed=$((RANDOM % 1000 + 1))
		start_capture || fail "$name-capture" "tcpdump did not start"

		# 1. Client rules only.
		rule "$name-client-rules" ipt "$NS_CLIENT" "$backend" "$family" -A OUTPUT -p tcp --dport "$PORTS" -j GAIUSENCRYPT --key "$KEY"
		rule "$name-client-rules" ipt "$NS_CLIENT" "$backend" "$family" -A INPUT -p tcp --sport "$PORTS" -j GAIUSDECRYPT --key "$KEY"
		next_port
		port1=$PORT
		in_background "$WORK/$name-1.server.log" "$NS_SERVER" python3 "$PEER" server "$addr" "$PORT" "$WORK/$name-1.out" "$SIZE"
		pid=$BG_PID
		wait_listening "$NS_SERVER" "$PORT" || log "$name: the dump server never listened"
		check "$name-client-sends" in_client gaius-xfer client --address "$addr" --port "$PORT" --size "$SIZE" --seed "$seed"
		wait "$pid" || log "$name: the dump server exited non-zero"
		show "$WORK/$name-1.server.log"
		shifted_is "$name-server-reads-ciphertext" "$WORK/$name-1.out" "$seed" "$SIZE" "$KEY"

		# The third namespace, no rules, same ports, while the client's rules stand.
		other_xfer "$name-other-ns-plaintext" "$other" --size 100003 --seed "$seed" --direction both --connections 5 --concurrent
		stat_is "$name-other-ns-no-ulp" "$NS_OTHER" CaesarAttached -eq 0
		clear_rules "$NS_CLIENT" "$backend"

		# 2. Server rules only, the server writing first.
		rule "$name-server-rules" ipt "$NS_SERVER" "$backend" "$family" -A INPUT -p tcp --dport "$PORTS" -j GAIUSDECRYPT --key "$KEY"
		rule "$name-server-rules" ipt "$NS_SERVER" "$backend" "$family" -A OUTPUT -p tcp --sport "$PORTS" -j GAIUSENCRYPT --key "$KEY"
		next_port
		port2=$PORT
		in_background "$WORK/$name-2.server.log" "$NS_SERVER" gaius-xfer server --port "$PORT" --size "$SIZE" --seed "$seed" --direction server-to-client
		pid=$BG_PID
		wait_listening "$NS_SERVER" "$PORT" || log "$name: the server never listened"
		check "$name-client-dumps" in_client python3 "$PEER" dump "$addr" "$PORT" "$WORK/$name-2.out"
		check "$name-server-sends" wait "$pid"
		show "$WORK/$name-2.server.log"
		# Server to client is gaius-xfer's --seed + 1 stream.
		shifted_is "$name-client-reads-ciphertext" "$WORK/$name-2.out" $((seed + 1)) "$SIZE" "$KEY"
		clear_rules "$NS_SERVER" "$backend"

		stop_capture
		wire "$name-wire-client-rules" "$port1" --direction client-to-server --seed "$seed" --size "$SIZE" --shift "$KEY" --streams 1
		wire "$name-wire-server-rules" "$port2" --direction server-to-client --seed "$seed" --size "$SIZE" --shift "$KEY" --streams 1
		mv "$CAPTURE" "$WORK/$name.pcap"
	done
done
show_stats "$NS_CLIENT" "$NS_SERVER" "$NS_OTHER"
finish

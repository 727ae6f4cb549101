#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The README's example, as written: the client 192.0.2.1, source port 123,
# talks to the server 198.51.100.2, port 234, through unmodified programs
# (python3 sockets, no ULP, no key), with one rule on each side:
#
#   client: iptables -A OUTPUT -s 192.0.2.1 -p tcp --sport 123 -d 198.51.100.2 --dport 234 -j GAIUSENCRYPT --key 12354
#   server: iptables -A INPUT  -s 192.0.2.1 -p tcp --sport 123 -d 198.51.100.2 --dport 234 -j GAIUSDECRYPT --key 12354
#
# The server prints exactly what the client sent; the capture on the link
# holds only ciphertext (each byte + 66). The same in IPv6 with
# 2001:db8:1::1 -> 2001:db8:2::2, and all of it once with iptables-nft and
# once with iptables-legacy (the same 4-tuple each time: the server closes
# first, so the client's port is free again). Each run sends the demo's
# ABCDEFG and then 100000 bytes of gaius-xfer's payload.
#
# The two subnets sit on the one veth, each side with a device route to the
# other's: the link layer is all the example needs.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=xt-lib.sh
source "$(dirname "$0")/xt-lib.sh"

readonly KEY=12354 SPORT=123 DPORT=234
readonly C4=192.0.2.1 S4=198.51.100.2 C6=2001:db8:1::1 S6=2001:db8:2::2
readonly MESSAGE=ABCDEFG SEED=80 SIZE=100000
MARKER_ADDR=$S4

in_client ip -4 addr flush dev veth-c
in_server ip -4 addr flush dev veth-s
in_client ip addr add "$C4/24" dev veth-c
in_server ip addr add "$S4/24" dev veth-s
in_client ip addr add "$C6/64" dev veth-c nodad
in_server ip addr add "$S6/64" dev veth-s nodad
in_client ip route add 198.51.100.0/24 dev veth-c
in_server ip route add 192.0.2.0/24 dev veth-s
in_client ip -6 route add 2001:db8:2::/64 dev veth-c
in_server ip -6 route add 2001:db8:1::/64 dev veth-s

printf '%s' "$MESSAGE" >"$WORK/message"
gaius-xfer payload --seed "$SEED" --size "$SIZE" >"$WORK/payload"

# example NAME SERVER-ADDR CLIENT-ADDR FILE: one connection of the example
# moving FILE; PASS when the server got exactly FILE.
example() {
	local name=$1 saddr=$2 caddr=$3 file=$4 size server_pid
	size=$(stat -c %s "$file")
	in_background "$WORK/$name.server.log" "$NS_SERVER" python3 "$PEER" server "$saddr" "$DPORT" "$WORK/$name.out" "$size"
	server_pid=$BG_PID
	if ! wait_listening "$NS_SERVER" "$DPORT"; then
		fail "$name" "the server never listened: $(tail_line "$WORK/$name.server.log")"
		return
	fi
	if ! in_client python3 "$PEER" client "$saddr" "$DPORT" "$file" "$caddr" "$SPORT" >"$WORK/$name.client.log" 2>&1; then
		fail "$name" "client: $(tail_line "$WORK/$name.client.log")"
	fi
	wait "$server_pid" || log "$name: the server exited non-zero"
	show "$WORK/$name.server.log"
	if cmp -s "$file" "$WORK/$name.out"; then
		pass "$name"
	else
		fail "$name" "the server got $(stat -c %s "$WORK/$name.out" 2>/dev/null || echo no) bytes, not those sent ($size)"
	fi
}

keys=0
for backend in "${BACKENDS[@]}"; do
	for family in 4 6; do
		if ((family == 4)); then
			c=$C4 s=$S4
		else
			c=$C6 s=$S6
		fi
		name=xt-example-$backend-v$family
		rule "$name-client-rule" ipt "$NS_CLIENT" "$backend" "$family" -A OUTPUT -s "$c" -p tcp --sport "$SPORT" \
			-d "$s" --dport "$DPORT" -j GAIUSENCRYPT --key "$KEY"
		rule "$name-server-rule" ipt "$NS_SERVER" "$backend" "$family" -A INPUT -s "$c" -p tcp --sport "$SPORT" \
			-d "$s" --dport "$DPORT" -j GAIUSDECRYPT --key "$KEY"
		start_capture || fail "$name-capture" "tcpdump did not start"
		example "$name-message" "$s" "$c" "$WORK/message"
		log "$name: the server printed: $(cat "$WORK/$name-message.out" 2>/dev/null)"
		stop_capture
		# The client's one stream, all ciphertext (wirecheck also reports
		# how many bytes equal the plaintext); nothing from the server.
		wire "$name-message-wire" "$DPORT" --message "$MESSAGE" --shift "$KEY" --streams 1
		mv "$CAPTURE" "$WORK/$name-message.pcap"
		start_capture || fail "$name-capture" "tcpdump did not start"
		example "$name-payload" "$s" "$c" "$WORK/payload"
		stop_capture
		wire "$name-payload-wire" "$DPORT" --seed "$SEED" --size "$SIZE" --shift "$KEY" --streams 1
		mv "$CAPTURE" "$WORK/$name-payload.pcap"
	done
	keys=$((keys + 4))
	# One TX key per connection on the client, from its SYN.
	stat_is "xt-example-$backend-client-keys" "$NS_CLIENT" CaesarRuleKeys -eq "$keys"
	clear_rules "$NS_CLIENT" "$backend"
	clear_rules "$NS_SERVER" "$backend"
done

# At least one keyed child per connection: two CPUs may each make a child
# for one handshake, and the one TCP then discards was keyed too (seen once
# on 6.1: 9 for 8 connections, every byte still right).
stat_is xt-example-server-children "$NS_SERVER" CaesarRuleChildren -ge 8
# CaesarRuleFails: see no_rule_fails in xt-lib.sh.
no_rule_fails xt-example-server-rule-fails "$NS_SERVER" 8
no_rule_fails xt-example-client-rule-fails "$NS_CLIENT" 8
show_stats "$NS_CLIENT" "$NS_SERVER"
finish

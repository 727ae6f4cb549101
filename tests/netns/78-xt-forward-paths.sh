#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Forwarded connections through fwd-lib.sh's two gateways, in what a
# gateway meets besides plain routing; nft backend, IPv4, both gateways'
# rules as in 79's first case:
#   1. NAT on both gateways: gwA masquerades the client behind its wan
#      address, gwB forwards a port of its own (DNAT) to the server; the
#      client connects to gwB. Every byte verified at both ends, the wan
#      carries ciphertext both ways.
#   2. A flowtable in gwA that offloads every TCP connection it may: the
#      keyed connection is never offloaded (conntrack -L shows no
#      [OFFLOAD]) and stays enciphered on the wan.
#   3. A keyed connection, held open, behind an ESTABLISHED accept rule:
#      of three segments injected far outside its window, one at least is
#      beyond it, which conntrack does not track, and gwA drops it
#      (CaesarFwdUntracked) rather than pass it on; the connection still
#      moves its bytes afterwards.
#   4. gwA's namespace deleted under a keyed transfer: the kernel log stays
#      clean, and the module references the keyed entries held (one each)
#      go with them, so that xt_GAIUS holds no more than it did before.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=xt-lib.sh
source "$(dirname "$0")/xt-lib.sh"
# shellcheck source=fwd-lib.sh
source "$(dirname "$0")/fwd-lib.sh"

readonly SIZE=60013 HOLD_MS=20000 B=nft F=4
readonly GWB_WAN4=203.0.113.2
TABLE=filter

# 1. MASQUERADE in gwA, DNAT of gwB's own port to the server.
case_nat() {
	local name=$1 seed opts
	seed=$((RANDOM % 1000 + 1))
	rule "$name-nat" ipt "$NS_GWA" "$B" "$F" -t nat -A POSTROUTING -o wan -j MASQUERADE
	rule "$name-nat" ipt "$NS_GWB" "$B" "$F" -t nat -A PREROUTING -i wan -p tcp --dport "$PORTS" \
		-j DNAT --to-destination "$FWD_SERVER4"
	# By port: gwA sees gwB's address as the destination, gwB the server's.
	rule "$name-rules" ipt "$NS_GWA" "$B" "$F" -A FORWARD -i lan -o wan -p tcp --dport "$PORTS" -j GAIUSENCRYPT --key "$KEY1"
	rule "$name-rules" ipt "$NS_GWA" "$B" "$F" -A FORWARD -i wan -o lan -p tcp --sport "$PORTS" -j GAIUSDECRYPT --key "$KEY2"
	rule "$name-rules" ipt "$NS_GWB" "$B" "$F" -A FORWARD -i wan -o lan -p tcp --dport "$PORTS" -j GAIUSDECRYPT --key "$KEY1"
	rule "$name-rules" ipt "$NS_GWB" "$B" "$F" -A FORWARD -i lan -o wan -p tcp --sport "$PORTS" -j GAIUSENCRYPT --key "$KEY2"
	opts=(--size "$SIZE" --seed "$seed" --direction both)
	xfer "$name" "$GWB_WAN4" "${opts[@]}" -- "${opts[@]}"
	wire_spec "$PORT" --direction client-to-server --seed "$seed" --size "$SIZE" --shift "$KEY1" --streams 1
	wire_spec "$PORT" --direction server-to-client --seed "$seed" --size "$SIZE" --shift "$KEY2" --streams 1
	flush_forward "$B" "$NS_GWA" "$NS_GWB"
}

# 2. A flowtable in gwA next to the rules.
offloaded() {
	in_gwa conntrack -L -p tcp --dport "$1" 2>/dev/null | grep -q OFFLOAD
}

case_flowtable() {
	local name=$1 seed opts
	seed=$((RANDOM % 1000 + 1))
	in_gwa nft -f - <<-EOF || fail "$name-flowtable" "nft refused the flowtable"
		table inet gaius_ft {
			flowtable ft { hook ingress priority 0; devices = { lan, wan }; }
			chain forward {
				type filter hook forward priority 10;
				meta l4proto tcp flow add @ft
			}
		}
	EOF
	both_gateways "$name-rules" "$B" "$F"
	opts=(--size "$SIZE" --seed "$seed" --direction both)
	xfer "$name" "$FWD_SERVER4" "${opts[@]}" -- "${opts[@]}"
	wire_spec "$PORT" --direction client-to-server --seed "$seed" --size "$SIZE" --shift "$KEY1" --streams 1
	wire_spec "$PORT" --direction server-to-client --seed "$seed" --size "$SIZE" --shift "$KEY2" --streams 1
	if offloaded "$PORT"; then
		fail "$name-not-offloaded" "gwA offloaded the keyed connection"
	else
		pass "$name-not-offloaded"
	fi
	flush_forward "$B" "$NS_GWA" "$NS_GWB"
}

# held NAME SEED [OPTIONS...]: a connection on a fresh port, both ways,
# held open once its bytes have moved; its programs' pids in SERVER_PID
# and CLIENT_PID.
holding() {
	grep -q 'holding' "$WORK/$1.client.log"
}

held() {
	local name=$1 opts
	next_port
	opts=(--port "$PORT" --size "$SIZE" --seed "$2" --direction both --hold "$HOLD_MS" "${@:3}")
	in_background "$WORK/$name.server.log" "$NS_SERVER" gaius-xfer server "${opts[@]}"
	SERVER_PID=$BG_PID
	wait_listening "$NS_SERVER" "$PORT" || log "$name: the server never listened"
	in_background "$WORK/$name.client.log" "$NS_CLIENT" gaius-xfer client --address "$FWD_SERVER4" "${opts[@]}"
	CLIENT_PID=$BG_PID
	poll "$WAIT_TENTHS" holding "$name" || log "$name: the client never held its connection"
}

# 3. Out-of-window segments of a held, keyed connection.

case_untracked() {
	local name=$1 ns sport before
	for ns in "$NS_GWA" "$NS_GWB"; do
		rule "$name-rules" ipt "$ns" "$B" "$F" -I FORWARD 1 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
	done
	both_gateways "$name-rules" "$B" "$F"
	held "$name" 78
	sport=$(in_client ss -Htn "dport = :$PORT" | awk '{ split($4, a, ":"); print a[2]; exit }')
	before=$(snap "$NS_GWA")
	check "$name-inject" in_client python3 "$GAIUS_BUILD/tests/tcp_inject.py" \
		"$CLIENT4" "$FWD_SERVER4" "$sport" "$PORT" gaius-untracked-plaintext
	tally bad-inputs 3
	delta_is "$name-dropped" CaesarFwdUntracked "$before" "$(snap "$NS_GWA")" -ge 1
	# Every byte verified at both ends. (The wan is not checked: conntrack
	# passes on, as it does any segment below the window, those of the
	# injected ones that fell there, and they are not of the stream.)
	check "$name-client" wait "$CLIENT_PID"
	check "$name-server" wait "$SERVER_PID"
	flush_forward "$B" "$NS_GWA" "$NS_GWB"
}

# 4. gwA deleted under a keyed transfer.
module_refs() {
	cat /sys/module/xt_GAIUS/refcnt
}

refs_at_most() {
	(($(module_refs) <= $1))
}

case_netns_deleted() {
	local name=$1 refs
	refs=$(module_refs)
	both_gateways "$name-rules" "$B" "$F"
	held "$name" 79 --reset
	log "$name: xt_GAIUS held $refs times before the rules, $(module_refs) with them and the connection"
	check "$name-deleted" ip netns del "$NS_GWA"
	tally faults 1
	kill "$CLIENT_PID" "$SERVER_PID" 2>/dev/null
	wait "$CLIENT_PID" "$SERVER_PID" 2>/dev/null
	flush_forward "$B" "$NS_GWB"
	check "$name-flush-gwb" ct_flush "$NS_GWB"
	# A namespace goes in the background, its conntrack entries with it.
	if poll "$WAIT_TENTHS" refs_at_most "$refs"; then
		pass "$name-references-gone"
	else
		fail "$name-references-gone" "xt_GAIUS held $(module_refs) times, $refs before the rules"
	fi
}

if ! setup_forward; then
	fail "$SCENARIO-setup" "cannot build the four namespaces and their links"
	exit 1
fi
start_capture || fail "$SCENARIO-capture" "tcpdump did not start"
case_nat xt-forward-nat
case_flowtable xt-forward-flowtable
case_untracked xt-forward-untracked
end_capture xt-forward-paths
stat_is xt-forward-paths-no-errors "$NS_GWA" CaesarFwdErrors -eq 0
# Last: it takes gwA away.
case_netns_deleted xt-forward-netns-deleted
log "$SECONDS s in all"
finish

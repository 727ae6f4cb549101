#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Rules added to connections that are already open (midstream.py holds both
# ends of each): the connection carries plaintext first, goes idle, the
# rules come, and each matched direction switches at a sequence number.
#   write  both directions, switched by a one-segment write and its ACK
#   ack    client->server, switched by the client's ACKs of server data
#   bulk   client->server, switched inside a 256 KiB write: the rest of
#          that write is enciphered in the packets (CaesarHookBytes)
#   fresh  client->server, a connection that carried nothing before
#   rekey  both directions keyed from the start, then given another key
#   blocked client->server, the server blocked in a read (TCP's own) from
#          before the rules: the packets bring it deciphered bytes
# Each time: every byte read equals what was written, and the capture shows
# exactly the old key (or plaintext) before the switch and the new one from
# it on. Both backends, IPv4 and IPv6.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=xt-lib.sh
source "$(dirname "$0")/xt-lib.sh"

readonly KEY=12354 OLD_KEY=777
readonly CASES=(write ack bulk fresh rekey blocked)

# Shell text that adds one rule: NS BACKEND FAMILY ARGS...
rule_text() {
	local ns=$1 backend=$2 family=$3 cmd=iptables
	shift 3
	((family == 6)) && cmd=ip6tables
	printf 'ip netns exec %q %q' "$ns" "$cmd-$backend"
	printf ' %q' "$@"
	printf ';\n'
}

# rules_text CASE BACKEND FAMILY ADDR PORT KEY: the rules a case adds, the
# receiving end's first for one direction, the sending end's for the other.
rules_text() {
	local case=$1 backend=$2 family=$3 addr=$4 port=$5 key=$6
	local srv=("$NS_SERVER" "$backend" "$family") cli=("$NS_CLIENT" "$backend" "$family")
	rule_text "${srv[@]}" -A INPUT -p tcp --dport "$port" -j GAIUSDECRYPT --key "$key"
	rule_text "${cli[@]}" -A OUTPUT -p tcp -d "$addr" --dport "$port" -j GAIUSENCRYPT --key "$key"
	[[ $case == write || $case == rekey ]] || return 0
	rule_text "${srv[@]}" -A OUTPUT -p tcp --sport "$port" -j GAIUSENCRYPT --key "$key"
	rule_text "${cli[@]}" -A INPUT -p tcp -s "$addr" --sport "$port" -j GAIUSDECRYPT --key "$key"
}

# flush_text BACKEND FAMILY: shell text that empties INPUT and OUTPUT of
# both namespaces.
flush_text() {
	local ns chain
	for ns in "$NS_SERVER" "$NS_CLIENT"; do
		for chain in INPUT OUTPUT; do
			rule_text "$ns" "$1" "$2" -F "$chain"
		done
	done
}

# wire_direction NAME PORT DIR: the capture against midstream.py's record
# of direction DIR (c2s or s2c) of the connection on PORT.
wire_direction() {
	local name=$1 port=$2 dir=$3 out=$WORK/$1 how=(--plaintext)
	local direction=client-to-server
	[[ $dir == s2c ]] && direction=server-to-client
	[[ -f $out/$dir.switch ]] && how=(--switch-file "$out/$dir.switch")
	wire "$name-wire-$dir" "$port" --direction "$direction" --data-file "$out/$dir.data" \
		"${how[@]}" --streams 1
}

# one_case NAME CASE BACKEND FAMILY ADDR: a fresh port, the rules (and for
# rekey the old ones first), midstream.py; sets $CASE_PORT.
one_case() {
	local name=$1 case=$2 backend=$3 family=$4 addr=$5 rules old=()
	next_port
	CASE_PORT=$PORT
	mkdir -p "$WORK/$name"
	rules=$(rules_text "$case" "$backend" "$family" "$addr" "$PORT" "$KEY")
	if [[ $case == rekey ]]; then
		bash -c "$(rules_text "$case" "$backend" "$family" "$addr" "$PORT" "$OLD_KEY")" ||
			log "$name: the old rules did not go in"
		rules="$(flush_text "$backend" "$family") $rules"
		old=(--old-key "$OLD_KEY")
	fi
	check "$name" midstream.py "$case" --client-ns "$NS_CLIENT" --server-ns "$NS_SERVER" \
		--addr "$addr" --port "$PORT" --key "$KEY" "${old[@]}" --rules "$rules" \
		--out "$WORK/$name" --seed "$PORT"
	clear_rules "$NS_SERVER" "$backend"
	clear_rules "$NS_CLIENT" "$backend"
}

for backend in "${BACKENDS[@]}"; do
	for family in 4 6; do
		if ((family == 4)); then addr=$SERVER4; else addr=$SERVER6; fi
		start_capture || fail "xt-midstream-$backend-v$family-capture" "tcpdump did not start"
		ports=()
		for case in "${CASES[@]}"; do
			one_case "xt-midstream-$case-$backend-v$family" "$case" "$backend" "$family" "$addr"
			ports+=("$CASE_PORT")
		done
		stop_capture
		for i in "${!CASES[@]}"; do
			name=xt-midstream-${CASES[i]}-$backend-v$family
			wire_direction "$name" "${ports[i]}" c2s
			wire_direction "$name" "${ports[i]}" s2c
		done
	done
done

# Per backend and family, the client switches 8 times (its two directions
# in write and rekey, one in the others); bulk and fresh go through the
# transmit hook, blocked through the receive one. How many bytes each takes
# depends on timing (the program's first send() after the rules takes what
# fits in the socket's buffer, the blocked recv() returns with what came
# first): at least a page each.
show_stats "$NS_CLIENT" "$NS_SERVER"
stat_is xt-midstream-client-switches "$NS_CLIENT" CaesarRuleSwitches -ge 32
stat_is xt-midstream-hook-sockets "$NS_CLIENT" CaesarHookSockets -ge 8
stat_is xt-midstream-hook-tx-bytes "$NS_CLIENT" CaesarHookBytes -ge $((8 * 4096))
stat_is xt-midstream-hook-rx-bytes "$NS_SERVER" CaesarHookBytes -ge $((4 * 4096))
no_rule_fails xt-midstream-client-no-fails "$NS_CLIENT" 20
no_rule_fails xt-midstream-server-no-fails "$NS_SERVER" 20

finish

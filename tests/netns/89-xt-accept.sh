#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Children that a GAIUSDECRYPT rule keys where accept() cannot give them
# caesar's file ops, and that must still be caesar sockets through and
# through once the program has them:
#   blocked  the server's thread waits in accept() before the first SYN
#            comes, so it took the listener's ops while they were TCP's;
#   queued   a rule matching only data packets keys the child while it
#            waits in the accept queue of a listener no rule took over,
#            where it has no file to carry the ops.
# Each time the client attaches the ULP itself and sends a message; the
# server reads it with splice() (TCP's splice would read ciphertext), and
# then listen() on the child, after connect(AF_UNSPEC), is refused: its
# children would be cloned with caesar's proto and no context of their own.
# The capture holds the message enciphered. Both backends, IPv4 and IPv6.
#
# Then a listener a rule (IPv4 clients only) took over, with a keyed child
# and a plain one (IPv6), which carries caesar's ULP ops with TCP's proto:
#   sockmap  a BPF sockmap refuses the keyed child; the plain child and
#            the listener are refused or come back from it whole (the
#            kernel log check would see the warning of a proto left behind);
#   taken    rules for IPv6 come while the plain child is open and idle:
#            they key it from its first byte, and its message arrives
#            whole, enciphered on the wire.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=xt-lib.sh
source "$(dirname "$0")/xt-lib.sh"

readonly KEY=12354 PORTS=7100:7999
MESSAGE=$(accept_paths.py message)
readonly MESSAGE

# The server $1's main thread is asleep in accept().
in_accept() {
	[[ $(cat "/proc/$1/wchan" 2>/dev/null) == inet_csk_accept ]]
}

# A rule in the server's namespace has switched more than $1 directions.
switched_since() {
	(($(caesar_stat "$NS_SERVER" CaesarRuleSwitches) > $1))
}

# accepted NAME MODE ADDR: one connection in MODE to ADDR on a fresh $PORT.
accepted() {
	local name=$1 mode=$2 addr=$3 server_pid client_pid status=0 go=$WORK/$1.go
	next_port
	in_background "$WORK/$name.server.log" "$NS_SERVER" \
		env ACCEPT_GO="$go" accept_paths.py server "$mode" "$PORT" "$KEY"
	server_pid=$BG_PID
	if ! wait_listening "$NS_SERVER" "$PORT"; then
		fail "$name" "the server never listened on port $PORT"
		return 1
	fi
	if [[ $mode == blocked ]] && ! poll "$WAIT_TENTHS" in_accept "$server_pid"; then
		fail "$name" "the server never blocked in accept()"
		return 1
	fi
	in_background "$WORK/$name.client.log" "$NS_CLIENT" accept_paths.py client "$addr" "$PORT" "$KEY"
	client_pid=$BG_PID
	if [[ $mode == queued ]]; then
		poll "$WAIT_TENTHS" switched_since "$switches" ||
			log "$name: no rule keyed the queued child"
		touch "$go"
	fi
	wait "$server_pid" || status=1
	wait "$client_pid" || status=1
	report_pair "$name" "$status"
}

for backend in "${BACKENDS[@]}"; do
	for family in 4 6; do
		if ((family == 4)); then addr=$SERVER4; else addr=$SERVER6; fi
		name=xt-accept-$backend-v$family
		start_capture || fail "$name-capture" "tcpdump did not start"

		rule "$name-rule" ipt "$NS_SERVER" "$backend" "$family" -A INPUT -p tcp --dport "$PORTS" \
			-j GAIUSDECRYPT --key "$KEY"
		accepted "$name-blocked" blocked "$addr"
		blocked=$PORT
		clear_rules "$NS_SERVER" "$backend"

		# Data packets only: not the SYN, nor the handshake's last ACK,
		# which would take the listener over.
		rule "$name-rule" ipt "$NS_SERVER" "$backend" "$family" -A INPUT -p tcp --dport "$PORTS" \
			-m length --length 100:65535 -j GAIUSDECRYPT --key "$KEY"
		switches=$(caesar_stat "$NS_SERVER" CaesarRuleSwitches)
		accepted "$name-queued" queued "$addr"
		queued=$PORT
		clear_rules "$NS_SERVER" "$backend"

		stop_capture
		wire "$name-blocked-wire" "$blocked" --message "$MESSAGE" --shift "$KEY" --streams 1
		wire "$name-queued-wire" "$queued" --message "$MESSAGE" --shift "$KEY" --streams 1
		mv "$CAPTURE" "$WORK/$name.pcap"
	done
done

# sockmap_children BACKEND: the sockmap case, on a fresh $PORT.
sockmap_children() {
	local name=xt-accept-sockmap-$1 server_pid client_pid status=0
	next_port
	rule "$name-rule" ipt "$NS_SERVER" "$1" 4 -A INPUT -p tcp -s "$CLIENT4" --dport "$PORT" \
		-j GAIUSDECRYPT --key "$KEY"
	in_background "$WORK/$name.server.log" "$NS_SERVER" sockmap_paths.py server "$PORT"
	server_pid=$BG_PID
	if ! wait_listening "$NS_SERVER" "$PORT"; then
		fail "$name" "the server never listened on port $PORT"
		return 1
	fi
	# The server answers both once it has both.
	in_background "$WORK/$name.client4.log" "$NS_CLIENT" sockmap_paths.py client "$SERVER4" "$PORT" "$KEY"
	client_pid=$BG_PID
	in_client sockmap_paths.py client "$SERVER6" "$PORT" 0 >"$WORK/$name.client.log" 2>&1 || status=1
	wait "$client_pid" || status=1
	cat "$WORK/$name.client4.log" >>"$WORK/$name.client.log"
	wait "$server_pid" || status=1
	report_pair "$name" "$status"
	clear_rules "$NS_SERVER" "$1"
}

# The server's namespace has a connection on port $1 from $2.
connected_from() {
	local addr=$2
	[[ $addr == *:* ]] && addr="[$addr]"
	[[ -n $(in_server ss -Htn state connected "( sport = :$1 and dst $addr )") ]]
}

# taken_child BACKEND: the taken case, on a fresh $PORT.
taken_child() {
	local name=xt-accept-taken-$1 server_pid client_pid client6_pid status=0
	local go=$WORK/xt-accept-taken-$1.go
	next_port
	rule "$name-rule" ipt "$NS_SERVER" "$1" 4 -A INPUT -p tcp -s "$CLIENT4" --dport "$PORT" \
		-j GAIUSDECRYPT --key "$KEY"
	in_background "$WORK/$name.server.log" "$NS_SERVER" accept_paths.py server taken "$PORT" "$KEY"
	server_pid=$BG_PID
	if ! wait_listening "$NS_SERVER" "$PORT"; then
		fail "$name" "the server never listened on port $PORT"
		return 1
	fi
	# The server reads both once it has both.
	in_background "$WORK/$name.client.log" "$NS_CLIENT" accept_paths.py client "$SERVER4" "$PORT" "$KEY"
	client_pid=$BG_PID
	poll "$WAIT_TENTHS" connected_from "$PORT" "$CLIENT4" || log "$name: the IPv4 connection never came up"
	in_background "$WORK/$name.client6.log" "$NS_CLIENT" env ACCEPT_GO="$go" \
		accept_paths.py client "$SERVER6" "$PORT" 0
	client6_pid=$BG_PID
	poll "$WAIT_TENTHS" connected_from "$PORT" "$CLIENT6" || log "$name: the IPv6 connection never came up"
	# The receiving end's rule first, while the direction is idle.
	rule "$name-rule6" ipt "$NS_SERVER" "$1" 6 -A INPUT -p tcp -s "$CLIENT6" --dport "$PORT" \
		-j GAIUSDECRYPT --key "$KEY"
	rule "$name-rule6" ipt "$NS_CLIENT" "$1" 6 -A OUTPUT -p tcp -d "$SERVER6" --dport "$PORT" \
		-j GAIUSENCRYPT --key "$KEY"
	touch "$go"
	wait "$client_pid" || status=1
	wait "$client6_pid" || status=1
	cat "$WORK/$name.client6.log" >>"$WORK/$name.client.log"
	wait "$server_pid" || status=1
	report_pair "$name" "$status"
	TAKEN_PORTS+=("$PORT")
	clear_rules "$NS_SERVER" "$1"
	clear_rules "$NS_CLIENT" "$1"
}

TAKEN_PORTS=()
start_capture || fail "xt-accept-taken-capture" "tcpdump did not start"
for backend in "${BACKENDS[@]}"; do
	sockmap_children "$backend"
	taken_child "$backend"
done
stop_capture
for port in "${TAKEN_PORTS[@]}"; do
	wire "xt-accept-taken-$port-wire" "$port" --message "$MESSAGE" --shift "$KEY" --streams 2
done

no_rule_fails xt-accept-server-rule-fails "$NS_SERVER" 12
show_stats "$NS_SERVER"
finish

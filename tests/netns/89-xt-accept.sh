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

no_rule_fails xt-accept-server-rule-fails "$NS_SERVER" 8
show_stats "$NS_SERVER"
finish

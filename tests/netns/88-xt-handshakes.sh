#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Handshakes that take other paths, with the rules on both ends and programs
# that attach nothing themselves:
# - TCP Fast Open, by sendto(MSG_FASTOPEN) and by TCP_FASTOPEN_CONNECT: the
#   client's SYN carries bytes that TCP copied as plaintext before the SYN
#   reached OUTPUT; GAIUSENCRYPT enciphers them in the packet (and in every
#   retransmission), the server's child deciphers them. The capture shows
#   the SYN's data, enciphered.
# - SYN cookies (tcp_syncookies=2: every SYN answered with a cookie): the
#   SYN-ACK has no socket, the listener keeps its key for the child the
#   cookie makes. Client-first, server-first and both at once, over
#   $CONNECTIONS concurrent connections each, every byte verified and
#   ciphertext on the wire.
# Both backends, IPv4 and IPv6.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=xt-lib.sh
source "$(dirname "$0")/xt-lib.sh"

readonly KEY=12354 CONNECTIONS=${GAIUS_XT_CONNECTIONS:-20} SIZE=30011
readonly PORTS=7100:7999
MESSAGE=$(special_paths.py message)
readonly MESSAGE

# fast_open BACKEND: both Fast Open modes, one per family.
fast_open() {
	local b=$1 sendto connect
	in_server sysctl -qw net.ipv4.tcp_fastopen=0x207
	in_client sysctl -qw net.ipv4.tcp_fastopen=0x207
	start_capture || fail "$SCENARIO-capture" "tcpdump did not start"
	special "xt-fastopen-sendto-$b-v4" fastopen "$SERVER4" 0
	sendto=$PORT
	special "xt-fastopen-connect-$b-v6" tfo-connect "$SERVER6" 0
	connect=$PORT
	stop_capture
	wire "xt-fastopen-sendto-$b-v4-wire" "$sendto" --message "$MESSAGE" --shift "$KEY" --streams 1
	wire "xt-fastopen-connect-$b-v6-wire" "$connect" --message "$MESSAGE" --shift "$KEY" --streams 1
	check "xt-fastopen-sendto-$b-v4-data-in-syn" syn_has_data "$sendto"
	check "xt-fastopen-connect-$b-v6-data-in-syn" syn_has_data "$connect"
	in_server sysctl -qw net.ipv4.tcp_fastopen=1
	in_client sysctl -qw net.ipv4.tcp_fastopen=1
}

# show_resets PORT: for each connection to PORT that saw a RST, its first
# packets as the capture has them (a cookie connection reset by the server
# once failed under the debug kernel; this says in which order its
# handshake ACK and data reached the server) and TCP's SYN cookie counts.
show_resets() {
	local client
	# By the printed flags: tcp[tcpflags] reads the IPv4 header only, and
	# tcpdump compiles it for IPv6 to a filter that rejects every packet.
	tcpdump -nr "$CAPTURE" "tcp port $1" 2>/dev/null |
		awk -v port="$1" '/Flags \[R/ { sub(/.*\./, "", $3); sub(/:$/, "", $5); sub(/.*\./, "", $5)
			print ($3 == port ? $5 : $3) }' | sort -u |
		while read -r client; do
			log "reset: port $1, client port $client, the first packets:"
			tcpdump -nr "$CAPTURE" -tt "tcp port $1 and tcp port $client" 2>/dev/null | head -n 24 | sed 's/^/    | /'
		done
	in_server nstat -asz TcpExtSyncookiesRecv TcpExtSyncookiesFailed TcpExtListenOverflows | sed 's/^/    | /'
}

# syn_cookies BACKEND FAMILY ADDR: the three protocols, every SYN cookied.
#
# The programs run on one CPU. A cookie checks only against the sequence
# number of the handshake's last ACK, so a client data segment that reaches
# the listener before that ACK is answered with a reset: TCP's own
# behaviour, with or without gaius. veth queues a packet on the backlog of
# the CPU that sent it, and 6.1 leaves that backlog to ksoftirqd while
# ksoftirqd runs: under load the ACK, sent on one CPU, can wait there while
# the client, woken on the other CPU, sends its data. On one CPU the
# backlog is one queue in the order the client sent.
syn_cookies() {
	local b=$1 f=$2 addr=$3 port mask XFER_RUNS=() XFER_FAILED=()
	in_server sysctl -qw net.ipv4.tcp_syncookies=2
	start_capture || fail "$SCENARIO-capture" "tcpdump did not start"
	mask=$(taskset -p $$ | awk '{ print $NF }')
	taskset -p 1 $$ >/dev/null
	xfer_directions "xt-cookies-$b-v$f" "$addr" "$SIZE" "$CONNECTIONS"
	taskset -p "$mask" $$ >/dev/null
	stop_capture
	for port in "${XFER_FAILED[@]}"; do
		show_resets "$port"
	done
	in_server sysctl -qw net.ipv4.tcp_syncookies=1
	wire_directions "xt-cookies-$b-v$f" "$SIZE" "$CONNECTIONS" "$KEY" "${XFER_RUNS[@]}"
}

for backend in "${BACKENDS[@]}"; do
	for family in 4 6; do
		both_ends_rules "xt-handshakes-rules-$backend-v$family" "$backend" "$family" "$PORTS" "$KEY"
	done
	fast_open "$backend"
	for family in 4 6; do
		if ((family == 4)); then addr=$SERVER4; else addr=$SERVER6; fi
		syn_cookies "$backend" "$family" "$addr"
	done
	clear_rules "$NS_CLIENT" "$backend"
	clear_rules "$NS_SERVER" "$backend"
done

# The SYN cookies were sent and validated: TCP counts them (and what it
# dropped, to tell a lost handshake from a lost key).
cookies=$(in_server nstat -az TcpExtSyncookiesRecv | awk '/SyncookiesRecv/ { print $2 }')
log "TcpExtSyncookiesRecv: $cookies"
in_server nstat -az TcpExtSyncookiesFailed TcpExtListenOverflows TcpExtListenDrops TcpExtTCPReqQFullDrop |
	sed 's/^/    | /'

check xt-cookies-were-used test "${cookies:-0}" -ge $((2 * 2 * 3 * CONNECTIONS))
show_stats "$NS_CLIENT" "$NS_SERVER"
no_rule_fails xt-handshakes-client-no-fails "$NS_CLIENT" "$((2 * 2 * 3 * CONNECTIONS + 4))"
no_rule_fails xt-handshakes-server-no-fails "$NS_SERVER" "$((2 * 2 * 3 * CONNECTIONS + 4))"
stat_is xt-fastopen-hook-sockets "$NS_CLIENT" CaesarHookSockets -ge 4

finish

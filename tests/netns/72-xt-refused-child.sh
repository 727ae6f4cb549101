#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# A child that rules key (GAIUSDECRYPT on the server's INPUT, GAIUSENCRYPT
# on its OUTPUT) but whose context cannot be made, when the allocation in
# caesar_clone() fails, must carry no byte: neither the client's ciphertext
# to the program nor the program's plaintext to the wire. The allocation is
# made to fail with tests/kmod's gaius_fail_alloc (Debian's kernels have no
# fault injection) while the connection is made. For each way a program
# moves bytes (refused_child.py's modes read, write, sockopt, splice,
# sendfile), the call fails with ECONNABORTED and reads nothing, the client
# reads nothing and its connection is reset, and the capture holds no byte
# from the server; the module counts one failed allocation per child, and
# CaesarRuleFails counts them too. Then, with the module unloaded, the same
# rules and the same client carry MESSAGE and REPLY, enciphered (the
# control: with a context the bytes flow, so the checks above see them when
# there are any). IPv4 with iptables-nft and rules that see every packet;
# IPv6 with iptables-legacy and an "ESTABLISHED first" INPUT chain, where
# only the SYN reaches GAIUSDECRYPT, so that a child left plain would never
# be keyed later and the program would read the client's ciphertext.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=xt-lib.sh
source "$(dirname "$0")/xt-lib.sh"

readonly KEY=12354 PORTS=7100:7999
readonly MODES=(read write sockopt splice sendfile)
readonly FAILED=/sys/module/gaius_fail_alloc/parameters/failed

# server_rules BACKEND FAMILY RULESET: the server's two rules; with
# RULESET established-first, INPUT accepts established connections before
# them, so that only a connection's SYN reaches GAIUSDECRYPT.
server_rules() {
	local name=refused-rules-$1-v$2
	if [[ $3 == established-first ]]; then
		rule "$name" ipt "$NS_SERVER" "$1" "$2" -A INPUT -p tcp -m conntrack --ctstate ESTABLISHED -j ACCEPT ||
			return
	fi
	rule "$name" ipt "$NS_SERVER" "$1" "$2" -A INPUT -p tcp --dport "$PORTS" -j GAIUSDECRYPT --key "$KEY" &&
		rule "$name" ipt "$NS_SERVER" "$1" "$2" -A OUTPUT -p tcp --sport "$PORTS" -j GAIUSENCRYPT --key "$KEY"
}

# connection NAME MODE ADDR: the server in MODE and the client to ADDR, on
# a fresh $PORT; their lines in $WORK/NAME.server and $WORK/NAME.client.
connection() {
	local name=$1 mode=$2 addr=$3 server_pid
	next_port
	in_background "$WORK/$name.server" "$NS_SERVER" refused_child.py server "$mode" "$PORT"
	server_pid=$BG_PID
	if ! wait_listening "$NS_SERVER" "$PORT"; then
		fail "$name" "the server never listened on port $PORT: $(tail_line "$WORK/$name.server")"
		return 1
	fi
	in_client refused_child.py client "$addr" "$PORT" "$KEY" >"$WORK/$name.client" 2>&1
	wait "$server_pid"
	log "$name: server: $(paste -sd' ' "$WORK/$name.server"); client: $(paste -sd' ' "$WORK/$name.client")"
}

# said NAME SIDE LINE: the SIDE's output of NAME holds LINE.
said() {
	grep -qxF -- "$3" "$WORK/$1.$2"
}

# no_server_bytes NAME: no segment from the server's port $PORT carries a
# byte, in the capture so far (tcpdump ends each TCP line with its length).
no_server_bytes() {
	local name=$1 lines
	lines=$(capture_text "tcp and src port $PORT" | grep -v ' length 0$' || true)
	if [[ -z $lines ]]; then
		pass "$name"
	else
		fail "$name" "the server sent bytes: ${lines//$'\n'/; }"
	fi
}

# refused NAME MODE ADDR: one connection whose child gets no context.
refused() {
	local name=$1 mode=$2 addr=$3 before
	before=$(<"$FAILED")
	connection "$name" "$mode" "$addr" || return
	if said "$name" server 'bytes -' && said "$name" server 'end ECONNABORTED'; then
		pass "$name-server-aborted"
	else
		fail "$name-server-aborted" "server: $(paste -sd' ' "$WORK/$name.server")"
	fi
	if said "$name" client 'bytes -' && said "$name" client 'end ECONNRESET'; then
		pass "$name-client-reset"
	else
		fail "$name-client-reset" "client: $(paste -sd' ' "$WORK/$name.client")"
	fi
	if (($(<"$FAILED") == before + 1)); then
		pass "$name-one-failed-allocation"
	else
		fail "$name-one-failed-allocation" "gaius_fail_alloc failed $(($(<"$FAILED") - before)) calls"
	fi
	no_server_bytes "$name-no-server-bytes"
}

# shifted_hex FILE: the hex of FILE's bytes, each + KEY.
shifted_hex() {
	python3 -c '
import sys
data = open(sys.argv[1], "rb").read()
print(bytes((b + int(sys.argv[2])) % 256 for b in data).hex())
' "$1" "$KEY"
}

# keyed NAME ADDR: the control, with a context.
keyed() {
	local name=$1 addr=$2
	connection "$name" keyed "$addr" || return
	if said "$name" server "bytes $(refused_child.py message | od -An -tx1 -v | tr -d ' \n')" &&
		said "$name" server 'end eof'; then
		pass "$name-server-read-message"
	else
		fail "$name-server-read-message" "server: $(paste -sd' ' "$WORK/$name.server")"
	fi
	refused_child.py reply >"$WORK/reply"
	if said "$name" client "bytes $(shifted_hex "$WORK/reply")"; then
		pass "$name-client-read-reply-enciphered"
	else
		fail "$name-client-read-reply-enciphered" "client: $(paste -sd' ' "$WORK/$name.client")"
	fi
}

check refused-modprobe modprobe xt_GAIUS
start_capture || fail refused-capture "tcpdump did not start"
fails_before=$(caesar_stat "$NS_SERVER" CaesarRuleFails)
for run in "nft 4 $SERVER4 every-packet" "legacy 6 $SERVER6 established-first"; do
	read -r backend family addr ruleset <<<"$run"
	server_rules "$backend" "$family" "$ruleset" || continue
	check "refused-$backend-v$family-fail-alloc" modprobe gaius_fail_alloc func=caesar_ctx_alloc
	for mode in "${MODES[@]}"; do
		refused "refused-$backend-v$family-$mode" "$mode" "$addr"
	done
	check "refused-$backend-v$family-fail-alloc-unload" rmmod gaius_fail_alloc
	keyed "refused-$backend-v$family-keyed" "$addr"
	clear_rules "$NS_SERVER" "$backend"
done
stop_capture
fails=$(($(caesar_stat "$NS_SERVER" CaesarRuleFails) - fails_before))
log "CaesarRuleFails grew by $fails"
if ((fails >= 2 * ${#MODES[@]})); then
	pass refused-rule-fails-counted
else
	fail refused-rule-fails-counted "CaesarRuleFails grew by $fails, not at least $((2 * ${#MODES[@]}))"
fi
finish

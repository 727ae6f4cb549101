#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# A saved ruleset on a kernel without xt_GAIUS (a kernel DKMS did not build
# for): one GAIUS rule in the host's single restore file makes
# iptables-restore refuse the whole file, the SSH rules with it. The layout
# docs/install.md recommends, docs/examples/iptables/rules.vN (the firewall,
# no gaius target) and gaius.vN (the targets, restored with --noflush),
# keeps the firewall and refuses the traffic meant for gaius; once the
# module is back, gaius.vN restores and that traffic is enciphered.
#
# The client namespace restores the files as they are, both backends, both
# families; the server keys its own socket (gaius-xfer --key). xt_GAIUS is
# made missing with a modprobe.d "install xt_GAIUS /bin/false" line, the
# way a kernel without the module answers iptables' module request.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=xt-lib.sh
source "$(dirname "$0")/xt-lib.sh"

readonly KEY=12354 LAYOUT_PORT=234 SIZE=100003 SEED=61
readonly EXAMPLES=$GAIUS_ROOT/docs/examples/iptables
readonly MISSING=/etc/modprobe.d/gaius-test-missing-module.conf
MARKER_ADDR=$SERVER4

xt_gaius_unloads() {
	[[ ! -d /sys/module/xt_GAIUS ]] || rmmod xt_GAIUS 2>/dev/null
}

module_missing() {
	echo 'install xt_GAIUS /bin/false' >"$MISSING"
	poll "$WAIT_TENTHS" xt_gaius_unloads && ! modprobe xt_GAIUS 2>/dev/null
}

module_back() {
	rm -f "$MISSING"
}
trap 'module_back; cleanup' EXIT

# restore NAME BACKEND FAMILY ARGS...: ip(6)tables-BACKEND-restore ARGS in
# the client namespace; its output in $WORK/NAME.restore, status returned.
restore() {
	local name=$1 b=$2 f=$3 cmd=iptables
	shift 3
	((f == 6)) && cmd=ip6tables
	ip netns exec "$NS_CLIENT" "$cmd-$b-restore" "$@" >"$WORK/$name.restore" 2>&1
}

# has_rule BACKEND FAMILY RULE: -S prints RULE exactly.
has_rule() {
	ipt "$NS_CLIENT" "$1" "$2" -S | grep -qxF -- "$3"
}

# refused NAME ADDR: a connection to ADDR, LAYOUT_PORT, from the client is
# refused before it leaves: not one segment of it on the wire.
refused() {
	local name=$1 addr=$2
	start_capture || fail "$name-capture" "tcpdump did not start"
	in_background "$WORK/$name.server.log" "$NS_SERVER" gaius-xfer server --port "$LAYOUT_PORT" \
		--key "$KEY" --size "$SIZE" --seed "$SEED" --timeout 20
	wait_listening "$NS_SERVER" "$LAYOUT_PORT" || fail "$name-listen" "the server never listened"
	if in_client gaius-xfer client --address "$addr" --port "$LAYOUT_PORT" --size "$SIZE" --seed "$SEED" \
		--connect-timeout 5 >"$WORK/$name.client.log" 2>&1; then
		fail "$name" "the connection went through"
	else
		pass "$name"
	fi
	kill "$BG_PID" 2>/dev/null
	wait "$BG_PID" 2>/dev/null
	show "$WORK/$name.client.log"
	stop_capture
	if [[ -n $(capture_text "tcp port $LAYOUT_PORT") ]]; then
		fail "$name-wire" "segments of the refused connection on the wire"
	else
		pass "$name-wire"
	fi
}

# enciphered NAME ADDR: the client's unmodified transfer to LAYOUT_PORT
# arrives whole at the keyed server, and is ciphertext on the wire.
enciphered() {
	local name=$1 addr=$2 server_pid status=0
	start_capture || fail "$name-capture" "tcpdump did not start"
	in_background "$WORK/$name.server.log" "$NS_SERVER" gaius-xfer server --port "$LAYOUT_PORT" \
		--key "$KEY" --size "$SIZE" --seed "$SEED"
	server_pid=$BG_PID
	wait_listening "$NS_SERVER" "$LAYOUT_PORT" || fail "$name-listen" "the server never listened"
	in_client gaius-xfer client --address "$addr" --port "$LAYOUT_PORT" --size "$SIZE" --seed "$SEED" \
		>"$WORK/$name.client.log" 2>&1 || status=1
	wait "$server_pid" || status=1
	report_pair "$name" "$status"
	stop_capture
	wire "$name-wire" "$LAYOUT_PORT" --seed "$SEED" --size "$SIZE" --shift "$KEY" --streams 1
}

for b in "${BACKENDS[@]}"; do
	for f in 4 6; do
		n=xt-restore-$b-v$f
		addr=$SERVER4
		((f == 6)) && addr=$SERVER6
		rules=$EXAMPLES/rules.v$f gaius=$EXAMPLES/gaius.v$f
		ssh_drop='-A INPUT -p tcp -m tcp --dport 22 -j DROP'
		refusal='-A GAIUS-OUT -p tcp -j REJECT --reject-with tcp-reset'
		target="-A GAIUS-OUT -p tcp -j GAIUSENCRYPT --key $KEY"

		clear_rules "$NS_CLIENT" "$b"
		check "$n-module-missing" module_missing

		# One file holding both: refused as a whole, firewall included.
		sed -e '/^COMMIT/d' "$rules" >"$WORK/$n.single"
		sed -e '/^\*filter/d' -e '/^-F /d' "$gaius" >>"$WORK/$n.single"
		if restore "$n-single" "$b" "$f" "$WORK/$n.single"; then
			fail "$n-single-file-refused" "restored without xt_GAIUS"
		else
			pass "$n-single-file-refused"
		fi
		show "$WORK/$n-single.restore"
		if has_rule "$b" "$f" "$ssh_drop"; then
			fail "$n-single-file-loses-firewall" "the SSH rule is there"
		else
			pass "$n-single-file-loses-firewall"
		fi

		# The layout: the firewall stays, gaius' traffic is refused.
		check "$n-rules-restore" restore "$n-rules" "$b" "$f" "$rules"
		if restore "$n-gaius" "$b" "$f" --noflush "$gaius"; then
			fail "$n-gaius-refused" "restored without xt_GAIUS"
		else
			pass "$n-gaius-refused"
		fi
		show "$WORK/$n-gaius.restore"
		check "$n-firewall-kept" has_rule "$b" "$f" "$ssh_drop"
		check "$n-refusal-kept" has_rule "$b" "$f" "$refusal"
		refused "$n-traffic-refused" "$addr"

		# The module back: gaius.vN takes the chains over.
		module_back
		check "$n-gaius-restore" restore "$n-gaius-back" "$b" "$f" --noflush "$gaius"
		check "$n-target-in-place" has_rule "$b" "$f" "$target"
		if has_rule "$b" "$f" "$refusal"; then
			fail "$n-refusal-replaced" "GAIUS-OUT still refuses"
		else
			pass "$n-refusal-replaced"
		fi
		check "$n-firewall-still" has_rule "$b" "$f" "$ssh_drop"
		enciphered "$n-enciphered" "$addr"
		clear_rules "$NS_CLIENT" "$b"
	done
done
finish

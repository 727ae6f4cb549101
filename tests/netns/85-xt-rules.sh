#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The iptables side of GAIUSENCRYPT/GAIUSDECRYPT, for iptables-nft and
# iptables-legacy, iptables and ip6tables:
# - -S and -save print the rules as `-j GAIUSENCRYPT --key 12354` (a key
#   given in hex comes back in decimal); -restore takes a save back
#   unchanged;
# - -j GAIUSENCRYPT --help and -j GAIUSDECRYPT --help describe --key;
# - every bad input (no --key, --key abc, -1, 4294967296, 256, --key twice,
#   -p udp, no -p tcp, the wrong chain, the raw table) exits non-zero with
#   its message and
#   adds no rule;
# and a namespace without rules, talking over the same ports as rules in
# another namespace name, moves plaintext.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=xt-lib.sh
source "$(dirname "$0")/xt-lib.sh"

readonly NS=$NS_CLIENT

# bad NAME BACKEND FAMILY MESSAGE ARGS...: `-A ARGS` fails, says MESSAGE
# (a fixed string; empty: any) and leaves the rules as they were.
bad() {
	local name=$1 b=$2 f=$3 message=$4 before after status=0
	shift 4
	before=$(ipt "$NS" "$b" "$f" -S 2>&1)
	ipt "$NS" "$b" "$f" -A "$@" >"$WORK/$name.out" 2>&1 || status=$?
	after=$(ipt "$NS" "$b" "$f" -S 2>&1)
	tally bad-inputs 1
	if ((status == 0)); then
		fail "$name" "-A $* was accepted"
	elif [[ -n $message ]] && ! grep -qF -- "$message" "$WORK/$name.out"; then
		fail "$name" "exit $status without '$message': $(tail_line "$WORK/$name.out")"
	elif [[ $before != "$after" ]]; then
		fail "$name" "exit $status, but the rules changed"
	else
		pass "$name"
	fi
	show "$WORK/$name.out"
}

# same NAME GOT WANT
same() {
	if [[ $2 == "$3" ]]; then
		pass "$1"
	else
		fail "$1" "got '$2', expected '$3'"
	fi
}

for b in "${BACKENDS[@]}"; do
	for f in 4 6; do
		n=xt-rules-$b-v$f
		cmd=iptables
		((f == 6)) && cmd=ip6tables
		# Every table there, and empty: -save lists the legacy tables that
		# exist, and clear_rules below creates them all.
		clear_rules "$NS" "$b"
		rule "$n-add" ipt "$NS" "$b" "$f" -A OUTPUT -p tcp --dport 4242 -j GAIUSENCRYPT --key 12354
		rule "$n-add" ipt "$NS" "$b" "$f" -A INPUT -p tcp --sport 4242 -j GAIUSDECRYPT --key 0x3042
		rule "$n-add" ipt "$NS" "$b" "$f" -A POSTROUTING -t mangle -p tcp --dport 4243 -j GAIUSENCRYPT --key 4294967295
		rule "$n-add" ipt "$NS" "$b" "$f" -A PREROUTING -t mangle -p tcp --sport 4243 -j GAIUSDECRYPT --key 1
		same "$n-S-encrypt" "$(ipt "$NS" "$b" "$f" -S OUTPUT 2>&1 | grep -v '^-P')" \
			'-A OUTPUT -p tcp -m tcp --dport 4242 -j GAIUSENCRYPT --key 12354'
		same "$n-S-decrypt" "$(ipt "$NS" "$b" "$f" -S INPUT 2>&1 | grep -v '^-P')" \
			'-A INPUT -p tcp -m tcp --sport 4242 -j GAIUSDECRYPT --key 12354'
		same "$n-S-mangle" "$(ipt "$NS" "$b" "$f" -t mangle -S 2>&1 | grep GAIUS)" \
			$'-A PREROUTING -p tcp -m tcp --sport 4243 -j GAIUSDECRYPT --key 1\n-A POSTROUTING -p tcp -m tcp --dport 4243 -j GAIUSENCRYPT --key 4294967295'
		ip netns exec "$NS" "$cmd-$b-save" >"$WORK/$n.save1" 2>&1
		check "$n-save-has-rules" grep -q -- '-j GAIUSENCRYPT --key 12354' "$WORK/$n.save1"
		clear_rules "$NS" "$b"
		check "$n-restore" ip netns exec "$NS" "$cmd-$b-restore" "$WORK/$n.save1"
		ip netns exec "$NS" "$cmd-$b-save" >"$WORK/$n.save2" 2>&1
		# The rules, not the chains' packet counters: an IPv6 packet of
		# the link's own (DAD, MLD) can pass a legacy chain in between.
		for i in 1 2; do
			sed -e '/^#/d' -e 's/ \[[0-9]*:[0-9]*\]$//' "$WORK/$n.save$i" >"$WORK/$n.rules$i"
		done
		check "$n-restore-unchanged" diff "$WORK/$n.rules1" "$WORK/$n.rules2"
		for t in GAIUSENCRYPT GAIUSDECRYPT; do
			ipt "$NS" "$b" "$f" -j "$t" --help >"$WORK/$n-$t.help" 2>&1
			check "$n-$t-help" grep -qz "$t target options:"$'\n'"  --key value" "$WORK/$n-$t.help"
		done
		e=(OUTPUT -p tcp -j GAIUSENCRYPT)
		bad "$n-no-key" "$b" "$f" 'GAIUSENCRYPT: --key is required' "${e[@]}"
		bad "$n-key-abc" "$b" "$f" 'GAIUSENCRYPT: bad --key "abc": not a number' "${e[@]}" --key abc
		bad "$n-key-negative" "$b" "$f" 'GAIUSENCRYPT: bad --key "-1": a key is unsigned, from 0 to 4294967295' "${e[@]}" --key -1
		bad "$n-key-too-large" "$b" "$f" 'GAIUSENCRYPT: bad --key "4294967296": larger than 4294967295: a key is 32 bits' "${e[@]}" --key 4294967296
		bad "$n-key-shift-0" "$b" "$f" 'GAIUSENCRYPT: bad --key "256": its shift (key mod 256) is 0, which would send plaintext' "${e[@]}" --key 256
		bad "$n-key-twice" "$b" "$f" 'option "--key" can only be used once' "${e[@]}" --key 1 --key 2
		bad "$n-decrypt-no-key" "$b" "$f" 'GAIUSDECRYPT: --key is required' INPUT -p tcp -j GAIUSDECRYPT
		bad "$n-udp" "$b" "$f" '' OUTPUT -p udp -j GAIUSENCRYPT --key 1
		bad "$n-no-proto" "$b" "$f" '' OUTPUT -j GAIUSENCRYPT --key 1
		bad "$n-encrypt-in-input" "$b" "$f" '' INPUT -p tcp -j GAIUSENCRYPT --key 1
		bad "$n-decrypt-in-output" "$b" "$f" '' OUTPUT -p tcp -j GAIUSDECRYPT --key 1
		bad "$n-in-raw" "$b" "$f" '' PREROUTING -t raw -p tcp -j GAIUSDECRYPT --key 1
	done
	clear_rules "$NS" "$b"
done

# Rules in the client namespace on the ports a third one uses: no effect there.
add_other_ns || fail "$SCENARIO-setup" "cannot create the third namespace"
for f in 4 6; do
	ipt "$NS_CLIENT" nft "$f" -A OUTPUT -p tcp --dport 7100:7999 -j GAIUSENCRYPT --key 12354
	ipt "$NS_CLIENT" nft "$f" -A INPUT -p tcp --sport 7100:7999 -j GAIUSDECRYPT --key 12354
done
other_xfer xt-rules-other-ns-v4 "$OTHER_SERVER4" --size 100003 --direction both --connections 10 --concurrent
other_xfer xt-rules-other-ns-v6 "$OTHER_SERVER6" --size 100003 --direction both --connections 10 --concurrent
stat_is xt-rules-other-ns-no-ulp "$NS_OTHER" CaesarAttached -eq 0
stat_is xt-rules-server-no-ulp "$NS_SERVER" CaesarAttached -eq 0
show_stats "$NS_CLIENT" "$NS_SERVER" "$NS_OTHER"
finish

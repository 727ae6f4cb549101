# SPDX-License-Identifier: GPL-2.0 OR MIT
# shellcheck shell=bash
#
# Shared by the forwarding scenarios (tests/netns/7?-xt-forward*.sh); source
# it after lib.sh and xt-lib.sh. lib.sh's client and server, each behind a
# gateway of its own:
#
#   client --lan-- gwA --wan-- gwB --lan-- server
#   192.0.2.2     .1 | 203.0.113.1  .2 | 198.51.100.1  .2
#   2001:db8:1::2 ::1 | 2001:db8:3::1 ::2 | 2001:db8:2::1 ::2
#
# setup_forward builds it; the rules go in the gateways' FORWARD chains, of
# $TABLE (fwd_rule; both_gateways: gwA enciphers to the server with $KEY1
# and deciphers the answers with $KEY2, gwB the mirror). lib.sh's capture
# runs on gwA's side of the wan; wire_spec queues wirecheck.py checks of it
# and end_capture runs them (and checks every checksum when $OFFLOADS is
# off). ct_list and ct_flush are conntrack -L and -F, both families.

readonly KEY1=12354 KEY2=4242 PORTS=7100:7999
readonly NS_GWA=gaius-gwa-$$ NS_GWB=gaius-gwb-$$
readonly FWD_SERVER4=198.51.100.2 FWD_SERVER6=2001:db8:2::2
readonly SERVER_NET4=198.51.100.0/24 SERVER_NET6=2001:db8:2::/64
# lib.sh's capture runs on gwA's side of the wan, its end marker to the server.
# shellcheck disable=SC2034
readonly CAPTURE_NS=$NS_GWA CAPTURE_DEV=wan MARKER_ADDR=$FWD_SERVER4
readonly VETHS=("$NS_CLIENT:veth-c" "$NS_GWA:lan" "$NS_GWA:wan" "$NS_GWB:wan" "$NS_GWB:lan" "$NS_SERVER:veth-s")
# wirecheck.py's checks of the current capture, run at once when it stops.
WIRE_ARGS=()

trap 'ip netns del "$NS_GWA" 2>/dev/null; ip netns del "$NS_GWB" 2>/dev/null; cleanup' EXIT
# Whether offloads_off has turned every offload off.
OFFLOADS=on

in_gwa() {
	ip netns exec "$NS_GWA" "$@"
}

# lib.sh's client and server, no longer joined to each other but each to
# its gateway. One ip process per namespace: each takes a while in the VM.
setup_forward() {
	local ns
	ip -n "$NS_CLIENT" link del veth-c &&
		ip netns add "$NS_GWA" && ip netns add "$NS_GWB" &&
		ip link add veth-c netns "$NS_CLIENT" type veth peer name lan netns "$NS_GWA" &&
		ip link add wan netns "$NS_GWA" type veth peer name wan netns "$NS_GWB" &&
		ip link add lan netns "$NS_GWB" type veth peer name veth-s netns "$NS_SERVER" || return 1
	ip -n "$NS_CLIENT" -batch - <<-EOF || return 1
		addr add 192.0.2.2/24 dev veth-c
		addr add 2001:db8:1::2/64 dev veth-c nodad
		link set veth-c up
		route add default via 192.0.2.1
		route add ::/0 via 2001:db8:1::1
	EOF
	ip -n "$NS_GWA" -batch - <<-EOF || return 1
		addr add 192.0.2.1/24 dev lan
		addr add 2001:db8:1::1/64 dev lan nodad
		addr add 203.0.113.1/24 dev wan
		addr add 2001:db8:3::1/64 dev wan nodad
		link set lo up
		link set lan up
		link set wan up
		route add $SERVER_NET4 via 203.0.113.2
		route add $SERVER_NET6 via 2001:db8:3::2
	EOF
	ip -n "$NS_GWB" -batch - <<-EOF || return 1
		addr add 203.0.113.2/24 dev wan
		addr add 2001:db8:3::2/64 dev wan nodad
		addr add 198.51.100.1/24 dev lan
		addr add 2001:db8:2::1/64 dev lan nodad
		link set lo up
		link set wan up
		link set lan up
		route add 192.0.2.0/24 via 203.0.113.1
		route add 2001:db8:1::/64 via 2001:db8:3::1
	EOF
	ip -n "$NS_SERVER" -batch - <<-EOF || return 1
		addr add $FWD_SERVER4/24 dev veth-s
		addr add $FWD_SERVER6/64 dev veth-s nodad
		link set veth-s up
		route add default via 198.51.100.1
		route add ::/0 via 2001:db8:2::1
	EOF
	for ns in "$NS_GWA" "$NS_GWB"; do
		ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 || return 1
	done
}

# offloads_off: no checksum offload, segmentation or GRO on any veth: every
# packet carries its real checksum on the wire (checksums_ok shows it).
offloads_off() {
	local veth ns dev
	for veth in "${VETHS[@]}"; do
		IFS=: read -r ns dev <<<"$veth"
		ip netns exec "$ns" ethtool -K "$dev" tx off rx off gso off tso off gro off || return 1
	done
}

# fwd_rule NAME NS BACKEND FAMILY WAY TARGET KEY: in $TABLE's FORWARD of
# gateway NS, TARGET with KEY on the TCP packets to the server's ports
# (WAY to-server) or from them (to-client).
fwd_rule() {
	local name=$1 ns=$2 b=$3 f=$4 way=$5 target=$6 key=$7 in=lan out=wan net=$SERVER_NET4 match
	((f == 6)) && net=$SERVER_NET6
	[[ $ns == "$NS_GWB" ]] && in=wan out=lan
	if [[ $way == to-server ]]; then
		match=(-i "$in" -o "$out" -p tcp -d "$net" --dport "$PORTS")
	else
		match=(-i "$out" -o "$in" -p tcp -s "$net" --sport "$PORTS")
	fi
	rule "$name" ipt "$ns" "$b" "$f" -t "$TABLE" -A FORWARD "${match[@]}" -j "$target" --key "$key"
}

# both_gateways NAME BACKEND FAMILY: case 1's four rules.
both_gateways() {
	fwd_rule "$1" "$NS_GWA" "$2" "$3" to-server GAIUSENCRYPT "$KEY1" &&
		fwd_rule "$1" "$NS_GWA" "$2" "$3" to-client GAIUSDECRYPT "$KEY2" &&
		fwd_rule "$1" "$NS_GWB" "$2" "$3" to-server GAIUSDECRYPT "$KEY1" &&
		fwd_rule "$1" "$NS_GWB" "$2" "$3" to-client GAIUSENCRYPT "$KEY2"
}

# flush_forward BACKEND NS...: no rule left in those gateways: $TABLE's
# FORWARD chains (legacy; the only chains used), or the whole nft ruleset.
flush_forward() {
	local b=$1 ns family
	shift
	for ns in "$@"; do
		if [[ $b == nft ]]; then
			ip netns exec "$ns" nft flush ruleset
			continue
		fi
		for family in 4 6; do
			ipt "$ns" "$b" "$family" -t "$TABLE" -F FORWARD
		done
	done
}

server_addr() {
	if (($1 == 4)); then echo "$FWD_SERVER4"; else echo "$FWD_SERVER6"; fi
}

# snap NS: NS's counters, a "NAME VALUE" line each; field SNAP NAME: one
# of them (0 if not there). One process for all, not one for each.
snap() {
	ip netns exec "$1" cat /proc/net/caesar_stat 2>/dev/null
}

field() {
	local name value
	while read -r name value; do
		[[ $name == "$2" ]] && echo "$value" && return
	done <<<"$1"
	echo 0
}

# delta_is NAME FIELD BEFORE AFTER OP N: FIELD went from snapshot BEFORE to
# AFTER by an amount that compares (-eq, -ge, ...) to N.
delta_is() {
	local from to
	from=$(field "$3" "$2") to=$(field "$4" "$2")
	log "$1: $2 went from $from to $to"
	if test $((to - from)) "$5" "$6"; then
		pass "$1"
	else
		fail "$1" "$2 changed by $((to - from)), expected $5 $6"
	fi
}

# helper_on NAME PORT N: gwA has N conntrack entries (at least) of
# connections to PORT that carry the gaius helper.
helper_on() {
	local out=$WORK/$1.conntrack got
	ct_list "$NS_GWA" >"$out" 2>&1
	got=$(grep -c "dport=$2 .*helper=gaius" "$out")
	if ((got >= $3)); then
		pass "$1"
	else
		show "$out"
		fail "$1" "$got conntrack entries in gwA with helper=gaius to port $2, expected $3"
	fi
}

# wire_spec PORT ARGS...: a wirecheck.py check of the capture for PORT,
# run by end_capture.
wire_spec() {
	((${#WIRE_ARGS[@]} == 0)) || WIRE_ARGS+=(--and)
	WIRE_ARGS+=("$CAPTURE" --port "$@")
}

# checksums_ok NAME: every TCP segment in the (stopped) capture has a right
# checksum, as tcpdump -v verifies it, and no IPv4 header is bad.
checksums_ok() {
	local text total right
	text=$(tcpdump -r "$CAPTURE" -n -v tcp 2>/dev/null)
	total=$(tcpdump -r "$CAPTURE" -n tcp 2>/dev/null | wc -l)
	right=$(grep -c 'cksum 0x[0-9a-f]* (correct)' <<<"$text")
	log "$1: $right of $total TCP segments with a right checksum"
	if ((total > 0 && right == total)) && ! grep -q 'incorrect\|bad cksum' <<<"$text"; then
		pass "$1"
	else
		grep -m3 -B1 'incorrect\|bad cksum' <<<"$text" | sed 's/^/    | /'
		fail "$1" "$right of $total TCP segments have a right checksum"
	fi
}

# end_capture NAME: stops the capture, runs the wirecheck.py checks queued
# for it in one go (FAIL with the streams that failed), and verifies its
# checksums when the offloads are off.
end_capture() {
	local out=$WORK/$1-wire.log
	stop_capture
	if wirecheck.py "${WIRE_ARGS[@]}" >"$out" 2>&1; then
		show "$out"
		pass "$1-wire"
	else
		show "$out"
		fail "$1-wire" "$(grep -v ': ok$\|stream(s), \(OK\|FAILED\)$' "$out" | tr '\n' ' ')"
	fi
	WIRE_ARGS=()
	[[ $OFFLOADS == off ]] && checksums_ok "$1-checksums"
	mv "$CAPTURE" "$WORK/$1.pcap"
}

# ct_list NS, ct_flush NS: conntrack -L and -F in NS, both families
# (without -f, conntrack takes IPv4's alone).
ct_list() {
	ip netns exec "$1" conntrack -L -f ipv4 2>&1 && ip netns exec "$1" conntrack -L -f ipv6 2>&1
}

ct_flush() {
	ip netns exec "$1" conntrack -F -f ipv4 2>&1 && ip netns exec "$1" conntrack -F -f ipv6 2>&1
}

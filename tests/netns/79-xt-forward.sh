#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# GAIUSENCRYPT and GAIUSDECRYPT in FORWARD: two gateways encipher what they
# forward between a client and a server that know nothing of it (plain
# gaius-xfer, no ULP):
#
#   client --lan A-- gwA --wan-- gwB --lan B-- server
#   192.0.2.2      .1 | 203.0.113.1  .2 | 198.51.100.1  .2
#   2001:db8:1::2 ::1 | 2001:db8:3::1 ::2 | 2001:db8:2::1 ::2
#
# The capture is on gwA's wan side. For each backend (nft: filter table;
# legacy: mangle table, every offload off on every veth and every captured
# TCP checksum verified), on fresh ports:
#   1. both gateways, both directions (gwA enciphers to the server with K1
#      and deciphers the answers with K2, gwB the mirror), an IPv4 and an
#      IPv6 connection at once: every byte verified at both ends, the wan
#      carries plaintext + K1 one way and + K2 the other; no ULP in the
#      client or the server; each gateway counts the directions it keyed
#      and the bytes it rewrote; gwA's conntrack entries carry helper=gaius.
#   2. ESTABLISHED,RELATED accepted first, then case 1's rules: the
#      client's direction is keyed by its SYN, and its later packets are
#      rewritten although the gaius rules never see them. Conntrack calls
#      every reply packet, the SYN-ACK too, ESTABLISHED: the reply rules
#      never match, that direction is not keyed and crosses as it was sent.
#   3. gwA alone enciphers to the server: the server reads each byte + K1;
#   4. gwB alone enciphers the server's answers: the client reads each
#      byte + K3; 3 and 4 at once, one IPv4 and the other IPv6 (each rule
#      is for its family only), swapped between the backends.
#   No packet refused in 1 to 4. Then, legacy and IPv6 only:
#   5. gwA's conntrack table flushed while the client sends (its link
#      slowed by netem): from then on the connection cannot be keyed and
#      its packets are dropped (CaesarFwdRefused), never passed on as
#      plaintext: every byte the wan carried to the server is ciphertext.
# Last (legacy, IPv4): while a keyed connection's entries exist, with no
# rule left, rmmod xt_GAIUS is refused; once they are flushed it unloads,
# and it is loaded again for the scenarios after this one. The log says
# how long each case took; things run at once where they can, since the
# emulated VM is slow.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=xt-lib.sh
source "$(dirname "$0")/xt-lib.sh"

readonly KEY1=12354 KEY2=4242 KEY3=777 SIZE=60013 PORTS=7100:7999
readonly NS_GWA=gaius-gwa-$$ NS_GWB=gaius-gwb-$$
readonly FWD_SERVER4=198.51.100.2 FWD_SERVER6=2001:db8:2::2
readonly SERVER_NET4=198.51.100.0/24 SERVER_NET6=2001:db8:2::/64
# Case 5: the client's link while gwA's table is flushed: slow enough that
# the flush (a second or two in the VM) comes well before the end.
readonly SLOW_RATE=1mbit FLUSH_SIZE=600011
# lib.sh's capture runs on gwA's side of the wan, its end marker to the server.
# shellcheck disable=SC2034
readonly CAPTURE_NS=$NS_GWA CAPTURE_DEV=wan MARKER_ADDR=$FWD_SERVER4
readonly VETHS=("$NS_CLIENT:veth-c" "$NS_GWA:lan" "$NS_GWA:wan" "$NS_GWB:wan" "$NS_GWB:lan" "$NS_SERVER:veth-s")
# wirecheck.py's checks of the current capture, run at once when it stops.
WIRE_ARGS=()

trap 'ip netns del "$NS_GWA" 2>/dev/null; ip netns del "$NS_GWB" 2>/dev/null; cleanup' EXIT

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

# timed CASE NAME ARGS...: CASE NAME ARGS..., and how long it took, as log.
timed() {
	local start=$SECONDS
	"$@"
	log "$2: $((SECONDS - start)) s"
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
# connections to PORT that carry the gaius helper (gaius-ct-fill list prints
# them as conntrack -L does).
helper_on() {
	local out=$WORK/$1.conntrack got
	in_gwa gaius-ct-fill list >"$out" 2>&1
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

# 1. Both gateways, both directions: an IPv4 and an IPv6 connection at
# once, to one server.
case_both() {
	local name=$1 b=$2 seed opts server_pid client_pid status=0 a0 b0 a1 b1
	a0=$(snap "$NS_GWA") b0=$(snap "$NS_GWB")
	both_gateways "$name-rules" "$b" 4 && both_gateways "$name-rules" "$b" 6
	seed=$((RANDOM % 1000 + 1))
	opts=(--size "$SIZE" --seed "$seed" --direction both)
	next_port
	log "$name: ${opts[*]}, from $FWD_SERVER4 and $FWD_SERVER6 port $PORT"
	in_background "$WORK/$name.server.log" "$NS_SERVER" gaius-xfer server --port "$PORT" \
		--connections 2 --concurrent "${opts[@]}"
	server_pid=$BG_PID
	wait_listening "$NS_SERVER" "$PORT" || log "$name: the server never listened"
	in_background "$WORK/$name-v6.client.log" "$NS_CLIENT" gaius-xfer client --address "$FWD_SERVER6" \
		--port "$PORT" "${opts[@]}"
	client_pid=$BG_PID
	in_client gaius-xfer client --address "$FWD_SERVER4" --port "$PORT" "${opts[@]}" \
		>"$WORK/$name.client.log" 2>&1 || status=1
	wait "$client_pid" || status=1
	wait "$server_pid" || status=1
	show "$WORK/$name-v6.client.log"
	((status == 0)) && tally_xfer "$WORK/$name-v6.client.log"
	report_pair "$name" "$status"
	wire_spec "$PORT" --direction client-to-server --seed "$seed" --size "$SIZE" --shift "$KEY1" --streams 2
	wire_spec "$PORT" --direction server-to-client --seed "$seed" --size "$SIZE" --shift "$KEY2" --streams 2
	helper_on "$name-conntrack-helper" "$PORT" 2
	stat_is "$name-client-no-ulp" "$NS_CLIENT" CaesarAttached -eq 0
	stat_is "$name-server-no-ulp" "$NS_SERVER" CaesarAttached -eq 0
	a1=$(snap "$NS_GWA") b1=$(snap "$NS_GWB")
	# Two connections, each keyed both ways in each gateway.
	delta_is "$name-gwa-keys" CaesarFwdKeys "$a0" "$a1" -ge 4
	delta_is "$name-gwb-keys" CaesarFwdKeys "$b0" "$b1" -ge 4
	# Each byte of both directions of both, once at least.
	delta_is "$name-gwa-bytes" CaesarFwdBytes "$a0" "$a1" -ge $((4 * SIZE))
	delta_is "$name-gwb-bytes" CaesarFwdBytes "$b0" "$b1" -ge $((4 * SIZE))
}

# 2. ESTABLISHED,RELATED accepted first, then case 1's rules (still there).
case_established_first() {
	local name=$1 b=$2 family=$3 ns seed opts a0 b0
	a0=$(snap "$NS_GWA") b0=$(snap "$NS_GWB")
	for ns in "$NS_GWA" "$NS_GWB"; do
		rule "$name-rules" ipt "$ns" "$b" "$family" -t "$TABLE" -I FORWARD 1 \
			-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
	done
	seed=$((RANDOM % 1000 + 1))
	opts=(--size "$SIZE" --seed "$seed" --direction both)
	xfer "$name" "$(server_addr "$family")" "${opts[@]}" -- "${opts[@]}"
	wire_spec "$PORT" --direction client-to-server --seed "$seed" --size "$SIZE" --shift "$KEY1" --streams 1
	wire_spec "$PORT" --direction server-to-client --seed "$seed" --size "$SIZE" --plaintext --streams 1
	delta_is "$name-gwa-keys" CaesarFwdKeys "$a0" "$(snap "$NS_GWA")" -ge 1
	delta_is "$name-gwb-keys" CaesarFwdKeys "$b0" "$(snap "$NS_GWB")" -ge 1
}

# reads_shifted NAME FILE SEED KEY: FILE holds gaius-xfer's $SIZE bytes for
# SEED, each byte + KEY: xt-lib.sh's shifted_is, without a python3 start
# (slow in the VM): tr shifts the payload, cmp compares.
reads_shifted() {
	local name=$1 file=$2 seed=$3 shift=$(($4 % 256)) out
	gaius-xfer payload --seed "$seed" --size "$SIZE" |
		tr '\000-\377' "\\$(printf %03o "$shift")-\\377\\000-\\$(printf %03o $((shift - 1)))" >"$WORK/$name.want"
	if out=$(cmp "$WORK/$name.want" "$file" 2>&1); then
		log "$name: $SIZE bytes, all plaintext + $shift"
		pass "$name"
	else
		fail "$name" "not the plaintext + $shift: $out"
	fi
}

# socat_addr FAMILY ADDR: ADDR as socat's TCP address takes it.
socat_addr() {
	if (($1 == 4)); then echo "TCP4:$2"; else echo "TCP6:[$2]"; fi
}

# 3 and 4 at once, on two connections of different families, FAMILY1 and
# FAMILY2, so that each rule sees only its own:
# 3. gwA alone enciphers to the server (FAMILY1), which dumps what it
#    reads (socat: the server knows nothing of keys);
# 4. gwB alone enciphers the server's answers (FAMILY2); the client dumps
#    them.
case_one_way() {
	local name1=$1 name2=$2 b=$3 f1=$4 f2=$5 addr1 addr2 seed1 seed2 port1 pid1 pid2 client_pid
	addr1=$(server_addr "$f1") addr2=$(server_addr "$f2")
	seed1=$((RANDOM % 1000 + 1)) seed2=$((RANDOM % 1000 + 1))
	fwd_rule "$name1-rules" "$NS_GWA" "$b" "$f1" to-server GAIUSENCRYPT "$KEY1"
	fwd_rule "$name2-rules" "$NS_GWB" "$b" "$f2" to-client GAIUSENCRYPT "$KEY3"
	next_port
	port1=$PORT
	in_background "$WORK/$name1.server.log" "$NS_SERVER" socat -u "TCP$f1-LISTEN:$PORT" "CREATE:$WORK/$name1.out"
	pid1=$BG_PID
	next_port
	in_background "$WORK/$name2.server.log" "$NS_SERVER" gaius-xfer server --port "$PORT" --size "$SIZE" \
		--seed "$seed2" --direction server-to-client
	pid2=$BG_PID
	wait_listening "$NS_SERVER" "$port1" || log "$name1: the dump server never listened"
	wait_listening "$NS_SERVER" "$PORT" || log "$name2: the server never listened"
	in_background "$WORK/$name1.client.log" "$NS_CLIENT" gaius-xfer client --address "$addr1" --port "$port1" \
		--size "$SIZE" --seed "$seed1"
	client_pid=$BG_PID
	check "$name2-client-dumps" in_client socat -u "$(socat_addr "$f2" "$addr2"):$PORT" "CREATE:$WORK/$name2.out"
	check "$name1-client-sends" wait "$client_pid"
	show "$WORK/$name1.client.log"
	tally_xfer "$WORK/$name1.client.log"
	wait "$pid1" || log "$name1: the dump server exited non-zero"
	show "$WORK/$name1.server.log"
	check "$name2-server-sends" wait "$pid2"
	show "$WORK/$name2.server.log"
	reads_shifted "$name1-server-reads-ciphertext" "$WORK/$name1.out" "$seed1" "$KEY1"
	# Server to client is gaius-xfer's --seed + 1 stream.
	reads_shifted "$name2-client-reads-ciphertext" "$WORK/$name2.out" $((seed2 + 1)) "$KEY3"
	wire_spec "$port1" --direction client-to-server --seed "$seed1" --size "$SIZE" --shift "$KEY1" --streams 1
	wire_spec "$PORT" --direction server-to-client --seed "$seed2" --size "$SIZE" --shift "$KEY3" --streams 1
}

# 5. gwA's conntrack table flushed under traffic.
rewritten_since() {
	(($(caesar_stat "$NS_GWA" CaesarFwdBytes) - $1 >= $2)) || ! kill -0 "$CLIENT_PID" 2>/dev/null
}

refused_since() {
	(($(caesar_stat "$NS_GWA" CaesarFwdRefused) > $1))
}

case_flush() {
	local name=$1 b=$2 family=$3 addr seed server_pid bytes refused opts flushed_at
	addr=$(server_addr "$family") seed=$((RANDOM % 1000 + 1))
	both_gateways "$name-rules" "$b" "$family"
	in_client tc qdisc add dev veth-c root netem rate "$SLOW_RATE" || fail "$name-netem" "tc qdisc add failed"
	bytes=$(caesar_stat "$NS_GWA" CaesarFwdBytes) refused=$(caesar_stat "$NS_GWA" CaesarFwdRefused)
	next_port
	opts=(--port "$PORT" --size "$FLUSH_SIZE" --seed "$seed" --timeout 60)
	in_background "$WORK/$name.server.log" "$NS_SERVER" gaius-xfer server "${opts[@]}"
	server_pid=$BG_PID
	wait_listening "$NS_SERVER" "$PORT" || log "$name: the server never listened"
	in_background "$WORK/$name.client.log" "$NS_CLIENT" gaius-xfer client --address "$addr" "${opts[@]}"
	CLIENT_PID=$BG_PID
	# A twentieth of the bytes through gwA, the rest still to come.
	poll "$WAIT_TENTHS" rewritten_since "$bytes" $((FLUSH_SIZE / 20)) || log "$name: gwA rewrote nothing"
	if kill -0 "$CLIENT_PID" 2>/dev/null; then
		flushed_at=$(date +%s.%N)
		check "$name-conntrack-flush" in_gwa gaius-ct-fill flush
		log "$name: gwA's table flushed from $flushed_at to $(date +%s.%N)"
		tally faults 1
	else
		fail "$name-conntrack-flush" "the transfer ended before the flush: $(tail_line "$WORK/$name.client.log" 1)"
	fi
	# Each try reads the counter in gwA (slow in the VM): fewer of them.
	if poll 50 refused_since "$refused"; then
		pass "$name-refused"
	else
		fail "$name-refused" "CaesarFwdRefused in gwA stayed at $refused"
	fi
	log "$name: CaesarFwdRefused in gwA went from $refused to $(caesar_stat "$NS_GWA" CaesarFwdRefused)"
	# For a failure's post-mortem: gwA's entries since the flush.
	in_gwa gaius-ct-fill list >"$WORK/$name.conntrack" 2>&1
	show "$WORK/$name.conntrack"
	# Aborted (ss -K: an RST, nothing left to send) while the rules are
	# there: killed, the client's socket would retransmit its unsent bytes,
	# and once the rules are gone they would leave plain, as they should.
	in_client ss -K -t "dport = :$PORT" >/dev/null
	in_server ss -K -t "sport = :$PORT" >/dev/null
	log "$name: the connection aborted at $(date +%s.%N)"
	kill "$CLIENT_PID" "$server_pid" 2>/dev/null
	wait "$CLIENT_PID" "$server_pid" 2>/dev/null
	show "$WORK/$name.server.log"
	show "$WORK/$name.client.log"
	in_client tc qdisc del dev veth-c root
	FLUSH_PORT=$PORT
	# Every byte the wan carried to the server, before the flush and after,
	# is ciphertext; the stream ends where the connection was cut.
	wire_spec "$PORT" --direction client-to-server --seed "$seed" --size "$FLUSH_SIZE" \
		--shift "$KEY1" --streams 1 --partial
}

# The end: rmmod xt_GAIUS while a keyed connection's entries remain.
holding() {
	grep -q 'holding' "$WORK/$1.server.log" && grep -q 'holding' "$WORK/$1.client.log"
}

xt_gaius_unloads() {
	rmmod xt_GAIUS 2>/dev/null
}

case_rmmod() {
	local name=$1 b=legacy server_pid client_pid out opts
	TABLE=filter
	both_gateways "$name-rules" "$b" 4
	next_port
	opts=(--port "$PORT" --size 10007 --seed 79 --direction both --hold 120000 --reset)
	in_background "$WORK/$name.server.log" "$NS_SERVER" gaius-xfer server "${opts[@]}"
	server_pid=$BG_PID
	wait_listening "$NS_SERVER" "$PORT" || log "$name: the server never listened"
	in_background "$WORK/$name.client.log" "$NS_CLIENT" gaius-xfer client --address "$FWD_SERVER4" "${opts[@]}"
	client_pid=$BG_PID
	if poll "$WAIT_TENTHS" holding "$name"; then
		pass "$name-held"
	else
		fail "$name-held" "not holding: $(tail_line "$WORK/$name.client.log" 1)"
	fi
	helper_on "$name-conntrack-helper" "$PORT" 1
	# No rule holds the module any more (legacy drops a rule's module
	# reference at once): only the keyed entries do.
	flush_forward "$b" "$NS_GWA" "$NS_GWB"
	tally faults 1
	if out=$(rmmod xt_GAIUS 2>&1); then
		fail "$name-refused-while-keyed" "rmmod xt_GAIUS succeeded"
		modprobe xt_GAIUS
	elif [[ $out == *"in use"* ]]; then
		pass "$name-refused-while-keyed"
	else
		fail "$name-refused-while-keyed" "rmmod xt_GAIUS: $out"
	fi
	kill "$server_pid" "$client_pid" 2>/dev/null
	wait "$server_pid" "$client_pid" 2>/dev/null
	check "$name-flush-gwa" in_gwa gaius-ct-fill flush
	check "$name-flush-gwb" ip netns exec "$NS_GWB" gaius-ct-fill flush
	if poll "$WAIT_TENTHS" xt_gaius_unloads; then
		pass "$name-unloads-once-flushed"
		tally faults 1
	else
		fail "$name-unloads-once-flushed" "$(rmmod xt_GAIUS 2>&1)"
	fi
	check "$name-modprobe-again" modprobe xt_GAIUS
}

if ! setup_forward; then
	fail "$SCENARIO-setup" "cannot build the four namespaces and their links"
	exit 1
fi
command -v ethtool >/dev/null || fail "$SCENARIO-setup" "no ethtool: the offloads stay on"
modprobe sch_netem || fail "$SCENARIO-setup" "no sch_netem"

OFFLOADS=on
for backend in "${BACKENDS[@]}"; do
	start=$SECONDS
	if [[ $backend == nft ]]; then TABLE=filter; else TABLE=mangle; fi
	if [[ $backend == legacy ]] && command -v ethtool >/dev/null; then
		if offloads_off; then
			OFFLOADS=off
			pass xt-forward-offloads-off
		else
			fail xt-forward-offloads-off "ethtool -K did not turn them all off"
		fi
	fi
	name=xt-forward-$backend-$TABLE
	log "$name: offloads $OFFLOADS"
	before=$(snap "$NS_GWA")$'\n'$(snap "$NS_GWB" | sed 's/^/gwB-/')
	start_capture || fail "$name-capture" "tcpdump did not start"
	timed case_both "$name-both" "$backend"
	[[ $backend == nft ]] && check xt-forward-counters-shown in_gwa grep -q '^CaesarFwdRefused' /proc/net/caesar_stat
	if [[ $backend == nft ]]; then family=4 other=6; else family=6 other=4; fi
	timed case_established_first "$name-established-first-v$family" "$backend" "$family"
	flush_forward "$backend" "$NS_GWA" "$NS_GWB"
	timed case_one_way "$name-one-gateway-v$other" "$name-reply-only-v$family" "$backend" "$other" "$family"
	flush_forward "$backend" "$NS_GWA" "$NS_GWB"
	after=$(snap "$NS_GWA")$'\n'$(snap "$NS_GWB" | sed 's/^/gwB-/')
	delta_is "$name-gwa-no-refusals" CaesarFwdRefused "$before" "$after" -eq 0
	delta_is "$name-gwb-no-refusals" gwB-CaesarFwdRefused "$before" "$after" -eq 0
	if [[ $backend == legacy ]]; then
		timed case_flush "$name-conntrack-flushed-v6" "$backend" 6
		flush_forward "$backend" "$NS_GWA" "$NS_GWB"
	fi
	end_capture "$name"
	# The flushed connection's last packets to the server (with the times of
	# the flush and the abort above), for a post-mortem.
	[[ $backend == legacy ]] && tcpdump -r "$WORK/$name.pcap" -n -tt "tcp dst port $FLUSH_PORT" 2>/dev/null |
		tail -n 6 | sed 's/^/    | wan: /'
	log "$name: $((SECONDS - start)) s"
done
stat_is xt-forward-gwa-no-errors "$NS_GWA" CaesarFwdErrors -eq 0
stat_is xt-forward-gwb-no-errors "$NS_GWB" CaesarFwdErrors -eq 0
timed case_rmmod xt-forward-rmmod
show_stats "$NS_GWA" "$NS_GWB"
log "$SECONDS s in all"
finish

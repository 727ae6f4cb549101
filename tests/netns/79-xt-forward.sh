#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# GAIUSENCRYPT and GAIUSDECRYPT in FORWARD: two gateways encipher what they
# forward between a client and a server that know nothing of it (plain
# gaius-xfer, no ULP), fwd-lib.sh's topology. The capture is on gwA's wan
# side. For each backend (nft: filter table;
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
# shellcheck source=fwd-lib.sh
source "$(dirname "$0")/fwd-lib.sh"

readonly KEY3=777 SIZE=60013
# Case 5: the client's link while gwA's table is flushed: slow enough that
# the flush (a second or two in the VM) comes well before the end.
readonly SLOW_RATE=1mbit FLUSH_SIZE=600011

# timed CASE NAME ARGS...: CASE NAME ARGS..., and how long it took, as log.
timed() {
	local start=$SECONDS
	"$@"
	log "$2: $((SECONDS - start)) s"
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
		check "$name-conntrack-flush" ct_flush "$NS_GWA"
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
	ct_list "$NS_GWA" >"$WORK/$name.conntrack" 2>&1
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
	check "$name-flush-gwa" ct_flush "$NS_GWA"
	check "$name-flush-gwb" ct_flush "$NS_GWB"
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

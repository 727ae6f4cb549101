#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Bad links, a matrix of them: netem on both ends of the veth with loss 1%,
# loss 10%, reordering, duplication, corruption, all of them at once, and
# delay with jitter (82-xt-netem runs one other mix with rules only). By
# default each case runs once, the TSO/GSO/GRO offloads (ethtool) on for
# some and off for the others; NETEM_FULL=1 (make check-faults-full, see
# mk/faults.mk) runs every case with the offloads on and then off. The
# runs take turns: the ULP attached by setsockopt (gaius-xfer --key) or by
# rules (GAIUSENCRYPT/GAIUSDECRYPT, nft and legacy), IPv4 and IPv6. Each
# run moves a batch of concurrent connections of one size both ways, from
# 256 KiB to 8 MiB (256 KiB files in the first run, 8 MiB in the last, the
# others in between; 2 MiB a direction, or one file), and a batch of SMALL
# connections of up to 64 KiB; gaius-xfer compares every byte, and the
# capture is checked for ciphertext. Corruption is on the client's side
# only, and there only the server's direction is checked on the wire: a
# corrupted copy on the wire is not what was sent (TCP drops it and sends
# it again).
#
# Prints what it tried: runs, connections, bytes, packets netem dropped,
# segments TCP sent again.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=xt-lib.sh
source "$(dirname "$0")/xt-lib.sh"
# shellcheck source=../fuzz/scenario-lib.sh
source "$(dirname "$0")/../fuzz/scenario-lib.sh"

readonly KEY=2711 PORTS=7100:7999 PER_RUN=$((2 << 20)) SMALL=32
readonly MIN_SIZE=$((256 << 10)) MAX_SIZE=$((8 << 20))
# client egress | server egress
readonly CASES=(
	"loss 1%|loss 1%"
	"loss 10%|loss 10%"
	"delay 5ms reorder 50% 50%|delay 5ms reorder 50% 50%"
	"duplicate 10%|duplicate 10%"
	"corrupt 2%|delay 1ms"
	"loss 5% duplicate 5% corrupt 1% delay 2ms 1ms reorder 10%|loss 5% duplicate 5% delay 2ms 1ms reorder 10%"
	"delay 10ms 5ms distribution normal|delay 10ms 5ms distribution normal"
)
RANDOM=94

if ! command -v tc >/dev/null || ! command -v ethtool >/dev/null; then
	fail "$SCENARIO-setup" "no tc or ethtool"
	exit 1
fi
modprobe sch_netem || { fail "$SCENARIO-setup" "no sch_netem"; exit 1; }

# The runs, "CASE OFFLOAD" each; by default the offloads on in cases 0,
# 3, 4 and off in 1, 2, 5, 6, so that each way of attaching meets both.
RUNS=()
for i in "${!CASES[@]}"; do
	if [[ ${NETEM_FULL:-0} == 1 ]]; then
		RUNS+=("$i on" "$i off")
	elif (((i + 1) / 2 % 2)); then
		RUNS+=("$i off")
	else
		RUNS+=("$i on")
	fi
done
readonly RUNS

# netem_drops NS DEV: what netem on DEV has dropped so far.
netem_drops() {
	ip netns exec "$1" tc -s qdisc show dev "$2" | sed -n 's/.*(dropped \([0-9]*\),.*/\1/p' | head -n 1
}

# set_link NAME CLIENT-NETEM SERVER-NETEM OFFLOAD: netem on each end and
# the offloads on or off.
set_link() {
	local name=$1 client=$2 server=$3 offload=$4 ns dev netem
	for ns in "$NS_CLIENT:veth-c:$client" "$NS_SERVER:veth-s:$server"; do
		IFS=: read -r ns dev netem <<<"$ns"
		# shellcheck disable=SC2086 # the netem options are words
		rule "$name-link" ip netns exec "$ns" tc qdisc add dev "$dev" root netem $netem &&
			rule "$name-offload" ip netns exec "$ns" ethtool -K "$dev" tso "$offload" \
				gso "$offload" gro "$offload" || return 1
	done
}

# clear_link: no netem any more (a qdisc changed in place would keep the
# options it is not given again; and the capture's end marker must not be
# lost); adds what netem dropped to $dropped.
clear_link() {
	local ns dev
	for ns in "$NS_CLIENT:veth-c" "$NS_SERVER:veth-s"; do
		IFS=: read -r ns dev <<<"$ns"
		dropped=$((dropped + $(netem_drops "$ns" "$dev")))
		ip netns exec "$ns" tc qdisc del dev "$dev" root
	done
}

# run_size RUN: $size set to the size of RUN's files.
run_size() {
	if (($1 == 0)); then
		size=$MIN_SIZE
	elif (($1 == ${#RUNS[@]} - 1)); then
		size=$MAX_SIZE
	else
		log_size size "$MIN_SIZE" "$MAX_SIZE"
	fi
}

runs=0 connections=0 bytes=0 dropped=0
retrans_before=$(nstat_sum TcpRetransSegs)
for r in "${!RUNS[@]}"; do
	read -r i offload <<<"${RUNS[r]}"
	IFS='|' read -r client_netem server_netem <<<"${CASES[i]}"
	family=$((r / 2 % 2 ? 6 : 4))
	if ((family == 4)); then addr=$SERVER4; else addr=$SERVER6; fi
	run_size "$r"
	n=$((PER_RUN / size))
	n=$((n < 1 ? 1 : n > 16 ? 16 : n))
	seed=$RANDOM
	opts=(--size "$size" --seed "$seed" --direction both --connections "$n" --concurrent --timeout 200)
	by=()
	if ((r % 2)); then
		how=rules backend=${BACKENDS[(r + 1) / 4 % 2]}
	else
		how=setsockopt backend=''
	fi
	name=netem-$i-offload-$offload-$how${backend:+-$backend}-v$family-$n-x-$size
	log "$name: client netem $client_netem; server netem $server_netem"
	if ! set_link "$name" "$client_netem" "$server_netem" "$offload"; then
		clear_link 2>/dev/null
		continue
	fi
	if [[ $how == rules ]]; then
		if ! both_ends_rules "$name-rules" "$backend" "$family" "$PORTS" "$KEY"; then
			clear_link
			continue
		fi
	else
		by=(--key "$KEY")
	fi
	small=$((RANDOM % 65536 + 1))
	small_opts=(--size "$small" --seed "$seed" --direction both --connections "$SMALL"
		--concurrent --timeout 200 "${by[@]}")
	start_capture || fail "$name-capture" "tcpdump did not start"
	started=$SECONDS
	xfer "$name" "$addr" "${opts[@]}" "${by[@]}" -- "${opts[@]}" "${by[@]}"
	specs=("$PORT:server-to-client:$seed:$size:$KEY:$n")
	[[ $client_netem == *corrupt* ]] || specs+=("$PORT:client-to-server:$seed:$size:$KEY:$n")
	xfer "$name-small-$SMALL-x-$small" "$addr" "${small_opts[@]}" -- "${small_opts[@]}"
	specs+=("$PORT:server-to-client:$seed:$small:$KEY:$SMALL")
	[[ $client_netem == *corrupt* ]] || specs+=("$PORT:client-to-server:$seed:$small:$KEY:$SMALL")
	log "$name: $((SECONDS - started)) s"
	clear_link
	stop_capture
	wire_batches "$name-wire" "${specs[@]}"
	rm -f "$CAPTURE"
	if [[ $how == rules ]]; then
		flush_rules "$backend" "$family"
	fi
	runs=$((runs + 1)) connections=$((connections + n + SMALL))
	bytes=$((bytes + 2 * n * size + 2 * SMALL * small))
done
log "$runs of ${#RUNS[@]} runs, $connections connections, $bytes bytes both ways compared; netem dropped $dropped packets, TCP sent $(($(nstat_sum TcpRetransSegs) - retrans_before)) segments again"
tally faults "$dropped"
((FAILURES)) || log "every byte arrived as it was sent"
no_rule_fails netem-client-rule-fails "$NS_CLIENT" "$connections"
no_rule_fails netem-server-rule-fails "$NS_SERVER" "$connections"
finish

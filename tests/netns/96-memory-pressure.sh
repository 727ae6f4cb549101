#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Enciphered traffic short of memory: in both namespaces the smallest
# socket buffers (net.ipv4.tcp_rmem and tcp_wmem of 4 KiB, the oracles'
# SO_SNDBUF and SO_RCVBUF at their minimum), and for the whole machine
# little TCP memory (net.ipv4.tcp_mem, global in 6.1, set back at the
# end), so that sends wait for memory, receive queues are pruned and
# segments dropped and sent again. memory_ballast.py holds a few MiB of TCP
# memory unread meanwhile, so that TCP is under memory pressure for the
# whole machine, which the scenario checks. Through it:
#   - gaius-sockfuzz's oracle connections alone (--threads 0): every send
#     and receive method, loopback and veth, every byte compared;
#   - concurrent gaius-xfer connections both ways, attached by setsockopt
#     (IPv4), then by rules (IPv6).
# Every byte must arrive as sent, and the wire carry ciphertext. Prints how
# often TCP was under memory pressure and dropped or pruned.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=xt-lib.sh
source "$(dirname "$0")/xt-lib.sh"
# shellcheck source=../fuzz/scenario-lib.sh
source "$(dirname "$0")/../fuzz/scenario-lib.sh"

readonly KEY=6151 PORTS=7100:7999 SIZE=$((512 << 10)) CONNECTIONS=16
# Pages: pressure from 512 KiB of TCP memory in all, which the ballast's
# four connections pass (each holds up to twice net.core.rmem_max and
# wmem_max, 416 KiB each by default); nothing past 32 MiB.
readonly TCP_MEM="64 128 8192" BALLAST_PORT=6900 BALLAST_CONNECTIONS=4
readonly SOCKFUZZ=$GAIUS_BUILD/fuzz/gaius-sockfuzz ORACLE_PORT=20000 ORACLE_SECONDS=15
readonly PRESSURE_COUNTERS=(TcpExtTCPMemoryPressures TcpExtPruneCalled TcpExtTCPRcvQDrop
	TcpExtTCPOFODrop TcpExtTCPRcvCollapsed TcpRetransSegs)

saved_tcp_mem=$(sysctl -n net.ipv4.tcp_mem)
trap 'sysctl -qw net.ipv4.tcp_mem="$saved_tcp_mem"; cleanup' EXIT

# counters: PRESSURE_COUNTERS of both namespaces, added, one per line.
counters() {
	local ns
	for ns in "$NS_CLIENT" "$NS_SERVER"; do
		ip netns exec "$ns" nstat -asz "${PRESSURE_COUNTERS[@]}"
	done | awk '$1 !~ /^#/ { sum[$1] += $2 } END { for (c in sum) print c, sum[c] }'
}

counters >"$WORK/counters.before"
for ns in "$NS_CLIENT" "$NS_SERVER"; do
	check "memory-small-buffers-$ns" ip netns exec "$ns" sysctl -qw \
		net.ipv4.tcp_rmem="4096 4096 4096" net.ipv4.tcp_wmem="4096 4096 4096"
done
check memory-little-tcp-memory sysctl -qw net.ipv4.tcp_mem="$TCP_MEM"
in_background "$WORK/ballast.log" "$NS_CLIENT" memory_ballast.py 127.0.0.1 "$BALLAST_PORT" "$BALLAST_CONNECTIONS"
ballast_pid=$BG_PID
if poll "$WAIT_TENTHS" grep -q '^holding' "$WORK/ballast.log"; then
	log "ballast: $(cat "$WORK/ballast.log")"
else
	fail memory-ballast "memory_ballast.py holds nothing: $(tail_line "$WORK/ballast.log")"
fi

# The oracles, the first two connections of the veth ones on the wire.
start_capture_of "tcp portrange $ORACLE_PORT-$((ORACLE_PORT + 1)) or tcp portrange $((ORACLE_PORT + 1000))-$((ORACLE_PORT + 1001))" ||
	fail "$SCENARIO-capture" "tcpdump did not start"
check memory-oracles in_client "$SOCKFUZZ" --seed 96 --seconds "$ORACLE_SECONDS" --threads 0 \
	--oracles 5 --sndbuf 1 --rcvbuf 1 --oracle-max $((256 << 10)) \
	--server-netns "/run/netns/$NS_SERVER" --server4 "$SERVER4" --server6 "$SERVER6" \
	--oracle-port "$ORACLE_PORT" --manifest "$WORK/oracles.manifest"
tally_sockfuzz "$WORK/check-memory-oracles.log"
stop_capture
check memory-oracles-wire "$WIRECHECK_MANY" "$CAPTURE" --manifest "$WORK/oracles.manifest" \
	--first 2 --at-least 2
mv "$CAPTURE" "$WORK/oracles.pcap"

start_capture || fail "$SCENARIO-capture" "tcpdump did not start"
SPECS=()
xfer_both memory-setsockopt-v4 "$SERVER4" 961 "$SIZE" "$KEY" "$CONNECTIONS" --concurrent \
	--timeout 300 --key "$KEY"
both_ends_rules memory-rules legacy 6 "$PORTS" "$KEY"
xfer_both memory-rules-v6 "$SERVER6" 961 "$SIZE" "$KEY" "$CONNECTIONS" --concurrent --timeout 300
stop_capture
wire_batches memory-xfer-wire "${SPECS[@]}"
no_rule_fails memory-rule-fails "$NS_SERVER" "$CONNECTIONS"

counters >"$WORK/counters.after"
kill "$ballast_pid"
# shellcheck disable=SC2016 # awk's $1, $2
awk 'NR == FNR { before[$1] = $2; next } { print $1, $2 - before[$1] }' \
	"$WORK/counters.before" "$WORK/counters.after" >"$WORK/counters.delta"
# shellcheck disable=SC2016
check memory-pressure-reached awk '$1 == "TcpExtTCPMemoryPressures" { n = $2 }
	END { print "entered memory pressure", n + 0, "times"; exit !(n > 0) }' "$WORK/counters.delta"
# shellcheck disable=SC2016 # awk's $1, $2
log "under memory pressure, $((2 * CONNECTIONS)) connections of $SIZE bytes both ways and the oracles' (above); TCP counted: $(
	awk '{ printf "%s%s %d", sep, $1, $2; sep = ", " }' "$WORK/counters.delta")"
((FAILURES)) || log "no byte lost or wrong"
finish

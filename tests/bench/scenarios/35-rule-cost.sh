#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# What a rule costs a flow it has already attached. One flow kind, three
# states of the rules for its packets after the handshake, side by side,
# twice $BENCH_ROUNDS rounds (the differences sought are a few percent), the
# states in an order rotated by the round:
#
#   none    no rule matches them
#   accept  a rule with the same match and a no-op target (-j ACCEPT): the
#           cost of netfilter's hook, nft_compat and the match
#   gaius   the same rule with GAIUSENCRYPT / GAIUSDECRYPT and the key the
#           flow already has: all of the above plus the target's socket
#           lookup and caesar_has_key()
#
# In all three, rules on the SYN and the SYN-ACK (--tcp-flags SYN SYN)
# attach the ULP, as docs/design.md describes, so the flow is the rules
# path's; the state's rules match every later packet (--tcp-flags SYN NONE).
# Each state runs 2000 64-byte round trips, then a stream of 1 KiB and
# 64 KiB writes; the server checks every byte and both ends their TCP_ULP,
# so a state whose rules left a byte unenciphered fails.
# shellcheck source=bench-lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/bench-lib.sh"

readonly COST_STATES=(none accept gaius)
readonly GAIUS_SEND="GAIUSENCRYPT --key $BENCH_KEY" GAIUS_RECV="GAIUSDECRYPT --key $BENCH_KEY"

# state_rules OP STATE: adds (-A) or deletes (-D) STATE's rules.
state_rules() {
	case $2 in
	none) ;;
	accept) both_ends "rule-cost-$2" nft 4 "$1" "$COST_PORT" ACCEPT ACCEPT --tcp-flags SYN NONE ;;
	gaius) both_ends "rule-cost-$2" nft 4 "$1" "$COST_PORT" "$GAIUS_SEND" "$GAIUS_RECV" --tcp-flags SYN NONE ;;
	esac
}

if ! both_ends rule-cost-handshake nft 4 -A "$COST_PORT" "$GAIUS_SEND" "$GAIUS_RECV" --tcp-flags SYN SYN; then
	exit 1
fi
bench_server rulecost
for ((r = 1; r <= 2 * BENCH_ROUNDS; r++)); do
	for ((i = 0; i < ${#COST_STATES[@]}; i++)); do
		state=${COST_STATES[(i + r) % ${#COST_STATES[@]}]}
		state_rules -A "$state" || break 2
		BENCH_LABEL=rule-$state bench_client rulecost --test rr,stream --round "$r" --count 2000 \
			--sizes 1K,64K --methods write --seconds "$BENCH_SECONDS" ||
			fail "rule-cost-$state-round-$r" "$(tail_line "$WORK/client-rulecost.log" 1)"
		state_rules -D "$state" || break 2
	done
done
stop_servers rule-cost
finish

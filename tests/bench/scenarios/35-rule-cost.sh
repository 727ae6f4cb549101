#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# What a rule costs a flow it has already attached. One flow kind, the
# four states of the rules for its packets after the handshake
# (bench-lib.sh's rule_cost_state: none, accept, xt, gaius), side by side,
# twice $BENCH_ROUNDS rounds (the differences sought are a few percent), the
# states in an order rotated by the round. In all four, rules on the SYN
# and the SYN-ACK attach the ULP, as docs/design.md describes, so the flow
# is the rules path's. Each state runs 2000 64-byte round trips, then a
# stream of 1 KiB and 64 KiB writes; the server checks every byte and both
# ends their TCP_ULP, so a state whose rules left a byte unenciphered fails.
# shellcheck source=bench-lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/bench-lib.sh"

rule_cost_handshake || exit 1
bench_server rulecost
for ((r = 1; r <= 2 * BENCH_ROUNDS; r++)); do
	for ((i = 0; i < ${#RULE_COST_STATES[@]}; i++)); do
		state=${RULE_COST_STATES[(i + r) % ${#RULE_COST_STATES[@]}]}
		rule_cost_state -A "$state" || break 2
		BENCH_LABEL=rule-$state bench_client rulecost --test rr,stream --round "$r" --count 2000 \
			--sizes 1K,64K --methods write --seconds "$BENCH_SECONDS" ||
			fail "rule-cost-$state-round-$r" "$(tail_line "$WORK/client-rulecost.log" 1)"
		rule_cost_state -D "$state" || break 2
	done
done
stop_servers rule-cost
finish

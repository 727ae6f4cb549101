#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Where the time goes: perf samples (cpu-clock: TCG has no PMU) of the
# benchmark's CPU while streams run, plain TCP and the ULP at 1 KiB and
# 64 KiB writes; while connections (connect, 64 bytes each way, close) are
# made plain, with the ULP by setsockopt and through the rules; and while
# 64-byte round trips, then a stream of 1 KiB writes, run on a flow the
# rules attached, in each of bench-lib.sh's rule-cost states. Both ends and
# their softirqs share that CPU. Under TCG perf record takes a minute or
# more to start and to stop, so one perf record (timestamps in
# CLOCK_MONOTONIC, like the records' t0 and t1) covers all the runs and perf
# report cuts it by time; each flat profile is printed as
# "PROFILE LABEL | ..." lines for tests/bench/report.py to keep.
# shellcheck source=bench-lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/bench-lib.sh"

readonly PERF_DATA=$WORK/perf.data PROFILED=(plain:1K ulp:1K plain:64K ulp:64K)
readonly PROFILED_CRR=(plain ulp rules)
# Round trips per rule-cost state: about 3 s of them.
readonly PROFILED_RR=12000
# Then a 4-second stream of 1 KiB writes per state: the rule cost the
# round trips do not show, spread over the fewest bytes.
RULE_COST_LABELS_1K=("${RULE_COST_STATES[@]/#/rule-}")
readonly RULE_COST_LABELS_1K=("${RULE_COST_LABELS_1K[@]/%/-1K}")
PERF_PID=''

# perf_start: perf record in the background, disabled until perf_ctl enable.
perf_start() {
	mkfifo "$WORK/perf.ctl" "$WORK/perf.ack" || return 1
	exec {PERF_CTL}<>"$WORK/perf.ctl" {PERF_ACK}<>"$WORK/perf.ack"
	perf record -q -C "$BENCH_CPU" -e cpu-clock -F 1000 -k CLOCK_MONOTONIC -B -N \
		--no-bpf-event -D -1 --control "fd:$PERF_CTL,$PERF_ACK" -o "$PERF_DATA" \
		-- sleep 3600 >"$WORK/perf-record.log" 2>&1 &
	PERF_PID=$!
	BACKGROUND_PIDS+=("$PERF_PID")
}

# perf_ctl COMMAND: COMMAND (enable, disable) to perf, and its ack back.
perf_ctl() {
	local reply=''
	echo "$1" >&"$PERF_CTL"
	read -r -t 600 reply <&"$PERF_ACK" && [[ $reply == ack ]]
}

perf_stop() {
	kill -INT "$PERF_PID"
	wait "$PERF_PID"
}

# window FILE: the "T0 T1" of the record in FILE.
window() {
	sed -n 's/.*"t0": \([0-9.]*\), "t1": \([0-9.]*\).*/\1 \2/p' "$1"
}

# report LABEL T0 T1 [PATTERN]: the flat profile between T0 and T1
# (seconds); PASS when it has samples. With PATTERN, only the symbols that
# match it, however few their samples: each of a rule's functions is under
# the flat profile's cut on a round trip.
report() {
	local limit=0.7 pattern=.
	(($# > 3)) && limit=0 pattern=$4
	perf report -i "$PERF_DATA" --stdio --no-children -n --sort dso,sym --percent-limit "$limit" \
		--time "$2,$3" 2>/dev/null | grep -v -e '^#' -e '^$' | grep -E -e "$pattern" >"$WORK/profile.txt"
	sed "s/^/PROFILE $1 | /" "$WORK/profile.txt"
	if [[ -s $WORK/profile.txt ]]; then
		pass "profile-$1"
	else
		fail "profile-$1" "no samples between $2 and $3"
	fi
}

# What a rule runs: netfilter's hook and tables, nft_compat, the targets
# and what they call in caesar.ko.
readonly RULE_SYMBOLS='nf_hook|nft_|nf_conntrack|ipt_do_table|xt_|gaius_|caesar_(rule_settled|has_key|encipher_skb|rx_switching|owns)'
# What a connection runs of ours and for our sake: netfilter (conntrack
# too, if anything turned it on), the two modules' functions (perf names
# their dso [kernel.kallsyms] too), the lookups the targets make, and
# memset (kzalloc, under TCG a byte a step).
readonly CRR_SYMBOLS='nf_hook|nft_|nf_conntrack|nf_ct_|xt_|caesar_|gaius_|inet6?_lookup|nf_sk_lookup|tcp_(set|cleanup)_ulp|memset'

if ! perf_start || ! perf_ctl enable; then
	fail profile-perf "perf record did not start: $(tail_line "$WORK/perf-record.log")"
	exit 1
fi
start_servers
declare -A WINDOW=()
for run in "${PROFILED[@]}"; do
	IFS=: read -r p size <<<"$run"
	if bench_client "$p" --test stream --round 1 --sizes "$size" --seconds 4 >"$WORK/profile.out"; then
		WINDOW[$p-$size]=$(window "$WORK/profile.out")
	else
		fail "profile-$p-$size" "the stream failed: $(tail_line "$WORK/client-$p.log" 1)"
	fi
done
for p in "${PROFILED_CRR[@]}"; do
	if bench_client "$p" --test crr --round 1 --seconds 8 >"$WORK/profile.out"; then
		WINDOW[crr-$p]=$(window "$WORK/profile.out")
		# Samples per connection: the profile's counts over this.
		log "crr-$p: $(sed -n 's/.*"connections": \([0-9]*\).*/\1/p' "$WORK/profile.out") connections"
	else
		fail "profile-crr-$p" "the connections failed: $(tail_line "$WORK/client-$p.log" 1)"
	fi
done
if rule_cost_handshake; then
	bench_server rulecost
	for state in "${RULE_COST_STATES[@]}"; do
		rule_cost_state -A "$state" || break
		if BENCH_LABEL=rule-$state bench_client rulecost --test rr --round 1 \
			--count "$PROFILED_RR" >"$WORK/profile.out"; then
			WINDOW[rule-$state]=$(window "$WORK/profile.out")
		else
			fail "profile-rule-$state" "the round trips failed: $(tail_line "$WORK/client-rulecost.log" 1)"
		fi
		if BENCH_LABEL=rule-$state-1K bench_client rulecost --test stream --round 1 \
			--sizes 1K --methods write --seconds 4 >"$WORK/profile.out"; then
			WINDOW[rule-$state-1K]=$(window "$WORK/profile.out")
		else
			fail "profile-rule-$state-1K" "the stream failed: $(tail_line "$WORK/client-rulecost.log" 1)"
		fi
		rule_cost_state -D "$state" || break
	done
fi
perf_ctl disable || log "perf did not acknowledge disable"
stop_servers profile
# perf exits non-zero when its placeholder workload is killed: the reports
# below say whether it recorded.
perf_stop || log "perf record exited $?"
show "$WORK/perf-record.log"
for label in "${PROFILED[@]/:/-}" "${PROFILED_CRR[@]/#/crr-}" "${RULE_COST_STATES[@]/#/rule-}" \
	"${RULE_COST_LABELS_1K[@]}"; do
	[[ -n ${WINDOW[$label]:-} ]] || continue
	read -r t0 t1 <<<"${WINDOW[$label]}"
	report "$label" "$t0" "$t1"
	case $label in
	crr-*) report "$label-ours" "$t0" "$t1" "$CRR_SYMBOLS" ;;
	rule-*) report "$label-hooks" "$t0" "$t1" "$RULE_SYMBOLS" ;;
	esac
done
finish

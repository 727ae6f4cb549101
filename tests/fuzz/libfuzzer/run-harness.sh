#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Runs one libFuzzer harness for a fixed time from a fixed seed and prints
# one result line, as the host tests do (tests/run-all):
#
#   PASS: NAME: N inputs in S s (seed K), no crash, no disagreement
#   FAIL: NAME: what libFuzzer or the harness reported; reproduce with ...
#
# and after a PASS, "TALLY: inputs N" for the suite's count (tests/run-all).
#
# usage: run-harness.sh NAME HARNESS SECONDS SEED [libFuzzer options...]
#
# The corpus is a fresh directory each time unless FUZZ_CORPUS names one to
# keep (make fuzz keeps build/fuzz/corpus/NAME across runs). A crashing input
# is kept in build/fuzz/artifacts/ (next to the harness). libFuzzer's own
# output goes to stderr.

set -euo pipefail

if (($# < 4)); then
	echo "usage: $0 NAME HARNESS SECONDS SEED [libFuzzer options...]" >&2
	exit 2
fi
name=$1 harness=$2 seconds=$3 seed=$4
shift 4

if [[ ! -x $harness ]]; then
	echo "FAIL: $name: $harness is not built (make -C tests/fuzz)"
	exit 1
fi
artifacts=$(dirname "$harness")/artifacts
mkdir -p "$artifacts"
log=$(mktemp "/tmp/$name.XXXXXX.log")
corpus=${FUZZ_CORPUS:-}
fresh=''
if [[ -z $corpus ]]; then
	corpus=$(mktemp -d "/tmp/$name.corpus.XXXXXX")
	fresh=$corpus
fi
mkdir -p "$corpus"
trap 'rm -f "$log"; [[ -z $fresh ]] || rm -rf "$fresh"' EXIT

status=0
# libFuzzer stops itself after -max_total_time; timeout is for a harness
# stuck in one input.
timeout --kill-after=10 $((seconds + 120)) "$harness" -seed="$seed" \
	-max_total_time="$seconds" -print_final_stats=1 -timeout=20 \
	-artifact_prefix="$artifacts/$name-" "$@" "$corpus" >"$log" 2>&1 || status=$?
tail -n 25 "$log" >&2

runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 inputs in \2 s/p' "$log")
if ((status == 0)) && [[ -n $runs ]]; then
	echo "PASS: $name: $runs (seed $seed), no crash, no disagreement"
	echo "TALLY: inputs ${runs%% *}"
	exit 0
fi
# The harness's own message, else the sanitizer's or libFuzzer's.
reason=$(grep -m1 -E "^$(basename "$harness"): |^==[0-9]+==ERROR|^SUMMARY:|deadly signal|timeout" "$log" || true)
artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
echo "FAIL: $name: exit $status: ${reason:-see the log above}${artifact:+; reproduce: $harness $artifact}"
exit 1

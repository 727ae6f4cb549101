#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Before any figure: every enciphering path the benchmark measures puts
# ciphertext on the wire, by write() and by sendfile(). gaius-xfer moves
# 256 KiB per connection (every byte checked by the receiver) in the rules
# pair while tcpdump captures the link, then wirecheck.py checks that each
# stream's bytes are the payload shifted by the key (plain TCP: the
# payload itself). kTLS is the kernel's own and not checked here: its
# receiver could not decrypt a stream its sender had not encrypted.
# shellcheck source=bench-lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/bench-lib.sh"

readonly SIZE=262144 SEED=1
readonly KEYED=(--key "$BENCH_KEY")

# gate NAME SHIFT SERVER-OPTIONS -- CLIENT-OPTIONS: one transfer on the
# next port, remembered for the wire checks.
declare -A GATE_PORT=() GATE_SHIFT=()
gate() {
	local name=$1 shift=$2
	shift 2
	xfer "$name" "$SERVER4" "$@" && GATE_PORT[$name]=$PORT && GATE_SHIFT[$name]=$shift
}

start_capture || fail wire-capture "tcpdump did not start"
m=0
for method in write sendfile; do
	# Ports: 72M1 plain, 72M2 ulp, 72M3 preload (M: 1 write, 2 sendfile);
	# the rules match $RULES_PORT (write) and the one after it.
	m=$((m + 1))
	NEXT_PORT=$((BARE_PORT + 10 * m))
	gate "wire-plain-$method" 0 --size "$SIZE" -- --size "$SIZE" --send "$method"
	gate "wire-ulp-$method" "$BENCH_KEY" "${KEYED[@]}" --size "$SIZE" -- \
		"${KEYED[@]}" --size "$SIZE" --send "$method"
	LD_PRELOAD=$SHIM BENCH_SHIFT_KEY=$BENCH_KEY gate "wire-preload-$method" "$BENCH_KEY" \
		--size "$SIZE" -- --size "$SIZE" --send "$method"
	NEXT_PORT=$((RULES_PORT + m - 2))
	gate "wire-rules-$method" "$BENCH_KEY" --size "$SIZE" -- --size "$SIZE" --send "$method"
done
stop_capture
for name in "${!GATE_PORT[@]}"; do
	if ((GATE_SHIFT[$name] == 0)); then
		wire "$name-wire" "${GATE_PORT[$name]}" --seed "$SEED" --size "$SIZE" --plaintext --streams 1
	else
		wire "$name-wire" "${GATE_PORT[$name]}" --seed "$SEED" --size "$SIZE" \
			--shift "${GATE_SHIFT[$name]}" --streams 1
	fi
done
finish

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# gaius-sockfuzz (tests/fuzz/sockfuzz/): random socket calls on caesar
# sockets from threads and forked children, over loopback and this veth
# pair, IPv4 and IPv6, next to oracle connections whose every byte is
# compared. FUZZ_SECONDS of it for each seed of FUZZ_SEEDS (make check: 35 s
# for seeds 1 and 2; make fuzz runs longer, see mk/fuzz.mk). Passes when the
# fuzzer finds no wrong byte, no broken contract and no lost child for any
# seed, the oracles' first connections over veth show only ciphertext on the
# wire, and plain transfers still work afterwards; the VM runner fails the
# run on any kernel warning.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=../fuzz/scenario-lib.sh
source "$(dirname "$0")/../fuzz/scenario-lib.sh"

readonly FUZZ_SECONDS=${FUZZ_SECONDS:-35}
read -r -a SEEDS <<<"${FUZZ_SEEDS:-1 2}"
readonly SEEDS
readonly SOCKFUZZ=$GAIUS_BUILD/fuzz/gaius-sockfuzz
# gaius-sockfuzz's defaults: oracles 0 and 1 run over veth, and oracle N's
# connection C, for C below 10, on port 20000 + 1000 N + C alone. The
# capture keeps the first WIRE_SAMPLE connections of each.
readonly ORACLE_PORT=20000 WIRE_SAMPLE=2
# Each seed's fuzzed listeners get ports of their own: the fuzzer may clear
# SO_REUSEADDR on an accepted socket (a random SOL_SOCKET option), and such
# a socket, left in TIME_WAIT, FIN_WAIT or LAST_ACK after its seed exits,
# keeps the next seed's listener from binding the same port (EADDRINUSE),
# as Linux should. The I-th seed (from 0) listens from FUZZ_PORT + 100 I,
# a port per transport.
readonly FUZZ_PORT=19000

[[ -x $SOCKFUZZ && -x $WIRECHECK_MANY ]] || {
	fail "$SCENARIO-setup" "$SOCKFUZZ is not built (make -C tests/fuzz)"
	exit 1
}

# The capture keeps the sampled oracle ports only: the fuzzed pairs' bytes
# are junk, and many.
ORACLE_FILTER="tcp portrange $ORACLE_PORT-$((ORACLE_PORT + WIRE_SAMPLE - 1))"
ORACLE_FILTER+=" or tcp portrange $((ORACLE_PORT + 1000))-$((ORACLE_PORT + 1000 + WIRE_SAMPLE - 1))"
readonly ORACLE_FILTER

fuzzed=0 run=0
for seed in "${SEEDS[@]}"; do
	name=fuzz-sockets-seed-$seed
	start_capture_of "$ORACLE_FILTER" || fail "$name-capture" "tcpdump did not start"
	log "$name: $FUZZ_SECONDS s"
	status=0 started=$SECONDS
	in_client "$SOCKFUZZ" --seed "$seed" --seconds "$FUZZ_SECONDS" \
		--server-netns "/run/netns/$NS_SERVER" --server4 "$SERVER4" --server6 "$SERVER6" \
		--fuzz-port "$((FUZZ_PORT + 100 * run))" --oracle-port "$ORACLE_PORT" \
		--manifest "$WORK/$name.manifest" \
		>"$WORK/$name.log" 2>&1 || status=$?
	log "$name: gaius-sockfuzz exited $status after $((SECONDS - started)) s"
	stop_capture
	show "$WORK/$name.log"
	tally_sockfuzz "$WORK/$name.log"
	if ((status == 0)); then
		pass "$name"
	else
		fail "$name" "exit $status: $(grep -m3 'FAILED' "$WORK/$name.log" | tr '\n' ' ')"
	fi
	check "$name-oracle-wire" "$WIRECHECK_MANY" "$CAPTURE" --manifest "$WORK/$name.manifest" \
		--first "$WIRE_SAMPLE" --at-least 2
	log "$name: checked the wire after $((SECONDS - started)) s"
	mv "$CAPTURE" "$WORK/$name.pcap"
	fuzzed=$((fuzzed + FUZZ_SECONDS)) run=$((run + 1))
done
log "fuzzed for $fuzzed s over ${#SEEDS[@]} seed(s)"

# The stack still works: a transfer each way per family, after the fuzzing.
readonly AFTER_KEY=7919 AFTER_SIZE=200003 AFTER_SEED=92
start_capture || fail "$SCENARIO-capture" "tcpdump did not start"
SPECS=()
for addr in "$SERVER4" "$SERVER6"; do
	xfer_both "fuzz-sockets-after-$addr" "$addr" "$AFTER_SEED" "$AFTER_SIZE" "$AFTER_KEY" 1 \
		--key "$AFTER_KEY"
done
stop_capture
wire_batches fuzz-sockets-after-wire "${SPECS[@]}"
finish

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Keys: separate TX and RX keys (101/102) with a different key each way; an
# RX key set only after data has arrived (the bytes queued before it are
# deciphered too); keys that differ but not mod 256 (255 and 4294967295,
# the int -1 to the kernel); a key one way only; the ULP with no key; no
# ULP; and the ULP on one end only. gaius-xfer checks what the receivers
# read, wirecheck.py what went over the wire.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

readonly SIZE=500001
readonly LATE_SIZE=60001

# grep_log NAME FILE REGEX: PASS when the log has a line matching REGEX.
grep_log() {
	if grep -Eq "$3" "$2"; then
		pass "$1"
	else
		fail "$1" "no line matching '$3' in $(basename "$2")"
	fi
}

start_capture || fail "$SCENARIO-capture" "tcpdump did not start"

common=(--size "$SIZE" --direction both --chunk 7777 --seed 20)
xfer keys-separate-tx-rx "$SERVER4" "${common[@]}" --tx-key 200 --rx-key 3 \
	-- "${common[@]}" --tx-key 3 --rx-key 200
port_separate=$PORT

late=(--size "$LATE_SIZE" --seed 21)
xfer keys-late-rx-key "$SERVER6" "${late[@]}" --rx-key 77 --late-rx-key -- "${late[@]}" --key 77
port_late=$PORT
grep_log keys-late-rx-key-had-queued-bytes "$WORK/keys-late-rx-key.server.log" \
	'[1-9][0-9]* bytes queued before the RX key was set'

mod=(--size 65539 --direction both --seed 22 --send writev --recv readv)
xfer keys-equal-mod-256 "$SERVER4" "${mod[@]}" --key 255 -- "${mod[@]}" --key 4294967295
port_mod=$PORT

one_way=(--size 100003 --direction both --seed 23)
xfer keys-one-direction "$SERVER_MAPPED" "${one_way[@]}" --rx-key 0x105 -- "${one_way[@]}" --tx-key 5
port_one_way=$PORT

no_key=(--size 100003 --direction both --seed 24)
xfer keys-ulp-without-key "$SERVER6" "${no_key[@]}" --ulp -- "${no_key[@]}" --ulp
port_no_key=$PORT

xfer keys-no-ulp "$SERVER4" "${no_key[@]}" -- "${no_key[@]}"
port_no_ulp=$PORT

# The ULP on the client only: the server reads ciphertext, which does not
# match the payload, from the first byte on.
next_port
in_background "$WORK/one-side.server.log" "$NS_SERVER" gaius-xfer server --port "$PORT" --size 4096 --seed 25
one_side_pid=$BG_PID
wait_listening "$NS_SERVER" "$PORT" || fail keys-client-only "the server never listened"
check keys-client-only-client-sends in_client gaius-xfer client --address "$SERVER4" --port "$PORT" \
	--size 4096 --seed 25 --key 9
if wait "$one_side_pid"; then
	fail keys-client-only-server-sees-ciphertext "the server read the plaintext"
else
	grep_log keys-client-only-server-sees-ciphertext "$WORK/one-side.server.log" \
		'first mismatch at offset 0:'
fi
port_one_side=$PORT

stop_capture
wire keys-separate-tx-rx-wire-to-server "$port_separate" --seed 20 --size "$SIZE" --shift 3
wire keys-separate-tx-rx-wire-to-client "$port_separate" --seed 20 --size "$SIZE" --shift 200 \
	--direction server-to-client
wire keys-late-rx-key-wire "$port_late" --seed 21 --size "$LATE_SIZE" --shift 77
wire keys-equal-mod-256-wire-to-server "$port_mod" --seed 22 --size 65539 --shift 4294967295
wire keys-equal-mod-256-wire-to-client "$port_mod" --seed 22 --size 65539 --shift 255 \
	--direction server-to-client
wire keys-one-direction-wire-to-server "$port_one_way" --seed 23 --size 100003 --shift 5
wire keys-one-direction-wire-to-client-plaintext "$port_one_way" --seed 23 --size 100003 \
	--plaintext --direction server-to-client
for d in client-to-server server-to-client; do
	wire "keys-ulp-without-key-wire-$d-plaintext" "$port_no_key" --seed 24 --size 100003 \
		--plaintext --direction "$d"
	wire "keys-no-ulp-wire-$d-plaintext" "$port_no_ulp" --seed 24 --size 100003 \
		--plaintext --direction "$d"
done
wire keys-client-only-wire "$port_one_side" --seed 25 --size 4096 --shift 9
finish

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Every send method with a few receive methods (and every receive method at
# least once), sizes from 0 B to 8 MiB, odd sizes and odd chunks, over IPv4,
# IPv6 and IPv4-mapped IPv6, with the ULP and a key on both ends: gaius-xfer
# checks that the receiver read exactly what was written, and the capture
# must show every payload byte as plaintext + key.
#
# A few transfers are large, most are small: the VM is emulated. The keys
# and the sizes of the random rows come from GAIUS_RANDOM_SEED (logged).
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

RANDOM_SEED=${GAIUS_RANDOM_SEED:-$((($(date +%s) ^ $$) % 32768))}
RANDOM=$RANDOM_SEED
log "GAIUS_RANDOM_SEED=$RANDOM_SEED"

# send      recv      size     chunk   address  direction
readonly FIXED_ROWS="
write       read      8388609  65536   v4       client-to-server
write       peek      1        1       v6       client-to-server
send        recv      4099     3       mapped   client-to-server
send        waitall   1000003  4096    v4       server-to-client
sendmsg     recvmsg   65537    1000    v6       client-to-server
sendmsg     dontwait  7        65536   v4       client-to-server
sendmmsg    recvmmsg  300007   8191    mapped   client-to-server
sendmmsg    epoll     0        65536   v6       client-to-server
writev      readv     500001   131071  v4       client-to-server
writev      trunc     123457   999     v6       client-to-server
sendfile    splice    2000003  65536   mapped   client-to-server
sendfile    read      33       16      v4       server-to-client
splice      rcvlowat  777777   20000   v6       client-to-server
splice      recv      65536    65536   v4       client-to-server
zerocopy    read      4194305  65536   v6       client-to-server
zerocopy    peek      99991    7000    v4       both
oob         recv      100001   4096    mapped   client-to-server
oob         readv     3        1       v6       client-to-server
write       epoll     3000017  65521   v6       both
"
readonly SEND_METHODS=(write send sendmsg sendmmsg writev sendfile splice zerocopy oob)
readonly RECV_METHODS=(read recv recvmsg recvmmsg readv peek waitall dontwait epoll trunc splice rcvlowat)
readonly RANDOM_ROWS=8

address_of() {
	case $1 in
	v4) printf '%s\n' "$SERVER4" ;;
	v6) printf '%s\n' "$SERVER6" ;;
	mapped) printf '%s\n' "$SERVER_MAPPED" ;;
	esac
}

# Transfers that passed, for the wire checks once the capture is stopped:
# "name port seed size key direction".
CHECKS_ON_WIRE=()

# transfer NAME SEND RECV SIZE CHUNK ADDRESS DIRECTION [EXTRA OPTIONS...]
transfer() {
	local name=$1 send=$2 recv=$3 size=$4 chunk=$5 addr=$6 direction=$7
	local seed=$((RANDOM * 65536 + RANDOM)) key
	shift 7
	key=$(random_key)
	local opts=(--key "$key" --seed "$seed" --size "$size" --chunk "$chunk"
		--send "$send" --recv "$recv" --direction "$direction")
	xfer "$name" "$(address_of "$addr")" "${opts[@]}" "$@" -- "${opts[@]}" "$@" &&
		CHECKS_ON_WIRE+=("$name $PORT $seed $size $key $direction")
}

check_on_wire() {
	local name port seed size key direction d
	for row in "${CHECKS_ON_WIRE[@]}"; do
		read -r name port seed size key direction <<<"$row"
		for d in client-to-server server-to-client; do
			[[ $direction == both || $direction == "$d" ]] || continue
			wire "$name-wire-$d" "$port" --direction "$d" --seed "$seed" \
				--size "$size" --shift "$key"
		done
	done
}

start_capture || fail "$SCENARIO-capture" "tcpdump did not start"

while read -r send recv size chunk addr direction; do
	[[ -n $send ]] || continue
	transfer "data-$send-$recv-$size-$addr" "$send" "$recv" "$size" "$chunk" "$addr" "$direction"
done <<<"$FIXED_ROWS"

for ((i = 0; i < RANDOM_ROWS; i++)); do
	send=${SEND_METHODS[RANDOM % ${#SEND_METHODS[@]}]}
	recv=${RECV_METHODS[RANDOM % ${#RECV_METHODS[@]}]}
	[[ $send == oob && $recv == waitall ]] && recv="read"
	addr=$(printf 'v4\nv6\nmapped\n' | sed -n "$((RANDOM % 3 + 1))p")
	transfer "data-random$i-$send-$recv-$addr" "$send" "$recv" \
		$((RANDOM * 2 + 1)) $((RANDOM % 20000 + 1)) "$addr" client-to-server
done

transfer data-concurrent-4-both-v4 writev dontwait 200003 12345 v4 both \
	--connections 4 --concurrent
transfer data-ulp-before-connect-v6 send recvmsg 1048573 32768 v6 client-to-server \
	--ulp-before-connect

stop_capture
check_on_wire
finish

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The send paths over a link that cannot gather (scatter-gather off on both
# veth ends, so that sockets lose NETIF_F_SG from their route): TCP then copies
# what it is given into the socket's page_frag rather than taking the page,
# and that page_frag is the one the ULP builds its chunks in. Every send
# method, small and large chunks, and a Fast Open SYN: gaius-xfer checks
# that the receiver read exactly what was written, and the capture must
# show every payload byte as plaintext + key.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

RANDOM_SEED=${GAIUS_RANDOM_SEED:-$((($(date +%s) ^ $$) % 32768))}
RANDOM=$RANDOM_SEED
log "GAIUS_RANDOM_SEED=$RANDOM_SEED"

readonly KEY=12354 SHIFT=66

# send      recv      size     chunk   address  direction
readonly ROWS="
write       read      4194305  65536   v4       client-to-server
write       recv      100003   1       v6       client-to-server
sendmsg     waitall   1000003  4097    v4       both
writev      readv     500001   131071  v6       client-to-server
sendfile    read      2000003  65536   v4       client-to-server
sendfile    splice    300007   999     v6       client-to-server
splice      recv      777777   20000   v4       client-to-server
zerocopy    read      1048577  65536   v6       client-to-server
oob         recv      100001   4096    v4       client-to-server
"

if ! command -v ethtool >/dev/null; then
	fail "$SCENARIO-setup" "no ethtool"
	exit 1
fi
# Off before any connection: a socket takes its route's features at connect.
in_server ethtool -K veth-s sg off || fail "$SCENARIO-setup" "ethtool -K veth-s sg off"
in_client ethtool -K veth-c sg off || fail "$SCENARIO-setup" "ethtool -K veth-c sg off"
check sg-off-client sh -c "ip netns exec $NS_CLIENT ethtool -k veth-c | grep -x 'scatter-gather: off'"
check sg-off-server sh -c "ip netns exec $NS_SERVER ethtool -k veth-s | grep -x 'scatter-gather: off'"

in_server sysctl -qw net.ipv4.tcp_fastopen=0x207
in_client sysctl -qw net.ipv4.tcp_fastopen=0x207
start_capture || fail "$SCENARIO-capture" "tcpdump did not start"

CHECKS_ON_WIRE=()
while read -r send recv size chunk addr direction; do
	[[ -n $send ]] || continue
	name=nosg-$send-$recv-$size-$addr
	seed=$((RANDOM * 65536 + RANDOM))
	case $addr in
	v4) address=$SERVER4 ;;
	v6) address=$SERVER6 ;;
	esac
	opts=(--key "$KEY" --seed "$seed" --size "$size" --chunk "$chunk"
		--send "$send" --recv "$recv" --direction "$direction")
	xfer "$name" "$address" "${opts[@]}" -- "${opts[@]}" &&
		CHECKS_ON_WIRE+=("$name $PORT $seed $size $direction")
done <<<"$ROWS"

special nosg-fastopen-v4 fastopen "$SERVER4" "$KEY"
TFO_PORT=$PORT
special nosg-tfo-connect-v6 tfo-connect "$SERVER6" "$KEY"
TFO6_PORT=$PORT

stop_capture
for row in "${CHECKS_ON_WIRE[@]}"; do
	read -r name port seed size direction <<<"$row"
	for d in client-to-server server-to-client; do
		[[ $direction == both || $direction == "$d" ]] || continue
		wire "$name-wire-$d" "$port" --direction "$d" --seed "$seed" \
			--size "$size" --shift "$KEY"
	done
done
MESSAGE=$(special_paths.py message)
wire nosg-fastopen-v4-wire "$TFO_PORT" --direction client-to-server --message "$MESSAGE" --shift "$SHIFT"
wire nosg-tfo-connect-v6-wire "$TFO6_PORT" --direction client-to-server --message "$MESSAGE" --shift "$SHIFT"
check nosg-fastopen-v4-data-in-syn syn_has_data "$TFO_PORT"
check nosg-tfo-connect-v6-data-in-syn syn_has_data "$TFO6_PORT"

finish

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# A connection's life with the ULP on: connect(AF_UNSPEC) and connecting
# again on the same socket (the ULP and its keys stay), shutdown(SHUT_WR)
# right after the last write while data is still in flight, and close()
# with unread data (the kernel answers with RST) or with SO_LINGER 0.
# After all of that, a plain transfer must still work.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

readonly KEY=12354

# rst_seen NAME PORT SIDE: the capture shows an RST sent by the server
# (SIDE src) or by the client (SIDE dst) on PORT.
rst_seen() {
	local name=$1 port=$2 side=$3
	# (tcp[tcpflags] in a filter does not work for IPv6.)
	if [[ $(capture_text "tcp $side port $port") == *'Flags [R'* ]]; then
		pass "$name"
	else
		fail "$name" "no RST from the $([[ $side == src ]] && echo server || echo client) on port $port"
		capture_text "tcp port $port" | tail -n 8 | sed 's/^/    | /'
	fi
}

start_capture || fail "$SCENARIO-capture" "tcpdump did not start"

again=(--key "$KEY" --connections 3 --direction both --size 150001 --seed 30)
xfer life-reconnect-after-af-unspec "$SERVER4" "${again[@]}" -- "${again[@]}" --reconnect
port_reconnect=$PORT

early=(--key 7 --connections 2 --size 70001 --seed 31 --send sendmsg --recv recvmsg)
xfer life-reconnect-ulp-before-connect "$SERVER6" "${early[@]}" \
	-- "${early[@]}" --reconnect --ulp-before-connect
port_reconnect_early=$PORT

flight=(--key "$KEY" --size 4194301 --chunk 1048576 --seed 32)
xfer life-shutdown-with-data-in-flight "$SERVER6" "${flight[@]}" -- "${flight[@]}"
port_flight=$PORT

flight_both=(--key "$KEY" --size 2097143 --chunk 524288 --direction both --seed 33 --send writev)
xfer life-shutdown-both-ways-in-flight "$SERVER_MAPPED" "${flight_both[@]}" -- "${flight_both[@]}"
port_flight_both=$PORT

# In the next two, the sender must have handed every byte to TCP before
# the reader's RST comes, or its send() fails with ECONNRESET, as it
# should. On a slow kernel (the debug one) the send buffer, not yet grown,
# filled, and the RST came while the sender waited for room: 45696 of
# 60000 bytes sent. So both ends start with send buffers that hold the
# whole transfer for these two, and the defaults come back after.
WMEM_BEFORE=$(in_server sysctl -n net.ipv4.tcp_wmem)
readonly WMEM_BEFORE
senders_wmem() {
	in_server sysctl -qw net.ipv4.tcp_wmem="$1" && in_client sysctl -qw net.ipv4.tcp_wmem="$1"
}
check life-unread-send-buffers senders_wmem "4096 262144 4194304"

unread=(--key "$KEY" --size 65536 --seed 34)
xfer life-server-closes-with-unread-data "$SERVER4" "${unread[@]}" --recv-limit 1000 -- "${unread[@]}"
port_unread=$PORT

unread_client=(--key "$KEY" --size 60000 --seed 35 --direction server-to-client)
xfer life-client-resets-with-unread-data "$SERVER6" "${unread_client[@]}" \
	-- "${unread_client[@]}" --recv-limit 5000 --reset
port_reset=$PORT
check life-send-buffers-restored senders_wmem "$WMEM_BEFORE"

after=(--key 99 --size 300007 --direction both --seed 36)
xfer life-transfer-after-resets "$SERVER4" "${after[@]}" -- "${after[@]}"

stop_capture
for d in client-to-server server-to-client; do
	wire "life-reconnect-after-af-unspec-wire-$d" "$port_reconnect" --direction "$d" \
		--seed 30 --size 150001 --shift "$KEY" --streams 3
	wire "life-shutdown-both-ways-in-flight-wire-$d" "$port_flight_both" --direction "$d" \
		--seed 33 --size 2097143 --shift "$KEY"
done
wire life-reconnect-ulp-before-connect-wire "$port_reconnect_early" --seed 31 --size 70001 \
	--shift 7 --streams 2
wire life-shutdown-with-data-in-flight-wire "$port_flight" --seed 32 --size 4194301 --shift "$KEY"
rst_seen life-server-closes-with-unread-data-sends-rst "$port_unread" src
rst_seen life-client-resets-with-unread-data-sends-rst "$port_reset" dst
finish

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The caesar ULP's rarer paths, each through special_paths.py on an IPv6
# listener (IPv4 clients reach it as mapped addresses):
# - urgent data: the MSG_OOB byte is read apart, the stream around it
#   whole, and on the wire all seven bytes are enciphered;
# - reads at an urgent mark, with SO_OOBINLINE and without, once with no
#   ULP to show TCP's behaviour: a read stops at the mark, and a peek and a
#   read from the mark each return all that is queued after it;
# - TCP Fast Open, by sendto(MSG_FASTOPEN) and by TCP_FASTOPEN_CONNECT: the
#   SYN itself carries enciphered bytes, and the server reads the plaintext;
# - TCP_ZEROCOPY_RECEIVE and mmap() are refused, and the stream still works;
# - reads into buffers that run into an unmapped page: EFAULT when no byte
#   fits, a short count when some do, and the stream continues intact;
# - a read of 0 bytes with data queued returns 0 at once, as TCP's does,
#   and the data is still there for the next read;
# - splice() from a blocking socket with SPLICE_F_NONBLOCK and nothing
#   queued returns EAGAIN at once, and later splices the stream whole;
# - a send in TCP_REPAIR is refused, and the stream goes on after it.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

readonly KEY=12354 SHIFT=66
MESSAGE=$(special_paths.py message)
readonly MESSAGE
special_paths.py message urgent-inline >"$WORK/urgent-stream"

# 0x207: client and server Fast Open, with no cookie needed on either side.
in_server sysctl -qw net.ipv4.tcp_fastopen=0x207
in_client sysctl -qw net.ipv4.tcp_fastopen=0x207
start_capture || fail "$SCENARIO-capture" "tcpdump did not start"

special oob-v4 oob "$SERVER4" "$KEY"
OOB_PORT=$PORT
special oob-v6 oob "$SERVER6" "$KEY"
OOB6_PORT=$PORT
special urgent-inline-plain-tcp urgent-inline "$SERVER4" 0
special urgent-skip-plain-tcp urgent-skip "$SERVER6" 0
special urgent-inline-v6 urgent-inline "$SERVER6" "$KEY"
URGENT_PORT=$PORT
special urgent-skip-v4 urgent-skip "$SERVER4" "$KEY"
URGENT_SKIP_PORT=$PORT
special fastopen-sendto-v4 fastopen "$SERVER4" "$KEY"
TFO_PORT=$PORT
special fastopen-connect-v6 tfo-connect "$SERVER6" "$KEY"
TFO6_PORT=$PORT
special zerocopy-receive-refused zc-refused "$SERVER4" "$KEY"
ZC_PORT=$PORT
special read-faults fault "$SERVER4" "$KEY"
special zero-length-read zero-read "$SERVER6" "$KEY"
ZERO_PORT=$PORT
special splice-nonblock splice-nonblock "$SERVER4" "$KEY"
SPLICE_PORT=$PORT
special repair-send-refused repair-send "$SERVER6" "$KEY"
REPAIR_PORT=$PORT

stop_capture
wire oob-v4-wire "$OOB_PORT" --direction client-to-server --message 'abc!def' --shift "$SHIFT"
wire oob-v6-wire "$OOB6_PORT" --direction client-to-server --message 'abc!def' --shift "$SHIFT"
wire urgent-inline-v6-wire "$URGENT_PORT" --direction client-to-server --data-file "$WORK/urgent-stream" --shift "$SHIFT"
wire urgent-skip-v4-wire "$URGENT_SKIP_PORT" --direction client-to-server --data-file "$WORK/urgent-stream" --shift "$SHIFT"
wire fastopen-sendto-v4-wire "$TFO_PORT" --direction client-to-server --message "$MESSAGE" --shift "$SHIFT"
wire fastopen-connect-v6-wire "$TFO6_PORT" --direction client-to-server --message "$MESSAGE" --shift "$SHIFT"
wire zerocopy-receive-refused-wire "$ZC_PORT" --direction client-to-server --message "$MESSAGE" --shift "$SHIFT"
wire zero-length-read-wire "$ZERO_PORT" --direction client-to-server --message "$MESSAGE" --shift "$SHIFT"
wire splice-nonblock-wire "$SPLICE_PORT" --direction client-to-server --message "$MESSAGE" --shift "$SHIFT"
wire repair-send-refused-wire "$REPAIR_PORT" --direction client-to-server --message "$MESSAGE" --shift "$SHIFT"
check fastopen-sendto-v4-data-in-syn syn_has_data "$TFO_PORT"
check fastopen-connect-v6-data-in-syn syn_has_data "$TFO6_PORT"

finish

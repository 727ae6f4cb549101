#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Bad input: gaius-sockopt-check's checks of the socket options (bad optlen,
# unknown options, shift-0 keys, keys without the ULP, the ULP on a
# listening socket, listen() with the ULP, the ULP twice, getsockopt before
# and after a key is set) print their own PASS/FAIL lines. Then the demo
# client given a key the kernel refuses.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

# gaius-sockopt-check works over 127.0.0.1 in the server's namespace.
in_server gaius-sockopt-check || FAILURES=$((FAILURES + 1))

next_port
in_background "$WORK/server.log" "$NS_SERVER" caesar-server "$PORT"
wait_listening "$NS_SERVER" "$PORT" || log "caesar-server never listened"
if in_client caesar-client "$SERVER4" "$PORT" 512 >"$WORK/client.log" 2>&1; then
	fail sockopt-client-key-512-refused "caesar-client accepted key 512 (shift 0)"
elif grep -q 'setsockopt(CAESAR_KEY): Invalid argument' "$WORK/client.log"; then
	pass sockopt-client-key-512-refused
else
	fail sockopt-client-key-512-refused "$(tail_line "$WORK/client.log")"
fi
show "$WORK/client.log"
finish

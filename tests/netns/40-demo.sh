#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The blog demo: caesar-client sends ABCDEFG with key 12354 (shift 66).
# caesar-server under LD_PRELOAD=libgaius_preload.so GAIUS_KEY=12354 prints
# ABCDEFG while the capture shows each byte + 66; caesar-server as it is
# prints the ciphertext. Also the preload's edges: GAIUS_KEY in hex and in
# octal (read as iptables reads --key), unset (untouched), invalid or
# negative (fails closed), a non-blocking connect(), and an unmodified
# gaius-xfer on both ends with a key above 2^31 (the int -7 to the kernel).
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

readonly KEY=12354
readonly MESSAGE=ABCDEFG
# ABCDEFG + 66, as od -An -tx1 prints it.
readonly CIPHERTEXT_HEX='83 84 85 86 87 88 89'

# demo NAME CLIENT-KEY SERVER-ARGS...: caesar-server (run with SERVER-ARGS
# before it, e.g. env ...) on a fresh $PORT, caesar-client to it; the
# server's stdout is in $WORK/NAME.out.
demo() {
	local name=$1 key=$2 server_pid status=0
	shift 2
	next_port
	ip netns exec "$NS_SERVER" "$@" caesar-server "$PORT" >"$WORK/$name.out" 2>"$WORK/$name.err" &
	server_pid=$!
	BACKGROUND_PIDS+=("$server_pid")
	wait_listening "$NS_SERVER" "$PORT" || log "$name: the server never listened"
	in_client caesar-client "$SERVER4" "$PORT" "$key" "$MESSAGE" >"$WORK/$name.client.err" 2>&1 ||
		log "$name: caesar-client: $(tail_line "$WORK/$name.client.err")"
	wait "$server_pid" || status=$?
	show "$WORK/$name.err"
	return "$status"
}

# Standard input as hex bytes on one line: "41 42 43".
hex() {
	od -An -tx1 | tr -s ' \n' ' ' | sed 's/^ //; s/ $//'
}

# output_is NAME FILE HEX: the file holds exactly these bytes.
output_is() {
	local got
	got=$(hex <"$2")
	if [[ $got == "$3" ]]; then
		pass "$1"
	else
		fail "$1" "printed '$got', expected '$3'"
	fi
}

MESSAGE_HEX=$(printf '%s' "$MESSAGE" | hex)
readonly MESSAGE_HEX
preload=(env LD_PRELOAD="$PRELOAD")

start_capture || fail "$SCENARIO-capture" "tcpdump did not start"

demo demo-preload "$KEY" "${preload[@]}" GAIUS_KEY=$KEY || fail demo-preload-server "exited non-zero"
output_is demo-preload-server-prints-plaintext "$WORK/demo-preload.out" "$MESSAGE_HEX"
port_preload=$PORT

demo demo-plain-server "$KEY" env || fail demo-plain-server "exited non-zero"
output_is demo-plain-server-prints-ciphertext "$WORK/demo-plain-server.out" "$CIPHERTEXT_HEX"
port_plain=$PORT

demo demo-preload-hex-key "$KEY" "${preload[@]}" GAIUS_KEY=0x3042 ||
	fail demo-preload-hex-key-server "exited non-zero"
output_is demo-preload-hex-key-prints-plaintext "$WORK/demo-preload-hex-key.out" "$MESSAGE_HEX"

# 030102 is octal for 12354, as iptables reads 030102.
demo demo-preload-octal-key "$KEY" "${preload[@]}" GAIUS_KEY=030102 ||
	fail demo-preload-octal-key-server "exited non-zero"
output_is demo-preload-octal-key-prints-plaintext "$WORK/demo-preload-octal-key.out" "$MESSAGE_HEX"

demo demo-preload-key-unset "$KEY" "${preload[@]}" || fail demo-preload-key-unset "exited non-zero"
output_is demo-preload-key-unset-passes-through "$WORK/demo-preload-key-unset.out" "$CIPHERTEXT_HEX"

if demo demo-preload-bad-key "$KEY" "${preload[@]}" GAIUS_KEY=12x; then
	fail demo-preload-bad-key-fails-closed "caesar-server accepted with GAIUS_KEY=12x"
elif grep -q 'libgaius_preload: accept refused: GAIUS_KEY="12x"' "$WORK/demo-preload-bad-key.err" &&
	[[ ! -s $WORK/demo-preload-bad-key.out ]]; then
	pass demo-preload-bad-key-fails-closed
else
	fail demo-preload-bad-key-fails-closed "no refusal message, or it printed data"
fi

# A key is unsigned, as iptables' --key: -1 is written 4294967295.
if demo demo-preload-negative-key "$KEY" "${preload[@]}" GAIUS_KEY=-1; then
	fail demo-preload-negative-key-fails-closed "caesar-server accepted with GAIUS_KEY=-1"
elif grep -q 'libgaius_preload: accept refused: GAIUS_KEY="-1": a key is unsigned' \
	"$WORK/demo-preload-negative-key.err" && [[ ! -s $WORK/demo-preload-negative-key.out ]]; then
	pass demo-preload-negative-key-fails-closed
else
	fail demo-preload-negative-key-fails-closed "no refusal message, or it printed data"
fi

if demo demo-preload-zero-shift "$KEY" "${preload[@]}" GAIUS_KEY=256; then
	fail demo-preload-zero-shift-fails-closed "caesar-server accepted with GAIUS_KEY=256"
elif grep -q 'libgaius_preload: accept refused: setsockopt(CAESAR_KEY) with GAIUS_KEY 256: Invalid argument' \
	"$WORK/demo-preload-zero-shift.err"; then
	pass demo-preload-zero-shift-fails-closed
else
	fail demo-preload-zero-shift-fails-closed "$(tail_line "$WORK/demo-preload-zero-shift.err")"
fi

# A non-blocking connect() through the preload: EINPROGRESS, then the ULP.
next_port
ip netns exec "$NS_SERVER" "${preload[@]}" GAIUS_KEY=$KEY caesar-server -6 "$PORT" >"$WORK/nonblock.out" 2>&1 &
nonblock_pid=$!
BACKGROUND_PIDS+=("$nonblock_pid")
wait_listening "$NS_SERVER" "$PORT" || log "the -6 server never listened"
check demo-preload-nonblocking-connect in_client "${preload[@]}" GAIUS_KEY=$KEY python3 -c '
import errno, select, socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.setblocking(False)
err = s.connect_ex((sys.argv[1], int(sys.argv[2])))
assert err == errno.EINPROGRESS, "connect: %s" % errno.errorcode.get(err, err)
select.select([], [s], [], 30)
assert s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
assert s.getsockopt(socket.SOL_TCP, 101) == 12354, "no TX key on the socket"
s.setblocking(True)
s.sendall(sys.argv[3].encode())
s.close()
' "$SERVER6" "$PORT" "$MESSAGE"
wait "$nonblock_pid" || log "the -6 server exited non-zero"
output_is demo-preload-nonblocking-connect-delivered "$WORK/nonblock.out" "$MESSAGE_HEX"
port_nonblock=$PORT

# gaius-xfer knows nothing of the key here: the preload attaches on both ends,
# with 4294967289, whose 32 bits are the int -7 the kernel gets (shift 249).
next_port
in_background "$WORK/xfer-preload.server.log" "$NS_SERVER" "${preload[@]}" GAIUS_KEY=4294967289 \
	gaius-xfer server --port "$PORT" --size 1000003 --direction both --seed 40 --connections 2 --concurrent
xfer_pid=$BG_PID
wait_listening "$NS_SERVER" "$PORT" || log "the preloaded gaius-xfer never listened"
check demo-preload-gaius-xfer-client in_client "${preload[@]}" GAIUS_KEY=4294967289 gaius-xfer client \
	--address "$SERVER4" --port "$PORT" --size 1000003 --direction both --seed 40 --connections 2 --concurrent
check demo-preload-gaius-xfer-server wait "$xfer_pid"
show "$WORK/xfer-preload.server.log"
port_xfer=$PORT

stop_capture
wire demo-preload-wire-shows-ciphertext "$port_preload" --message "$MESSAGE" --shift "$KEY"
wire demo-plain-server-wire-shows-ciphertext "$port_plain" --message "$MESSAGE" --shift "$KEY"
wire demo-preload-nonblocking-connect-wire "$port_nonblock" --message "$MESSAGE" --shift "$KEY"
for d in client-to-server server-to-client; do
	wire "demo-preload-gaius-xfer-wire-$d" "$port_xfer" --direction "$d" --seed 40 \
		--size 1000003 --shift 4294967289 --streams 2
done
finish

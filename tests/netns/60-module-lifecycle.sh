#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The module's life: it loads by name and by alias; while a socket uses the
# ULP, ss -tin shows tcp-ulp-caesar on it, /proc/net/caesar_stat counts it
# and the bytes it moved, and rmmod is refused; once the sockets are gone,
# rmmod succeeds, /proc/net/caesar_stat goes away, and TCP_ULP loads the
# module again by itself.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

readonly SIZE=1000003
readonly HOLD_MS=120000

# caesar_stat NS NAME: a counter of /proc/net/caesar_stat in a namespace (empty if none).
caesar_stat() {
	# shellcheck disable=SC2016 # $1 and $2 are awk's
	ip netns exec "$1" awk -v name="$2" '$1 == name { print $2 }' /proc/net/caesar_stat 2>/dev/null
}

module_loaded() {
	[[ -d /sys/module/caesar ]]
}

module_unloads() {
	rmmod caesar 2>/dev/null
}

no_caesar_sockets() {
	[[ $(caesar_stat "$NS_SERVER" CaesarCurrSockets) == 0 && $(caesar_stat "$NS_CLIENT" CaesarCurrSockets) == 0 ]]
}

# Both ends moved their data and hold the connection established.
transfer_done() {
	grep -q 'gaius-xfer: server conn 0: holding' "$WORK/held.server.log" &&
		grep -q 'gaius-xfer: client conn 0: holding' "$WORK/held.client.log"
}

ulp_shown_by_ss() {
	[[ $(in_server ss -Htin "sport = :$PORT") == *tcp-ulp-caesar* ]]
}

# xt_GAIUS uses caesar.ko, and an earlier scenario's rules may have loaded
# it (their namespaces may still be going away, holding it): the module's
# life here starts without it.
xt_gaius_unloads() {
	[[ ! -d /sys/module/xt_GAIUS ]] || rmmod xt_GAIUS 2>/dev/null
}

check lifecycle-xt-gaius-unloaded poll "$WAIT_TENTHS" xt_gaius_unloads
check lifecycle-modprobe-caesar modprobe caesar
check lifecycle-proc-net-caesar-stat-exists in_server test -r /proc/net/caesar_stat
rx_before=$(caesar_stat "$NS_SERVER" CaesarRxBytes)
tx_before=$(caesar_stat "$NS_CLIENT" CaesarTxBytes)
attached_before=$(caesar_stat "$NS_SERVER" CaesarAttached)

# A transfer whose sockets stay open (--hold) until they are killed.
next_port
held=(--port "$PORT" --key 12354 --size "$SIZE" --seed 60 --hold "$HOLD_MS" --reset)
in_background "$WORK/held.server.log" "$NS_SERVER" gaius-xfer server "${held[@]}"
server_pid=$BG_PID
wait_listening "$NS_SERVER" "$PORT" || log "the server never listened"
in_background "$WORK/held.client.log" "$NS_CLIENT" gaius-xfer client --address "$SERVER4" "${held[@]}"
client_pid=$BG_PID
if poll "$WAIT_TENTHS" transfer_done; then
	pass lifecycle-held-transfer
else
	fail lifecycle-held-transfer "not holding: $(tail_line "$WORK/held.server.log" 1); $(tail_line "$WORK/held.client.log" 1)"
fi
show "$WORK/held.server.log"

if poll "$WAIT_TENTHS" ulp_shown_by_ss; then
	pass lifecycle-ss-shows-tcp-ulp-caesar
else
	fail lifecycle-ss-shows-tcp-ulp-caesar "ss -tin: $(in_server ss -Htin "sport = :$PORT" | tr '\n' ' ')"
fi
in_server ss -tin "sport = :$PORT" | sed 's/^/    | /'

rx_delta=$(($(caesar_stat "$NS_SERVER" CaesarRxBytes) - ${rx_before:-0}))
tx_delta=$(($(caesar_stat "$NS_CLIENT" CaesarTxBytes) - ${tx_before:-0}))
attached_delta=$(($(caesar_stat "$NS_SERVER" CaesarAttached) - ${attached_before:-0}))
in_server cat /proc/net/caesar_stat | sed 's/^/    | /'
if ((rx_delta == SIZE && tx_delta == SIZE)); then
	pass lifecycle-stat-counts-bytes
else
	fail lifecycle-stat-counts-bytes "CaesarRxBytes grew by $rx_delta, CaesarTxBytes by $tx_delta, expected $SIZE"
fi
if ((attached_delta == 1)) && [[ $(caesar_stat "$NS_SERVER" CaesarCurrSockets) == 1 ]]; then
	pass lifecycle-stat-counts-sockets
else
	fail lifecycle-stat-counts-sockets "CaesarAttached grew by $attached_delta, CaesarCurrSockets is $(caesar_stat "$NS_SERVER" CaesarCurrSockets); expected 1 and 1"
fi

if rmmod caesar >"$WORK/rmmod-busy.log" 2>&1; then
	fail lifecycle-rmmod-refused-while-in-use "rmmod caesar succeeded with sockets open"
elif grep -qi 'in use\|busy' "$WORK/rmmod-busy.log"; then
	pass lifecycle-rmmod-refused-while-in-use
else
	fail lifecycle-rmmod-refused-while-in-use "$(tail_line "$WORK/rmmod-busy.log")"
fi
show "$WORK/rmmod-busy.log"

# The holders close their sockets with RST (--reset): nothing lingers.
kill "$server_pid" "$client_pid" 2>/dev/null
wait "$server_pid" "$client_pid" 2>/dev/null
if poll "$WAIT_TENTHS" no_caesar_sockets; then
	pass lifecycle-sockets-gone
else
	fail lifecycle-sockets-gone "CaesarCurrSockets: server $(caesar_stat "$NS_SERVER" CaesarCurrSockets), client $(caesar_stat "$NS_CLIENT" CaesarCurrSockets)"
fi
if poll "$WAIT_TENTHS" module_unloads; then
	pass lifecycle-rmmod-after-close
else
	fail lifecycle-rmmod-after-close "$(rmmod caesar 2>&1)"
fi
if in_server test -e /proc/net/caesar_stat; then
	fail lifecycle-proc-net-caesar-stat-removed "still there after rmmod"
else
	pass lifecycle-proc-net-caesar-stat-removed
fi

check lifecycle-modprobe-again modprobe caesar
check lifecycle-rmmod-unused rmmod caesar
check lifecycle-modprobe-by-alias modprobe tcp-ulp-caesar
check lifecycle-loaded-by-alias module_loaded
check lifecycle-rmmod-again rmmod caesar

# TCP_ULP "caesar" loads the module by itself.
auto=(--key 3 --size 10007 --seed 61)
xfer lifecycle-autoload "$SERVER4" "${auto[@]}" -- "${auto[@]}"
check lifecycle-autoloaded module_loaded
finish

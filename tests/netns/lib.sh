# SPDX-License-Identifier: GPL-2.0 OR MIT
# shellcheck shell=bash
#
# Shared by the netns scenarios (tests/netns/NN-name.sh); source it first.
#
# Two network namespaces joined by a veth pair:
#
#   $NS_SERVER  veth-s  192.0.2.1/24  2001:db8::1/64   the servers run here
#   $NS_CLIENT  veth-c  192.0.2.2/24  2001:db8::2/64   the clients run here
#
# Both names carry $$, so parallel runs do not collide; `trap cleanup EXIT`
# stops what the scenario started and removes them. A capture (tcpdump -U
# -w on veth-s; on $CAPTURE_DEV in $CAPTURE_NS where a scenario that
# rewires the link says so) can run for the whole scenario and is checked
# with wirecheck.py once it is stopped.
#
# Result lines: pass NAME, fail NAME REASON, or check NAME CMD... which runs
# CMD and prints PASS or FAIL with the end of CMD's output as the reason.
# tally WHAT COUNT adds to what the suite says it tried; check and xfer
# tally the bytes gaius-xfer verified. Other output is log. Waits poll (ss,
# files); there are no fixed sleeps.
#
# Contract with tests/vm/guest.sh: run as root, cwd = the checkout, with
# GAIUS_ROOT, GAIUS_BUILD and PATH (build/tests, build/userspace) set.

set -uo pipefail

GAIUS_ROOT=${GAIUS_ROOT:-$(pwd)}
GAIUS_BUILD=${GAIUS_BUILD:-$GAIUS_ROOT/build}
PATH=$GAIUS_BUILD/tests:$GAIUS_BUILD/userspace:$PATH

readonly NS_SERVER=gaius-srv-$$ NS_CLIENT=gaius-cli-$$
readonly SERVER4=192.0.2.1 CLIENT4=192.0.2.2
readonly SERVER6=2001:db8::1 CLIENT6=2001:db8::2
# shellcheck disable=SC2034 # for the scenarios
readonly SERVER_MAPPED=::ffff:$SERVER4
# shellcheck disable=SC2034
readonly PRELOAD=$GAIUS_BUILD/userspace/libgaius_preload.so
# How long a wait may poll before it gives up, in tenths of a second.
readonly WAIT_TENTHS=${GAIUS_WAIT_TENTHS:-300}

SCENARIO=$(basename "$0" .sh)
WORK=$(mktemp -d "/tmp/$SCENARIO.XXXXXX")
CAPTURE=$WORK/capture.pcap
CAPTURE_PID=''
FAILURES=0
NEXT_PORT=7100
BACKGROUND_PIDS=()

log() {
	printf '%s: %s\n' "$SCENARIO" "$*"
}

pass() {
	printf 'PASS: %s\n' "$1"
}

fail() {
	FAILURES=$((FAILURES + 1))
	printf 'FAIL: %s: %s\n' "$1" "$2"
}

# tally WHAT COUNT: COUNT more of WHAT, which tests/run-all adds up over the
# suite and prints at its end. WHAT is one of
#   connections  connections whose bytes the receiving end compared, all
#   bytes        the bytes compared
#   faults       faults injected: packets netem dropped, rules flushed or
#                changed under traffic, module unloads tried while in use,
#                unload/load cycles, namespaces deleted under live connections
#   inputs       fuzzed or crafted inputs: system calls, parser inputs, tables
#   bad-inputs   those of them, and option strings, invalid on purpose
tally() {
	printf 'TALLY: %s %d\n' "$1" "$2"
}

# tally_xfer LOG...: what the gaius-xfer runs whose output is in LOG said
# they verified: each client's connections (a connection has one client),
# and the bytes each end received. (No process substitution here or in the
# scenarios: the guest has no /dev/fd.)
tally_xfer() {
	local role n received connections=0 bytes=0
	while read -r role n received; do
		[[ $role == client ]] && connections=$((connections + n))
		bytes=$((bytes + received))
	done <<<"$(sed -n 's/^gaius-xfer: \(client\|server\): \([0-9]*\) connection(s), [0-9]* bytes sent, \([0-9]*\) received and verified: OK$/\1 \2 \3/p' "$@" 2>/dev/null)"
	((connections == 0)) || tally connections "$connections"
	((bytes == 0)) || tally bytes "$bytes"
}

# Prints a file as log, indented so that no line of it reads as a result.
show() {
	[[ -s $1 ]] && sed 's/^/    | /' "$1"
	return 0
}

# The end of a log, on one line, for a FAIL reason.
tail_line() {
	tail -n "${2:-2}" "$1" 2>/dev/null | tr '\n' ' ' | sed 's/ *$//'
}

# check NAME CMD...: PASS when CMD exits 0, else FAIL with its last lines.
check() {
	local name=$1 out=$WORK/check-$1.log
	shift
	local status=0
	"$@" >"$out" 2>&1 || status=$?
	show "$out"
	if ((status == 0)); then
		tally_xfer "$out"
		pass "$name"
	else
		fail "$name" "$* (exit $status): $(tail_line "$out")"
	fi
}

# A fresh port for each server in a scenario.
next_port() {
	NEXT_PORT=$((NEXT_PORT + 1))
	PORT=$NEXT_PORT
}

in_server() {
	ip netns exec "$NS_SERVER" "$@"
}

in_client() {
	ip netns exec "$NS_CLIENT" "$@"
}

# poll TENTHS CMD...: run CMD every tenth of a second until it succeeds.
poll() {
	local tenths=$1 i
	shift
	for ((i = 0; i < tenths; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

setup_netns() {
	ip netns add "$NS_SERVER" || return 1
	ip netns add "$NS_CLIENT" || return 1
	ip link add veth-s netns "$NS_SERVER" type veth peer name veth-c netns "$NS_CLIENT" || return 1
	in_server ip addr add "$SERVER4/24" dev veth-s
	in_server ip addr add "$SERVER6/64" dev veth-s nodad
	in_client ip addr add "$CLIENT4/24" dev veth-c
	in_client ip addr add "$CLIENT6/64" dev veth-c nodad
	in_server ip link set lo up
	in_client ip link set lo up
	in_server ip link set veth-s up
	in_client ip link set veth-c up
}

cleanup() {
	local pid
	stop_capture >/dev/null 2>&1
	for pid in "${BACKGROUND_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	ip netns del "$NS_CLIENT" 2>/dev/null
	ip netns del "$NS_SERVER" 2>/dev/null
	rm -rf "$WORK"
}

# in_background LOG NS CMD...: start CMD in namespace NS with its output to
# LOG; its pid (CMD's own: ip netns exec execs it) is in $BG_PID, and
# cleanup stops it at the latest.
in_background() {
	local out=$1 ns=$2
	shift 2
	ip netns exec "$ns" "$@" >"$out" 2>&1 &
	BG_PID=$!
	BACKGROUND_PIDS+=("$BG_PID")
}

# Whether something listens on TCP port $2 in namespace $1.
is_listening() {
	[[ -n $(ip netns exec "$1" ss -Hltn "sport = :$2") ]]
}

wait_listening() {
	poll "$WAIT_TENTHS" is_listening "$1" "$2"
}

capture_ready() {
	grep -q 'listening on' "$WORK/tcpdump.err"
}

start_capture() {
	ip netns exec "${CAPTURE_NS:-$NS_SERVER}" tcpdump -i "${CAPTURE_DEV:-veth-s}" -n -U -s 0 -B 65536 -w "$CAPTURE" \
		'tcp or udp port 9' 2>"$WORK/tcpdump.err" &
	CAPTURE_PID=$!
	BACKGROUND_PIDS+=("$CAPTURE_PID")
	poll "$WAIT_TENTHS" capture_ready || {
		show "$WORK/tcpdump.err"
		return 1
	}
}

# What tcpdump prints of the packets in the capture so far that match the
# pcap filter $1. Test it with [[ ]], not `| grep -q`: with pipefail,
# tcpdump's SIGPIPE would fail the pipe.
capture_text() {
	tcpdump -r "$CAPTURE" -n "$1" 2>/dev/null
}

capture_has_marker() {
	[[ -n $(capture_text 'udp port 9') ]]
}

# Stops the capture once it holds everything sent so far: a UDP datagram
# sent last must be in the file before tcpdump is stopped. It goes from the
# client to $MARKER_ADDR, the server's address unless a scenario that
# readdresses the link says otherwise.
stop_capture() {
	[[ -n $CAPTURE_PID ]] || return 0
	in_client bash -c "echo gaius-capture-end >/dev/udp/${MARKER_ADDR:-$SERVER4}/9" 2>/dev/null
	poll "$WAIT_TENTHS" capture_has_marker || log "capture marker never arrived"
	kill -INT "$CAPTURE_PID" 2>/dev/null
	wait "$CAPTURE_PID" 2>/dev/null
	CAPTURE_PID=''
	show "$WORK/tcpdump.err"
}

# xfer NAME ADDR SERVER-OPTIONS -- CLIENT-OPTIONS: gaius-xfer server in
# $NS_SERVER on a fresh port ($PORT), client in $NS_CLIENT to ADDR; PASS
# when both exit 0, i.e. every byte arrived and matched.
xfer() {
	local name=$1 addr=$2 server_opts=() client_opts=() server_pid status=0
	shift 2
	while (($#)) && [[ $1 != -- ]]; do
		server_opts+=("$1")
		shift
	done
	shift
	client_opts=("$@")
	next_port
	log "$name: server ${server_opts[*]} / client ${client_opts[*]} to $addr port $PORT"
	in_background "$WORK/$name.server.log" "$NS_SERVER" gaius-xfer server --port "$PORT" "${server_opts[@]}"
	server_pid=$BG_PID
	if ! wait_listening "$NS_SERVER" "$PORT"; then
		show "$WORK/$name.server.log"
		fail "$name" "the server never listened on port $PORT"
		return 1
	fi
	in_client gaius-xfer client --address "$addr" --port "$PORT" "${client_opts[@]}" \
		>"$WORK/$name.client.log" 2>&1 || status=1
	wait "$server_pid" || status=1
	report_pair "$name" "$status"
}

# report_pair NAME STATUS: shows $WORK/NAME.server.log and .client.log, then
# PASS when STATUS is 0, else FAIL with the last line of each; returns STATUS.
report_pair() {
	local name=$1 status=$2
	show "$WORK/$name.server.log"
	show "$WORK/$name.client.log"
	if ((status == 0)); then
		tally_xfer "$WORK/$name.server.log" "$WORK/$name.client.log"
		pass "$name"
	else
		fail "$name" "server: $(tail_line "$WORK/$name.server.log" 1); client: $(tail_line "$WORK/$name.client.log" 1)"
	fi
	return "$status"
}

# wire NAME PORT ARGS...: wirecheck.py on the (stopped) capture for PORT.
wire() {
	local name=$1 port=$2
	shift 2
	check "$name" wirecheck.py "$CAPTURE" --port "$port" "$@"
}

# special NAME MODE ADDR KEY: special_paths.py's server and client of MODE
# on a fresh $PORT, each attaching KEY itself (0: neither attaches anything).
special() {
	local name=$1 mode=$2 addr=$3 key=$4 server_pid status=0
	next_port
	in_background "$WORK/$name.server.log" "$NS_SERVER" special_paths.py server "$mode" "$PORT" "$key"
	server_pid=$BG_PID
	if ! wait_listening "$NS_SERVER" "$PORT"; then
		fail "$name" "the server never listened on port $PORT"
		return 1
	fi
	in_client special_paths.py client "$mode" "$addr" "$PORT" "$key" >"$WORK/$name.client.log" 2>&1 || status=1
	wait "$server_pid" || status=1
	report_pair "$name" "$status"
}

# syn_has_data PORT: the first SYN to PORT (no ACK flag) in the stopped
# capture carries payload: tcpdump prints a non-zero "length".
syn_has_data() {
	local syn
	syn=$(capture_text "tcp dst port $1" | grep -m1 'Flags \[S\]')
	log "SYN: $syn"
	[[ $syn =~ length\ [1-9] ]]
}

# A key whose shift is not 0, from bash's RANDOM (seed it for repeatability).
random_key() {
	local key=$((RANDOM * 4 + 1))
	if ((key % 256 == 0)); then
		key=$((key + 1))
	fi
	printf '%d\n' "$key"
}

# The scenario's exit status: non-zero when any check failed.
finish() {
	log "$FAILURES failure(s)"
	((FAILURES == 0))
}

require_tools() {
	local tool
	for tool in gaius-xfer gaius-sockopt-check wirecheck.py caesar-server caesar-client; do
		if ! command -v "$tool" >/dev/null; then
			fail "$SCENARIO-setup" "$tool is not built (make -C tests; make -C userspace)"
			exit 1
		fi
	done
}

trap cleanup EXIT
require_tools
if ! setup_netns; then
	fail "$SCENARIO-setup" "cannot create the namespaces and the veth pair"
	exit 1
fi

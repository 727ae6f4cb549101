# SPDX-License-Identifier: GPL-2.0 OR MIT
# shellcheck shell=bash
#
# Shared by the GAIUSENCRYPT/GAIUSDECRYPT scenarios (tests/netns/8?-xt-*.sh);
# source it after lib.sh. Not a scenario itself: its name starts with no digit.
#
# The rules go through the real iptables front ends, both backends: nft
# (iptables-nft, the nf_tables compat layer) and legacy (ip_tables). The two
# must not hold rules in one namespace at the same time, so a scenario runs
# one backend, then clear_rules, then the other.

# The plugins, libxt_GAIUS{EN,DE}CRYPT.so, are not installed: take them from
# the build, and everything else from the system's directory.
export XTABLES_LIBDIR=$GAIUS_BUILD/userspace/xtables:/usr/lib/x86_64-linux-gnu/xtables
# shellcheck disable=SC2034 # for the scenarios
readonly BACKENDS=(nft legacy)

# ipt NS BACKEND FAMILY ARGS...: iptables-BACKEND (FAMILY 4) or
# ip6tables-BACKEND (FAMILY 6) in namespace NS.
ipt() {
	local ns=$1 backend=$2 family=$3 cmd=iptables
	shift 3
	((family == 6)) && cmd=ip6tables
	ip netns exec "$ns" "$cmd-$backend" "$@"
}

# clear_rules NS BACKEND: no rule and no table of BACKEND left in NS, both
# families, so that the other backend can take over without warnings.
clear_rules() {
	local ns=$1 backend=$2 family table
	if [[ $backend == nft ]]; then
		ip netns exec "$ns" nft flush ruleset
		return
	fi
	for family in 4 6; do
		for table in filter nat mangle raw; do
			ipt "$ns" legacy "$family" -t "$table" -F 2>/dev/null
		done
	done
	return 0
}

# caesar_stat NS FIELD: the value of FIELD (CaesarRuleChildren, ...) in
# NS's /proc/net/caesar_stat, 0 when the file is not there yet.
caesar_stat() {
	local value
	# shellcheck disable=SC2016 # awk's $1, $2
	value=$(ip netns exec "$1" awk -v f="$2" '$1 == f { print $2 }' /proc/net/caesar_stat 2>/dev/null)
	printf '%s\n' "${value:-0}"
}

# stat_is NAME NS FIELD OP VALUE: PASS when FIELD in NS compares (-eq, -ge,
# ...) to VALUE.
stat_is() {
	local name=$1 ns=$2 field=$3 op=$4 want=$5 got
	got=$(caesar_stat "$ns" "$field")
	if test "$got" "$op" "$want"; then
		pass "$name"
	else
		fail "$name" "$field is $got, expected $op $want"
	fi
}

# add_other_ns: a third namespace, $NS_OTHER, with no rules, joined to the
# server namespace by a veth pair of its own (veth-so / veth-o):
#   $NS_SERVER  veth-so  198.18.0.1/24  2001:db8:18::1/64
#   $NS_OTHER   veth-o   198.18.0.2/24  2001:db8:18::2/64
# Removed on exit.
readonly NS_OTHER=gaius-oth-$$ OTHER_SERVER4=198.18.0.1 OTHER_SERVER6=2001:db8:18::1
add_other_ns() {
	trap 'ip netns del "$NS_OTHER" 2>/dev/null; cleanup' EXIT
	ip netns add "$NS_OTHER" &&
		ip link add veth-so netns "$NS_SERVER" type veth peer name veth-o netns "$NS_OTHER" &&
		in_server ip addr add "$OTHER_SERVER4/24" dev veth-so &&
		in_server ip addr add "$OTHER_SERVER6/64" dev veth-so nodad &&
		ip netns exec "$NS_OTHER" ip addr add 198.18.0.2/24 dev veth-o &&
		ip netns exec "$NS_OTHER" ip addr add 2001:db8:18::2/64 dev veth-o nodad &&
		in_server ip link set veth-so up &&
		ip netns exec "$NS_OTHER" ip link set lo up &&
		ip netns exec "$NS_OTHER" ip link set veth-o up
}

# other_xfer NAME ADDR OPTIONS...: plain gaius-xfer from $NS_OTHER to a plain
# gaius-xfer server on a fresh $PORT, both with OPTIONS: PASS when every
# byte arrived as sent, i.e. nothing enciphered either end.
other_xfer() {
	local name=$1 addr=$2 server_pid status=0
	shift 2
	next_port
	in_background "$WORK/$name.server.log" "$NS_SERVER" gaius-xfer server --port "$PORT" "$@"
	server_pid=$BG_PID
	wait_listening "$NS_SERVER" "$PORT" || log "$name: the server never listened"
	ip netns exec "$NS_OTHER" gaius-xfer client --address "$addr" --port "$PORT" "$@" \
		>"$WORK/$name.client.log" 2>&1 || status=1
	wait "$server_pid" || status=1
	if ((status == 0)); then
		pass "$name"
	else
		fail "$name" "server: $(tail_line "$WORK/$name.server.log" 1); client: $(tail_line "$WORK/$name.client.log" 1)"
	fi
}

# shifted_is NAME FILE SEED SIZE SHIFT: FILE holds gaius-xfer's payload for
# SEED and SIZE, each byte + SHIFT (0: the plaintext).
shifted_is() {
	local name=$1 file=$2 seed=$3 size=$4 shift=$5
	gaius-xfer payload --seed "$seed" --size "$size" >"$WORK/$name.plain"
	check "$name" python3 -c '
import sys
plain = open(sys.argv[1], "rb").read()
got = open(sys.argv[2], "rb").read()
want = bytes((b + int(sys.argv[3])) % 256 for b in plain)
assert len(got) == len(want), "%d bytes, expected %d" % (len(got), len(want))
bad = sum(a != b for a, b in zip(got, want))
assert bad == 0, "%d byte(s) differ" % bad
print("%d bytes, all plaintext + %d" % (len(got), int(sys.argv[3]) % 256))
' "$WORK/$name.plain" "$file" "$shift"
}

# no_rule_fails NAME NS CONNECTIONS: CaesarRuleFails in NS is 0 (no
# key a rule wanted went unset), logged with the connection count.
no_rule_fails() {
	local got
	got=$(caesar_stat "$2" CaesarRuleFails)
	log "$1: CaesarRuleFails is $got for $3 connection(s)"
	stat_is "$1" "$2" CaesarRuleFails -eq 0
}

# retries_at_most NAME NS N: CaesarRuleRetries (packets dropped because a
# task held the socket, resent by TCP) is at most N, and logged.
retries_at_most() {
	log "$1: CaesarRuleRetries is $(caesar_stat "$2" CaesarRuleRetries)"
	stat_is "$1" "$2" CaesarRuleRetries -le "$3"
}

# show_stats NS...: these namespaces' counters, as log.
show_stats() {
	local ns
	for ns in "$@"; do
		log "caesar_stat in $ns:"
		ip netns exec "$ns" cat /proc/net/caesar_stat 2>/dev/null | sed 's/^/    | /'
	done
}

# A small TCP peer for what gaius-xfer cannot do (a fixed source port, raw
# byte dumps): python3 $PEER server ADDR PORT OUT-FILE EXPECT-BYTES reads
# EXPECT-BYTES (or up to EOF) from one connection into OUT-FILE and closes
# first (so that a client bound to a fixed port leaves no TIME_WAIT behind);
# python3 $PEER client ADDR PORT IN-FILE [SOURCE-ADDR SOURCE-PORT] sends
# IN-FILE, then waits for the server to close; python3 $PEER dump ADDR PORT
# OUT-FILE connects and writes what it reads up to EOF to OUT-FILE. All
# print nothing on success.
PEER=$WORK/peer.py
cat >"$PEER" <<'EOF'
import socket, sys

def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET

def server(addr, port, out, expect):
    ls = socket.socket(family(addr), socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, int(port)))
    ls.listen(8)
    s, _ = ls.accept()
    s.settimeout(60)
    read_into(s, out, int(expect))

def dump(addr, port, out):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.settimeout(60)
    s.connect((addr, int(port)))
    read_into(s, out, None)

def read_into(s, out, limit):
    """Read until EOF, or until limit bytes, into the file out."""
    got = bytearray()
    while limit is None or len(got) < limit:
        b = s.recv(65536)
        if not b:
            break
        got += b
    with open(out, "wb") as f:
        f.write(got)
    s.close()

def client(addr, port, infile, saddr=None, sport=None):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.settimeout(60)
    if saddr:
        s.bind((saddr, int(sport)))
    s.connect((addr, int(port)))
    with open(infile, "rb") as f:
        s.sendall(f.read())
    while s.recv(65536):
        pass
    s.close()

{"server": server, "client": client, "dump": dump}[sys.argv[1]](*sys.argv[2:])
EOF

# The scenarios' own result for rules that cannot be added.
rule() {
	local name=$1
	shift
	local out
	if ! out=$("$@" 2>&1); then
		fail "$name" "$* : $out"
		return 1
	fi
}

# both_ends NAME BACKEND FAMILY OP PORTS SEND RECV [MATCH...]: the four rules
# of a client and server pair, OP (-A, -I or -D) each: each side applies the
# target SEND (words, e.g. "GAIUSENCRYPT --key 7") to what it sends to or
# from PORTS and RECV to what it gets back, in packets that also match MATCH.
both_ends() {
	local name=$1 b=$2 f=$3 op=$4 ports=$5 send recv
	read -r -a send <<<"$6"
	read -r -a recv <<<"$7"
	shift 7
	rule "$name" ipt "$NS_CLIENT" "$b" "$f" "$op" OUTPUT -p tcp --dport "$ports" "$@" -j "${send[@]}" &&
		rule "$name" ipt "$NS_CLIENT" "$b" "$f" "$op" INPUT -p tcp --sport "$ports" "$@" -j "${recv[@]}" &&
		rule "$name" ipt "$NS_SERVER" "$b" "$f" "$op" INPUT -p tcp --dport "$ports" "$@" -j "${recv[@]}" &&
		rule "$name" ipt "$NS_SERVER" "$b" "$f" "$op" OUTPUT -p tcp --sport "$ports" "$@" -j "${send[@]}"
}

# both_ends_rules NAME BACKEND FAMILY PORTS KEY: the four rules, each side
# enciphering what it sends to PORTS and deciphering what it gets back.
both_ends_rules() {
	both_ends "$1" "$2" "$3" -A "$4" "GAIUSENCRYPT --key $5" "GAIUSDECRYPT --key $5"
}

# xfer_directions PREFIX ADDR SIZE CONNECTIONS: client-first, server-first
# and both at once (PREFIX-DIRECTION), each over CONNECTIONS concurrent
# connections of SIZE bytes per direction. Adds PORT:DIRECTION:SEED of each
# to XFER_RUNS for wire_directions, and the PORT of each that failed to
# XFER_FAILED.
xfer_directions() {
	local prefix=$1 addr=$2 size=$3 n=$4 direction seed opts
	for direction in client-to-server server-to-client both; do
		seed=$((RANDOM % 1000 + 1))
		opts=(--size "$size" --seed "$seed" --direction "$direction" --connections "$n" --concurrent)
		xfer "$prefix-$direction" "$addr" "${opts[@]}" -- "${opts[@]}" || XFER_FAILED+=("$PORT")
		XFER_RUNS+=("$PORT:$direction:$seed")
	done
}

# wire_directions PREFIX SIZE CONNECTIONS KEY RUN...: in the stopped
# capture, each direction the bytes of each xfer_directions RUN went
# (PREFIX-DIRECTION-wire-WAY) is CONNECTIONS streams shifted by KEY.
wire_directions() {
	local prefix=$1 size=$2 n=$3 key=$4 run run_port direction seed way ways
	shift 4
	for run in "$@"; do
		IFS=: read -r run_port direction seed <<<"$run"
		ways=(client-to-server server-to-client)
		[[ $direction == both ]] || ways=("$direction")
		for way in "${ways[@]}"; do
			wire "$prefix-$direction-wire-$way" "$run_port" --direction "$way" \
				--seed "$seed" --size "$size" --shift "$key" --streams "$n"
		done
	done
}

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# gaiusctl (userspace/gaiusctl, docs/man/gaiusctl.8) against connections it
# must find: long-lived gaius-xfer pairs that move a known number of bytes
# and then hold the connection open, enciphered
#   S1  by setsockopt, one key both ways, IPv4 to a dual-stack server
#       (its socket is IPv6, v4-mapped: shown as the IPv4 connection);
#   S2  by setsockopt, a different key each way, IPv6;
#   S3  by setsockopt, client-to-server only, IPv4 to an IPv4 socket;
#   R1  by rules at both ends, both ways, IPv4;
#   R2  by rules one way (client OUTPUT GAIUSENCRYPT, server INPUT
#       GAIUSDECRYPT), IPv6; a plain IPv4 connection to the same listener
#       gets the caesar ULP with no key (ss shows tcp-ulp-caesar) and must
#       not be listed.
# The server's namespace has conntrack (a rule that matches on it, before
# any connection), the client's has none. In each namespace, `gaiusctl
# list --json` must hold exactly that namespace's end of each connection,
# with its tuple (from ss), socket and conntrack state, directions, keys,
# shifts and byte counts (what was sent), and `gaiusctl list` the same rows;
# a third namespace lists nothing; each socket's uid and inode are ss's.
# Then as admins use ss: filters (direction, key, ports, prefixes of
# either family) keep exactly their connections; --netns NAME, from
# another namespace, lists NAME's; -p names the gaius-xfer process and
# descriptor that hold each socket (checked in /proc), -e adds uid and
# inode to the table; --watch repeats, once a second, --count times. With
# 100,000 other entries in the server's conntrack table, list is still
# exact, and takes a small part of the time of one dump of the table
# (gaius-ct-fill dump, what list did before it asked per connection): both
# times are logged. `gaiusctl stats` must equal /proc/net/caesar_stat. A
# caller without CAP_NET_ADMIN gets exit 3 (CAP_SYS_ADMIN for --netns),
# usage errors 1, and once the sockets are closed and the modules unloaded,
# exit 2; the modules are loaded again at the end. Every connection's bytes
# are checked on the wire (wirecheck.py), the plain one as plaintext.
#
# A gateway of its own (three more namespaces: client, router, server, the
# router masquerading, with conntrack accounting on) keys by one
# GAIUSENCRYPT rule in its FORWARD chain the client-to-server direction of
# the connections to one port; the server deciphers with setsockopt, which
# checks every byte. In the router, `gaiusctl list --json` and `list` show
# that connection alone, forwarded, with both conntrack tuples (the reply's
# after NAT, as ss sees them at each end), the key modulo 256, the target,
# the direction and packet and byte counts; not the idle entry of a second
# connection through it on another port (helper gaius, as conntrack -L
# shows, no key); the filters dir orig / dir reply / dport keep what they
# should, and --netns from another namespace lists the same.
#
# When nf_conntrack is not loaded when this starts (a run of this scenario
# alone), a first connection S0 checks that list shows no conntrack state
# and does not load nf_conntrack; otherwise that check is not run, and a
# log line says so.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=xt-lib.sh
source "$(dirname "$0")/xt-lib.sh"

readonly HOLD=(--hold 600000 --timeout 900)
readonly CHECK_LIST=$WORK/check_list.py
readonly TEXT_HEADER='PROTO LOCAL REMOTE STATE CONNTRACK VIA DIR TX-KEY TX-SHIFT TX-BYTES RX-KEY RX-SHIFT RX-BYTES'
HOLDERS=()

# ctl NAME NS ARGS...: gaiusctl ARGS in NS; stdout in $WORK/NAME.out,
# stderr in $WORK/NAME.err, the exit status in $CTL_STATUS.
ctl() {
	local name=$1 ns=$2
	shift 2
	CTL_STATUS=0
	ip netns exec "$ns" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || CTL_STATUS=$?
	show "$WORK/$name.out"
	show "$WORK/$name.err"
}

# exits_with NAME NS STATUS MESSAGE CMD...: CMD in NS exits STATUS, says
# MESSAGE (a fixed string) on stderr, and nothing on stdout.
exits_with() {
	local name=$1 ns=$2 want=$3 message=$4
	shift 4
	ctl "$name" "$ns" "$@"
	if ((CTL_STATUS != want)); then
		fail "$name" "$* exited $CTL_STATUS, expected $want: $(tail_line "$WORK/$name.err" 1)"
	elif ! grep -qF -- "$message" "$WORK/$name.err"; then
		fail "$name" "stderr does not say '$message': $(tail_line "$WORK/$name.err" 1)"
	elif [[ -s $WORK/$name.out ]]; then
		fail "$name" "wrote to stdout: $(tail_line "$WORK/$name.out" 1)"
	else
		pass "$name"
	fi
}

# start_server NAME OPTIONS...: a holding gaius-xfer server on $PORT.
start_server() {
	local name=$1
	shift
	in_background "$WORK/$name.server.log" "$NS_SERVER" gaius-xfer server --port "$PORT" "${HOLD[@]}" "$@"
	HOLDERS+=("$BG_PID")
	wait_listening "$NS_SERVER" "$PORT" || fail "$name-listen" "no server on port $PORT: $(tail_line "$WORK/$name.server.log")"
}

# start_client NAME ADDR OPTIONS...: a holding gaius-xfer client to ADDR $PORT.
start_client() {
	local name=$1 addr=$2
	shift 2
	in_background "$WORK/$name.client.log" "$NS_CLIENT" gaius-xfer client --address "$addr" --port "$PORT" "${HOLD[@]}" "$@"
	HOLDERS+=("$BG_PID")
}

holding() {
	grep -q "$2: holding" "$WORK/$1"
}

# moved NAME SERVER-LOG SERVER-CONN CLIENT-LOG: PASS once both ends have
# moved and verified every byte and hold the connection open.
moved() {
	local name=$1 server_log=$2 conn=$3 client_log=$4
	if poll "$WAIT_TENTHS" holding "$server_log" "server conn $conn" &&
		poll "$WAIT_TENTHS" holding "$client_log" "client conn 0"; then
		pass "$name"
	else
		fail "$name" "server: $(tail_line "$WORK/$server_log" 1); client: $(tail_line "$WORK/$client_log" 1)"
	fi
}

# expect SPEC NS FILTER TX-KEY RX-KEY TX-BYTES RX-BYTES CONNTRACK: adds to
# SPEC the one established socket of NS that the ss FILTER selects, as
# "LOCAL PEER" (ss's notation), the values gaiusctl must show for it, and
# its inode (ss -e).
expect() {
	local spec=$1 ns=$2 filter=$3 found inode
	shift 3
	found=$(ip netns exec "$ns" ss -Htne state established "$filter")
	if [[ -z $found || $found == *$'\n'* ]]; then
		fail "$SCENARIO-expect" "ss '$filter' in $ns found '${found//$'\n'/; }', not one socket"
		return 1
	fi
	inode=$(grep -o 'ino:[0-9]*' <<<"$found")
	printf '%s %s %s\n' "$(awk '{ print $3, $4 }' <<<"$found")" "$*" "${inode#ino:}" >>"$spec"
}

# list_is NAME NS SPEC [ARGS...]: `gaiusctl list --json ARGS` in NS is
# valid JSON and holds exactly the connections of SPEC, and `gaiusctl list
# ARGS` the same rows.
list_is() {
	local name=$1 ns=$2 spec=$3
	shift 3
	log "$name: expected (local peer tx rx tx-bytes rx-bytes conntrack inode):"
	show "$spec"
	local json_status
	ctl "$name-json" "$ns" gaiusctl list --json "$@"
	json_status=$CTL_STATUS
	ctl "$name-text" "$ns" gaiusctl list "$@"
	if ((json_status != 0 || CTL_STATUS != 0)); then
		fail "$name" "gaiusctl list exited $CTL_STATUS, --json $json_status: $(tail_line "$WORK/$name-json.err" 1)"
		return
	fi
	check "$name-json-parses" python3 -m json.tool "$WORK/$name-json.out" /dev/null
	check "$name" python3 "$CHECK_LIST" "$spec" "$WORK/$name-json.out" "$WORK/$name-text.out"
}

# stats_match NAME NS: `gaiusctl stats` and `stats --json` in NS show the
# counters of NS's /proc/net/caesar_stat, in its order.
stats_match() {
	local name=$1 ns=$2
	ctl "$name-json" "$ns" gaiusctl stats --json
	ctl "$name-text" "$ns" gaiusctl stats
	ip netns exec "$ns" cat /proc/net/caesar_stat >"$WORK/$name.proc"
	check "$name" python3 -c '
import json, sys
proc = [line.split() for line in open(sys.argv[1])]
text = [line.split() for line in open(sys.argv[2])]
doc = json.load(open(sys.argv[3]))
assert proc and all(len(f) == 2 for f in proc), "odd /proc/net/caesar_stat: %r" % proc
assert text == proc, "text %r, file %r" % (text, proc)
assert list(doc.items()) == [(n, int(v)) for n, v in proc], "json %r, file %r" % (doc, proc)
print("%d counters as in /proc/net/caesar_stat" % len(proc))
' "$WORK/$name.proc" "$WORK/$name-text.out" "$WORK/$name-json.out"
}

# wire_of NAME PCAP-FILTER PORT WIRECHECK-ARGS...: wirecheck.py on the
# packets of the (stopped) capture that PCAP-FILTER selects.
wire_of() {
	local name=$1 filter=$2 port=$3
	shift 3
	tcpdump -r "$CAPTURE" -w "$WORK/$name.pcap" "$filter" 2>/dev/null
	check "$name" wirecheck.py "$WORK/$name.pcap" --port "$port" "$@"
}

no_caesar_sockets() {
	[[ $(caesar_stat "$NS_SERVER" CaesarCurrSockets) == 0 && $(caesar_stat "$NS_CLIENT" CaesarCurrSockets) == 0 ]]
}

modules_unload() {
	{ [[ ! -d /sys/module/xt_GAIUS ]] || rmmod xt_GAIUS 2>/dev/null; } && rmmod caesar 2>/dev/null
}

stop_holders() {
	kill "${HOLDERS[@]}" 2>/dev/null
	wait "${HOLDERS[@]}" 2>/dev/null
	HOLDERS=()
}

# filtered_is NAME NS SPEC "PORTS" FILTER...: list_is for FILTER, expecting
# the lines of SPEC whose local or peer port is one of PORTS.
filtered_is() {
	local name=$1 ns=$2 spec=$3 ports=$4
	shift 4
	awk -v ports="$ports" '
		BEGIN { n = split(ports, p, " "); for (i = 1; i <= n; i++) want[p[i]] = 1 }
		{ l = $1; r = $2; sub(/.*:/, "", l); sub(/.*:/, "", r) }
		(l in want) || (r in want)' "$spec" >"$WORK/$name.spec"
	list_is "$name" "$ns" "$WORK/$name.spec" "$@"
}

# list_ms NS: how long `gaiusctl list --json` in NS takes, in ms: the
# least of three runs, as the guest's other work (conntrack's garbage
# collector, say) may hold up any one.
list_ms() {
	local started ms least=
	for _ in 1 2 3; do
		started=$(date +%s%N)
		ip netns exec "$1" gaiusctl list --json >/dev/null
		ms=$((($(date +%s%N) - started) / 1000000))
		((${least:-ms} < ms)) || least=$ms
	done
	echo "$least"
}

# conntrack_at_scale: 100,000 more entries in the server's conntrack table
# (the limit is global: raised in the first namespace, then put back); list
# is exact among them, and what they add to its time is less than half of
# one dump of the table, which a list that dumps would add whole. (The
# guest's noise, a few hundred ms either way, is far below that half.)
readonly CT_ENTRIES=100000
conntrack_at_scale() {
	local max small big dump started
	small=$(list_ms "$NS_SERVER")
	max=$(sysctl -n net.netfilter.nf_conntrack_max)
	sysctl -qw net.netfilter.nf_conntrack_max=$((CT_ENTRIES * 2))
	check gaiusctl-ct-fill ip netns exec "$NS_SERVER" gaius-ct-fill create "$CT_ENTRIES"
	list_is gaiusctl-list-big-table "$NS_SERVER" "$spec_s"
	big=$(list_ms "$NS_SERVER")
	started=$(date +%s%N)
	check gaiusctl-ct-dump ip netns exec "$NS_SERVER" gaius-ct-fill dump
	dump=$((($(date +%s%N) - started) / 1000000))
	log "gaiusctl list: ${small} ms; with $(ip netns exec "$NS_SERVER" cat /proc/sys/net/netfilter/nf_conntrack_count) conntrack entries: ${big} ms; one dump of them: ${dump} ms"
	if ((2 * (big - small) < dump)); then
		pass gaiusctl-list-per-connection
	else
		fail gaiusctl-list-per-connection "list ${small} ms, ${big} ms with the big table; one dump ${dump} ms"
	fi
	sysctl -qw net.netfilter.nf_conntrack_max="$max"
}

# The checker of list --json and list: python3 CHECK_LIST SPEC JSON TEXT.
cat >"$CHECK_LIST" <<EOF
import ipaddress, json, sys

HEADER = "$TEXT_HEADER".split()
EOF
cat >>"$CHECK_LIST" <<'EOF'


def address(text):
    """An address as gaiusctl shows it: IPv4-mapped IPv6 is IPv4."""
    addr = ipaddress.ip_address(text)
    if addr.version == 6 and addr.ipv4_mapped:
        return addr.ipv4_mapped
    return addr


def ss_endpoint(text):
    host, _, port = text.rpartition(":")
    return address(host.strip("[]")), int(port)


def text_endpoint(addr, port):
    return ("%s:%d" if addr.version == 4 else "[%s]:%d") % (addr, port)


def direction(key, count):
    return {"key": key, "shift": key % 256, "bytes": count} if key else None


def expected_conns(path):
    conns = {}
    for line in open(path):
        local, peer, tx, rx, txb, rxb, ct, inode = line.split()
        tx, rx = int(tx, 0), int(rx, 0)
        conns[(ss_endpoint(local), ss_endpoint(peer))] = {
            "conntrack": None if ct == "-" else ct,
            "directions": [d for d, k in (("tx", tx), ("rx", rx)) if k],
            "tx": direction(tx, int(txb)),
            "rx": direction(rx, int(rxb)),
            "uid": 0,
            "inode": int(inode),
        }
    return conns


def check_json(conn, want, problems):
    local = ss_endpoint("%s:%d" % (conn["local"]["address"], conn["local"]["port"]))
    family = "ipv4" if local[0].version == 4 else "ipv6"
    fixed = {"protocol": "tcp", "family": family, "state": "ESTAB", "via": "ulp"}
    for field, value in list(fixed.items()) + list(want.items()):
        if conn.get(field) != value:
            problems.append("%s: %s is %r, expected %r" % (describe(conn), field, conn.get(field), value))
    for end in ("local", "remote"):
        shown = conn[end]["address"]
        if shown != str(address(shown)):
            problems.append("%s: %s address %s is not in its plain form" % (describe(conn), end, shown))


def text_row(conn):
    row = ["tcp"]
    for end in ("local", "remote"):
        row.append(text_endpoint(address(conn[end]["address"]), conn[end]["port"]))
    row += [conn["state"], conn["conntrack"] or "-", conn["via"], ",".join(conn["directions"])]
    for d in ("tx", "rx"):
        row += [str(conn[d][f]) for f in ("key", "shift", "bytes")] if conn[d] else ["-"] * 3
    return row


def describe(conn):
    return "%s:%s -> %s:%s" % (conn["local"]["address"], conn["local"]["port"],
                               conn["remote"]["address"], conn["remote"]["port"])


def main(spec, json_path, text_path):
    want = expected_conns(spec)
    doc = json.load(open(json_path))
    problems = []
    if list(doc) != ["connections"]:
        problems.append("top-level keys %r, expected ['connections']" % list(doc))
    conns = doc.get("connections", [])
    got = {}
    for conn in conns:
        key = tuple(ss_endpoint("%s:%d" % (conn[e]["address"], conn[e]["port"])) for e in ("local", "remote"))
        if key in got:
            problems.append("%s listed twice" % describe(conn))
        got[key] = conn
    for key in sorted(set(got) - set(want), key=str):
        problems.append("listed, not expected: %s" % describe(got[key]))
    for key in sorted(set(want) - set(got), key=str):
        problems.append("expected, not listed: %s -> %s" % tuple(text_endpoint(*e) for e in key))
    for key in set(got) & set(want):
        check_json(got[key], want[key], problems)

    lines = open(text_path).read().splitlines()
    if not lines or lines[0].split() != HEADER:
        problems.append("text header %r" % (lines[:1],))
    rows = [line.split() for line in lines[1:]]
    if len(rows) != len(conns):
        problems.append("text has %d rows, json %d connections" % (len(rows), len(conns)))
    for row, conn in zip(rows, conns):
        if row != text_row(conn):
            problems.append("text row %r, json says %r" % (row, text_row(conn)))

    for problem in problems:
        print(problem)
    print("%d connection(s) listed, %d expected, %d problem(s)" % (len(conns), len(want), len(problems)))
    return 1 if problems else 0


sys.exit(main(*sys.argv[1:]))
EOF

# The gateway: $NS_GW routes between $NS_NEAR (a client) and $NS_FAR (a
# server), masquerading to the server (so the reply tuple differs), with
# conntrack accounting on, and keys in its FORWARD chain, by one
# GAIUSENCRYPT rule, the client-to-server direction of the connections to
# one port; the server deciphers by setsockopt. Another connection through
# it, to another port, gets the helper gaius idle and is not listed.
readonly NS_NEAR=gaius-near-$$ NS_GW=gaius-gw-$$ NS_FAR=gaius-far-$$
readonly NEAR4=198.19.1.2 GW_NEAR4=198.19.1.1 GW_FAR4=198.19.2.1 FAR4=198.19.2.2
readonly FWD_KEY=12354 FWD_SIZE=30011
readonly CHECK_FWD=$WORK/check_fwd.py
FWD_HOLDERS=()

add_gateway() {
	trap 'del_gateway; ip netns del "$NS_OTHER" 2>/dev/null; cleanup' EXIT
	# One ip(8) a namespace: each run costs the emulated guest a good part
	# of a second.
	ip -b - <<-EOF2 &&
		netns add $NS_NEAR
		netns add $NS_GW
		netns add $NS_FAR
		link add veth-n netns $NS_NEAR type veth peer name veth-gn netns $NS_GW
		link add veth-f netns $NS_FAR type veth peer name veth-gf netns $NS_GW
	EOF2
		ip -n "$NS_NEAR" -b - <<-EOF2 &&
			addr add $NEAR4/24 dev veth-n
			link set lo up
			link set veth-n up
			route add default via $GW_NEAR4
		EOF2
		ip -n "$NS_GW" -b - <<-EOF2 &&
			addr add $GW_NEAR4/24 dev veth-gn
			addr add $GW_FAR4/24 dev veth-gf
			link set lo up
			link set veth-gn up
			link set veth-gf up
		EOF2
		ip -n "$NS_FAR" -b - <<-EOF2 &&
			addr add $FAR4/24 dev veth-f
			link set lo up
			link set veth-f up
		EOF2
		ip netns exec "$NS_GW" sysctl -qw net.ipv4.ip_forward=1 net.netfilter.nf_conntrack_acct=1
}

# del_gateway: its connections closed and its entries gone, which hold
# xt_GAIUS (the modules are unloaded at the end).
del_gateway() {
	if ((${#FWD_HOLDERS[@]})); then
		kill "${FWD_HOLDERS[@]}" 2>/dev/null
		wait "${FWD_HOLDERS[@]}" 2>/dev/null
	fi
	FWD_HOLDERS=()
	ip netns exec "$NS_GW" conntrack -F >/dev/null 2>&1
	printf 'netns del %s\n' "$NS_NEAR" "$NS_GW" "$NS_FAR" | ip -force -b - 2>/dev/null
	return 0
}

# fwd_server NAME OPTIONS...: a holding gaius-xfer server in $NS_FAR on a
# fresh $PORT, with OPTIONS.
fwd_server() {
	local name=$1
	shift
	next_port
	in_background "$WORK/$name.server.log" "$NS_FAR" gaius-xfer server --port "$PORT" \
		--size "$FWD_SIZE" --seed 866 "${HOLD[@]}" "$@"
	FWD_HOLDERS+=("$BG_PID")
}

# fwd_client NAME PORT: its holding client in $NS_NEAR, once it listens.
fwd_client() {
	wait_listening "$NS_FAR" "$2" || fail "$1-listen" "no server on port $2: $(tail_line "$WORK/$1.server.log")"
	in_background "$WORK/$1.client.log" "$NS_NEAR" gaius-xfer client --address "$FAR4" \
		--port "$2" --size "$FWD_SIZE" --seed 866 "${HOLD[@]}"
	FWD_HOLDERS+=("$BG_PID")
}

# The checker of the gateway's lists: python3 CHECK_FWD ARGS (see main).
cat >"$CHECK_FWD" <<'PYEOF'
import json, sys


def endpoint(text):
    """ss's ADDRESS:PORT as gaiusctl shows it: a v4-mapped one as IPv4."""
    host, _, port = text.rpartition(":")
    host = host.strip("[]")
    if host.startswith("::ffff:") and "." in host:
        host = host[len("::ffff:"):]
    return {"address": host, "port": int(port)}


def text_endpoint(e):
    return "%s:%d" % (e["address"], e["port"])


def main(json_path, text_path, orig_path, reply_path, idle_path, netns_path,
         near, far, far_peer, key, size):
    key, size = int(key), int(size)
    problems = []
    conns = json.load(open(json_path))["connections"]
    if len(conns) != 1:
        problems.append("%d connections listed, expected 1 (the idle one is not): %r" % (len(conns), conns))
    conn = conns[0] if conns else {}
    want_orig = {"source": endpoint(near), "destination": endpoint(far)}
    want_reply = {"source": endpoint(far), "destination": endpoint(far_peer)}
    want = {"protocol": "tcp", "family": "ipv4", "zone": 0, "conntrack": "ESTABLISHED",
            "via": "fwd", "forwarded": True, "directions": ["orig"]}
    for field, value in want.items():
        if conn.get(field) != value:
            problems.append("%s is %r, expected %r" % (field, conn.get(field), value))
    orig, reply = conn.get("orig", {}), conn.get("reply", {})
    for d, w, name in ((orig, want_orig, "orig"), (reply, want_reply, "reply")):
        for field in ("source", "destination"):
            if d.get(field) != w[field]:
                problems.append("%s %s is %r, expected %r" % (name, field, d.get(field), w[field]))
        if not (isinstance(d.get("packets"), int) and d["packets"] > 0 and d.get("bytes", 0) > 0):
            problems.append("%s: no packets and bytes with accounting on: %r" % (name, d))
    cipher = orig.get("cipher") or {}
    for field, value in (("target", "encrypt"), ("key", key % 256), ("shift", key % 256)):
        if cipher.get(field) != value:
            problems.append("orig cipher %s is %r, expected %r" % (field, cipher.get(field), value))
    if not isinstance(cipher.get("seq"), int):
        problems.append("orig cipher has no seq: %r" % cipher)
    if reply.get("cipher", 0) is not None:
        problems.append("reply cipher is %r, expected null" % reply.get("cipher"))
    if orig.get("bytes", 0) < size:
        problems.append("orig bytes %r, fewer than the %d sent" % (orig.get("bytes"), size))

    lines = open(text_path).read().splitlines()
    header = "PROTO LOCAL REMOTE STATE CONNTRACK VIA DIR TX-KEY TX-SHIFT TX-BYTES RX-KEY RX-SHIFT RX-BYTES"
    fwd_header = ("PROTO ORIGINAL REPLY ZONE CONNTRACK VIA DIR ORIG-TARGET ORIG-KEY ORIG-SHIFT ORIG-SEQ"
                  " ORIG-PACKETS ORIG-BYTES REPLY-TARGET REPLY-KEY REPLY-SHIFT REPLY-SEQ REPLY-PACKETS REPLY-BYTES")
    if conn:
        ends = [text_endpoint(endpoint(e)) for e in (near, far, far_peer)]
        row = ["tcp", "%s->%s" % tuple(ends[:2]), "%s->%s" % tuple(ends[1:]), "0", "ESTABLISHED", "fwd", "orig",
               "encrypt", str(key % 256), str(key % 256), str(cipher.get("seq")),
               str(orig.get("packets")), str(orig.get("bytes")), "-", "-", "-", "-",
               str(reply.get("packets")), str(reply.get("bytes"))]
        want_lines = [header.split(), [], fwd_header.split(), row]
        got_lines = [line.split() for line in lines]
        # The counters may move between the two runs (a late ACK): numbers.
        for line in got_lines[3:4]:
            for i in (11, 12, 17, 18):
                if i < len(line) and line[i].isdigit():
                    line[i] = row[i]
        if got_lines != want_lines:
            problems.append("text %r, expected %r" % (got_lines, want_lines))

    for path, count, what in ((orig_path, 1, "dir orig, key and src"), (reply_path, 0, "dir reply"),
                              (idle_path, 0, "the idle connection's port")):
        got = json.load(open(path))["connections"]
        if len(got) != count:
            problems.append("filter %s: %d connections, expected %d" % (what, len(got), count))
    other = json.load(open(netns_path))["connections"]
    if [c.get("orig", {}).get("cipher") for c in other] != [orig.get("cipher")]:
        problems.append("--netns lists %r" % other)

    for problem in problems:
        print(problem)
    print("%d forwarded connection(s) listed, %d problem(s)" % (len(conns), len(problems)))
    return 1 if problems else 0


sys.exit(main(*sys.argv[1:]))
PYEOF

# gaiusctl in a gateway: its forwarded connections, the keyed one only.
# Both connections at once; how long each part took is logged.
gateway_lists() {
	local fwd_port idle_port near far_peer idle_entry t0 t1 t2
	t0=$(date +%s%N)
	if ! add_gateway; then
		fail gaiusctl-fwd-gateway "the gateway's namespaces could not be set up"
		return
	fi
	fwd_port=$((NEXT_PORT + 1))
	rule gaiusctl-fwd-rules ipt "$NS_GW" nft 4 -A FORWARD -p tcp -s "$NEAR4" --dport "$fwd_port" \
		-j GAIUSENCRYPT --key "$FWD_KEY"
	rule gaiusctl-fwd-rules ipt "$NS_GW" nft 4 -t nat -A POSTROUTING -o veth-gf -j MASQUERADE
	t1=$(date +%s%N)
	fwd_server gaiusctl-fwd --rx-key "$FWD_KEY"
	fwd_server gaiusctl-fwd-idle
	idle_port=$PORT
	fwd_client gaiusctl-fwd "$fwd_port"
	fwd_client gaiusctl-fwd-idle "$idle_port"
	moved gaiusctl-fwd-moved gaiusctl-fwd.server.log 0 gaiusctl-fwd.client.log
	moved gaiusctl-fwd-idle-moved gaiusctl-fwd-idle.server.log 0 gaiusctl-fwd-idle.client.log
	t2=$(date +%s%N)
	idle_entry=$(ip netns exec "$NS_GW" conntrack -L -p tcp --dport "$idle_port" 2>/dev/null)
	log "the idle connection's entry: $idle_entry"
	if [[ $idle_entry == *helper=gaius* ]]; then
		pass gaiusctl-fwd-idle-has-helper
	else
		fail gaiusctl-fwd-idle-has-helper "conntrack -L: $idle_entry"
	fi
	near=$(ip netns exec "$NS_NEAR" ss -Htn state established "dport = :$fwd_port" | awk '{ print $3 }')
	far_peer=$(ip netns exec "$NS_FAR" ss -Htn state established "sport = :$fwd_port" | awk '{ print $4 }')
	ctl gaiusctl-fwd-json "$NS_GW" gaiusctl list --json
	ctl gaiusctl-fwd-text "$NS_GW" gaiusctl list
	ctl gaiusctl-fwd-orig "$NS_GW" gaiusctl list --json dir orig key "$FWD_KEY" src "$NEAR4"
	ctl gaiusctl-fwd-reply "$NS_GW" gaiusctl list --json dir reply
	ctl gaiusctl-fwd-idle "$NS_GW" gaiusctl list --json dport "$idle_port"
	ctl gaiusctl-fwd-netns "$NS_FAR" gaiusctl --netns "$NS_GW" list --json
	check gaiusctl-fwd-list python3 "$CHECK_FWD" "$WORK"/gaiusctl-fwd-{json,text,orig,reply,idle,netns}.out \
		"$near" "$FAR4:$fwd_port" "$far_peer" "$FWD_KEY" "$FWD_SIZE"
	del_gateway
	log "the gateway's checks took $((($(date +%s%N) - t0) / 1000000)) ms: set-up $(((t1 - t0) / 1000000)), connections $(((t2 - t1) / 1000000)), lists and teardown $((($(date +%s%N) - t2) / 1000000))"
}

# The command line, before anything is loaded or running.
check gaiusctl-help gaiusctl --help
check gaiusctl-version test "$(gaiusctl --version)" = "gaiusctl (gaius) $(<"$GAIUS_ROOT/VERSION")"
exits_with gaiusctl-usage-no-command "$NS_CLIENT" 1 "no command" gaiusctl
exits_with gaiusctl-usage-bad-command "$NS_CLIENT" 1 "unknown command: frob" gaiusctl frob
exits_with gaiusctl-usage-bad-option "$NS_CLIENT" 1 "unknown option: --frob" gaiusctl --frob list
exits_with gaiusctl-usage-two-commands "$NS_CLIENT" 1 "one command only" gaiusctl stats list

check gaiusctl-modprobe modprobe xt_GAIUS
add_other_ns
: >"$WORK/empty.spec"
list_is gaiusctl-list-nothing "$NS_CLIENT" "$WORK/empty.spec"
start_capture || fail gaiusctl-capture "tcpdump did not start"

# S0: list without nf_conntrack loaded, when this run allows it.
if [[ -d /sys/module/nf_conntrack ]]; then
	log "nf_conntrack is already loaded: the check without it (S0) is not run"
else
	next_port
	s0_port=$PORT
	start_server s0 --key 11 --size 10007 --seed 860
	start_client s0 "$SERVER4" --key 11 --size 10007 --seed 860
	moved gaiusctl-s0-moved s0.server.log 0 s0.client.log
	expect "$WORK/s0.spec" "$NS_CLIENT" "dport = :$s0_port" 11 11 10007 0 -
	list_is gaiusctl-list-without-conntrack "$NS_CLIENT" "$WORK/s0.spec"
	if [[ -d /sys/module/nf_conntrack ]]; then
		fail gaiusctl-list-loads-no-conntrack "nf_conntrack is loaded after gaiusctl list"
	else
		pass gaiusctl-list-loads-no-conntrack
	fi
	stop_holders
fi

# Conntrack in the server's namespace: a rule that matches on it and does
# nothing else (no target).
for f in 4 6; do
	rule gaiusctl-conntrack-rule ipt "$NS_SERVER" nft "$f" -A INPUT -m conntrack --ctstate ESTABLISHED
done

next_port
s1_port=$PORT
start_server s1 --key 12354 --size 100003 --seed 861 --direction both
start_client s1 "$SERVER4" --key 12354 --size 100003 --seed 861 --direction both
moved gaiusctl-s1-moved s1.server.log 0 s1.client.log

next_port
s2_port=$PORT
start_server s2 --address "$SERVER6" --tx-key 4294967293 --rx-key 7 --size 70001 --seed 862 --direction both
start_client s2 "$SERVER6" --tx-key 7 --rx-key 4294967293 --size 70001 --seed 862 --direction both
moved gaiusctl-s2-moved s2.server.log 0 s2.client.log

next_port
s3_port=$PORT
start_server s3 --address "$SERVER4" --rx-key 513 --size 50021 --seed 863
start_client s3 "$SERVER4" --tx-key 513 --size 50021 --seed 863
moved gaiusctl-s3-moved s3.server.log 0 s3.client.log

next_port
r1_port=$PORT
both_ends_rules gaiusctl-r1-rules nft 4 "$r1_port" 300
start_server r1 --size 30011 --seed 864 --direction both
start_client r1 "$SERVER4" --size 30011 --seed 864 --direction both
moved gaiusctl-r1-moved r1.server.log 0 r1.client.log

next_port
r2_port=$PORT
rule gaiusctl-r2-rules ipt "$NS_CLIENT" nft 6 -A OUTPUT -p tcp --dport "$r2_port" -j GAIUSENCRYPT --key 5
rule gaiusctl-r2-rules ipt "$NS_SERVER" nft 6 -A INPUT -p tcp --dport "$r2_port" -j GAIUSDECRYPT --key 5
start_server r2 --connections 2 --concurrent --size 20011 --seed 865
start_client r2 "$SERVER6" --size 20011 --seed 865
moved gaiusctl-r2-moved r2.server.log 0 r2.client.log
start_client plain "$SERVER4" --size 20011 --seed 865
moved gaiusctl-plain-moved r2.server.log 1 plain.client.log
plain_child=$(in_server ss -Htin state established "sport = :$r2_port and dst $CLIENT4")
if [[ $plain_child == *tcp-ulp-caesar* ]]; then
	pass gaiusctl-plain-child-has-ulp
else
	fail gaiusctl-plain-child-has-ulp "ss -tin: ${plain_child//$'\n'/ }"
fi

# Each namespace's end of each connection: ss FILTER, then TX-KEY RX-KEY
# TX-BYTES RX-BYTES CONNTRACK.
spec_c=$WORK/client.spec spec_s=$WORK/server.spec
expect "$spec_c" "$NS_CLIENT" "dport = :$s1_port" 12354 12354 100003 100003 -
expect "$spec_s" "$NS_SERVER" "sport = :$s1_port" 12354 12354 100003 100003 ESTABLISHED
expect "$spec_c" "$NS_CLIENT" "dport = :$s2_port" 7 4294967293 70001 70001 -
expect "$spec_s" "$NS_SERVER" "sport = :$s2_port" 4294967293 7 70001 70001 ESTABLISHED
expect "$spec_c" "$NS_CLIENT" "dport = :$s3_port" 513 0 50021 0 -
expect "$spec_s" "$NS_SERVER" "sport = :$s3_port" 0 513 0 50021 ESTABLISHED
expect "$spec_c" "$NS_CLIENT" "dport = :$r1_port" 300 300 30011 30011 -
expect "$spec_s" "$NS_SERVER" "sport = :$r1_port" 300 300 30011 30011 ESTABLISHED
expect "$spec_c" "$NS_CLIENT" "dport = :$r2_port and dst [$SERVER6]" 5 0 20011 0 -
expect "$spec_s" "$NS_SERVER" "sport = :$r2_port and dst [$CLIENT6]" 0 5 0 20011 ESTABLISHED

list_is gaiusctl-list-client "$NS_CLIENT" "$spec_c"
list_is gaiusctl-list-server "$NS_SERVER" "$spec_s"
list_is gaiusctl-list-other-namespace "$NS_OTHER" "$WORK/empty.spec"
log "gaiusctl list in the server's namespace:"
show "$WORK/gaiusctl-list-server-text.out"

# Filters: each keeps exactly the connections to or from the server PORTS.
filtered_is gaiusctl-filter-dir-rx "$NS_CLIENT" "$spec_c" "$s1_port $s2_port $r1_port" dir rx
filtered_is gaiusctl-filter-dir-tx "$NS_SERVER" "$spec_s" "$s1_port $s2_port $r1_port" dir tx
filtered_is gaiusctl-filter-key "$NS_SERVER" "$spec_s" "$s3_port" key 513
filtered_is gaiusctl-filter-key-hex "$NS_CLIENT" "$spec_c" "$s2_port" key 0xfffffffd
filtered_is gaiusctl-filter-sport "$NS_SERVER" "$spec_s" "$s1_port" sport "$s1_port"
filtered_is gaiusctl-filter-dst-v6 "$NS_CLIENT" "$spec_c" "$r2_port" dst "$SERVER6/64" dport "$r2_port"
filtered_is gaiusctl-filter-src-v4 "$NS_SERVER" "$spec_s" "$s1_port $s3_port $r1_port" src 0.0.0.0/0
filtered_is gaiusctl-filter-src-v4-host "$NS_CLIENT" "$spec_c" "$s1_port $s3_port $r1_port" src "$CLIENT4"
filtered_is gaiusctl-filter-nothing "$NS_SERVER" "$spec_s" "" key 12355
exits_with gaiusctl-filter-bad-key "$NS_SERVER" 1 "bad filter, at: 0x" gaiusctl list key 0x
exits_with gaiusctl-filter-bad-term "$NS_SERVER" 1 "bad filter, at: from" gaiusctl list from "$CLIENT4"

# --netns: from a namespace with nothing to list, the server's.
list_is gaiusctl-netns-name "$NS_OTHER" "$spec_s" --netns "$NS_SERVER"
list_is gaiusctl-netns-path "$NS_OTHER" "$spec_c" --netns "/run/netns/$NS_CLIENT"
exits_with gaiusctl-netns-missing "$NS_SERVER" 4 "network namespace gaius-no-such" \
	gaiusctl --netns gaius-no-such list
exits_with gaiusctl-netns-nobody "$NS_OTHER" 3 "CAP_SYS_ADMIN" \
	setpriv --reuid=65534 --regid=65534 --clear-groups -- gaiusctl --netns "$NS_SERVER" stats

# -p and -e: the holders, as /proc has them, and ss's uid and inode.
ctl gaiusctl-processes-json "$NS_SERVER" gaiusctl list --json --processes
ctl gaiusctl-processes-text "$NS_SERVER" gaiusctl -e -p list
check gaiusctl-processes python3 -c '
import json, os, sys
conns = json.load(open(sys.argv[1]))["connections"]
lines = open(sys.argv[2]).read().splitlines()
assert conns and len(lines) == len(conns) + 1, "%d rows, %d connections" % (len(lines) - 1, len(conns))
assert lines[0].split()[-3:] == ["UID", "INODE", "PROCESS"], lines[0]
for conn, line in zip(conns, lines[1:]):
    procs = conn["processes"]
    assert procs, "no process for inode %d" % conn["inode"]
    for p in procs:
        assert p["command"] == "gaius-xfer", p
        link = os.readlink("/proc/%d/fd/%d" % (p["pid"], p["fd"]))
        assert link == "socket:[%d]" % conn["inode"], (p, link, conn["inode"])
    users = "users:(%s)" % ",".join("(\"%s\",pid=%d,fd=%d)" % (p["command"], p["pid"], p["fd"]) for p in procs)
    want = [str(conn["uid"]), str(conn["inode"]), users]
    assert line.split()[-3:] == want, (line, want)
print("%d connections, each held by gaius-xfer as /proc says" % len(conns))
' "$WORK/gaiusctl-processes-json.out" "$WORK/gaiusctl-processes-text.out"

# --watch: three rounds a second apart, each the whole list.
started=$(date +%s%N)
ctl gaiusctl-watch-json "$NS_SERVER" gaiusctl --watch 1 --count 3 list --json
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
check gaiusctl-watch-json python3 -c '
import json, sys
status, elapsed_ms = int(sys.argv[2]), int(sys.argv[3])
rounds = [json.loads(line) for line in open(sys.argv[1])]
assert status == 0, "exit %d" % status
assert len(rounds) == 3 and all(r == rounds[0] for r in rounds), rounds
assert len(rounds[0]["connections"]) == 5, rounds[0]
assert elapsed_ms >= 2000, "3 rounds in %d ms" % elapsed_ms
print("3 rounds of 5 connections in %d ms" % elapsed_ms)
' "$WORK/gaiusctl-watch-json.out" "$CTL_STATUS" "$elapsed_ms"
ctl gaiusctl-watch-text "$NS_SERVER" gaiusctl -w 1 -c 2 stats
if ((CTL_STATUS == 0)) && [[ $(grep -c '^# [0-9-]*T[0-9:]*Z$' "$WORK/gaiusctl-watch-text.out") == 2 &&
	$(grep -c '^CaesarCurrSockets ' "$WORK/gaiusctl-watch-text.out") == 2 ]]; then
	pass gaiusctl-watch-text
else
	fail gaiusctl-watch-text "exit $CTL_STATUS: $(head -c 300 "$WORK/gaiusctl-watch-text.out")"
fi
exits_with gaiusctl-watch-bad "$NS_SERVER" 1 "--watch takes seconds" gaiusctl --watch 0 list
exits_with gaiusctl-count-alone "$NS_SERVER" 1 "--count goes with --watch" gaiusctl --count 2 list

# A gateway: its forwarded connections, the keyed one only.
gateway_lists

# A NAT box's table: list asks per connection, and stays exact and quick.
conntrack_at_scale

stats_match gaiusctl-stats-client "$NS_CLIENT"
stats_match gaiusctl-stats-server "$NS_SERVER"

exits_with gaiusctl-no-net-admin "$NS_SERVER" 3 "CAP_NET_ADMIN" \
	setpriv --inh-caps=-all --bounding-set=-net_admin -- gaiusctl list
exits_with gaiusctl-nobody "$NS_SERVER" 3 "CAP_NET_ADMIN" \
	setpriv --reuid=65534 --regid=65534 --clear-groups -- gaiusctl list --json
ctl gaiusctl-nobody-stats "$NS_SERVER" setpriv --reuid=65534 --regid=65534 --clear-groups -- gaiusctl stats
if ((CTL_STATUS == 0)) && grep -q '^CaesarCurrSockets ' "$WORK/gaiusctl-nobody-stats.out"; then
	pass gaiusctl-nobody-stats
else
	fail gaiusctl-nobody-stats "exit $CTL_STATUS: $(tail_line "$WORK/gaiusctl-nobody-stats.err" 1)"
fi

# The holders die: their sockets close with FIN, which the capture needs.
stop_holders
if poll "$WAIT_TENTHS" no_caesar_sockets; then
	pass gaiusctl-sockets-closed
else
	fail gaiusctl-sockets-closed "CaesarCurrSockets: server $(caesar_stat "$NS_SERVER" CaesarCurrSockets), client $(caesar_stat "$NS_CLIENT" CaesarCurrSockets)"
fi
list_is gaiusctl-list-after-close "$NS_SERVER" "$WORK/empty.spec"
stop_capture
if [[ -n ${s0_port:-} ]]; then
	wire_of gaiusctl-s0-wire "tcp port $s0_port" "$s0_port" --seed 860 --size 10007 --shift 11 --streams 1
fi
for d in client-to-server server-to-client; do
	wire_of "gaiusctl-s1-wire-$d" "tcp port $s1_port" "$s1_port" --direction "$d" --seed 861 --size 100003 --shift 12354 --streams 1
	wire_of "gaiusctl-r1-wire-$d" "tcp port $r1_port" "$r1_port" --direction "$d" --seed 864 --size 30011 --shift 300 --streams 1
done
wire_of gaiusctl-s2-wire-client-to-server "tcp port $s2_port" "$s2_port" --seed 862 --size 70001 --shift 7 --streams 1
wire_of gaiusctl-s2-wire-server-to-client "tcp port $s2_port" "$s2_port" --direction server-to-client --seed 862 --size 70001 --shift 4294967293 --streams 1
wire_of gaiusctl-s3-wire "tcp port $s3_port" "$s3_port" --seed 863 --size 50021 --shift 513 --streams 1
wire_of gaiusctl-r2-wire "ip6 and tcp port $r2_port" "$r2_port" --seed 865 --size 20011 --shift 5 --streams 1
wire_of gaiusctl-plain-wire "ip and tcp port $r2_port" "$r2_port" --seed 865 --size 20011 --plaintext --streams 1

# No modules: exit 2, whoever asks.
clear_rules "$NS_CLIENT" nft
clear_rules "$NS_SERVER" nft
if poll "$WAIT_TENTHS" modules_unload; then
	pass gaiusctl-rmmod
else
	fail gaiusctl-rmmod "$(rmmod caesar 2>&1)"
fi
exits_with gaiusctl-list-not-loaded "$NS_SERVER" 2 "caesar module is not loaded" gaiusctl list
exits_with gaiusctl-list-json-not-loaded "$NS_SERVER" 2 "caesar module is not loaded" gaiusctl list --json
exits_with gaiusctl-stats-not-loaded "$NS_SERVER" 2 "caesar module is not loaded" gaiusctl stats --json
exits_with gaiusctl-nobody-not-loaded "$NS_SERVER" 2 "caesar module is not loaded" \
	setpriv --reuid=65534 --regid=65534 --clear-groups -- gaiusctl list
check gaiusctl-modprobe-again modprobe xt_GAIUS
finish

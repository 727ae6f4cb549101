#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# `make example` (tests/example/run boots the VM on this directory): the
# README's example, for a human to read. Two network namespaces joined by a
# veth pair stand for two hosts, 192.0.2.1 and 198.51.100.2, each with a
# route to the other's network. On 192.0.2.1 a GAIUSENCRYPT rule, on
# 198.51.100.2 a GAIUSDECRYPT rule; socat on 192.0.2.1 (source port 123)
# sends a message to caesar-server, a plain TCP server, on 198.51.100.2
# port 234; neither program knows of gaius.
#
# The transcript is every line this prints that starts with "example| ":
# the guest's writes are thrown away, but its console (build/vm/console.log)
# keeps them, and tests/example/run prints them once the VM is done. It ends
# with what the receiver read and what tcpdump saw on the link. The checks:
# the receiver read exactly what was sent, the capture holds the message
# only as ciphertext (wirecheck.py: every byte + 66; and not one copy of
# the plaintext), and gaiusctl lists the connection at both ends.
# shellcheck source=../netns/lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/../netns/lib.sh"
# shellcheck source=../netns/xt-lib.sh
source "$(dirname "$0")/../netns/xt-lib.sh"

readonly SENDER=192.0.2.1 RECEIVER=198.51.100.2 SPORT=123 DPORT=234 KEY=12354
readonly MESSAGE='Veni, vidi, vici. -- sent by 192.0.2.1 in plaintext'
# The rules, exactly as the README writes them.
readonly MATCH=(-s "$SENDER" -p tcp --sport "$SPORT" -d "$RECEIVER" --dport "$DPORT")
MARKER_ADDR=$RECEIVER
FIFO=$WORK/socat-input

# Kernel messages stay in dmesg (the runner checks it) but off the console
# the transcript is read from.
dmesg -n 1

say() {
	printf 'example| %s\n' "$*"
}

# Indents a command's output in the transcript (a last line without a
# newline gets one).
transcribe() {
	awk '{ print "example|     " $0 }'
}

ns_of() {
	if [[ $1 == "$SENDER" ]]; then
		printf '%s\n' "$NS_CLIENT"
	else
		printf '%s\n' "$NS_SERVER"
	fi
}

# The arguments as a shell would take them back: quoted where needed.
quoted() {
	local arg words=()
	for arg in "$@"; do
		if [[ $arg =~ ^[A-Za-z0-9_./:,=@%+-]+$ ]]; then
			words+=("$arg")
		else
			words+=("'${arg//\'/\'\\\'\'}'")
		fi
	done
	printf '%s\n' "${words[*]}"
}

# on HOST CMD...: "[HOST]# CMD" and CMD's output, run in HOST's namespace.
on() {
	local host=$1
	shift
	say "[$host]# $(quoted "$@")"
	ip netns exec "$(ns_of "$host")" "$@" 2>&1 | transcribe
	return "${PIPESTATUS[0]}"
}

connection_up() {
	[[ -n $(in_client ss -Htn state established "sport = :$SPORT") ]]
}

# Everything sent has been acknowledged and read by the receiver.
message_delivered() {
	local sender receiver
	sender=$(in_client ss -Htn state established "sport = :$SPORT" | awk '{ print $2 }')
	receiver=$(in_server ss -Htn state established "sport = :$DPORT" | awk '{ print $1 }')
	[[ $sender == 0 && $receiver == 0 ]]
}

# gaiusctl_shows NAME HOST LOCAL REMOTE DIRECTION: `gaiusctl list --json` on
# HOST holds exactly one connection, LOCAL -> REMOTE (address:port), keyed
# with $KEY in DIRECTION (tx or rx) only, that moved the whole message.
gaiusctl_shows() {
	local name=$1 host=$2
	ip netns exec "$(ns_of "$host")" gaiusctl list --json >"$WORK/$name.json" 2>&1
	check "$name" python3 -c '
import json, sys
path, local, remote, way, key, size = sys.argv[1:]
conns = json.load(open(path))["connections"]
assert len(conns) == 1, "%d connections listed" % len(conns)
c = conns[0]
ends = ["%s:%d" % (c[e]["address"], c[e]["port"]) for e in ("local", "remote")]
assert ends == [local, remote], "listed %s, expected %s -> %s" % (" -> ".join(ends), local, remote)
other = "rx" if way == "tx" else "tx"
want = {"key": int(key), "shift": int(key) % 256, "bytes": int(size)}
assert c["directions"] == [way] and c[way] == want and c[other] is None, "keys %r" % c
print("%s -> %s, %s key %s, %s bytes" % (local, remote, way, key, size))
' "$WORK/$name.json" "$3" "$4" "$5" "$KEY" "${#MESSAGE}"
}

# Two hosts: the sender keeps lib.sh's client namespace, the receiver the
# server's, each readdressed, with a route to the other's network.
in_client ip -4 addr flush dev veth-c
in_server ip -4 addr flush dev veth-s
in_client ip addr add "$SENDER/24" dev veth-c
in_server ip addr add "$RECEIVER/24" dev veth-s
in_client ip route add 198.51.100.0/24 dev veth-c
in_server ip route add 192.0.2.0/24 dev veth-s

say "gaius example: $SENDER sends to $RECEIVER; a rule on each host enciphers the connection."
say "Two hosts (network namespaces) joined by a veth pair, each with a route to the other:"
on "$SENDER" ip -4 -brief address show dev veth-c
on "$SENDER" ip route
on "$RECEIVER" ip -4 -brief address show dev veth-s
on "$RECEIVER" ip route
say ""
say "The modules, then one rule per host (XTABLES_LIBDIR finds the plugins in build/userspace/xtables):"
check example-modprobe modprobe xt_GAIUS
say "# modprobe xt_GAIUS      (one kernel for both hosts; it loads caesar too)"
on "$SENDER" iptables -A OUTPUT "${MATCH[@]}" -j GAIUSENCRYPT --key "$KEY" ||
	fail example-sender-rule "iptables refused the GAIUSENCRYPT rule"
on "$RECEIVER" iptables -A INPUT "${MATCH[@]}" -j GAIUSDECRYPT --key "$KEY" ||
	fail example-receiver-rule "iptables refused the GAIUSDECRYPT rule"
on "$SENDER" iptables -S
on "$RECEIVER" iptables -S
say ""

start_capture || fail example-capture "tcpdump did not start"
say "The receiver: caesar-server, a plain TCP server that prints what it reads."
say "[$RECEIVER]# caesar-server $DPORT > received.txt &"
ip netns exec "$NS_SERVER" caesar-server "$DPORT" >"$WORK/received.txt" 2>"$WORK/server.err" &
server_pid=$!
BACKGROUND_PIDS+=("$server_pid")
wait_listening "$NS_SERVER" "$DPORT" || fail example-receiver-listens "caesar-server never listened: $(tail_line "$WORK/server.err")"

say "The sender: socat from $SENDER port $SPORT; its input stays open until gaiusctl has run."
say "[$SENDER]# printf %s $(quoted "$MESSAGE") | socat -u - TCP:$RECEIVER:$DPORT,bind=$SENDER:$SPORT"
mkfifo "$FIFO"
ip netns exec "$NS_CLIENT" socat -u - "TCP:$RECEIVER:$DPORT,bind=$SENDER:$SPORT" <"$FIFO" >"$WORK/socat.log" 2>&1 &
sender_pid=$!
BACKGROUND_PIDS+=("$sender_pid")
exec {socat_input}>"$FIFO"
# A socat that already failed must not kill this script with SIGPIPE.
(trap '' PIPE && printf '%s' "$MESSAGE" >&"$socat_input") || log "could not write to socat"
if poll "$WAIT_TENTHS" connection_up && poll "$WAIT_TENTHS" message_delivered; then
	pass example-message-delivered
else
	fail example-message-delivered "socat: $(tail_line "$WORK/socat.log"); caesar-server: $(tail_line "$WORK/server.err")"
fi
say ""
say "While the connection is up, gaiusctl on each host:"
on "$SENDER" gaiusctl list
on "$RECEIVER" gaiusctl list
gaiusctl_shows example-gaiusctl-sender "$SENDER" "$SENDER:$SPORT" "$RECEIVER:$DPORT" tx
gaiusctl_shows example-gaiusctl-receiver "$RECEIVER" "$RECEIVER:$DPORT" "$SENDER:$SPORT" rx

exec {socat_input}>&-
wait "$sender_pid" || fail example-sender "socat exited non-zero: $(tail_line "$WORK/socat.log")"
wait "$server_pid" || fail example-receiver "caesar-server exited non-zero: $(tail_line "$WORK/server.err")"
stop_capture
say ""
say "What the receiver read:"
(cd "$WORK" && on "$RECEIVER" cat received.txt)
say ""
printf '%s' "$MESSAGE" >"$WORK/sent.txt"
if cmp -s "$WORK/sent.txt" "$WORK/received.txt"; then
	pass example-received-equals-sent
else
	fail example-received-equals-sent "the receiver read $(stat -c %s "$WORK/received.txt") bytes that differ from the ${#MESSAGE} sent"
fi

say "What crossed the link (captured on $RECEIVER's veth): every byte of the message + $((KEY % 256)) (key $KEY mod 256)."
say "The message's bytes, and the same + $((KEY % 256)), which the capture below must show:"
python3 -c '
import sys
plain = sys.argv[1].encode()
shift = int(sys.argv[2]) % 256
for name, data in (("plaintext", plain), ("+ %d" % shift, bytes((b + shift) % 256 for b in plain))):
    for i in range(0, len(data), 16):
        print("%-10s %s" % (name if i == 0 else "", data[i:i + 16].hex(" ")))
' "$MESSAGE" "$KEY" | transcribe
cp "$CAPTURE" "$WORK/link.pcap"
(cd "$WORK" && on "$RECEIVER" tcpdump -r link.pcap -n -X "tcp port $DPORT and tcp[tcpflags] & tcp-push != 0")
wire example-wire-ciphertext "$DPORT" --message "$MESSAGE" --shift "$KEY" --streams 1
check example-capture-has-no-plaintext python3 -c '
import sys
capture = open(sys.argv[1], "rb").read()
message = sys.argv[2].encode()
assert message not in capture, "the plaintext is in the capture"
print("%d capture bytes, no copy of the %d-byte message" % (len(capture), len(message)))
' "$CAPTURE" "$MESSAGE"
finish

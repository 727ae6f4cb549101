#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Check what a capture shows on the wire for gaius-xfer or caesar-client traffic.

Reads a pcap (tcpdump -w; Ethernet, Linux cooked v1/v2 or raw IP link types;
IPv4 and IPv6), reassembles each TCP stream direction by sequence number
(retransmissions, duplicates and out-of-order segments are fine; a byte
seen twice with different values is reported) and checks every payload byte
of the chosen streams against the expected text:

    wire[n] == (plaintext[n] + shift) mod 256

where plaintext is gaius-xfer's payload (--seed, --size: the same splitmix64
stream, see payload()), a fixed --message or a file's bytes (--data-file),
and shift is the key mod 256 (--plaintext is shift 0: the capture must show
the plaintext). A stream that changed keys mid-way (--switch-file, written
by midstream.py: "OFFSET OLD-KEY NEW-KEY") has the old shift before OFFSET
and the new one from there on. The stream must end with a FIN at exactly
the expected length.

Prints one line per stream and a summary; exits 0 only when every byte of
every chosen stream was seen and matched (--partial: every byte seen
matched; for connections a fault may have cut short).

Several checks in one run (a python3 start is slow in the emulated test
VM): their argument lists, each complete, separated by --and; a capture
named by several is read once. Exits 0 only when every check passed.
"""
import argparse
import struct
import sys

SPLITMIX64_GAMMA = 0x9E3779B97F4A7C15
MASK64 = (1 << 64) - 1

LINKTYPE_ETHERNET = 1
LINKTYPE_RAW = 101
LINKTYPE_LINUX_SLL = 113
LINKTYPE_LINUX_SLL2 = 276
ETH_P_IP = 0x0800
ETH_P_IPV6 = 0x86DD
ETH_P_8021Q = 0x8100
IPPROTO_TCP = 6
IPV6_EXTENSION_HEADERS = (0, 43, 60)
TCP_FIN, TCP_SYN = 0x01, 0x02


def payload(seed, size, offset=0):
    """Bytes [offset, offset + size) of gaius-xfer's stream for `seed`.

    Byte n is byte n % 8 (little endian) of splitmix64 word n // 8, word i
    being splitmix64's output for the state seed + (i + 1) * GAMMA.
    """
    first, last = offset // 8, (offset + size + 7) // 8
    words = []
    z = (seed + (first + 1) * SPLITMIX64_GAMMA) & MASK64
    for _ in range(first, last):
        x = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9 & MASK64
        x = (x ^ (x >> 27)) * 0x94D049BB133111EB & MASK64
        words.append(x ^ (x >> 31))
        z = (z + SPLITMIX64_GAMMA) & MASK64
    data = struct.pack("<%dQ" % len(words), *words)
    start = offset - first * 8
    return data[start:start + size]


def stream_seed(seed, direction):
    """gaius-xfer's seed for a direction: seed to the server, seed + 1 back."""
    return seed if direction == "client-to-server" else seed + 1


def shifted(data, shift):
    table = bytes((b + shift) & 0xFF for b in range(256))
    return data.translate(table)


def read_pcap(path):
    """Yield (linktype, packet bytes) for each record of a pcap file."""
    with open(path, "rb") as f:
        header = f.read(24)
        if len(header) < 24:
            raise ValueError("%s: not a pcap file (too short)" % path)
        magic = header[:4]
        if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
            endian = "<"
        elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
            endian = ">"
        else:
            raise ValueError("%s: not a pcap file (pcapng is not read)" % path)
        linktype = struct.unpack(endian + "I", header[20:24])[0] & 0xFFFF
        record = struct.Struct(endian + "IIII")
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            _, _, caplen, _ = record.unpack(rec)
            data = f.read(caplen)
            if len(data) < caplen:
                return
            yield linktype, data


def link_payload(linktype, pkt):
    """(ethertype, network layer bytes) or None."""
    if linktype == LINKTYPE_ETHERNET:
        ethertype, off = struct.unpack("!H", pkt[12:14])[0], 14
        while ethertype == ETH_P_8021Q and len(pkt) >= off + 4:
            ethertype, off = struct.unpack("!H", pkt[off + 2:off + 4])[0], off + 4
        return ethertype, pkt[off:]
    if linktype == LINKTYPE_LINUX_SLL:
        return struct.unpack("!H", pkt[14:16])[0], pkt[16:]
    if linktype == LINKTYPE_LINUX_SLL2:
        return struct.unpack("!H", pkt[0:2])[0], pkt[20:]
    if linktype == LINKTYPE_RAW and pkt:
        return (ETH_P_IP if pkt[0] >> 4 == 4 else ETH_P_IPV6), pkt
    return None


def ip_tcp(ethertype, pkt):
    """(src, dst, tcp segment bytes) for a TCP packet, else None."""
    if ethertype == ETH_P_IP and len(pkt) >= 20:
        ihl = (pkt[0] & 0x0F) * 4
        total = struct.unpack("!H", pkt[2:4])[0] or len(pkt)  # 0 under TSO
        frag = struct.unpack("!H", pkt[6:8])[0] & 0x3FFF
        if pkt[9] != IPPROTO_TCP or frag:
            return None
        return pkt[12:16], pkt[16:20], pkt[ihl:total]
    if ethertype == ETH_P_IPV6 and len(pkt) >= 40:
        nxt, off = pkt[6], 40
        end = 40 + (struct.unpack("!H", pkt[4:6])[0] or len(pkt) - 40)
        while nxt in IPV6_EXTENSION_HEADERS and len(pkt) >= off + 8:
            nxt, off = pkt[off], off + (pkt[off + 1] + 1) * 8
        if nxt != IPPROTO_TCP:
            return None
        return pkt[8:24], pkt[24:40], pkt[off:end]
    return None


class Stream:
    """One direction of one TCP connection, reassembled by sequence number."""

    def __init__(self, key):
        self.key = key  # (src, sport, dst, dport)
        # Every ISN a SYN of this direction carried. A server answers one
        # SYN twice, with two ISNs, when the SYN is retransmitted and its
        # queue was full for the first (a SYN cookie) but not the second (a
        # request socket that then times out): the connection is the
        # cookie's, the other SYN-ACK's retransmissions may come after it.
        self.isns = []
        self.segments = []  # (seq, payload bytes)
        self.fin_seq = None

    @property
    def isn(self):
        """The ISN the data follows (None without a SYN): of several, the one
        that every segment follows most closely."""
        def reach(isn):
            return max(((seq - isn - 1) & 0xFFFFFFFF for seq, _ in self.segments), default=0)
        return min(self.isns, key=reach) if self.isns else None

    def add(self, seq, flags, data):
        if flags & TCP_SYN and seq not in self.isns:
            self.isns.append(seq)
        if data:
            self.segments.append((seq + (1 if flags & TCP_SYN else 0), data))
        if flags & TCP_FIN:
            self.fin_seq = (seq + len(data) + (1 if flags & TCP_SYN else 0)) & 0xFFFFFFFF

    def assemble(self):
        """(bytes, gaps, conflicts, stray segments, length by FIN or None).
        A stray segment starts before the ISN, or 2 GiB after it: none of
        this connection's bytes, and never a reason to allocate that much."""
        base = (self.isn + 1) & 0xFFFFFFFF
        pieces = sorted(((seq - base) & 0xFFFFFFFF, data) for seq, data in self.segments)
        stray = [(off, data) for off, data in pieces if off >= 1 << 31]
        out = bytearray()
        gaps, conflicts = [], 0
        for off, data in pieces[:len(pieces) - len(stray)]:
            end = off + len(data)
            if off > len(out):
                gaps.append((len(out), off))
                out.extend(b"\0" * (off - len(out)))
            overlap = min(end, len(out)) - off
            if overlap > 0 and out[off:off + overlap] != data[:overlap]:
                conflicts += sum(a != b for a, b in zip(out[off:off + overlap], data[:overlap]))
            if end > len(out):
                out.extend(data[len(out) - off:])
        length = None if self.fin_seq is None else (self.fin_seq - base) & 0xFFFFFFFF
        return bytes(out), gaps, conflicts, stray, length


def collect_streams(path):
    """Every direction of every connection in the capture, as Streams.

    A four-tuple may carry one connection after another: the server's
    TIME_WAIT accepts a SYN with a higher ISN, and the client, which closed
    second and kept no TIME_WAIT, may pick the same port again at once. So
    a SYN after a direction's FIN starts a new stream. A SYN alone after the
    FIN (a dead request socket's SYN-ACK retransmitted late) starts none."""
    done, current = [], {}
    for linktype, pkt in read_pcap(path):
        link = link_payload(linktype, pkt)
        parsed = ip_tcp(*link) if link else None
        if not parsed:
            continue
        src, dst, tcp = parsed
        if len(tcp) < 20:
            continue
        sport, dport, seq = struct.unpack("!HHI", tcp[:8])
        hdr = (tcp[12] >> 4) * 4
        key = (src, sport, dst, dport)
        stream = current.get(key)
        if stream is None or (tcp[13] & TCP_SYN and stream.fin_seq is not None
                              and seq not in stream.isns):
            if stream is not None:
                done.append(stream)
            stream = current[key] = Stream(key)
        stream.add(seq, tcp[13], tcp[hdr:])
    streams, last = [], {}
    for stream in done + list(current.values()):
        before = last.get(stream.key)
        if before and not stream.segments and stream.fin_seq is None:
            before.isns.extend(i for i in stream.isns if i not in before.isns)
            continue
        streams.append(stream)
        last[stream.key] = stream
    return streams


def streams_on(streams, port, direction):
    """The streams of one direction (client-to-server or server-to-client)
    of the connections to server port `port`."""
    to_server = direction == "client-to-server"
    return [s for s in streams if (s.key[3] if to_server else s.key[1]) == port]


def check_streams(chosen, plain, expected, shift, name, partial=False):
    """check_stream on each of chosen; a stream whose SYN the capture
    missed fails, since its bytes cannot be placed. True when all match."""
    ok = True
    for stream in chosen:
        if stream.isn is None and partial and not stream.segments:
            # A connection that ended in its handshake: a RST, no bytes.
            print("%s: a stream with no SYN and no bytes in the capture: nothing to check" % name)
        elif stream.isn is None:
            print("%s: a stream has no SYN in the capture" % name)
            ok = False
        else:
            ok = check_stream(stream, plain, expected, shift, partial) and ok
    return ok


def count_equal(a, b):
    """How many positions hold the same byte in a and b (same length)."""
    if not a:
        return 0
    x = int.from_bytes(a, "little") ^ int.from_bytes(b, "little")
    return x.to_bytes(len(a), "little").count(0)


def check_stream(stream, plain, expected_wire, shift, partial=False):
    """Print one line for the stream; return True when it is all as expected.
    partial: the connection may have ended early (refused, reset): only the
    bytes seen are checked, not that they are all there."""
    data, gaps, conflicts, stray, length = stream.assemble()
    name = "%s:%d -> %s:%d" % (addr_text(stream.key[0]), stream.key[1],
                               addr_text(stream.key[2]), stream.key[3])
    problems = []
    if partial:
        pass
    elif length is None:
        problems.append("no FIN seen")
    elif length != len(plain):
        problems.append("FIN at %d, expected %d bytes" % (length, len(plain)))
    if gaps and not partial:
        problems.append("%d byte(s) never seen, first at %d"
                        % (sum(e - s for s, e in gaps), gaps[0][0]))
    if conflicts:
        problems.append("%d retransmitted byte(s) differ from the first copy" % conflicts)
    if stray:
        problems.append("%d segment(s) outside the stream, the first at sequence number %d "
                        "(ISN %d of %s)" % (len(stray), (stray[0][0] + stream.isn + 1) & 0xFFFFFFFF,
                                            stream.isn, stream.isns))
    checked = min(len(data), len(plain))
    expected = expected_wire[:checked]
    # A gap (partial) reads as zeros: only the bytes seen count.
    seen = bytearray(data[:checked])
    for start, end in gaps if partial else ():
        seen[start:min(end, checked)] = expected[start:min(end, checked)]
    data = bytes(seen) + data[checked:]
    mismatches = checked - count_equal(data[:checked], expected)
    if len(data) < len(plain) and not partial:
        problems.append("%d byte(s) missing at the end" % (len(plain) - len(data)))
    if len(data) > len(plain):
        problems.append("%d byte(s) more than expected" % (len(data) - len(plain)))
    if mismatches:
        first = next(i for i in range(checked) if data[i] != expected[i])
        problems.append("%d byte(s) not as expected, first at offset %d: 0x%02x, expected 0x%02x"
                        % (mismatches, first, data[first], expected[first]))
    as_plaintext = count_equal(data[:checked], plain[:checked])
    print("wirecheck: %s: %d bytes checked, shift %s, %d mismatch(es), %d byte(s) equal to the plaintext%s"
          % (name, checked, shift, mismatches, as_plaintext,
             ": " + "; ".join(problems) if problems else ": ok"))
    return not problems


def addr_text(raw):
    if len(raw) == 4:
        return ".".join(str(b) for b in raw)
    words = struct.unpack("!8H", raw)
    return "[" + ":".join("%x" % w for w in words) + "]"


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Check every TCP payload byte in a capture: wire = plaintext + shift (mod 256).",
        epilog="Exit status: 0 when every chosen stream matched entirely, 1 otherwise, 2 on usage errors.")
    p.add_argument("pcap", help="capture file (tcpdump -w, -s 0)")
    p.add_argument("--port", type=int, required=True, help="the server's TCP port")
    p.add_argument("--direction", choices=("client-to-server", "server-to-client"),
                   default="client-to-server", help="which direction of each connection to check")
    text = p.add_mutually_exclusive_group(required=True)
    text.add_argument("--seed", type=lambda s: int(s, 0),
                      help="gaius-xfer's --seed: the plaintext is its payload for --direction")
    text.add_argument("--message", help="the plaintext is this text (e.g. caesar-client's message)")
    text.add_argument("--data-file", help="the plaintext is this file's bytes")
    p.add_argument("--size", type=lambda s: int(s, 0), help="with --seed: bytes per stream")
    shift = p.add_mutually_exclusive_group(required=True)
    shift.add_argument("--switch-file",
                       help='"OFFSET OLD-KEY NEW-KEY": the key changed at OFFSET (midstream.py)')
    shift.add_argument("--shift", type=lambda s: int(s, 0),
                       help="the sender's key (any int; key mod 256 is the shift)")
    shift.add_argument("--plaintext", action="store_true",
                       help="the wire must show the plaintext itself (shift 0)")
    p.add_argument("--streams", type=int,
                   help="exactly this many streams must match (default: at least one)")
    p.add_argument("--partial", action="store_true",
                   help="streams may end early (a connection refused or reset): check the "
                   "bytes seen, not that every byte and the FIN were there")
    args = p.parse_args(argv)
    if args.seed is not None and args.size is None:
        p.error("--seed needs --size")
    return args


def plaintext_of(args):
    if args.message is not None:
        return args.message.encode()
    if args.data_file is not None:
        with open(args.data_file, "rb") as f:
            return f.read()
    return payload(stream_seed(args.seed, args.direction), args.size)


def wire_of(args, plain):
    """(the bytes the wire must carry, the shift(s) as text)."""
    if args.switch_file is None:
        shift = 0 if args.plaintext else args.shift % 256
        return shifted(plain, shift), "%d" % shift
    with open(args.switch_file) as f:
        offset, old, new = (int(x) for x in f.read().split())
    return (shifted(plain[:offset], old % 256) + shifted(plain[offset:], new % 256),
            "%d then %d from offset %d" % (old % 256, new % 256, offset))


def main(argv):
    groups = [[]]
    for arg in argv:
        if arg == "--and":
            groups.append([])
        else:
            groups[-1].append(arg)
    captures = {}
    statuses = [check_one(group, captures) for group in groups]
    if len(groups) > 1:
        print("wirecheck: %d of %d checks failed" % (sum(1 for s in statuses if s), len(groups)))
    return max(statuses)


def check_one(argv, captures):
    """One check (one argument list); captures: the streams of each capture
    path read so far."""
    args = parse_args(argv)
    try:
        plain = plaintext_of(args)
        expected, shift = wire_of(args, plain)
    except (OSError, ValueError) as err:
        print("wirecheck: %s" % err)
        return 2
    try:
        if args.pcap not in captures:
            captures[args.pcap] = collect_streams(args.pcap)
        streams = captures[args.pcap]
    except (OSError, ValueError) as err:
        print("wirecheck: %s" % err)
        return 1
    chosen = streams_on(streams, args.port, args.direction)
    ok = check_streams(chosen, plain, expected, shift, "wirecheck: port %d" % args.port,
                       args.partial)
    to_server = args.direction == "client-to-server"
    wanted = args.streams
    if (wanted is None and not chosen) or (wanted is not None and len(chosen) != wanted):
        print("wirecheck: %d stream(s) %s port %d in the capture, expected %s"
              % (len(chosen), "to" if to_server else "from", args.port,
                 "at least 1" if wanted is None else wanted))
        ok = False
    print("wirecheck: %d stream(s), %s" % (len(chosen), "OK" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

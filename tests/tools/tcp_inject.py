#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Send TCP segments no socket would: out of a connection's window.

  tcp_inject.py SRC DST SPORT DPORT PAYLOAD [--count N]

Sends N (default 3) segments with the ACK and PSH flags and PAYLOAD (a
string) from SRC:SPORT to DST:DPORT through a raw socket, IPv4 or IPv6 as
the addresses are, with a right TCP checksum. Their sequence numbers are
2^32 / N apart, so that at most one of them can fall in the window of a
connection on that four-tuple, whatever its sequence numbers are; a
stateful firewall calls the others invalid. A gateway that enciphers the
connection must not forward them as they are: the scenario looks for
PAYLOAD on the wire behind it.
"""

import argparse
import ipaddress
import socket
import struct
import sys

TCP_ACK_PSH = 0x18


def checksum(data):
    """The Internet checksum of data (RFC 1071)."""
    if len(data) % 2:
        data += b'\0'
    total = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def segment(src, dst, sport, dport, seq, payload):
    """A TCP header and payload, its checksum over the pseudo-header."""
    header = struct.pack('!HHIIBBHHH', sport, dport, seq, 0, 5 << 4,
                         TCP_ACK_PSH, 65535, 0, 0)
    length = len(header) + len(payload)
    if src.version == 4:
        pseudo = src.packed + dst.packed + struct.pack('!BBH', 0, socket.IPPROTO_TCP, length)
    else:
        pseudo = src.packed + dst.packed + struct.pack('!I3xB', length, socket.IPPROTO_TCP)
    csum = checksum(pseudo + header + payload)
    return header[:16] + struct.pack('!H', csum) + header[18:] + payload


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', type=ipaddress.ip_address)
    parser.add_argument('dst', type=ipaddress.ip_address)
    parser.add_argument('sport', type=int)
    parser.add_argument('dport', type=int)
    parser.add_argument('payload')
    parser.add_argument('--count', type=int, default=3)
    args = parser.parse_args()
    if args.src.version != args.dst.version:
        sys.exit('tcp_inject.py: the addresses are of two families')

    family = socket.AF_INET if args.src.version == 4 else socket.AF_INET6
    with socket.socket(family, socket.SOCK_RAW, socket.IPPROTO_TCP) as sock:
        sock.bind((str(args.src), 0))
        for i in range(args.count):
            seq = i * ((1 << 32) // args.count)
            data = segment(args.src, args.dst, args.sport, args.dport, seq,
                           args.payload.encode())
            sock.sendto(data, (str(args.dst), 0))
    print('tcp_inject.py: sent %d segment(s)' % args.count)


if __name__ == '__main__':
    main()

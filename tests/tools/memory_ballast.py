#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Hold TCP memory: connections whose bytes nobody reads.

  memory_ballast.py ADDR PORT CONNECTIONS

Listens on ADDR PORT, makes CONNECTIONS connections to itself with the
largest socket buffers net.core.rmem_max and wmem_max allow, and writes
into each until both its send queue and its peer's receive queue are full.
Then prints "holding N bytes on C connections" and waits for SIGTERM or
SIGINT, so that the memory stays charged to TCP until then.

TCP charges its memory to the machine in batches of up to 1 MiB per CPU
(6.0's per-CPU reserve), so a few small sockets never reach a low
net.ipv4.tcp_mem: this does, and puts TCP under memory pressure for the
sockets that share the machine with it.
"""
import select
import signal
import socket
import sys

CHUNK = 1 << 16


def full(sock):
    """Write into @sock until it takes no more; the bytes written."""
    sock.setblocking(False)
    written, data = 0, bytes(CHUNK)
    while True:
        try:
            written += sock.send(data)
        except BlockingIOError:
            # The peer may still take a little as its window opens: wait a
            # moment for the socket to say so, and stop when it does not.
            if not select.select([], [sock], [], 0.5)[1]:
                return written


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    addr, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    big = 1 << 30   # clamped to rmem_max / wmem_max
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, big)
    listener.bind((addr, port))
    listener.listen(count)
    held, total = [], 0
    for _ in range(count):
        client = socket.socket(family, socket.SOCK_STREAM)
        client.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, big)
        client.connect((addr, port))
        server, _ = listener.accept()
        held += [client, server]
        total += full(client)
    print("holding %d bytes on %d connections" % (total, count), flush=True)
    stop = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop)
    signal.sigwait(stop)


if __name__ == "__main__":
    main()

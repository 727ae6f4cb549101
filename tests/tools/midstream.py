#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Connections that are open before the rules come: where they switch.

  midstream.py CASE --client-ns NS --server-ns NS --addr ADDR --port PORT
               --key KEY --rules CMD --out DIR [--old-key KEY]

One process holds both ends of one connection (each socket made in its
namespace), so it decides exactly when each side writes. It opens the
connection, has both sides exchange bytes in plaintext, lets the connection
go idle, runs the shell command CMD (which adds the rules), and then:

  write   both directions: the client writes one segment, which switches
          client->server at its end; the server's ACK of it switches
          server->client. Then 512 KiB each way, at once.
  ack     client->server only: the server writes, the client's ACKs switch
          it at the client's next byte. Then 512 KiB client->server.
  bulk    client->server only: the client's first write after the rules is
          256 KiB in one call. The switch is the end of its first segment;
          GAIUSENCRYPT enciphers the rest of that write, which TCP copied as
          plaintext, in the packets. Then 512 KiB more.
  fresh   client->server only, on a connection that has carried nothing:
          the client's first write, 256 KiB, is enciphered from its first
          byte, in the packets as in bulk.
  rekey   both directions, keyed with --old-key by rules in place before
          the connection; CMD replaces them with --key, and it goes on as
          in write.
  blocked client->server only, the server blocked in recv() (TCP's own, no
          ULP yet) from before the rules: switched by the client's ACKs,
          then 512 KiB that the blocked read gets deciphered in the packets.

Every byte read is compared with what the other side wrote. For each
direction the program writes DIR/c2s.data or DIR/s2c.data (all the bytes it
carried) and DIR/c2s.switch or DIR/s2c.switch (the offset where the wire
changes key; the rest of the line is the key before and after), for
wirecheck.py. Exit status 0 when everything read was right; the reason on
stderr otherwise.
"""
import argparse
import ctypes
import os
import random
import socket
import struct
import subprocess
import sys
import threading
import time

CLONE_NEWNET = 0x40000000
TCP_MAXSEG = 2
CAESAR_TX_KEY = 101
CAESAR_RX_KEY = 102
MIB = 512 * 1024  # after the switch, per direction
PATIENCE = 20.0  # seconds for a key to show up, and for each read


def enter_netns(name):
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open("/var/run/netns/" + name, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns " + name)
    finally:
        os.close(fd)


def connect(args):
    """(client, server) sockets of one connection, each in its namespace."""
    family = socket.AF_INET6 if ":" in args.addr else socket.AF_INET
    enter_netns(args.server_ns)
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((args.addr, args.port))
    listener.listen(1)
    enter_netns(args.client_ns)
    client = socket.create_connection((args.addr, args.port), timeout=PATIENCE)
    server, _ = listener.accept()
    listener.close()
    server.settimeout(PATIENCE)
    return client, server


def read_exactly(sock, data, what):
    got = bytearray()
    while len(got) < len(data):
        chunk = sock.recv(min(len(data) - len(got), 1 << 16))
        if not chunk:
            break
        got += chunk
    if got != data:
        bad = next((i for i, (a, b) in enumerate(zip(got, data)) if a != b), len(got))
        raise AssertionError("%s: read %d of %d bytes, first difference at %d"
                             % (what, len(got), len(data), bad))


def key_of(sock, optname):
    try:
        return struct.unpack("i", sock.getsockopt(socket.SOL_TCP, optname, 4))[0]
    except OSError:
        return None  # no ULP yet (ENOPROTOOPT), or that direction off (ENOENT)


def wait_key(sock, optname, key, what):
    deadline = time.monotonic() + PATIENCE
    while key_of(sock, optname) != key:
        if time.monotonic() > deadline:
            raise AssertionError("%s: key still %s, expected %d"
                                 % (what, key_of(sock, optname), key))
        time.sleep(0.05)


class Direction:
    """What one direction carried, and where its wire switches."""

    def __init__(self, name, writer, reader):
        self.name, self.writer, self.reader = name, writer, reader
        self.data = bytearray()
        self.switch = None

    def send(self, data, what):
        """Write data on one side while the other reads and compares it."""
        errors = []

        def write():
            try:
                self.writer.sendall(data)
            except OSError as err:
                errors.append(err)

        writer = threading.Thread(target=write)
        writer.start()
        try:
            read_exactly(self.reader, data, "%s %s" % (self.name, what))
        finally:
            writer.join()
        if errors:
            raise OSError("%s %s: write: %s" % (self.name, what, errors[0]))
        self.data += data

    def mark_switch(self, old_key, key):
        self.switch = (len(self.data), old_key, key)

    def save(self, out):
        with open(os.path.join(out, self.name + ".data"), "wb") as f:
            f.write(self.data)
        if self.switch is not None:
            with open(os.path.join(out, self.name + ".switch"), "w") as f:
                f.write("%d %d %d\n" % self.switch)


def both_ways(c2s, s2c, a, b):
    """a client->server and b server->client at the same time."""
    errors = []

    def run(direction, data):
        try:
            direction.send(data, "after the switch")
        except (OSError, AssertionError) as err:
            errors.append(err)

    threads = [threading.Thread(target=run, args=(c2s, a)),
               threading.Thread(target=run, args=(s2c, b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def blocked_read(sock, data, errors):
    """Read and compare data from a recv() that starts before the rules."""
    try:
        read_exactly(sock, data, "c2s by the blocked reader")
    except (OSError, AssertionError) as err:
        errors.append(err)


def switch_blocked(args, rnd, c2s, s2c, old):
    """The blocked case, from the moment the connection is idle."""
    data = rnd.randbytes(MIB)
    errors = []
    reader = threading.Thread(target=blocked_read, args=(c2s.reader, data, errors))
    reader.start()
    time.sleep(0.5)  # the reader is in recv(), waiting, before the ULP exists
    subprocess.run(["bash", "-c", args.rules], check=True)
    s2c.send(rnd.randbytes(50000), "for the client to acknowledge")
    wait_key(c2s.writer, CAESAR_TX_KEY, args.key, "client tx (its ACK)")
    wait_key(c2s.reader, CAESAR_RX_KEY, args.key, "server rx (that ACK)")
    c2s.mark_switch(old, args.key)
    c2s.writer.sendall(data)
    reader.join()
    if errors:
        raise errors[0]
    c2s.data += data


def run_case(args, rnd):
    client, server = connect(args)
    c2s = Direction("c2s", client, server)
    s2c = Direction("s2c", server, client)
    old = args.old_key or 0

    if args.case != "fresh":
        c2s.send(rnd.randbytes(20000), "before the rules")
        s2c.send(rnd.randbytes(30000), "before the rules")
        time.sleep(0.3)  # every byte acknowledged: both directions idle
    if args.case == "blocked":
        switch_blocked(args, rnd, c2s, s2c, old)
    else:
        subprocess.run(["bash", "-c", args.rules], check=True)

    if args.case in ("write", "rekey"):
        message = rnd.randbytes(200)
        c2s.send(message, "trigger")
        c2s.mark_switch(old, args.key)
        wait_key(client, CAESAR_TX_KEY, args.key, "client tx")
        wait_key(server, CAESAR_RX_KEY, args.key, "server rx")
        wait_key(server, CAESAR_TX_KEY, args.key, "server tx (its ACK)")
        wait_key(client, CAESAR_RX_KEY, args.key, "client rx (that ACK)")
        s2c.mark_switch(old, args.key)
        both_ways(c2s, s2c, rnd.randbytes(MIB), rnd.randbytes(MIB))
    elif args.case == "ack":
        s2c.send(rnd.randbytes(50000), "for the client to acknowledge")
        wait_key(client, CAESAR_TX_KEY, args.key, "client tx (its ACK)")
        wait_key(server, CAESAR_RX_KEY, args.key, "server rx (that ACK)")
        c2s.mark_switch(old, args.key)
        c2s.send(rnd.randbytes(MIB), "after the switch")
    elif args.case in ("bulk", "fresh"):
        mss = client.getsockopt(socket.SOL_TCP, TCP_MAXSEG)
        first = 0 if args.case == "fresh" else mss
        c2s.switch = (len(c2s.data) + first, old, args.key)
        c2s.send(rnd.randbytes(256 * 1024), "trigger")
        wait_key(server, CAESAR_RX_KEY, args.key, "server rx")
        c2s.send(rnd.randbytes(MIB), "after the switch")

    client.shutdown(socket.SHUT_WR)
    if server.recv(1):
        raise AssertionError("the server read more than was sent")
    server.close()
    client.close()
    c2s.save(args.out)
    s2c.save(args.out)
    print("midstream %s: c2s %d bytes, switch %s; s2c %d bytes, switch %s"
          % (args.case, len(c2s.data), c2s.switch, len(s2c.data), s2c.switch))


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("case", choices=("write", "ack", "bulk", "fresh", "rekey", "blocked"))
    p.add_argument("--client-ns", required=True)
    p.add_argument("--server-ns", required=True)
    p.add_argument("--addr", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--key", type=int, required=True)
    p.add_argument("--old-key", type=int)
    p.add_argument("--rules", required=True, help="shell command that adds the rules")
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    try:
        run_case(args, random.Random(args.seed))
    except (OSError, AssertionError, subprocess.CalledProcessError) as err:
        print("midstream %s: %s" % (args.case, err), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

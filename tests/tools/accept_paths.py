#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""A rule's child reaches the program through accept() with TCP's file ops.

  accept_paths.py server MODE PORT KEY   accept one connection (IPv4 and
                                         IPv6), then check it: see below
  accept_paths.py client ADDR PORT KEY   attach the ULP and KEY (0: none),
                                         connect, send MESSAGE and a FIN,
                                         wait for the server's close or reset;
                                         with $ACCEPT_GO set, send only once
                                         that file exists
  accept_paths.py message                write MESSAGE

Modes, for the time the server calls accept():
  blocked   at once: the thread waits in accept() before the first SYN, so
            it took the listener's file ops before a GAIUSDECRYPT rule made
            them caesar's (the scenario waits for it to block)
  queued    once the file named by $ACCEPT_GO exists: the scenario
            creates it once a rule has keyed the child in the accept queue,
            where it has no file for the ops

Either way the child has the rule's receive key, and then:
  - splice() from it into a pipe reads MESSAGE, not ciphertext, then the
    client's FIN;
  - after connect(AF_UNSPEC), listen() on it is refused (EINVAL): its
    children would share its context.

  taken     two connections: the first, which a rule keys, takes the
            listener over; the second, which no rule matches yet, stays a
            plain child with caesar's ULP ops. Its client sends once the
            scenario has added rules for it too: both children read
            MESSAGE, the second keyed in mid-stream by the new rules.

Exit status 0 when all held; the reason otherwise on stderr.
"""
import ctypes
import errno
import os
import socket
import struct
import sys
import time

TCP_ULP = 31
CAESAR_TX_KEY = 101
CAESAR_RX_KEY = 102
MESSAGE = b"accepted with the file ops TCP gave it, read through splice()"


def fail(what):
    print(what, file=sys.stderr)
    return False


def splice_read(conn, size):
    """Every byte through splice(2), socket to pipe, then the pipe read."""
    rfd, wfd = os.pipe()
    data = bytearray()
    try:
        while len(data) < size:
            moved = os.splice(conn.fileno(), wfd, size - len(data))
            if moved == 0:
                break
            data += os.read(rfd, moved)
    finally:
        os.close(rfd)
        os.close(wfd)
    return bytes(data)


def disconnect(conn):
    """connect(AF_UNSPEC): TCP's disconnect, leaving the socket closed."""
    libc = ctypes.CDLL(None, use_errno=True)
    unspec = struct.pack("=H14x", socket.AF_UNSPEC)
    if libc.connect(conn.fileno(), unspec, len(unspec)) != 0:
        return ctypes.get_errno()
    return 0


def check_child(conn, key):
    got = conn.getsockopt(socket.SOL_TCP, CAESAR_RX_KEY, 4)
    if struct.unpack("i", got)[0] != key:
        return fail("the child's receive key is %d, not %d" % (struct.unpack("i", got)[0], key))
    # Up to the client's FIN: the reset of connect(AF_UNSPEC) below must not
    # reach the client before it has shut its side down.
    data = splice_read(conn, len(MESSAGE) + 1)
    if data != MESSAGE:
        return fail("splice() read %d bytes %r, expected %r" % (len(data), data, MESSAGE))
    err = disconnect(conn)
    if err:
        return fail("connect(AF_UNSPEC): errno %d" % err)
    try:
        conn.listen(4)
    except OSError as exc:
        if exc.errno == errno.EINVAL:
            return True
        return fail("listen(): errno %d, expected EINVAL" % exc.errno)
    return fail("listen() on a socket with a context succeeded")


def read_all(sock):
    data = bytearray()
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return bytes(data)
        data += chunk


def serve_taken(listener):
    children = [listener.accept()[0], listener.accept()[0]]
    ok = True
    for i, conn in enumerate(children):
        data = read_all(conn)
        if data != MESSAGE:
            ok = fail("child %d read %d bytes %r" % (i, len(data), data))
        conn.close()
    return ok


def serve(mode, port, key):
    listener = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("::", port))
    listener.listen(4)
    if mode == "taken":
        return serve_taken(listener)
    if mode == "queued":
        go = os.environ["ACCEPT_GO"]
        while not os.path.exists(go):
            time.sleep(0.05)
    elif mode != "blocked":
        return fail("unknown mode %s" % mode)
    conn, _ = listener.accept()
    with conn:
        return check_child(conn, key)


def wait_go():
    go = os.environ.get("ACCEPT_GO")
    while go and not os.path.exists(go):
        time.sleep(0.05)


def client(addr, port, key):
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        if key:
            sock.setsockopt(socket.SOL_TCP, TCP_ULP, b"caesar")
            sock.setsockopt(socket.SOL_TCP, CAESAR_TX_KEY, struct.pack("i", key))
        sock.connect((addr, port))
        wait_go()
        sock.sendall(MESSAGE)
        sock.shutdown(socket.SHUT_WR)
        # Until the server is done with the child: its connect(AF_UNSPEC)
        # resets the connection.
        try:
            sock.recv(1)
        except ConnectionResetError:
            pass
    return True


def main(argv):
    if len(argv) == 5 and argv[1] == "server":
        ok = serve(argv[2], int(argv[3]), int(argv[4], 0))
    elif len(argv) == 5 and argv[1] == "client":
        ok = client(argv[2], int(argv[3]), int(argv[4], 0))
    elif len(argv) == 2 and argv[1] == "message":
        sys.stdout.buffer.write(MESSAGE)
        return 0
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

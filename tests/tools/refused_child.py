#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""A child the rules keyed but could not give a context carries no byte.

  refused_child.py server MODE PORT   accept one connection (IPv4 and
                                      IPv6) and do MODE on it
  refused_child.py client ADDR PORT KEY
                                      a client without gaius: connect, send
                                      MESSAGE enciphered by hand with KEY,
                                      then read until the server closes or
                                      resets, for at most 30 s
  refused_child.py message            write MESSAGE
  refused_child.py reply              write REPLY

Server modes, on a child whose context could not be made (the scenario
makes the allocation fail): each must fail with ECONNABORTED, and the read
modes must return no byte:
  read      recv()
  write     send(REPLY)
  sockopt   setsockopt(TCP_NODELAY), then recv()
  splice    splice() from the socket into a pipe
  sendfile  sendfile() of a file holding REPLY to the socket
and
  keyed     the control, with nothing failing: recv() MESSAGE exactly,
            deciphered by the rule, then send(REPLY), which the rule
            enciphers.

Each side prints what happened as one line: "bytes HEX" for what it read
(or "bytes -" for nothing), then "end ERRNO-NAME" or "end eof". Exit
status 0 when it ran; the scenario judges the lines.
"""
import errno
import os
import socket
import sys
import tempfile

MESSAGE = b"gaius: the server must never read this in plaintext, nor ciphertext.\n"
REPLY = b"gaius: nor may any byte of its answer reach the wire as plaintext.\n"


def errno_name(err):
    return errno.errorcode.get(err.errno, str(err.errno))


def report(got, end):
    print("bytes %s" % (got.hex() if got else "-"))
    print("end %s" % end)
    sys.stdout.flush()


def act(conn, mode):
    """MODE on the accepted CONN: what was read, and how it ended."""
    got = b""
    try:
        if mode == "read":
            got = conn.recv(4096)
        elif mode == "write":
            conn.send(REPLY)
        elif mode == "sockopt":
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            got = conn.recv(4096)
        elif mode == "splice":
            r, w = os.pipe()
            n = os.splice(conn.fileno(), w, 4096)
            os.close(w)
            got = os.read(r, n) if n else b""
            os.close(r)
        elif mode == "sendfile":
            with tempfile.TemporaryFile() as f:
                f.write(REPLY)
                f.flush()
                os.sendfile(conn.fileno(), f.fileno(), 0, len(REPLY))
        elif mode == "keyed":
            while len(got) < len(MESSAGE):
                chunk = conn.recv(len(MESSAGE) - len(got))
                if not chunk:
                    break
                got += chunk
            conn.sendall(REPLY)
            conn.shutdown(socket.SHUT_WR)
            return got, "eof" if conn.recv(1) == b"" else "more"
        else:
            raise SystemExit("unknown mode %s" % mode)
    except OSError as err:
        return got, errno_name(err)
    return got, "eof" if mode in ("read", "sockopt", "splice") and not got else "none"


def serve(mode, port):
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as srv:
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        srv.bind(("::", port))
        srv.listen(8)
        conn, _ = srv.accept()
        with conn:
            # The client's message is in before anything is tried.
            conn.settimeout(30)
            got, end = act(conn, mode)
            report(got, end)
    return 0


def client(addr, port, key):
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    shift = key % 256
    got, end = b"", "eof"
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(30)
        sock.connect((addr, port))
        sock.sendall(bytes((b + shift) % 256 for b in MESSAGE))
        try:
            while True:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                got += chunk
        except OSError as err:
            end = "timeout" if isinstance(err, socket.timeout) else errno_name(err)
    report(got, end)
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == "server":
        return serve(argv[2], int(argv[3]))
    if len(argv) == 5 and argv[1] == "client":
        return client(argv[2], int(argv[3]), int(argv[4], 0))
    if len(argv) == 2 and argv[1] in ("message", "reply"):
        sys.stdout.buffer.write(MESSAGE if argv[1] == "message" else REPLY)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

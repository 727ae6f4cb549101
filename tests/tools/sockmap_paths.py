#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Sockets of a listener a rule took over, into a sockmap and out again.

  sockmap_paths.py server PORT           accept two connections on [::]:PORT:
                                         one a GAIUSDECRYPT rule keyed, and
                                         a plain one
  sockmap_paths.py client ADDR PORT KEY  connect, send MESSAGE enciphered
                                         with KEY (0: plain), wait for the
                                         server to close

The plain child and the listener carry caesar's ULP ops with TCP's proto:
each may be refused by a BPF sockmap (6.1 refuses any socket with ULP ops)
or join it and leave it, and then its proto must come back whole (the
ULP's update), or closing it later warns and leaks the socket (the kernel
log check sees that). The keyed child must be refused: the sockmap would
take its bytes past the ULP. Then both children read MESSAGE. No BPF
program is needed: the map alone moves the sockets' protos. Exit status 0
when all held.
"""
import ctypes
import errno
import socket
import struct
import sys

TCP_ULP = 31
CAESAR_TX_KEY = 101
CAESAR_RX_KEY = 102
MESSAGE = b"a sockmap takes a socket's proto, and must give it back"

BPF_MAP_CREATE = 0
BPF_MAP_UPDATE_ELEM = 2
BPF_MAP_DELETE_ELEM = 3
BPF_MAP_TYPE_SOCKMAP = 15
SYS_BPF = 321  # x86_64

libc = ctypes.CDLL(None, use_errno=True)


class SockMap:
    def __init__(self):
        attr = struct.pack("=IIII", BPF_MAP_TYPE_SOCKMAP, 4, 4, 1)
        buf = ctypes.create_string_buffer(attr, 128)
        self.fd = libc.syscall(SYS_BPF, BPF_MAP_CREATE, buf, 128)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "BPF_MAP_CREATE")
        self.key = ctypes.c_uint32(0)

    def _elem(self, cmd, value):
        attr = struct.pack("=I4xQQQ", self.fd, ctypes.addressof(self.key),
                           ctypes.addressof(value) if value is not None else 0, 0)
        buf = ctypes.create_string_buffer(attr, 128)
        if libc.syscall(SYS_BPF, cmd, buf, 128) < 0:
            return ctypes.get_errno()
        return 0

    def add(self, sock):
        value = ctypes.c_uint32(sock.fileno())
        return self._elem(BPF_MAP_UPDATE_ELEM, value)

    def remove(self):
        return self._elem(BPF_MAP_DELETE_ELEM, None)


def in_and_out(smap, what, sock):
    err = smap.add(sock)
    if err in (errno.EINVAL, errno.EOPNOTSUPP):
        print("%s: refused by the sockmap (errno %d)" % (what, err))
        return True
    if err:
        print("%s: the sockmap answered errno %d" % (what, err), file=sys.stderr)
        return False
    print("%s: in the sockmap, and out again" % what)
    err = smap.remove()
    if err:
        print("%s: removing it from the sockmap: errno %d" % (what, err), file=sys.stderr)
        return False
    return True


def keyed(conn):
    try:
        conn.getsockopt(socket.SOL_TCP, CAESAR_RX_KEY, 4)
    except OSError:
        return False
    return True


def read_message(sock):
    data = bytearray()
    while len(data) < len(MESSAGE):
        chunk = sock.recv(len(MESSAGE) - len(data))
        if not chunk:
            break
        data += chunk
    return bytes(data)


def serve(port):
    listener = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("::", port))
    listener.listen(4)
    children = [listener.accept()[0], listener.accept()[0]]
    smap = SockMap()
    ok = True
    for conn in children:
        if keyed(conn):
            err = smap.add(conn)
            if err not in (errno.EINVAL, errno.EOPNOTSUPP):
                print("keyed child: sockmap answered errno %d, expected a refusal" % err,
                      file=sys.stderr)
                ok = False
        else:
            ok = in_and_out(smap, "plain child", conn) and ok
    ok = in_and_out(smap, "listener", listener) and ok
    if sum(map(keyed, children)) != 1:
        print("expected one keyed child of two", file=sys.stderr)
        ok = False
    for conn in children:
        data = read_message(conn)
        if data != MESSAGE:
            print("a child read %r" % data, file=sys.stderr)
            ok = False
        conn.close()
    listener.close()
    return ok


def client(addr, port, key):
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        if key:
            sock.setsockopt(socket.SOL_TCP, TCP_ULP, b"caesar")
            sock.setsockopt(socket.SOL_TCP, CAESAR_TX_KEY, struct.pack("i", key))
        sock.connect((addr, port))
        sock.sendall(MESSAGE)
        # Established until the server is done: a sockmap takes only
        # established sockets and listeners.
        sock.recv(1)
    return True


def main(argv):
    if len(argv) == 3 and argv[1] == "server":
        ok = serve(int(argv[2]))
    elif len(argv) == 5 and argv[1] == "client":
        ok = client(argv[2], int(argv[3]), int(argv[4], 0))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

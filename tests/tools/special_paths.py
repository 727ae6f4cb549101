#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Test glue for the caesar ULP's rarer paths, one mode per path.

  special_paths.py server MODE PORT KEY     accept one connection, attach the
                                            ULP and KEY to it, check MODE
  special_paths.py client MODE ADDR PORT KEY
                                            (KEY 0: attach nothing, rules do)
  special_paths.py message [MODE]           write the bytes MODE sends (by
                                            default, the message most send)

Modes:
  oob       "abc", then "!" with MSG_OOB, then "def": the server reads the
            urgent byte with MSG_OOB and "abcdef" from the stream
  urgent-inline, urgent-skip
            3000 bytes, "!" with MSG_OOB, 6000 bytes, all queued before
            the server reads, with SO_OOBINLINE or without. As TCP: a read
            stops at the urgent mark; from the mark a peek, then a read,
            each return every byte after it, the urgent byte first inline,
            skipped otherwise
  fastopen  the client sends MESSAGE with sendto(MSG_FASTOPEN), the ULP
            attached before connect, so the enciphered bytes ride in the SYN
  tfo-connect  the same through TCP_FASTOPEN_CONNECT and a plain send()
  zc-refused   the server's TCP_ZEROCOPY_RECEIVE and mmap() are refused
               (EOPNOTSUPP, ENODEV): they would map ciphertext pages
  fault     the client sends FAULT_PAYLOAD; the server reads it into buffers
            that run into an unmapped page: EFAULT when no byte fits; when
            some do, the ULP returns exactly those (plain TCP fails with
            EFAULT and keeps them); the stream goes on intact either way
  zero-read    the server reads 0 bytes (recvmsg with an empty buffer) with
               MESSAGE queued and the connection open: as TCP, 0 at once,
               MESSAGE still there for the next reads
  splice-nonblock
            the server splices from its blocking socket to a pipe with
            SPLICE_F_NONBLOCK while nothing is queued: EAGAIN at once, not
            a wait; then it lets the client send and splices MESSAGE
  repair-send  the client's send in TCP_REPAIR is refused (EOPNOTSUPP):
            the bytes of a restored queue are not ours to shift; out of
            repair, MESSAGE goes as usual

Exit status 0 when the mode's check held; the reason otherwise on stderr.
"""
import ctypes
import errno
import fcntl
import mmap
import os
import select
import signal
import socket
import struct
import sys
import termios
import time

TCP_FASTOPEN = 23
TCP_FASTOPEN_CONNECT = 30
TCP_ULP = 31
TCP_REPAIR = 19
TCP_ZEROCOPY_RECEIVE = 35
MSG_FASTOPEN = 0x20000000
PROT_NONE = 0
CAESAR_KEY = 100
MESSAGE = b"Fast Open carries these bytes in the SYN, enciphered"
FAULT_PAYLOAD = bytes(range(256)) * 32
URGENT_BEFORE = (bytes(range(256)) * 12)[:3000]
URGENT_AFTER = (bytes(range(255, -1, -1)) * 24)[:6000]
URGENT_STREAM = URGENT_BEFORE + b"!" + URGENT_AFTER


def attach(sock, key):
    if not key:
        return
    sock.setsockopt(socket.SOL_TCP, TCP_ULP, b"caesar")
    sock.setsockopt(socket.SOL_TCP, CAESAR_KEY, struct.pack("i", key))


def read_all(sock):
    data = bytearray()
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return bytes(data)
        data += chunk


def expect_errno(what, call, wanted):
    try:
        call()
    except OSError as err:
        if err.errno == wanted:
            return True
        print("%s: errno %d, expected %d" % (what, err.errno, wanted), file=sys.stderr)
        return False
    print("%s: succeeded, expected errno %d" % (what, wanted), file=sys.stderr)
    return False


def serve_oob(conn):
    # The urgent byte is signalled by POLLPRI before it can be read.
    poller = select.poll()
    poller.register(conn, select.POLLPRI)
    if not poller.poll(10000):
        print("oob: no urgent data within 10 s", file=sys.stderr)
        return False
    urgent = conn.recv(1, socket.MSG_OOB)
    stream = read_all(conn)
    if urgent != b"!" or stream != b"abcdef":
        print("oob: urgent %r, stream %r" % (urgent, stream), file=sys.stderr)
        return False
    return True


def serve_urgent(conn, inline):
    mode = "urgent-inline" if inline else "urgent-skip"
    # SIOCINQ counts the bytes past the mark only with SO_OOBINLINE, which
    # matters to reads alone: it can be set while waiting, then cleared.
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_OOBINLINE, 1)
    if not wait_queued(conn, len(URGENT_STREAM), mode):
        return False
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_OOBINLINE, int(inline))
    after = (b"!" if inline else b"") + URGENT_AFTER
    wanted = [URGENT_BEFORE, after, after]
    reads = [conn.recv(65536), conn.recv(65536, socket.MSG_PEEK), conn.recv(65536)]
    if reads != wanted:
        print("%s: read %d, peeked %d, read %d bytes; expected %d, %d, %d, or the bytes differ"
              % ((mode,) + tuple(map(len, reads)) + tuple(map(len, wanted))), file=sys.stderr)
        return False
    return True


def serve_zc_refused(conn):
    zc = bytes(64)
    ok = expect_errno("TCP_ZEROCOPY_RECEIVE",
                      lambda: conn.getsockopt(socket.SOL_TCP, TCP_ZEROCOPY_RECEIVE, len(zc)),
                      errno.EOPNOTSUPP)
    ok &= expect_errno("mmap", lambda: mmap.mmap(conn.fileno(), 4096, prot=mmap.PROT_READ),
                       errno.ENODEV)
    # The stream still works after the refusals.
    data = read_all(conn)
    if data != MESSAGE:
        print("zc-refused: read %r" % data, file=sys.stderr)
        ok = False
    return ok


def queued(sock):
    return struct.unpack("i", fcntl.ioctl(sock, termios.FIONREAD, bytes(4)))[0]


def faulting_read(what, call, fits):
    """Read with call() into a buffer whose first @fits bytes are mapped.

    Plain TCP fails the read with EFAULT and keeps the bytes; the ULP
    returns the bytes that fit, to the byte. Either way the stream must go
    on where the read stopped. Returns the count, or None on anything else.
    """
    try:
        ret = call()
    except OSError as err:
        if err.errno == errno.EFAULT:
            return 0
        print("fault: %s: errno %d" % (what, err.errno), file=sys.stderr)
        return None
    if ret != fits:
        print("fault: %s returned %d, %d bytes fit" % (what, ret, fits), file=sys.stderr)
        return None
    return ret


def wait_queued(conn, size, mode):
    deadline = time.monotonic() + 10
    while queued(conn) < size:
        if time.monotonic() > deadline:
            print("%s: %d bytes queued after 10 s" % (mode, queued(conn)), file=sys.stderr)
            return False
        time.sleep(0.05)
    return True


def serve_fault(conn):
    # The whole payload queued first, so that each read has bytes to copy
    # past the end of its buffer.
    if not wait_queued(conn, len(FAULT_PAYLOAD), "fault"):
        return False
    page = mmap.PAGESIZE
    area = mmap.mmap(-1, 2 * page)
    base = ctypes.addressof(ctypes.c_char.from_buffer(area))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.mprotect(ctypes.c_void_p(base + page), page, PROT_NONE):
        print("fault: mprotect: errno %d" % ctypes.get_errno(), file=sys.stderr)
        return False
    view = memoryview(area)

    def libc_read(addr, size):
        ret = libc.read(conn.fileno(), ctypes.c_void_p(addr), size)
        if ret < 0:
            raise OSError(ctypes.get_errno(), "read")
        return ret

    if not expect_errno("recv into an unmapped page",
                        lambda: conn.recv_into(view[page:page + 100], 100), errno.EFAULT):
        return False
    # 101 bytes before the page: with the ULP, the last word stored straight
    # into the reader's memory faults, and the byte-exact copy takes over.
    n = faulting_read("read across the page", lambda: libc_read(base + page - 101, 4096), 101)
    if n is None:
        return False
    data = bytearray(view[page - 101:page - 101 + n])
    head = bytearray(37)
    n = faulting_read("readv into the page",
                      lambda: os.readv(conn.fileno(), [head, view[page:page + 64]]), len(head))
    if n is None:
        return False
    data += head[:n] + read_all(conn)
    if data != FAULT_PAYLOAD:
        diff = next((i for i, (a, b) in enumerate(zip(data, FAULT_PAYLOAD)) if a != b),
                    min(len(data), len(FAULT_PAYLOAD)))
        print("fault: %d bytes read, first difference at %d" % (len(data), diff), file=sys.stderr)
        return False
    return True


def alarm(signum, frame):
    raise TimeoutError("still in the call after 10 s")


def serve_zero_read(conn):
    if not select.select([conn], [], [], 10)[0]:
        print("zero-read: nothing to read within 10 s", file=sys.stderr)
        return False
    signal.signal(signal.SIGALRM, alarm)
    signal.alarm(10)
    try:
        empty = conn.recvmsg(0)[0]
    except TimeoutError as err:
        print("zero-read: recvmsg of 0 bytes: %s" % err, file=sys.stderr)
        return False
    signal.alarm(0)
    data = bytearray()
    while len(data) < len(MESSAGE):
        chunk = conn.recv(len(MESSAGE) - len(data))
        if not chunk:
            break
        data += chunk
    if empty != b"" or data != MESSAGE:
        print("zero-read: %r, then %r" % (empty, bytes(data)), file=sys.stderr)
        return False
    return True


def splice_all(conn, size):
    rpipe, wpipe = os.pipe()
    data = bytearray()
    while len(data) < size:
        n = os.splice(conn.fileno(), wpipe, size - len(data))
        if not n:
            break
        data += os.read(rpipe, n)
    return bytes(data)


def serve_splice_nonblock(conn):
    rpipe, wpipe = os.pipe()
    signal.signal(signal.SIGALRM, alarm)
    signal.alarm(10)
    try:
        ok = expect_errno("splice(SPLICE_F_NONBLOCK) with nothing queued",
                          lambda: os.splice(conn.fileno(), wpipe, 4096,
                                            flags=os.SPLICE_F_NONBLOCK),
                          errno.EAGAIN)
    except TimeoutError as err:
        print("splice-nonblock: %s" % err, file=sys.stderr)
        return False
    signal.alarm(0)
    conn.sendall(b"g")
    data = splice_all(conn, len(MESSAGE))
    if data != MESSAGE:
        print("splice-nonblock: spliced %r" % data, file=sys.stderr)
        ok = False
    return ok


def serve(mode, port, key):
    listener = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.setsockopt(socket.SOL_TCP, TCP_FASTOPEN, 16)
    listener.bind(("::", port))
    listener.listen(4)
    conn, _ = listener.accept()
    attach(conn, key)
    if mode == "oob":
        return serve_oob(conn)
    if mode in ("urgent-inline", "urgent-skip"):
        return serve_urgent(conn, mode == "urgent-inline")
    if mode == "zc-refused":
        return serve_zc_refused(conn)
    if mode == "fault":
        return serve_fault(conn)
    if mode == "zero-read":
        return serve_zero_read(conn)
    if mode == "splice-nonblock":
        return serve_splice_nonblock(conn)
    data = read_all(conn)
    if data != MESSAGE:
        print("%s: read %r" % (mode, data), file=sys.stderr)
        return False
    return True


def client(mode, addr, port, key):
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    if mode == "fastopen":
        attach(sock, key)
        sock.sendto(MESSAGE, MSG_FASTOPEN, (addr, port))
    elif mode == "tfo-connect":
        sock.setsockopt(socket.SOL_TCP, TCP_FASTOPEN_CONNECT, 1)
        attach(sock, key)
        sock.connect((addr, port))
        sock.sendall(MESSAGE)
    else:
        sock.connect((addr, port))
        attach(sock, key)
        if mode == "oob":
            sock.sendall(b"abc")
            sock.send(b"!", socket.MSG_OOB)
            sock.sendall(b"def")
        elif mode in ("urgent-inline", "urgent-skip"):
            sock.sendall(URGENT_BEFORE)
            sock.send(b"!", socket.MSG_OOB)
            sock.sendall(URGENT_AFTER)
        elif mode == "fault":
            sock.sendall(FAULT_PAYLOAD)
        elif mode == "splice-nonblock":
            # Nothing until the server has tried its nonblocking splice.
            sock.recv(1)
            sock.sendall(MESSAGE)
        elif mode == "repair-send":
            sock.setsockopt(socket.SOL_TCP, TCP_REPAIR, 1)
            ok = expect_errno("send in TCP_REPAIR", lambda: sock.send(MESSAGE),
                              errno.EOPNOTSUPP)
            sock.setsockopt(socket.SOL_TCP, TCP_REPAIR, 0)
            sock.sendall(MESSAGE)
            sock.close()
            return ok
        else:
            sock.sendall(MESSAGE)
        if mode == "zero-read":
            # Open until the server is done: a FIN would end its read early.
            sock.recv(1)
    sock.close()
    return True


def main(argv):
    if len(argv) == 5 and argv[1] == "server":
        ok = serve(argv[2], int(argv[3]), int(argv[4], 0))
    elif len(argv) == 6 and argv[1] == "client":
        ok = client(argv[2], argv[3], int(argv[4]), int(argv[5], 0))
    elif len(argv) in (2, 3) and argv[1] == "message":
        urgent = argv[2:] in (["urgent-inline"], ["urgent-skip"])
        sys.stdout.buffer.write(URGENT_STREAM if urgent else MESSAGE)
        return 0
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

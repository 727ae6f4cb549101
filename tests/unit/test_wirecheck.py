#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Host unit test of tests/tools/wirecheck.py.

Its payload() must equal `gaius-xfer payload` byte for byte, and its
reassembly and checks must hold on made-up captures: IPv4 and IPv6,
segments out of order, duplicated and retransmitted, a key that changes
mid-stream (--switch-file), plus the failures it
must catch (a missing byte, a wrong byte, a retransmission that differs, a
short stream). Prints `PASS: <name>` or `FAIL: <name>: <reason>` per check.
Run from the source tree (tests/unit/) or from the build tree
(build/tests/unit/); gaius-xfer is looked for in the build tree, or in
$GAIUS_BUILD/tests.
"""
import contextlib
import io
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.realpath(__file__))
for candidate in (os.path.join(HERE, "..", "tools"), os.path.join(HERE, "..")):
    if os.path.exists(os.path.join(candidate, "wirecheck.py")):
        sys.path.insert(0, candidate)
        break
import wirecheck  # noqa: E402

PORT = 7300
CLIENT_PORT = 40000
ISN = 0xFFFFFF00  # the sequence numbers wrap inside the stream
FIN, SYN, RST, ACK = 0x01, 0x02, 0x04, 0x10


def gaius_xfer():
    build = os.environ.get("GAIUS_BUILD", os.path.join(HERE, "..", "..", "build"))
    for path in (os.path.join(HERE, "..", "gaius-xfer"), os.path.join(build, "tests", "gaius-xfer")):
        if os.access(path, os.X_OK):
            return path
    return None


def tcp_segment(seq, flags, data):
    return struct.pack("!HHIIBBHHH", CLIENT_PORT, PORT, seq & 0xFFFFFFFF, 0, 5 << 4,
                       flags, 65535, 0, 0) + data


def ipv4_frame(segment):
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(segment), 0, 0x4000, 64, 6, 0,
                     bytes([192, 0, 2, 2]), bytes([192, 0, 2, 1]))
    return b"\x02" * 6 + b"\x04" * 6 + b"\x08\x00" + ip + segment


def ipv6_frame(segment):
    src = bytes.fromhex("20010db8000000000000000000000002")
    dst = bytes.fromhex("20010db8000000000000000000000001")
    ip = struct.pack("!IHBB16s16s", 6 << 28, len(segment), 6, 64, src, dst)
    return b"\x02" * 6 + b"\x04" * 6 + b"\x86\xdd" + ip + segment


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        for frame in frames:
            f.write(struct.pack("<IIII", 0, 0, len(frame), len(frame)) + frame)


def stream_frames(wire, frame, cuts, order=None, extra=()):
    """SYN, the wire bytes cut at `cuts` (sent in `order`), extra segments, FIN."""
    bounds = [0] + list(cuts) + [len(wire)]
    pieces = [(bounds[i], wire[bounds[i]:bounds[i + 1]]) for i in range(len(bounds) - 1)]
    pieces = [pieces[i] for i in (order or range(len(pieces)))] + list(extra)
    frames = [frame(tcp_segment(ISN, SYN, b""))]
    frames += [frame(tcp_segment(ISN + 1 + off, ACK, data)) for off, data in pieces]
    frames.append(frame(tcp_segment(ISN + 1 + len(wire), FIN | ACK, b"")))
    return frames


def run_wirecheck(frames, *args):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "capture.pcap")
        write_pcap(path, frames)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = wirecheck.main([path, "--port", str(PORT)] + list(args))
        return status, out.getvalue()


def check_payload_matches_gaius_xfer():
    tool = gaius_xfer()
    if not tool:
        return "gaius-xfer not built (make -C tests)"
    for seed, size in ((1, 4099), (12354, 100003), (2**63 - 1, 1234)):
        out = subprocess.run([tool, "payload", "--seed", str(seed), "--size", str(size)],
                             check=True, stdout=subprocess.PIPE).stdout
        if out != wirecheck.payload(seed, size):
            return "seed %d size %d differs from gaius-xfer payload" % (seed, size)
        if out[1001:1101] != wirecheck.payload(seed, 100, 1001):
            return "seed %d: payload at offset 1001 differs" % seed
    return None


def expect(status, out, want_status, needle=""):
    if status != want_status or needle not in out:
        return "exit %d (expected %d), output: %s" % (status, want_status, out.strip())
    return None


SIZE = 5000
SEED = 9
KEY = 12354
PLAIN = wirecheck.payload(wirecheck.stream_seed(SEED, "client-to-server"), SIZE)
WIRE = wirecheck.shifted(PLAIN, KEY % 256)
ARGS = ("--seed", str(SEED), "--size", str(SIZE), "--shift", str(KEY))
CUTS = (1, 700, 1448, 2896, 4000)


def check_in_order_ipv4():
    return expect(*run_wirecheck(stream_frames(WIRE, ipv4_frame, CUTS), *ARGS), 0, "OK")


def check_reordered_duplicated_ipv6():
    resent = [(650, WIRE[650:1500]), (0, WIRE[:10])]
    frames = stream_frames(WIRE, ipv6_frame, CUTS, order=(5, 2, 0, 4, 1, 3), extra=resent)
    return expect(*run_wirecheck(frames, *ARGS, "--streams", "1"), 0, "OK")


def check_plaintext_mode():
    frames = stream_frames(PLAIN, ipv4_frame, CUTS)
    return (expect(*run_wirecheck(frames, "--seed", str(SEED), "--size", str(SIZE), "--plaintext"), 0, "OK")
            or expect(*run_wirecheck(frames, *ARGS), 1, "5000 byte(s) equal to the plaintext"))


def check_message_mode():
    wire = wirecheck.shifted(b"ABCDEFG", 66)
    return expect(*run_wirecheck(stream_frames(wire, ipv4_frame, (3,)), "--message", "ABCDEFG",
                                 "--shift", "12354"), 0, "OK")


def run_switch(wire, switch):
    """wirecheck --data-file PLAIN --switch-file SWITCH on wire's stream."""
    with tempfile.TemporaryDirectory() as tmp:
        data, marks = os.path.join(tmp, "c2s.data"), os.path.join(tmp, "c2s.switch")
        with open(data, "wb") as f:
            f.write(PLAIN)
        with open(marks, "w") as f:
            f.write(switch)
        return run_wirecheck(stream_frames(wire, ipv4_frame, CUTS), "--data-file", data,
                             "--switch-file", marks)


def check_switch_mode():
    """Old key before the offset, new key from it; one byte off is caught."""
    wire = wirecheck.shifted(PLAIN[:1500], 7) + wirecheck.shifted(PLAIN[1500:], KEY % 256)
    return (expect(*run_switch(wire, "1500 7 %d\n" % KEY), 0, "OK")
            or expect(*run_switch(wire, "1501 7 %d\n" % KEY), 1, "first at offset 1500")
            or expect(*run_switch(PLAIN, "0 0 0\n"), 0, "OK"))


def check_catches_missing_byte():
    frames = stream_frames(WIRE, ipv4_frame, (100, 101))
    del frames[2]  # the one-byte segment at offset 100
    return expect(*run_wirecheck(frames, *ARGS), 1, "1 byte(s) never seen, first at 100")


def check_catches_wrong_byte():
    wire = bytearray(WIRE)
    wire[4321] ^= 0x40
    return expect(*run_wirecheck(stream_frames(bytes(wire), ipv4_frame, CUTS), *ARGS), 1,
                  "first at offset 4321")


def check_catches_changed_retransmission():
    frames = stream_frames(WIRE, ipv4_frame, CUTS, extra=[(700, b"\0" + WIRE[701:800])])
    return expect(*run_wirecheck(frames, *ARGS), 1, "retransmitted byte(s) differ")


def check_catches_short_stream():
    frames = stream_frames(WIRE[:4999], ipv4_frame, CUTS)
    return expect(*run_wirecheck(frames, *ARGS), 1, "FIN at 4999, expected 5000")


def check_cookie_then_request_sock():
    # The SYN-ACK of a SYN cookie, then the request socket's, whose
    # retransmission comes after the data: the data follows the cookie's.
    other = (ISN + 0x12345678) & 0xFFFFFFFF
    frames = stream_frames(WIRE, ipv4_frame, CUTS)
    frames.insert(2, ipv4_frame(tcp_segment(other, SYN | ACK, b"")))
    frames.insert(-1, ipv4_frame(tcp_segment(other, SYN | ACK, b"")))
    return expect(*run_wirecheck(frames, *ARGS), 0, "OK")


def check_port_reused():
    # A client's port taken again for the same server port two seconds
    # later: the server's TIME_WAIT accepts the SYN with the higher ISN.
    # Two streams, each read from its own SYN; then a late SYN-ACK
    # retransmission, which is none.
    later = stream_frames(WIRE, ipv4_frame, CUTS)
    for i, frame in enumerate(later):
        seq = struct.unpack("!I", frame[38:42])[0]
        later[i] = frame[:38] + struct.pack("!I", (seq + 31250000) & 0xFFFFFFFF) + frame[42:]
    frames = stream_frames(WIRE, ipv4_frame, CUTS) + later
    frames.append(ipv4_frame(tcp_segment(ISN + 0x12345678, SYN | ACK, b"")))
    return expect(*run_wirecheck(frames, *ARGS, "--streams", "2"), 0, "2 stream(s), OK")


def check_catches_stray_segment():
    frames = stream_frames(WIRE, ipv4_frame, CUTS)
    frames.insert(3, ipv4_frame(tcp_segment((ISN - 100) & 0xFFFFFFFF, ACK, WIRE[:10])))
    return expect(*run_wirecheck(frames, *ARGS), 1, "1 segment(s) outside the stream")


def check_catches_no_stream():
    return expect(*run_wirecheck([], *ARGS), 1, "0 stream(s) to port")


def check_catches_missing_syn():
    frames = stream_frames(WIRE, ipv4_frame, CUTS)[1:]
    return expect(*run_wirecheck(frames, *ARGS), 1, "a stream has no SYN in the capture")


def check_partial_mode():
    # A connection cut short with a gap: --partial checks the bytes seen
    # only, and still catches one that is not enciphered.
    frames = stream_frames(WIRE[:3000], ipv4_frame, (100, 101, 2000))[:-1]
    del frames[2]  # the one-byte segment at offset 100
    plain = stream_frames(PLAIN[:3000], ipv4_frame, (100, 2000))[:-1]
    return (expect(*run_wirecheck(frames, *ARGS, "--partial"), 0, "OK")
            or expect(*run_wirecheck(frames, *ARGS), 1, "no FIN seen")
            or expect(*run_wirecheck(plain, *ARGS, "--partial"), 1, "3000 mismatch(es)")
            or expect(*run_wirecheck([ipv4_frame(tcp_segment(ISN, RST, b""))], *ARGS, "--partial"),
                      0, "no SYN and no bytes"))


def check_several_checks():
    """--and: a run of two checks fails if either does, and reads the capture once."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "capture.pcap")
        write_pcap(path, stream_frames(WIRE, ipv4_frame, CUTS))
        good = [path, "--port", str(PORT)] + list(ARGS)
        bad = [path, "--port", str(PORT), "--seed", str(SEED), "--size", str(SIZE), "--plaintext"]
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            both_good = wirecheck.main(good + ["--and"] + good)
            one_bad = wirecheck.main(good + ["--and"] + bad)
        text = out.getvalue()
    if both_good != 0 or one_bad != 1:
        return "exit %d and %d (expected 0 and 1), output: %s" % (both_good, one_bad, text.strip())
    if "0 of 2 checks failed" not in text or "1 of 2 checks failed" not in text:
        return "no summary of the checks: %s" % text.strip()
    return None


CHECKS = [
    ("wirecheck_payload_matches_gaius_xfer", check_payload_matches_gaius_xfer),
    ("wirecheck_in_order_ipv4", check_in_order_ipv4),
    ("wirecheck_reordered_duplicated_ipv6", check_reordered_duplicated_ipv6),
    ("wirecheck_plaintext_mode", check_plaintext_mode),
    ("wirecheck_message_mode", check_message_mode),
    ("wirecheck_switch_mode", check_switch_mode),
    ("wirecheck_catches_missing_byte", check_catches_missing_byte),
    ("wirecheck_catches_wrong_byte", check_catches_wrong_byte),
    ("wirecheck_catches_changed_retransmission", check_catches_changed_retransmission),
    ("wirecheck_catches_short_stream", check_catches_short_stream),
    ("wirecheck_cookie_then_request_sock", check_cookie_then_request_sock),
    ("wirecheck_port_reused", check_port_reused),
    ("wirecheck_catches_stray_segment", check_catches_stray_segment),
    ("wirecheck_catches_no_stream", check_catches_no_stream),
    ("wirecheck_catches_missing_syn", check_catches_missing_syn),
    ("wirecheck_partial_mode", check_partial_mode),
    ("wirecheck_several_checks", check_several_checks),
]


def main():
    failed = 0
    for name, check in CHECKS:
        reason = check()
        if reason:
            failed += 1
            print("FAIL: %s: %s" % (name, reason))
        else:
            print("PASS: %s" % name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

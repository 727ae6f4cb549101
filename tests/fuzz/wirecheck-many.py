#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Check many gaius-xfer batches or gaius-sockfuzz oracle connections in one capture.

wirecheck.py (build/tests/) checks one port and direction per run and
computes the payload in Python; on the emulated VM that takes long for
megabytes. This reads the capture once, takes each payload from
`gaius-xfer payload` (the same stream, in C), and applies wirecheck.py's
own check to every stream: each byte on the wire is the plaintext shifted
by the key, and the stream ends with a FIN exactly at its size.

  wirecheck-many.py PCAP --xfer PORT:DIRECTION:SEED:SIZE:KEY:STREAMS ...
      gaius-xfer batches: --seed SEED and --size SIZE, STREAMS connections
      on server port PORT, DIRECTION client-to-server or server-to-client.
  wirecheck-many.py PCAP --partial-xfer PORT:DIRECTION:SEED:SIZE:KEY:STREAMS ...
      the same for batches of which some connections may have been refused
      or reset: at most STREAMS streams, and only the bytes seen checked
      (wirecheck.py --partial).
  wirecheck-many.py PCAP --manifest FILE --first N [--at-least M]
      gaius-sockfuzz --manifest lines (oracle, index, port, direction,
      stream seed, size, key) with an index below N; at least M of them.

Exits 0 when every chosen stream matched.
"""
import argparse
import os
import subprocess
import sys

TESTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests")
sys.path.insert(0, TESTS)
import wirecheck  # noqa: E402 (build/tests/, found through sys.path above)


def plaintext(stream_seed, size):
    """gaius-xfer's payload stream for stream_seed, size bytes."""
    return subprocess.run([os.path.join(TESTS, "gaius-xfer"), "payload", "--seed",
                           str(stream_seed), "--size", str(size)],
                          check=True, stdout=subprocess.PIPE).stdout


def check(streams, name, port, direction, stream_seed, size, key, count, partial=False):
    chosen = wirecheck.streams_on(streams, port, direction)
    ok = len(chosen) <= count if partial else len(chosen) == count
    if not ok:
        print("wirecheck-many: %s: %d stream(s) %s port %d, expected %s%d"
              % (name, len(chosen), "to" if direction == "client-to-server" else "from",
                 port, "at most " if partial else "", count))
    plain = plaintext(stream_seed, size)
    shift = key % 256
    expected = wirecheck.shifted(plain, shift)
    return wirecheck.check_streams(chosen, plain, expected, shift, "wirecheck-many: " + name,
                                   partial) and ok


def main(argv):
    p = argparse.ArgumentParser(description="Check many streams of one capture for ciphertext.")
    p.add_argument("pcap")
    p.add_argument("--xfer", action="append", default=[],
                   help="PORT:DIRECTION:SEED:SIZE:KEY:STREAMS of a gaius-xfer batch")
    p.add_argument("--partial-xfer", action="append", default=[],
                   help="the same, for a batch whose connections may have ended early")
    p.add_argument("--manifest", help="gaius-sockfuzz --manifest file")
    p.add_argument("--first", type=int, default=0,
                   help="with --manifest: connections with an index below this")
    p.add_argument("--at-least", type=int, default=1,
                   help="with --manifest: fail unless this many were checked")
    args = p.parse_args(argv)

    streams = wirecheck.collect_streams(args.pcap)
    ok, checked = True, 0
    for spec, partial in [(x, False) for x in args.xfer] + [(x, True) for x in args.partial_xfer]:
        port, direction, seed, size, key, count = spec.split(":")
        stream_seed = wirecheck.stream_seed(int(seed), direction)
        ok = check(streams, "port %s %s" % (port, direction), int(port), direction,
                   stream_seed, int(size), int(key), int(count), partial) and ok
        checked += 1
    if args.manifest:
        oracles = 0
        with open(args.manifest) as f:
            for line in f:
                oracle, index, port, direction, seed, size, key = line.split()
                if int(index) >= args.first:
                    continue
                ok = check(streams, "oracle %s connection %s" % (oracle, index), int(port),
                           direction, int(seed), int(size), int(key), 1) and ok
                oracles += 1
        if oracles < args.at_least:
            print("wirecheck-many: %d oracle connection(s) checked, expected at least %d"
                  % (oracles, args.at_least))
            ok = False
        checked += oracles
    print("wirecheck-many: %d check(s), %s" % (checked, "OK" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

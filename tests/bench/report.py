#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Turn the benchmark's records into a table, results.json and a chart.

    report.py --console build/bench/console.log [--console OTHER-RUN.log ...] \
              --host build/bench/host.jsonl --out build/bench

The guest prints its records on the console as "BENCH {json}" lines and its
profiles as "PROFILE label | line" lines (tests/bench/scenarios); the host's
transform measurements are JSON lines of their own (shift-speed). Every
figure is the median of the runs with their min and max; ratios are of
medians, or the median of ratios of runs made seconds apart (the same round
of the same boot). Records of several boots (more --console) are pooled;
the profiles are the last boot's. Each performance target is checked and
marked met or MISSED.

Exits 1 if a record says it was not verified, or if a kind of record the
benchmark always makes is missing.
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

PATHS = ("plain", "ulp", "rules", "ktls", "preload")
SIZES = (1024, 65536, 1048576)
METHODS = ("write", "sendfile")
KIND_NAMES = ("stream", "rr", "crr", "mem", "transform")
# 35-rule-cost.sh's states of the rules on an attached flow's later packets.
COST_STATES = ("none", "accept", "xt", "gaius")


def size_name(size):
    return "%dK" % (size >> 10) if size < 1 << 20 else "%dM" % (size >> 20)


def summary(values):
    q = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
    return {"median": statistics.median(values), "min": min(values),
            "max": max(values), "q1": q[0], "q3": q[2], "runs": len(values)}


def read_console(path, run, records):
    """Appends the BENCH records of one boot, tagged with @run; returns its
    profiles and the number of BENCH lines that were not JSON."""
    profiles, unreadable = {}, 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line.startswith("BENCH "):
                try:
                    records.append(dict(json.loads(line[6:]), run=run))
                except ValueError:
                    unreadable += 1
            elif line.startswith("PROFILE "):
                label, _, text = line[8:].partition(" | ")
                profiles.setdefault(label, []).append(text)
    return profiles, unreadable


def read_records(consoles, host):
    records, profiles, unreadable = [], {}, 0
    for run, path in enumerate(consoles):
        profiles, bad = read_console(path, run, records)
        unreadable += bad
    with open(host, encoding="utf-8") as f:
        records += [dict(json.loads(line), run="host") for line in f if line.strip()]
    return records, profiles, unreadable


def group(records, test, key, value):
    out = {}
    for r in records:
        if r["test"] == test and (test != "stream" or "trace" not in r):
            out.setdefault(key(r), []).append(value(r))
    return {k: summary(v) for k, v in out.items()}


def ratio(a, b):
    return a / b if b else float("nan")


def by_round(records, test, key, value):
    """{key: {round: value}} for the records of one test."""
    out = {}
    for r in records:
        if r["test"] == test and "trace" not in r:
            out.setdefault(key(r), {})[(r["run"], r["round"])] = value(r)
    return out


def paired(runs, a, b):
    """Summary of the per-round ratios a / b: runs of one round are seconds
    apart, so their ratio is steadier than the ratio of medians."""
    common = sorted(set(runs.get(a, {})) & set(runs.get(b, {})))
    values = [ratio(runs[a][r], runs[b][r]) for r in common]
    return summary(values) if values else None


def throughput(records):
    runs = by_round(records, "stream", lambda r: (r["path"], r["size"], r["method"]),
                    lambda r: r["mbps"])
    rows = []
    for method in METHODS:
        for size in SIZES:
            for path in PATHS:
                key = (path, size, method)
                if key not in runs:
                    continue
                rows.append(dict(summary(list(runs[key].values())), path=path, size=size,
                                 method=method,
                                 vs_plain=paired(runs, key, ("plain", size, method)),
                                 vs_ulp=paired(runs, key, ("ulp", size, method))))
    return rows


def rule_cost(records):
    """Per measure (64-byte round trip p50, stream MB/s per size): each
    state's summary, and the summaries of the per-round costs of the GAIUS
    rule against none, accept and xt: the fraction of time added
    (round trips) or of throughput lost (streams)."""
    labels = {"rule-" + s: s for s in COST_STATES}
    rr = by_round(records, "rr", lambda r: labels.get(r["path"]), lambda r: r["p50_us"])
    st = by_round(records, "stream", lambda r: (labels.get(r["path"]), r["size"]),
                  lambda r: r["mbps"])
    measures = [("rr p50", {s: rr.get(s, {}) for s in COST_STATES}, lambda g, b: g / b - 1)]
    for size in SIZES:
        measures.append(("%s write" % size_name(size),
                         {s: st.get((s, size), {}) for s in COST_STATES},
                         lambda g, b: 1 - g / b))
    rows = []
    for name, runs, cost in measures:
        if not all(runs.values()):
            continue
        row = {"measure": name,
               "states": {s: summary(list(runs[s].values())) for s in COST_STATES}}
        for base in COST_STATES[:-1]:
            common = sorted(set(runs["gaius"]) & set(runs[base]))
            row["vs_" + base] = common and summary([cost(runs["gaius"][k], runs[base][k])
                                                    for k in common])
        if all(row["vs_" + base] for base in COST_STATES[:-1]):
            rows.append(row)
    return rows


def allocations(records):
    """Per path, size and side: the events of all traced windows over all
    their calls."""
    sums = {}
    for r in records:
        if r["test"] != "stream" or "trace" not in r or not r["calls"]:
            continue
        t = sums.setdefault((r["path"], r["size"], r["trace"]), dict.fromkeys(
            ("calls", "kmalloc", "cache_alloc", "pages", "ours", "ours_bytes", "lost"), 0))
        for k in t:
            t[k] += r[k]
    return [{"path": path, "size": size, "side": side, "calls": t["calls"],
             "slab_per_call": (t["kmalloc"] + t["cache_alloc"]) / t["calls"],
             "pages_per_call": t["pages"] / t["calls"],
             "ours_per_call": t["ours"] / t["calls"],
             "ours_bytes_per_call": t["ours_bytes"] / t["calls"], "lost": t["lost"]}
            for (path, size, side), t in sorted(sums.items(),
                                                key=lambda i: (PATHS.index(i[0][0]), i[0][1:]))]


def memory(records):
    out = {}
    for r in records:
        if r["test"] == "mem":
            out.setdefault(r["path"], []).append(r)
    keys = ("attach_alloc_bytes", "attach_slab_bytes", "noop_slab_bytes",
            "connect_slab_bytes", "attach_kmalloc", "attach_cache_alloc", "attach_pages",
            "attach_ours", "attach_ours_bytes")
    return {path: {k: summary([r[k] for r in rs]) for k in keys} for path, rs in out.items()}


def transform(records):
    runs = by_round(records, "transform", lambda r: (r["where"], r["fn"]),
                    lambda r: r["bytes_per_cycle"])
    rows = []
    for where in ("L1", "L2", "DRAM"):
        if (where, "shift") not in runs:
            continue
        for fn in ("shift", "shift_sse2", "shift_swar", "rep_movsb", "memcpy"):
            rows.append(dict(summary(list(runs[(where, fn)].values())), where=where, fn=fn,
                             shift_vs=paired(runs, (where, "shift"), (where, fn))))
    return rows


def find(rows, **want):
    for r in rows:
        if all(r.get(k) == v for k, v in want.items()):
            return r
    return None


def target(name, value, ok, text, spread=None, limit=None):
    """One verdict. With @spread (a summary of per-round values) and the
    target's @limit on the same scale, "noise" says that the limit lies
    between the spread's quartiles: the runs do not settle the verdict."""
    noise = bool(spread and limit is not None and spread["q1"] <= limit <= spread["q3"])
    return {"target": name, "value": value, "met": bool(ok), "text": text, "noise": noise}


def targets(res):
    out = []
    tp = res["throughput"]
    for method in METHODS:
        for size in SIZES:
            u = find(tp, path="ulp", size=size, method=method)
            if not u or not u["vs_plain"]:
                continue
            want = 0.9 if size == 1024 else 0.95
            v = u["vs_plain"]["median"]
            out.append(target("ulp/plain %s %s" % (size_name(size), method), v, v >= want,
                              ">= %.2f" % want, u["vs_plain"], want))
            for other in ("ktls", "preload"):
                o = find(tp, path=other, size=size, method=method)
                if o and o["vs_ulp"]:
                    v = 1 / o["vs_ulp"]["median"]
                    out.append(target("ulp/%s %s %s" % (other, size_name(size), method), v, v > 1,
                                      "> 1", o["vs_ulp"], 1))
    for c in res["rule_cost"]:
        v = c["vs_none"]["median"]
        out.append(target("rule on an attached flow, %s" % c["measure"], v, v < 0.03, "< 3%",
                          c["vs_none"], 0.03))
    crr = res["crr_vs_plain"].get("rules")
    if crr:
        v = crr["median"]
        out.append(target("connections/s rules/plain", v, v >= 0.9, ">= 0.90", crr, 0.9))
    allocs = res["allocations"]
    for a in allocs:
        if a["path"] not in ("ulp", "rules"):
            continue
        p = find(allocs, path="plain", size=a["size"], side=a["side"])
        extra = a["slab_per_call"] - p["slab_per_call"] if p else float("nan")
        out.append(target("allocations/call %s %s %s" % (a["path"], size_name(a["size"]), a["side"]),
                          {"ours": a["ours_per_call"], "slab_vs_plain": extra},
                          a["ours_per_call"] == 0, "none at our call sites"))
    mem = res["memory"].get("ulp")
    if mem:
        v = mem["attach_ours_bytes"]["median"]
        out.append(target("context bytes/socket", v, v < 128, "< 128"))
    # The target is against copies; the other shifts are for comparison.
    for t in res["transform"]:
        if t["fn"] in ("rep_movsb", "memcpy"):
            v = t["shift_vs"]["median"]
            out.append(target("transform/%s %s" % (t["fn"], t["where"]), v, v >= 0.9,
                              ">= 0.90", t["shift_vs"], 0.9))
    return out


def fmt(v, spec=".3f"):
    if isinstance(v, dict):
        return ", ".join("%s %s" % (k, fmt(x)) for k, x in v.items())
    return format(v, spec) if isinstance(v, float) else str(v)


def print_tables(res):
    print("Throughput, MB/s (median [min-max] of %s runs); ratio to plain TCP, the median "
          "[min-max] of the rounds' ratios" % (res["throughput"][0]["runs"] if res["throughput"] else 0))
    print("%-9s %-5s %-8s %8s %18s %7s %15s" % ("method", "size", "path", "median", "[min - max]",
                                               "/plain", "[min - max]"))
    for r in res["throughput"]:
        v = r["vs_plain"]
        print("%-9s %-5s %-8s %8.2f %18s %7.3f %15s" % (
            r["method"], size_name(r["size"]), r["path"], r["median"],
            "[%.2f - %.2f]" % (r["min"], r["max"]), v["median"],
            "[%.2f - %.2f]" % (v["min"], v["max"])))
    print("\nLatency, 64-byte round trips (median of per-run p50/p99, us); connections/s "
          "and its ratio to plain (median of the rounds' ratios)")
    for path in PATHS:
        rr, crr, vs = res["rr"].get(path), res["crr"].get(path), res["crr_vs_plain"].get(path)
        if rr and crr and vs:
            print("%-8s p50 %7.1f [%.1f-%.1f]  p99 %8.1f [%.1f-%.1f]  conn/s %6.1f [%.1f-%.1f] "
                  "/plain %.3f [%.2f-%.2f]" % (
                      path, rr["p50_us"]["median"], rr["p50_us"]["min"], rr["p50_us"]["max"],
                      rr["p99_us"]["median"], rr["p99_us"]["min"], rr["p99_us"]["max"],
                      crr["median"], crr["min"], crr["max"], vs["median"], vs["min"], vs["max"]))
    print("\nA rule on an attached flow: each state's median [min-max]; the cost of the GAIUS "
          "rule against none, -j ACCEPT and a no-op xtables target (median [min-max] of the "
          "rounds')")
    for c in res["rule_cost"]:
        st = c["states"]
        print("%-10s %s  gaius vs none %+.1f%% [%+.1f..%+.1f]  vs accept %+.1f%% [%+.1f..%+.1f]"
              "  vs xt %+.1f%% [%+.1f..%+.1f]" % (
            c["measure"], "  ".join("%s %.1f [%.1f-%.1f]" % (s, st[s]["median"], st[s]["min"],
                                                             st[s]["max"]) for s in COST_STATES),
            *(100 * c["vs_" + k][q] for k in COST_STATES[:-1]
              for q in ("median", "min", "max"))))
    print("\nKernel memory of attaching, per socket (median of runs)")
    for path, m in sorted(res["memory"].items()):
        print("%-8s trace %7.1f B (%.2f kmalloc, %.2f cache, %.2f pages; ours %.2f, %.1f B)  "
              "slab %8.1f B  noise %7.1f B  plain connection %8.1f B" % (
                  path, m["attach_alloc_bytes"]["median"], m["attach_kmalloc"]["median"],
                  m["attach_cache_alloc"]["median"], m["attach_pages"]["median"],
                  m["attach_ours"]["median"], m["attach_ours_bytes"]["median"],
                  m["attach_slab_bytes"]["median"],
                  m["noop_slab_bytes"]["median"], m["connect_slab_bytes"]["median"]))
    print("\nAllocations per call (kmalloc + kmem_cache_alloc; pages; at our call sites)")
    for a in res["allocations"]:
        print("%-8s %-4s %-4s %5d calls  slab %6.2f  pages %6.2f  ours %5.2f%s" % (
            a["path"], size_name(a["size"]), a["side"], a["calls"], a["slab_per_call"],
            a["pages_per_call"], a["ours_per_call"], "  (trace lost events)" if a["lost"] else ""))
    print("\nTransform on the host, bytes per TSC cycle (median [min-max] of %d rounds); shift "
          "relative to each (median [min-max] of the rounds' ratios)" %
          (res["transform"][0]["runs"] if res["transform"] else 0))
    for t in res["transform"]:
        v = t["shift_vs"]
        print("%-5s %-10s %7.3f [%.3f-%.3f]  shift/this %.3f [%.3f-%.3f]" % (
            t["where"], t["fn"], t["median"], t["min"], t["max"], v["median"], v["min"], v["max"]))
    print("\nTargets (noise: the target lies between the quartiles of the runs' ratios)")
    for t in res["targets"]:
        print("  %-7s %-5s %-38s %-30s (target %s)" % (
            "met" if t["met"] else "MISSED", "noise" if t["noise"] else "", t["target"],
            fmt(t["value"]), t["text"]))


def draw(res, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(METHODS), figsize=(13, 5.5), sharey=False)
    width = 0.8 / len(PATHS)
    colors = dict(zip(PATHS, ("#555555", "#1f77b4", "#2ca02c", "#d62728", "#ff7f0e")))
    for ax, method in zip(axes, METHODS):
        for i, p in enumerate(PATHS):
            rows = [find(res["throughput"], path=p, size=s, method=method) for s in SIZES]
            xs = [j + (i - (len(PATHS) - 1) / 2) * width for j, r in enumerate(rows) if r]
            rows = [r for r in rows if r]
            med = [r["median"] for r in rows]
            err = [[r["median"] - r["min"] for r in rows], [r["max"] - r["median"] for r in rows]]
            ax.bar(xs, med, width, yerr=err, capsize=2, label=p, color=colors[p])
            for x, r in zip(xs, rows):
                ax.text(x, r["max"], "%.2f" % r["vs_plain"]["median"], ha="center",
                        va="bottom", fontsize=7, rotation=90)
        ax.set_xticks(range(len(SIZES)))
        ax.set_xticklabels(["%s writes" % size_name(s) for s in SIZES])
        ax.set_title("by %s()" % method)
        ax.set_ylabel("MB/s (median; bars: min-max; label: / plain, median of rounds)")
        ax.margins(y=0.15)
        ax.grid(axis="y", alpha=0.3)
    axes[0].legend(loc="upper left", fontsize=8)
    fig.suptitle("gaius: single-stream throughput by path, %s (qemu TCG, 2 vCPUs; ratios matter)"
                 % res["machine"]["date"])
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def machine(console, runs):
    kernel = ""
    with open(console, encoding="utf-8", errors="replace") as f:
        for line in f:
            if "Linux version" in line:
                kernel = line.split("Linux version", 1)[1].split()[0]
                break
    model = ""
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    try:
        qemu = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True,
                              text=True, check=False).stdout.splitlines()[0]
    except (OSError, IndexError):
        qemu = ""
    return {"date": datetime.date.today().isoformat(), "host_cpu": model,
            "host_cpus": os.cpu_count(), "host_kernel": platform.release(),
            "guest_kernel": kernel, "qemu": qemu,
            "guest": "qemu TCG, -cpu max, 2 vCPUs, 2 GiB; both ends on vCPU 1",
            "boots": runs}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--console", required=True, action="append",
                    help="the guest's console log (again for more boots)")
    ap.add_argument("--host", required=True, help="shift-speed's JSON lines")
    ap.add_argument("--out", required=True, help="directory for results.json and throughput.png")
    args = ap.parse_args()

    records, profiles, unreadable = read_records(args.console, args.host)
    res = {"machine": machine(args.console[-1], len(args.console)),
           "throughput": throughput(records),
           "rr": {},
           "crr": group(records, "crr", lambda r: r["path"], lambda r: r["cps"]),
           "crr_vs_plain": {p: paired(by_round(records, "crr", lambda r: r["path"],
                                               lambda r: r["cps"]), p, "plain")
                            for p in PATHS},
           "rule_cost": rule_cost(records),
           "memory": memory(records),
           "allocations": allocations(records),
           "transform": transform(records),
           "profiles": profiles}
    for key in ("p50_us", "p99_us"):
        for path, s in group(records, "rr", lambda r: r["path"], lambda r, k=key: r[k]).items():
            res["rr"].setdefault(path, {})[key] = s
    res["targets"] = targets(res)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "results.json"), "w", encoding="utf-8") as f:
        json.dump(res, f, indent=1)
    print_tables(res)
    if res["throughput"]:
        draw(res, os.path.join(args.out, "throughput.png"))

    problems = []
    if unreadable:
        problems.append("%d BENCH line(s) could not be read" % unreadable)
    bad = [r for r in records if not r.get("verified")]
    if bad:
        problems.append("%d record(s) not verified, e.g. %s" % (len(bad), json.dumps(bad[0])))
    kinds = {r["test"] for r in records}
    problems += ["no %s records" % k for k in KIND_NAMES if k not in kinds]
    for p in problems:
        print("report: %s" % p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Internet-scale bulk: local zone data on every core, listed only.

Builds the bulk bench's kind of bed (20 ip4set zones of 50,000 random
entries, plus LISTED_IN_SWEEP entries each inside the swept /8) and
measures, in one run:

  1. the bulk bench's comparison at 100,000 addresses (about 10% listed per
     zone): dnsbl bulk --notxt over DNS (rbldnsd on loopback), and from the
     same files with --listed_only (JSON and binary), on every core and on
     one; the local reports checked equal to the DNS ones' findings;
  2. 1,000,000 addresses x 20 local zones, --listed_only, JSON and binary;
     over DNS on the same data only with --dns_million (about 20 million
     questions: minutes);
  3. a whole /8 (16,777,216 addresses) x 20 local zones, --listed_only,
     JSON and binary: wall time, answers per second, peak memory, output
     size.

Each dnsbl run's wall time is measured around the process (start and
loading included); peak memory by GNU time. Prints a table. Nothing leaves
127.0.0.0/8.

  python3 bench/sweep_bench.py [--runs N] [--dns_million]
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

import benchlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ZONES = 20
ENTRIES = 50_000
LISTED_SHARE = 0.10
SWEEP = "10.0.0.0/8"
LISTED_IN_SWEEP = 5_000


def ip(a):
    return f"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}"


def build(work, rng):
    """Zone files, catalog, and inputs of 100,000 and 1,000,000 addresses."""
    small = [rng.getrandbits(32) | 0x01000000 for _ in range(100_000)]
    million = small + [rng.getrandbits(32) | 0x01000000
                       for _ in range(900_000)]
    zones = []
    for z in range(ZONES):
        entries = set(rng.sample(small, int(len(small) * LISTED_SHARE)))
        while len(entries) < ENTRIES:
            entries.add(rng.getrandbits(32))
        for _ in range(LISTED_IN_SWEEP):
            entries.add(0x0a000000 | rng.getrandbits(24))
        path = os.path.join(work, f"z{z}.zone")
        with open(path, "w") as f:
            f.write(":127.0.0.2:listed $\n")
            f.writelines(ip(a) + "\n" for a in sorted(entries))
        os.chmod(path, 0o644)
        zones.append((f"z{z}.sweep.test", path))
    for name, addresses in (("small.txt", small), ("million.txt", million)):
        with open(os.path.join(work, name), "w") as f:
            f.writelines(ip(a) + "\n" for a in addresses)
    with open(os.path.join(work, "sweep.txt"), "w") as f:
        f.write(SWEEP + "\n")
    with open(os.path.join(work, "catalog.textproto"), "w") as f:
        for name, _ in zones:
            f.write(f'zone {{ name: "{name}" ipv4: true '
                    'default_category: SPAM_SOURCE }\n')
    return zones


def timed(dnsbl, work, flags, input_name, output):
    """Runs dnsbl bulk; returns (wall s, peak RSS MiB, summary text)."""
    cmd = ["/usr/bin/time", "-f", "RSS_KB %M", dnsbl, "bulk",
           "--progress=never", "--notxt", "--max_range_size=16777216",
           "--catalog=" + os.path.join(work, "catalog.textproto"),
           "--output=" + output] + flags + [os.path.join(work, input_name)]
    start = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.monotonic() - start
    if r.returncode not in (0, 1):
        sys.exit(f"dnsbl bulk failed ({r.returncode}): {r.stderr}")
    rss = int(re.search(r"RSS_KB (\d+)", r.stderr).group(1)) / 1024
    return wall, rss, r.stderr


def findings(path):
    """address -> sorted (zone, status) of its written results."""
    out = {}
    with open(path) as f:
        for line in f:
            rep = json.loads(line)
            out[rep["address"]] = sorted(
                (z["zone"], z["status"]) for z in rep.get("results", [])
                if z["status"] != "NOT_LISTED")
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dns_million", action="store_true")
    args = parser.parse_args()
    bin_dir = benchlib.build_opt(ROOT, ["//cli:dnsbl"])
    dnsbl = os.path.join(bin_dir, "cli/dnsbl")
    cores = os.cpu_count()
    work = tempfile.mkdtemp(prefix="dnsbl-sweep-bench-")
    os.chmod(work, 0o755)
    rows = []
    try:
        print("building the bed ...", file=sys.stderr)
        zones = build(work, random.Random(23))
        local = [f"--zone_data={n}:ip4set:{p}" for n, p in zones]
        port = benchlib.free_port()
        server = benchlib.start_rbldnsd(
            work, [f"{n}:ip4set:{os.path.basename(p)}" for n, p in zones],
            port)
        dns = [f"--nameserver=127.0.0.1:{port}"]
        out_json = os.path.join(work, "out.json")
        out_bin = os.path.join(work, "out.bin")

        def row(label, questions, runs, output):
            wall, rss, _ = benchlib.median_run(runs)
            size = os.path.getsize(output)
            rows.append((label, questions / wall, wall, rss, size))
            print(f"  {label}: {wall:.2f} s, {questions / wall:,.0f}/s, "
                  f"{rss:.0f} MiB, {size:,} bytes", file=sys.stderr)
            return wall

        # 1. 100,000 addresses: DNS against local, listed only.
        q = 100_000 * ZONES
        try:
            dns_wall = row("100k over DNS (rbldnsd), JSON, every report", q,
                           [timed(dnsbl, work, dns, "small.txt", out_json)
                            for _ in range(args.runs)], out_json)
            dns_findings = {a: f for a, f in findings(out_json).items() if f}
            if args.dns_million:
                row("1M over DNS (rbldnsd), JSON, every report",
                    1_000_000 * ZONES,
                    [timed(dnsbl, work, dns, "million.txt", out_json)],
                    out_json)
        finally:
            server.terminate()
            server.wait()
        one = row("100k local, listed only, JSON, 1 thread", q,
                  [timed(dnsbl, work, local + ["--listed_only", "--threads=1"],
                         "small.txt", out_json) for _ in range(args.runs)],
                  out_json)
        wall = row(f"100k local, listed only, JSON, {cores} threads", q,
                   [timed(dnsbl, work, local + ["--listed_only"], "small.txt",
                          out_json) for _ in range(args.runs)], out_json)
        differing = sum(1 for a, f in findings(out_json).items()
                        if dns_findings.get(a) != f)
        differing += len(set(dns_findings) - set(findings(out_json)))
        row(f"100k local, listed only, binary, {cores} threads", q,
            [timed(dnsbl, work, local + ["--listed_only", "--format=binary"],
                   "small.txt", out_bin) for _ in range(args.runs)], out_bin)
        ratio = dns_wall / wall

        # 2. 1,000,000 addresses.
        q = 1_000_000 * ZONES
        row(f"1M local, listed only, JSON, {cores} threads", q,
            [timed(dnsbl, work, local + ["--listed_only"], "million.txt",
                   out_json) for _ in range(args.runs)], out_json)
        row(f"1M local, listed only, binary, {cores} threads", q,
            [timed(dnsbl, work, local + ["--listed_only", "--format=binary"],
                   "million.txt", out_bin) for _ in range(args.runs)], out_bin)

        # 3. A /8.
        q = (1 << 24) * ZONES
        slash8 = row(f"/8 local, listed only, JSON, {cores} threads", q,
                     [timed(dnsbl, work, local + ["--listed_only"],
                            "sweep.txt", out_json)], out_json)
        row(f"/8 local, listed only, binary, {cores} threads", q,
            [timed(dnsbl, work, local + ["--listed_only", "--format=binary"],
                   "sweep.txt", out_bin)], out_bin)
        slash8_listed = len(findings(out_json))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print("| run | answers/s | wall s | peak MiB | output bytes |")
    print("|---|---|---|---|---|")
    for label, rate, wall, rss, size in rows:
        print(f"| {label} | {rate:,.0f} | {wall:.2f} | {rss:.0f} | {size:,} |")
    print()
    print(f"local listed-only / DNS (100k addresses, wall): {ratio:.1f}x "
          f"(target >= 10x); 1 thread: {dns_wall / one:.1f}x")
    print(f"local findings differing from DNS: {differing}")
    print(f"/8: {slash8:.1f} s (target < 60 s), {slash8_listed:,} addresses "
          f"written")


if __name__ == "__main__":
    main()

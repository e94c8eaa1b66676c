#!/usr/bin/env python3
"""Local zone data: speed and memory beside the DNS path and rbldnsd.

In one run, on the bulk bench's bed (20 ip4set zones of 50,000 random
entries; 10,000 query addresses, about 10% listed per zone: 200,000
questions) and a 1,000,000-entry ip4set:

  1. lookups per second on one core over the 1M-entry set
     (//bench:localzone_lookup_bench; half the queries listed);
  2. dnsbl bulk --notxt over DNS (rbldnsd on a loopback port) and with all
     20 zones read from the same files (--zone_data), in back-to-back pairs,
     medians reported, the local results checked equal to the DNS ones;
     the local run again with --format=binary (every report counted), to
     show what JSON encoding costs, and the local answer rate after loading
     from dnsbl's own summary; reports go to files, read after the clock
     stops;
  3. resident memory for the 1M-entry file: rbldnsd's (VmRSS with the file
     minus with an empty one) and dnsbl's (peak RSS of a run with the file
     minus with an empty one).

Prints a table. Needs the packages of tools/install-deps.sh; nothing leaves
127.0.0.0/8.

  python3 bench/localzone_bench.py [--runs N]
"""

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import benchlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ZONES = 20
ENTRIES = 50_000
ADDRESSES = 10_000
LISTED_SHARE = 0.10
BIG = 1_000_000


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def ip(a):
    return f"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}"


def build(work):
    rng = random.Random(14)
    addresses = [rng.getrandbits(32) | 0x01000000 for _ in range(ADDRESSES)]
    zones = []
    for z in range(ZONES):
        listed = set(rng.sample(addresses, int(ADDRESSES * LISTED_SHARE)))
        entries = set(listed)
        while len(entries) < ENTRIES:
            entries.add(rng.getrandbits(32))
        path = os.path.join(work, f"z{z}.zone")
        with open(path, "w") as f:
            f.write(":127.0.0.2:listed $\n")
            f.writelines(ip(a) + "\n" for a in entries)
        zones.append((f"z{z}.bench.test", path))
    with open(os.path.join(work, "input.txt"), "w") as f:
        f.writelines(ip(a) + "\n" for a in addresses)
    with open(os.path.join(work, "catalog.textproto"), "w") as f:
        for name, _ in zones:
            f.write(f'zone {{ name: "{name}" ipv4: true '
                    'default_category: SPAM_SOURCE }\n')
    big = set()
    while len(big) < BIG:
        big.add(rng.getrandbits(32))
    with open(os.path.join(work, "big.zone"), "w") as f:
        f.write(":127.0.0.2:listed $\n")
        f.writelines(ip(a) + "\n" for a in big)
    open(os.path.join(work, "empty.zone"), "w").close()
    with open(os.path.join(work, "one.textproto"), "w") as f:
        f.write('zone { name: "big.bench.test" ipv4: true }\n')
    return zones


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def timed_bulk(dnsbl, work, extra, output):
    """Runs dnsbl bulk --notxt over the bed's input, reports to `output`
    (a file: reading a pipe would time this script too). Returns the wall
    time and the local answers per second dnsbl's summary gives (0 when
    none: over DNS)."""
    start = time.monotonic()
    r = subprocess.run([dnsbl, "bulk", "--progress=never", "--notxt",
                        "--output=" + output,
                        "--catalog=" + os.path.join(work, "catalog.textproto")]
                       + extra + [os.path.join(work, "input.txt")],
                       capture_output=True, text=True)
    wall = time.monotonic() - start
    if r.returncode not in (0, 1):
        sys.exit(f"dnsbl bulk failed: {r.stderr}")
    local = re.search(r"answers from local zone data, (\d+) per second",
                      r.stderr)
    return wall, int(local.group(1)) if local else 0


def bulk(dnsbl, work, extra):
    """A JSON run; returns its wall time, the local answer rate and
    address -> [(zone, status, codes)]."""
    output = os.path.join(work, "out.json")
    wall, local_rate = timed_bulk(dnsbl, work, extra, output)
    results = {}
    with open(output) as f:
        for line in f:
            rep = json.loads(line)
            results[rep["address"]] = [
                (z["zone"], z["status"], tuple(z.get("codes", ())))
                for z in rep["results"]]
    return wall, local_rate, results


def bulk_binary(dnsbl, work, extra):
    """A run with --format=binary; returns its wall time and how many
    length-delimited Reports it wrote."""
    output = os.path.join(work, "out.bin")
    wall, _ = timed_bulk(dnsbl, work, extra + ["--format=binary"], output)
    with open(output, "rb") as f:
        data = f.read()
    pos, count = 0, 0
    while pos < len(data):
        size, shift = 0, 0
        while True:
            b = data[pos]
            pos += 1
            size |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                break
        pos += size
        count += 1
    return wall, count


def peak_rss_kib(cmd):
    """Peak resident set of one run of `cmd`, from GNU time (the children's
    getrusage maximum would be that of the largest child so far)."""
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd,
                       capture_output=True, text=True)
    return int(r.stderr.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    bin_dir = benchlib.build_opt(ROOT, ["//cli:dnsbl",
                                        "//bench:localzone_lookup_bench"])
    dnsbl = os.path.join(bin_dir, "cli/dnsbl")
    work = tempfile.mkdtemp(prefix="dnsbl-localzone-bench-")
    os.chmod(work, 0o755)
    try:
        print("building the bed ...", file=sys.stderr)
        zones = build(work)
        for f in os.listdir(work):
            os.chmod(os.path.join(work, f), 0o644)
        rows = []

        # 1. Lookups per second.
        out = run([os.path.join(bin_dir, "bench/localzone_lookup_bench"),
                   "ip4set", os.path.join(work, "big.zone"), "20000000"]).stdout
        lookups = float(out.split("|")[5].split()[0])

        # 2. Bulk over DNS and from the files, in pairs.
        port = benchlib.free_port()
        server = benchlib.start_rbldnsd(work, [f"{n}:ip4set:{os.path.basename(p)}"
                                      for n, p in zones], port)
        local_flags = [f"--zone_data={n}:ip4set:{p}" for n, p in zones]
        local_flags += ["--nameserver=127.0.0.1:1"]
        dns_walls, local_walls, binary_walls, mismatches = [], [], [], 0
        answer_rates = []
        try:
            for _ in range(args.runs):
                dw, _, dres = bulk(dnsbl, work,
                                   [f"--nameserver=127.0.0.1:{port}"])
                lw, answer_rate, lres = bulk(dnsbl, work, local_flags)
                answer_rates.append(answer_rate)
                bw, count = bulk_binary(dnsbl, work, local_flags)
                binary_walls.append(bw)
                if count != ADDRESSES:
                    mismatches += 1
                dns_walls.append(dw)
                local_walls.append(lw)
                mismatches += sum(1 for a in dres if dres[a] != lres.get(a))
                if len(dres) != ADDRESSES or len(lres) != ADDRESSES:
                    mismatches += 1
        finally:
            server.terminate()
            server.wait()
        questions = ADDRESSES * ZONES
        dns_rate = questions / statistics.median(dns_walls)
        local_rate = questions / statistics.median(local_walls)
        binary_rate = questions / statistics.median(binary_walls)

        # 3. Memory for the 1M-entry file.
        port = benchlib.free_port()
        empty = benchlib.start_rbldnsd(work, ["big.bench.test:ip4set:empty.zone"], port)
        time.sleep(0.3)
        rbldnsd_empty = rss_kib(empty.pid)
        empty.terminate(); empty.wait()
        port = benchlib.free_port()
        full = benchlib.start_rbldnsd(work, ["big.bench.test:ip4set:big.zone"], port)
        time.sleep(0.3)
        rbldnsd_full = rss_kib(full.pid)
        full.terminate(); full.wait()
        one = [dnsbl, "check", "--nocontacts", "--nameserver=127.0.0.1:1",
               "--catalog=" + os.path.join(work, "one.textproto")]
        dnsbl_empty = peak_rss_kib(one + [
            "--zone_data=big.bench.test:ip4set:" +
            os.path.join(work, "empty.zone"), "192.0.2.1"])
        dnsbl_full = peak_rss_kib(one + [
            "--zone_data=big.bench.test:ip4set:" +
            os.path.join(work, "big.zone"), "192.0.2.1"])
        rbldnsd_mib = (rbldnsd_full - rbldnsd_empty) / 1024
        dnsbl_mib = (dnsbl_full - dnsbl_empty) / 1024

        print("| run                                                   |      rate | wall s (median) |")
        print("|-------------------------------------------------------|-----------|-----------------|")
        print(f"| lookups, 1M-entry ip4set, one core                    | {lookups:9.0f} |               - |")
        print(f"| dnsbl bulk --notxt over DNS (rbldnsd), q/s           | {dns_rate:9.0f} | {statistics.median(dns_walls):15.3f} |")
        print(f"| dnsbl bulk --notxt, 20 zones from files, q/s         | {local_rate:9.0f} | {statistics.median(local_walls):15.3f} |")
        print(f"| same, --format=binary, q/s                           | {binary_rate:9.0f} | {statistics.median(binary_walls):15.3f} |")
        print(f"| local answers/s after loading (dnsbl's summary)      | {statistics.median(answer_rates):9.0f} |               - |")
        print()
        print(f"lookups/s, 1M-entry ip4set:       {lookups/1e6:.1f} M  (target >= 10 M)")
        print(f"local/DNS bulk rate:              {local_rate/dns_rate:.1f}x  (target >= 10x; "
              f"{args.runs} pairs, walls DNS {', '.join(f'{w:.2f}' for w in dns_walls)} s, "
              f"local {', '.join(f'{w:.3f}' for w in local_walls)} s)")
        print(f"local answers after loading/DNS:  {statistics.median(answer_rates)/dns_rate:.1f}x")
        print(f"local/DNS, binary output:         {binary_rate/dns_rate:.1f}x  "
              f"(walls {', '.join(f'{w:.3f}' for w in binary_walls)} s)")
        print(f"results local vs DNS:             {mismatches} differing of "
              f"{ADDRESSES * args.runs} reports")
        print(f"memory for the 1M-entry file:     dnsbl {dnsbl_mib:.1f} MiB, "
              f"rbldnsd {rbldnsd_mib:.1f} MiB  (target: dnsbl <= rbldnsd)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

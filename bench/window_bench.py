#!/usr/bin/env python3
"""Window benchmark: the adaptive window against the best fixed one.

Serves the bulk bench's kind of bed (20 rbldnsd zones, ADDRESSES query
addresses, about 10% listed per zone) with rbldnsd on loopback, and puts
servers of different speeds in front of it: rbldnsd as it is, and the
fault proxy with a capacity cap (--max_qps: a server of 20k, 50k, 100k
questions a second with a queue of 256) and one with a small queue and
socket buffer (a server that drops bursts). For each it runs, in one
script:

  - `dnsbl bulk --notxt` with the adaptive window (the default);
    rates are of useful questions (copies of lost ones left out);
  - `dnsbl bulk --notxt --fixed_window --max_inflight=W` for W in WINDOWS,
    the best of which is the reference;
  - dnsperf replaying the same names with 100 in flight;

and prints a table: questions/s and questions lost (dnsbl's own summary;
dnsperf's "Queries lost"), adaptive over best fixed, loss in percent.
Every dnsbl output is checked against the ground truth (wrong or missing
results stop the bench). Each dnsbl configuration is run RUNS times, the
median reported. Nothing leaves 127.0.0.0/8.

  python3 bench/window_bench.py [--runs N] [--addresses N]
"""

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

import benchlib
import bulk_bench

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WINDOWS = [16, 32, 64, 128, 256, 512]
# (label, proxy flags or None for rbldnsd itself)
SERVERS = [
    ("rbldnsd as it is", None),
    ("capped 100k q/s, queue 256", ["--max_qps=100000", "--queue_limit=256"]),
    ("capped 50k q/s, queue 256", ["--max_qps=50000", "--queue_limit=256"]),
    ("capped 20k q/s, queue 256", ["--max_qps=20000", "--queue_limit=256"]),
    ("capped 50k q/s, queue 32, 16 KiB buffer",
     ["--max_qps=50000", "--queue_limit=32", "--receive_buffer=16384"]),
]


def make_bed(work, addresses_wanted, rng):
    """20 zones of 5,000 entries; returns (addresses, truth, datasets)."""
    bulk_bench.ADDRESSES = addresses_wanted
    addresses, truth, datasets = bulk_bench.make_testbed(work, rng, True)
    return addresses, truth, datasets[:bulk_bench.ZONES]


def summary_numbers(stderr):
    """(questions sent, useful questions/s, lost) from dnsbl's summary.

    The useful rate leaves out the copies of lost questions: a window that
    loses sends more to get the same answers."""
    m = re.search(r"(\d+) DNS questions, (\d+) per second", stderr)
    lost = re.search(r"(\d+) questions lost and retried", stderr)
    if not m or not lost:
        sys.exit("no summary in dnsbl's output:\n" + stderr)
    sent, qps, lost = int(m.group(1)), int(m.group(2)), int(lost.group(1))
    return sent, qps * (sent - lost) / max(1, sent), lost


def run_dnsbl(dnsbl, work, endpoint, truth, addresses, extra):
    out = os.path.join(work, "out.json")
    r = subprocess.run(
        [dnsbl, "bulk", "--progress=never", "--notxt",
         "--nameserver=" + endpoint,
         "--catalog=" + os.path.join(work, "bench20.textproto"),
         "--output=" + out, os.path.join(work, "addresses.txt")] + extra,
        capture_output=True, text=True)
    if r.returncode not in (0, 1, 3):
        sys.exit("dnsbl failed (%d): %s" % (r.returncode, r.stderr))
    correct, wrong, missing, errors = bulk_bench.verify(
        out, truth, bulk_bench.ZONES, addresses)
    if wrong or missing:
        sys.exit("dnsbl %s: %d wrong, %d missing" % (extra, wrong, missing))
    questions, qps, lost = summary_numbers(r.stderr)
    return qps, lost, questions, errors


def dnsperf(work, endpoint):
    host, port = endpoint.rsplit(":", 1)
    r = subprocess.run(["dnsperf", "-s", host, "-p", port, "-d",
                        os.path.join(work, "dnsperf.txt"), "-n", "1",
                        "-c", "1", "-q", "100", "-t", "2"],
                       capture_output=True, text=True, check=True)
    qps = float(re.search(r"Queries per second:\s+([\d.]+)", r.stdout).group(1))
    lost = int(re.search(r"Queries lost:\s+(\d+)", r.stdout).group(1))
    return qps, lost


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--addresses", type=int, default=2500)
    parser.add_argument("--servers", default="",
                        help="comma-separated indexes into SERVERS")
    args = parser.parse_args()
    bin_dir = benchlib.build_opt(ROOT, ["//cli:dnsbl",
                                        "//tests:fault_proxy_main"])
    dnsbl = os.path.join(bin_dir, "cli/dnsbl")
    proxy_bin = os.path.join(bin_dir, "tests/fault_proxy_main")
    work = tempfile.mkdtemp(prefix="dnsbl-window-bench-")
    os.chmod(work, 0o755)
    rng = random.Random(20261206)
    addresses, truth, datasets = make_bed(work, args.addresses, rng)
    port = benchlib.free_port()
    server = benchlib.start_rbldnsd(work, datasets, port)
    chosen = [SERVERS[int(i)] for i in args.servers.split(",")] \
        if args.servers else SERVERS
    rows = []
    try:
        for label, proxy_flags in chosen:
            proxy = None
            endpoint = "127.0.0.1:%d" % port
            if proxy_flags is not None:
                proxy = subprocess.Popen(
                    [proxy_bin, "--upstream_port=%d" % port,
                     "--max_runtime=30m"] + proxy_flags,
                    stdout=subprocess.PIPE, text=True)
                endpoint = proxy.stdout.readline().strip()
                if not endpoint:
                    # An empty --nameserver would mean the system resolver.
                    sys.exit("the fault proxy did not start")
            print("==", label, endpoint, flush=True)
            adaptive = benchlib.median_run([run_dnsbl(dnsbl, work, endpoint, truth,
                                         addresses, [])
                               for _ in range(args.runs)])
            print("   adaptive", adaptive, flush=True)
            fixed = {}
            for w in WINDOWS:
                fixed[w] = benchlib.median_run([run_dnsbl(
                    dnsbl, work, endpoint, truth, addresses,
                    ["--fixed_window", "--max_inflight=%d" % w])
                    for _ in range(args.runs)])
                print("   fixed", w, fixed[w], flush=True)
            best_w = max(fixed, key=lambda w: fixed[w][0])
            perf = dnsperf(work, endpoint)
            print("   dnsperf", perf, flush=True)
            rows.append((label, adaptive, best_w, fixed[best_w], perf))
            if proxy is not None:
                proxy.terminate()
                proxy.wait()
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)

    print()
    print("| server | adaptive q/s | lost | best fixed (W) q/s | lost | "
          "adaptive/best | adaptive loss | dnsperf -q 100 q/s | lost |")
    print("|---|---|---|---|---|---|---|---|---|")
    for label, adaptive, best_w, best, perf in rows:
        ratio = adaptive[0] / best[0] if best[0] else 0
        loss = 100.0 * adaptive[1] / max(1, adaptive[2])
        print("| %s | %d | %d | %d (%d) | %d | %.2f | %.3f%% | %d | %d |" % (
            label, adaptive[0], adaptive[1], best[0], best_w, best[1], ratio,
            loss, perf[0], perf[1]))


if __name__ == "__main__":
    main()

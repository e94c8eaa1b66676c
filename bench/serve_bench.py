#!/usr/bin/env python3
"""dnsbl serve under load: requests a second and latency, cold and warm.

A bed of 20 ip4set zones (20,000 random entries each) served by rbldnsd on
a loopback port; `dnsbl serve` (built -c opt) asking it, with its answer
cache; wrk (Debian's) as the clients, 32 connections on 2 threads:

  1. /healthz: the HTTP server alone, the reference for the API's rates;
  2. cold: GET /v1/check with addresses never asked before (every check is
     20 DNS questions), beside dnsperf's rate against rbldnsd directly (the
     DNS server's own ceiling, in checks: its queries a second / 20);
  3. warm: the same 200 addresses again and again (every answer cached);
  4. /probe warm, as Prometheus scrapes;
  5. memory: the service's resident size before and after a long warm run
     (flat: the cache is bounded, nothing grows per request).

Every run's responses are counted: any that is not 200 is reported (there
must be none). Prints a table. Nothing leaves 127.0.0.0/8.

  python3 bench/serve_bench.py [--seconds N]
"""

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import benchlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ZONES = 20
ENTRIES = 20_000

COLD_LUA = r"""
counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
n = 0
request = function()
  n = n + 1
  local a = id * 4194304 + n
  return wrk.format(nil, "/v1/check?address=10." ..
      (math.floor(a / 65536) % 256) .. "." .. (math.floor(a / 256) % 256) ..
      "." .. (a % 256))
end
"""

WARM_LUA = r"""
n = 0
request = function()
  n = n + 1
  return wrk.format(nil, PATH .. "192.0." .. (n % 2) .. "." .. (n % 100))
end
"""

DONE_LUA = r"""
done = function(summary, latency, requests)
  io.write(string.format("STATUS non2xx=%d errors=%d\n",
      summary.errors.status, summary.errors.connect + summary.errors.read +
      summary.errors.write + summary.errors.timeout))
end
"""


def build_bed(work):
    rng = random.Random(25)
    datasets = []
    zones = []
    for z in range(ZONES):
        name = f"z{z}.bench"
        path = os.path.join(work, f"{name}.ip4set")
        with open(path, "w") as f:
            f.write("$SOA 0 ns.bench. hostmaster.bench. 1 600 300 86400 300\n")
            for _ in range(ENTRIES):
                a = rng.getrandbits(32)
                f.write(f"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}."
                        f"{a & 255}\n")
            f.write("192.0.1.7\n")
        datasets.append(f"{name}:ip4set:{name}.ip4set")
        zones.append(f'zone {{ name: "{name}" ipv4: true code {{ value: '
                     f'"127.0.0.2" category: SPAM_SOURCE }} }}')
    catalog = os.path.join(work, "catalog.textproto")
    with open(catalog, "w") as f:
        f.write("\n".join(zones) + "\n")
    return datasets, catalog


def wrk(url, seconds, script):
    path = os.path.join(tempfile.gettempdir(), "dnsbl-wrk.lua")
    with open(path, "w") as f:
        f.write(script + DONE_LUA)
    out = subprocess.run(["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency",
                          "-s", path, url], capture_output=True, text=True,
                         check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(p):
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(m.group(1)), m.group(2)
        return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    status = re.search(r"STATUS non2xx=(\d+) errors=(\d+)", out)
    if status is None:
        sys.exit(f"wrk's output has no status line:\n{out}")
    return rps, pct(50), pct(99), int(status.group(1)), int(status.group(2))


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def dnsperf_qps(port, work, seconds):
    rng = random.Random(3)
    path = os.path.join(work, "queries.txt")
    with open(path, "w") as f:
        for _ in range(100_000):
            a = rng.getrandbits(24)
            f.write(f"{a & 255}.{(a >> 8) & 255}.{a >> 16}.10."
                    f"z{rng.randrange(ZONES)}.bench A\n")
    out = subprocess.run(["dnsperf", "-s", "127.0.0.1", "-p", str(port), "-d",
                          path, "-l", str(seconds), "-c", "4", "-Q", "200000"],
                         capture_output=True, text=True, check=True).stdout
    return float(re.search(r"Queries per second:\s+([\d.]+)", out).group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=10)
    args = ap.parse_args()
    bin_dir = benchlib.build_opt(ROOT, ["//cli:dnsbl"])
    work = tempfile.mkdtemp(prefix="dnsbl-serve-bench-")
    os.chmod(work, 0o755)  # rbldnsd reads it as its own user.
    dns = serve = None
    try:
        datasets, catalog = build_bed(work)
        dns_port = benchlib.free_port()
        dns = benchlib.start_rbldnsd(work, datasets, dns_port)
        port = benchlib.free_port()
        serve = subprocess.Popen(
            [os.path.join(bin_dir, "cli/dnsbl"), "serve",
             f"--listen=127.0.0.1:{port}", f"--nameserver=127.0.0.1:{dns_port}",
             f"--catalog={catalog}", "--nocontacts", "--client_qps=0",
             "--max_inflight=2000"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        urllib.request.urlopen(base + "/v1/check?address=192.0.1.7").read()
        rows = []
        s = args.seconds
        health = wrk(base + "/healthz", s, "")
        rows.append(("/healthz (the HTTP server alone)",) + health)
        cold = wrk(base + "/", s, COLD_LUA)
        rows.append(("GET /v1/check, cold (20 questions each)",) + cold)
        warm_check = WARM_LUA.replace("PATH", '"/v1/check?address="')
        wrk(base + "/", 2, warm_check)  # Warm the 200 addresses.
        rss_before = rss_kib(serve.pid)
        warm = wrk(base + "/", s, warm_check)
        rows.append(("GET /v1/check, warm (cached)",) + warm)
        probe = wrk(base + "/", s, WARM_LUA.replace("PATH", '"/probe?target="'))
        rows.append(("GET /probe, warm (cached)",) + probe)
        long_run = wrk(base + "/", 3 * s, warm_check)
        rss_after = rss_kib(serve.pid)
        qps = dnsperf_qps(dns_port, work, s)
        print(f"| run | requests/s | p50 ms | p99 ms | non-200 | errors |")
        print("|---|---|---|---|---|---|")
        for name, rps, p50, p99, bad, err in rows:
            print(f"| {name} | {rps:,.0f} | {p50:.2f} | {p99:.2f} | {bad} | "
                  f"{err} |")
        print()
        print(f"dnsperf against rbldnsd directly: {qps:,.0f} queries/s = "
              f"{qps / ZONES:,.0f} checks/s of {ZONES} zones")
        print(f"cold checks / rbldnsd's ceiling in checks: "
              f"{cold[0] / (qps / ZONES):.2f}")
        print(f"warm checks / /healthz: {warm[0] / health[0]:.2f}")
        print(f"resident memory before / after a {3 * s} s warm run "
              f"({long_run[0] * 3 * s:,.0f} requests): {rss_before / 1024:.1f} "
              f"/ {rss_after / 1024:.1f} MiB")
    finally:
        for p in (serve, dns):
            if p is not None:
                p.terminate()
                p.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

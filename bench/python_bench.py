#!/usr/bin/env python3
"""Python: dnsbl's package beside a plain asyncio + aiodns checker.

On the bulk bench's bed (bench/bulk_bench.py: 20 rbldnsd zones of 50,000
entries, 10,000 addresses, about 10% listed per zone: 200,000 questions),
served by one rbldnsd on a loopback port, in back-to-back rounds (medians
reported):

  1. a checker written the way pydnsbl is: asyncio, aiodns (Debian's
     python3-aiodns over pycares), one A question per address and zone,
     200 in flight (a semaphore), NXDOMAIN = not listed;
  2. dnsbl.bulk() over the list of addresses (txt=False, as the other asks
     A only);
  3. dnsbl.Checker.check_many() over the same list;
  4. `dnsbl bulk --notxt` (the CLI) for reference.

Every result of every run is checked against the ground truth (a wrong or
missing answer is counted, and the bench fails if there is one). Prints a
table. Needs the packages of tools/install-deps.sh; run it with Debian's
python3 (the one with aiodns and the one the module is built for). Nothing
leaves 127.0.0.0/8.

  /usr/bin/python3 bench/python_bench.py [--runs N]
"""

import argparse
import asyncio
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import aiodns

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import benchlib  # noqa: E402
import bulk_bench  # noqa: E402  (the bed)

IN_FLIGHT = 200


async def aiodns_checker(addresses, zones, port):
    """Returns {address: {zone: listed (bool) or None (no answer)}}."""
    resolver = aiodns.DNSResolver(nameservers=["127.0.0.1"], udp_port=port,
                                  tcp_port=port, timeout=2.0, tries=2)
    semaphore = asyncio.Semaphore(IN_FLIGHT)

    async def ask(address, zone):
        name = ".".join(reversed(address.split("."))) + "." + zone
        async with semaphore:
            try:
                answers = await resolver.query(name, "A")
                return any(a.host.startswith("127.") for a in answers)
            except aiodns.error.DNSError as e:
                if e.args[0] == aiodns.error.ARES_ENOTFOUND:
                    return False
                return None

    async def check(address):
        results = await asyncio.gather(*(ask(address, z) for z in zones))
        return address, dict(zip(zones, results))

    return dict(await asyncio.gather(*(check(a) for a in addresses)))


def wrong_count(results, truth, zones, addresses):
    """Counts address x zone results that differ from the truth (a missing
    or unanswered one counts as wrong)."""
    wrong = 0
    for a in addresses:
        got = results.get(a)
        for z in zones:
            if got is None or got.get(z) is None or got[z] != (a in truth[z]):
                wrong += 1
    return wrong


def from_reports(reports):
    """Keeps what the truth is checked against, report by report as they
    come (a bulk user writes reports out; nobody holds 10,000 of them)."""
    out = {}
    for r in reports:
        out[r["address"]] = {
            z["zone"]: {"LISTED": True, "NOT_LISTED": False}.get(z["status"])
            for z in r["results"]}
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    bin_dir = benchlib.build_opt(ROOT, ["//cli:dnsbl", "//python:package"])
    package = tempfile.mkdtemp(prefix="dnsbl-python-bench-pkg-")
    os.makedirs(os.path.join(package, "dnsbl"))
    shutil.copy(os.path.join(ROOT, "python/dnsbl/__init__.py"),
                os.path.join(package, "dnsbl"))
    shutil.copy(os.path.join(bin_dir, "python/dnsbl/_dnsbl.so"),
                os.path.join(package, "dnsbl"))
    sys.path.insert(0, package)
    import dnsbl

    work = tempfile.mkdtemp(prefix="dnsbl-python-bench-")
    os.chmod(work, 0o755)
    server = None
    try:
        print("building the bed ...", file=sys.stderr)
        addresses, truth, datasets = bulk_bench.make_testbed(
            work, random.Random(1), False)
        zones = [f"bench{z}.test" for z in range(bulk_bench.ZONES)]
        catalog = os.path.join(work, "bench20.textproto")
        port = benchlib.free_port()
        server = benchlib.start_rbldnsd(work, datasets[:bulk_bench.ZONES], port)
        ns = f"127.0.0.1:{port}"
        input_path = os.path.join(work, "addresses.txt")
        questions = len(addresses) * len(zones)

        walls = {"aiodns": [], "bulk": [], "check_many": [], "cli": []}
        wrong = {k: 0 for k in walls}
        for _ in range(args.runs):
            start = time.monotonic()
            results = asyncio.run(aiodns_checker(addresses, zones, port))
            walls["aiodns"].append(time.monotonic() - start)
            wrong["aiodns"] += wrong_count(results, truth, zones, addresses)

            start = time.monotonic()
            results = from_reports(dnsbl.bulk(addresses, nameservers=[ns],
                                              catalog=catalog, txt=False))
            walls["bulk"].append(time.monotonic() - start)
            wrong["bulk"] += wrong_count(results, truth, zones, addresses)

            checker = dnsbl.Checker(nameservers=[ns], catalog=catalog,
                                    txt=False)
            start = time.monotonic()
            results = from_reports(checker.check_many(addresses))
            walls["check_many"].append(time.monotonic() - start)
            wrong["check_many"] += wrong_count(results, truth, zones,
                                               addresses)

            start = time.monotonic()
            r = subprocess.run([os.path.join(bin_dir, "cli/dnsbl"), "bulk",
                                "--progress=never", "--notxt",
                                f"--nameserver={ns}", f"--catalog={catalog}",
                                input_path], capture_output=True)
            walls["cli"].append(time.monotonic() - start)
            if r.returncode not in (0, 1):
                sys.exit(f"dnsbl bulk failed: {r.stderr.decode()}")

        rate = {k: questions / statistics.median(v) for k, v in walls.items()}
        label = {
            "aiodns": "asyncio + aiodns, 200 in flight (pydnsbl's way)",
            "bulk": "dnsbl.bulk(addresses, txt=False)",
            "check_many": "dnsbl.Checker(txt=False).check_many(addresses)",
            "cli": "dnsbl bulk --notxt (the CLI, for reference)",
        }
        print("| run                                               |     q/s | wall s (median) | wrong |")
        print("|---------------------------------------------------|---------|-----------------|-------|")
        for k in walls:
            shown = "-" if k == "cli" else str(wrong[k])
            print(f"| {label[k]:49} | {rate[k]:7.0f} | "
                  f"{statistics.median(walls[k]):15.2f} | {shown:>5} |")
        print()
        print(f"dnsbl.bulk / aiodns:        {rate['bulk'] / rate['aiodns']:.1f}x  "
              f"(target >= 5x; {args.runs} rounds, walls aiodns "
              f"{', '.join(f'{w:.2f}' for w in walls['aiodns'])} s, bulk "
              f"{', '.join(f'{w:.2f}' for w in walls['bulk'])} s)")
        print(f"check_many / aiodns:        {rate['check_many'] / rate['aiodns']:.1f}x")
        print(f"dnsbl.bulk / CLI:           {rate['bulk'] / rate['cli']:.2f}x")
        print(f"results checked:            {questions * args.runs} per checker, "
              f"wrong or missing: aiodns {wrong['aiodns']}, bulk "
              f"{wrong['bulk']}, check_many {wrong['check_many']}")
        if wrong["bulk"] or wrong["check_many"]:
            sys.exit("dnsbl gave a wrong or missing result")
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(package, ignore_errors=True)


if __name__ == "__main__":
    main()

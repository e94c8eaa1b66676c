"""The Python package against real DNS servers on loopback: rbldnsd
serving written zone files (ground truth), a silent UDP socket (a server
that never answers), and the fault proxy lying NXDOMAIN about a zone.

Run by python/dnsbl_test.sh (bazel test //python:dnsbl_test) with the
package and its extension module on PYTHONPATH.
"""

import asyncio
import ipaddress
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import typing
import unittest

import dnsbl

FAULT_PROXY = os.environ.get("DNSBL_FAULT_PROXY", "")
# examples/python/check_addresses.py, run with this interpreter and package.
EXAMPLE = os.environ.get("DNSBL_EXAMPLE", "")

# Ground truth: what each zone lists. relays.test lists 192.0.2.0/28 and
# 10.9.0.0/24 (code 127.0.0.2, TXT naming the address); proxies.test lists
# the odd addresses of 192.0.2.0/28 (127.0.0.9); refusing.test answers its
# "refused" code 127.255.255.254 for 192.0.2.200.
RELAYS = [ipaddress.ip_address("192.0.2.%d" % i) for i in range(16)] + [
    ipaddress.ip_address("10.9.0.%d" % i) for i in range(256)]
PROXIES = [ipaddress.ip_address("192.0.2.%d" % i) for i in range(1, 16, 2)]

CATALOG = """
zone { name: "relays.test" ipv4: true test_entry: true
       code { value: "127.0.0.2" category: OPEN_RELAY } }
zone { name: "proxies.test" ipv4: true
       code { value: "127.0.0.9" category: OPEN_PROXY } }
zone { name: "refusing.test" ipv4: true
       code { value: "127.0.0.2" category: SPAM_SOURCE }
       refused_code: "127.255.255.254" }
"""


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dig(port, name):
    return subprocess.run(
        ["dig", "+short", "+time=1", "+tries=1", "-p", str(port),
         "@127.0.0.1", name], capture_output=True, text=True).stdout.strip()


class Servers:
    """rbldnsd on a free loopback port, with the zones above."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="dnsbl-python-test-")
        os.chmod(self.dir, 0o755)
        files = {
            "relays.zone": ":127.0.0.2:open relay $\n127.0.0.2\n"
                           "192.0.2.0/28\n10.9.0.0/24\n",
            "proxies.zone": ":127.0.0.9:open proxy $\n" + "".join(
                f"{a}\n" for a in PROXIES),
            "refusing.zone": ":127.255.255.254:not for you\n192.0.2.200\n"
                             "127.0.0.2 :127.0.0.2:\n",
        }
        for name, text in files.items():
            path = os.path.join(self.dir, name)
            with open(path, "w") as f:
                f.write(text)
            os.chmod(path, 0o644)
        self.catalog = os.path.join(self.dir, "catalog.textproto")
        with open(self.catalog, "w") as f:
            f.write(CATALOG)
        self.port = free_udp_port()
        args = ["/usr/sbin/rbldnsd", "-n", "-b", f"127.0.0.1/{self.port}",
                "-w", self.dir]
        if os.geteuid() == 0:
            args += ["-u", "rbldns"]
        args += ["relays.test:ip4set:relays.zone",
                 "proxies.test:ip4set:proxies.zone",
                 "refusing.test:ip4set:refusing.zone"]
        self.rbldnsd = subprocess.Popen(args, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        for _ in range(100):
            if dig(self.port, "2.0.0.127.relays.test"):
                break
            time.sleep(0.1)
        else:
            raise RuntimeError("rbldnsd did not start")
        self.endpoint = f"127.0.0.1:{self.port}"

    def stop(self):
        self.rbldnsd.terminate()
        self.rbldnsd.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def setUpModule():
    global SERVERS
    SERVERS = Servers()


def tearDownModule():
    SERVERS.stop()


def truth(address):
    """zone -> (status, codes) for an IPv4 address, from the zone files."""
    ip = ipaddress.ip_address(address)
    return {
        "relays.test": ("LISTED", ["127.0.0.2"]) if ip in RELAYS
        else ("NOT_LISTED", []),
        "proxies.test": ("LISTED", ["127.0.0.9"]) if ip in PROXIES
        else ("NOT_LISTED", []),
        "refusing.test": ("REFUSED", ["127.255.255.254"])
        if address == "192.0.2.200" else ("NOT_LISTED", []),
    }


def seen(report):
    return {r["zone"]: (r["status"], r["codes"]) for r in report["results"]}


def checker(**extra):
    options = dict(nameservers=[SERVERS.endpoint], catalog=SERVERS.catalog,
                   timeout=1.0)
    options.update(extra)
    return dnsbl.Checker(**options)


class CheckTest(unittest.TestCase):

    def test_reports_match_ground_truth_with_evidence(self):
        c = checker()
        for address in ["192.0.2.3", "192.0.2.4", "10.9.0.77", "192.0.2.99",
                        "192.0.2.200"]:
            report = c.check(address)
            self.assertEqual(report["address"], address)
            self.assertEqual(seen(report), truth(address), address)
        report = c.check("192.0.2.3")
        relays = report["results"][0]
        self.assertEqual(relays["txt"], ["open relay 192.0.2.3"])
        self.assertEqual(relays["query"], "3.2.0.192.relays.test")
        self.assertEqual(relays["categories"], ["OPEN_RELAY"])
        self.assertTrue(report["summary"]["listed"])
        self.assertEqual(report["summary"]["open_relay_by"], ["relays.test"])
        self.assertEqual(report["summary"]["open_proxy_by"], ["proxies.test"])
        self.assertEqual(report["resolver"], SERVERS.endpoint)
        # Nameservers given: recursive, through them, with nothing to warn.
        self.assertEqual(report["resolution"], "RECURSIVE")
        self.assertEqual(c.resolution, "recursive")
        self.assertEqual(c.warnings, [])

    def test_reports_have_the_typed_shapes(self):
        # The TypedDicts made from the .proto and the dicts the module
        # makes agree: every required key there, no key undeclared.
        def conforms(value, shape, where):
            keys = set(value)
            self.assertLessEqual(shape.__required_keys__, keys, where)
            self.assertLessEqual(keys, set(shape.__annotations__), where)

        report = checker().check("192.0.2.3")
        conforms(report, dnsbl.Report, "Report")
        conforms(report["summary"], dnsbl.Summary, "Summary")
        for result in report["results"]:
            conforms(result, dnsbl.ZoneResult, result["zone"])
            self.assertIn(result["status"], typing.get_args(dnsbl.Status))
        health = checker().health()
        conforms(health, dnsbl.HealthReport, "HealthReport")
        for zone in health["zones"]:
            conforms(zone, dnsbl.ZoneHealth, zone["zone"])
        for zone in dnsbl.zones(catalog=SERVERS.catalog):
            conforms(zone, dnsbl.Zone, zone["name"])
        for option in dnsbl.options():
            conforms(option, dnsbl.OptionInfo, option["name"])
        self.assertIsInstance(dnsbl.bulk([]), dnsbl.BulkRun)

    def test_check_many_keeps_order(self):
        addresses = [str(a) for a in RELAYS[:40]] + ["192.0.2.150"]
        reports = checker().check_many(addresses)
        self.assertEqual([r["address"] for r in reports], addresses)
        for r in reports:
            self.assertEqual(seen(r), truth(r["address"]))

    def test_bad_input_raises_naming_it(self):
        c = checker()
        with self.assertRaises(dnsbl.InvalidArgumentError) as e:
            c.check("192.0.2.300")
        self.assertIn("192.0.2.300", str(e.exception))
        self.assertEqual(e.exception.code, "INVALID_ARGUMENT")
        with self.assertRaises(ValueError):  # Also a ValueError.
            c.check_many(["192.0.2.1", "not an address"])
        with self.assertRaises(dnsbl.InvalidArgumentError) as e:
            dnsbl.Checker(nameservers=[SERVERS.endpoint], timout=3)
        self.assertIn("unknown option timout", str(e.exception))
        with self.assertRaises(dnsbl.InvalidArgumentError) as e:
            dnsbl.Checker(tries="three")
        self.assertIn("tries", str(e.exception))
        with self.assertRaises(dnsbl.NotFoundError):
            dnsbl.Checker(catalog="/nonexistent/catalog.textproto")
        with self.assertRaises(dnsbl.InvalidArgumentError) as e:
            dnsbl.Checker(catalog_text='zone { name: "x..y" ipv4: true }')
        with self.assertRaises(dnsbl.InvalidArgumentError) as e:
            dnsbl.Checker(resolution="iterative")
        self.assertIn("'iterative' (use auto, recursive or direct)",
                      str(e.exception))
        with self.assertRaises(dnsbl.NotFoundError) as e:
            dnsbl.Checker(resolution="direct", root_hints="/nonexistent/hints")
        self.assertIn("/nonexistent/hints", str(e.exception))

    def test_options_are_the_commands_table(self):
        options = {o["name"]: o for o in dnsbl.options()}
        self.assertIn("nameservers", options)  # Python's spelling.
        self.assertNotIn("nameserver", options)
        self.assertNotIn("output", options)  # The command's alone.
        self.assertEqual(options["rdap_qps"]["default"], "1")
        self.assertEqual(options["strict"]["used_by"], ["bulk"])
        for o in options.values():
            self.assertTrue(o["help"], o["name"])
        self.assertEqual(options["timeout"]["type"], "float")
        self.assertEqual(options["nameservers"]["type"], "str | Iterable[str]")
        # help() of each entry point lists the options it takes, with the
        # table's help text.
        for entry_point, doc in (("Checker", dnsbl.Checker.__init__.__doc__),
                                 ("bulk", dnsbl.bulk.__doc__),
                                 ("zones", dnsbl.zones.__doc__)):
            for o in options.values():
                line = f"\n{o['name']}: {o['type']} (default: "
                if entry_point in o["used_by"]:
                    self.assertIn(line, doc, (entry_point, o["name"]))
                    self.assertIn(o["help"].split()[0], doc)
                else:
                    self.assertNotIn(line, doc, (entry_point, o["name"]))
        # What the table says a Checker takes, it takes.
        dnsbl.Checker(nameservers=[SERVERS.endpoint], catalog=SERVERS.catalog,
                      rdap_qps=2.5, timeout=1.5, keys={"x": "k"})
        with self.assertRaises(dnsbl.InvalidArgumentError) as e:
            dnsbl.Checker(strict=True)  # bulk's, not the Checker's.
        self.assertIn("unknown option strict", str(e.exception))

    def test_one_string_where_a_list_is_expected(self):
        c = dnsbl.Checker(nameservers=SERVERS.endpoint, catalog=SERVERS.catalog,
                          zones="relays.test")
        self.assertEqual([r["zone"] for r in c.check("192.0.2.3")["results"]],
                         ["relays.test"])

    def test_zones_and_health(self):
        names = [z["name"] for z in dnsbl.zones(catalog=SERVERS.catalog)]
        self.assertEqual(names, ["relays.test", "proxies.test",
                                 "refusing.test"])
        self.assertGreater(len(dnsbl.zones()), 10)  # The built-in catalog.
        with self.assertRaises(dnsbl.NotFoundError):
            dnsbl.zones(catalog=SERVERS.catalog, zones=["nosuch.test"])
        health = {z["zone"]: z["state"]
                  for z in checker().health()["zones"]}
        self.assertEqual(health["relays.test"], "HEALTHY")
        self.assertEqual(health["proxies.test"], "NO_TEST_ENTRY")


class ExampleTest(unittest.TestCase):
    """examples/python/check_addresses.py does what its docstring says."""

    def run_example(self, *args):
        return subprocess.run(
            [sys.executable, EXAMPLE, f"--nameserver={SERVERS.endpoint}",
             f"--catalog={SERVERS.catalog}", *args],
            capture_output=True, text=True, timeout=60)

    def test_listed_clean_incomplete_and_bad_input(self):
        self.assertTrue(EXAMPLE, "DNSBL_EXAMPLE names the example")
        for mode in ([], ["--bulk"]):
            listed = self.run_example(*mode, "192.0.2.3", "192.0.2.100")
            self.assertEqual(listed.returncode, 1, listed.stderr)
            self.assertIn("192.0.2.3: LISTED by 2 zone(s) as OPEN_RELAY, "
                          "OPEN_PROXY", listed.stdout)
            self.assertIn("relays.test: 127.0.0.2", listed.stdout)
            self.assertIn('"open relay 192.0.2.3"', listed.stdout)
            self.assertIn("192.0.2.100: not listed", listed.stdout)
            clean = self.run_example(*mode, "192.0.2.100")
            self.assertEqual(clean.returncode, 0, clean.stderr)
            refused = self.run_example(*mode, "192.0.2.200")
            self.assertEqual(refused.returncode, 3, refused.stdout)
            self.assertIn("192.0.2.200: INCOMPLETE", refused.stdout)
            bad = self.run_example(*mode, "192.0.2.300")
            self.assertEqual(bad.returncode, 2, bad.stdout)
            self.assertIn("192.0.2.300", bad.stderr)


class SafetyTest(unittest.TestCase):
    """An unanswered query is never "not listed"."""

    def test_server_that_never_answers_is_error_not_clean(self):
        silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        silent.bind(("127.0.0.1", 0))
        try:
            c = dnsbl.Checker(nameservers=["127.0.0.1:%d" %
                                           silent.getsockname()[1]],
                              catalog=SERVERS.catalog, timeout=0.2, tries=1)
            report = c.check("192.0.2.99")
        finally:
            silent.close()
        for r in report["results"]:
            self.assertEqual(r["status"], "ERROR", r)
        self.assertFalse(report["summary"]["listed"])
        self.assertEqual(report["summary"]["answered"], 0)
        self.assertEqual(report["summary"]["errors"], 3)

    def test_refused_code_is_refused(self):
        r = seen(checker().check("192.0.2.200"))["refusing.test"]
        self.assertEqual(r, ("REFUSED", ["127.255.255.254"]))

    @unittest.skipUnless(FAULT_PROXY, "needs DNSBL_FAULT_PROXY")
    def test_lying_path_is_not_not_listed(self):
        proxy = subprocess.Popen(
            [FAULT_PROXY, f"--upstream_port={SERVERS.port}",
             "--lie_zones=relays.test", "--max_runtime=60s"],
            stdout=subprocess.PIPE, text=True)
        try:
            endpoint = proxy.stdout.readline().strip()
            c = dnsbl.Checker(nameservers=[endpoint],
                              catalog=SERVERS.catalog)
            for address in ["192.0.2.3", "10.9.0.1"]:
                report = c.check(address)
                relays = seen(report)["relays.test"]
                # Listed in truth; the liar says NXDOMAIN: never NOT_LISTED.
                self.assertNotEqual(relays[0], "NOT_LISTED", report)
                self.assertNotEqual(relays[0], "LISTED", report)
                # NXDOMAIN for the zone's own name too: the zone "does not
                # exist" on this path, and its answers are not used.
                self.assertEqual(report["results"][0]["health"],
                                 "NO_SUCH_ZONE")
                # The zones the liar leaves alone still answer truly.
                self.assertEqual(seen(report)["proxies.test"],
                                 truth(address)["proxies.test"])
        finally:
            proxy.terminate()
            proxy.wait()


class BulkTest(unittest.TestCase):

    def test_bulk_over_a_generator_matches_truth(self):
        def addresses():
            yield "192.0.2.0/28"      # 16 addresses.
            yield "not an address"
            yield ipaddress.ip_address("10.9.0.5")  # str() of anything.
            for i in range(100, 140):
                yield f"192.0.2.{i}"
            yield b"192.0.2.200"      # bytes too.
            yield "192.0.2.3"         # Already reported: skipped.
        run = dnsbl.bulk(addresses(), nameservers=[SERVERS.endpoint],
                         catalog=SERVERS.catalog, txt=False)
        reports = list(run)
        self.assertEqual(len(reports), 16 + 1 + 40 + 1)
        self.assertEqual(len({r["address"] for r in reports}), len(reports))
        for r in reports:
            self.assertEqual(seen(r), truth(r["address"]), r["address"])
        self.assertEqual(len(run.input_errors), 1)
        line, text, why = run.input_errors[0]
        self.assertEqual(line, 2)
        self.assertIn("not an address", text)
        self.assertTrue(why)
        summary = run.summary
        self.assertTrue(summary["done"])
        self.assertEqual(summary["reports"], len(reports))
        self.assertEqual(summary["input_errors"], 1)

    def test_listed_only_yields_findings_only(self):
        addresses = [f"192.0.2.{i}" for i in range(0, 256)]
        run = dnsbl.bulk(addresses, nameservers=[SERVERS.endpoint],
                         catalog=SERVERS.catalog, txt=False, listed_only=True)
        reports = list(run)
        expected = {}
        for a in addresses:
            findings = {z: v for z, v in truth(a).items()
                        if v[0] != "NOT_LISTED"}
            if findings:
                expected[a] = findings
        self.assertTrue(expected)
        self.assertEqual({r["address"]: seen(r) for r in reports}, expected)
        for r in reports:
            # The summary still counts every zone asked.
            self.assertEqual(r["summary"]["asked"], 3, r)
        self.assertEqual(run.summary["clean"], 256 - len(expected))
        self.assertEqual(run.summary["reports"], 256)

    def test_bulk_from_local_data_on_two_threads(self):
        # The zone files rbldnsd serves, read directly: same truth, no DNS.
        zone_data = [f"{z}.test:ip4set:{os.path.join(SERVERS.dir, z)}.zone"
                     for z in ("relays", "proxies", "refusing")]
        addresses = [f"192.0.2.{i}" for i in range(256)]
        for listed_only in (False, True):
            run = dnsbl.bulk(addresses, catalog=SERVERS.catalog, txt=False,
                             zone_data=zone_data, threads=2,
                             listed_only=listed_only)
            reports = list(run)
            for r in reports:
                self.assertEqual(r["resolution"], "LOCAL", r)
                want = {z: v for z, v in truth(r["address"]).items()
                        if not listed_only or v[0] != "NOT_LISTED"}
                self.assertEqual(seen(r), want, r["address"])
            self.assertEqual(run.summary["reports"], 256)
            self.assertEqual(len(reports) + run.summary["clean"], 256)
            if not listed_only:
                self.assertEqual(len(reports), 256)

    def test_strict_raises_at_the_first_bad_item(self):
        run = dnsbl.bulk(["192.0.2.1", "192.0.2.999", "192.0.2.2"],
                         nameservers=[SERVERS.endpoint],
                         catalog=SERVERS.catalog, strict=True)
        with self.assertRaises(dnsbl.InvalidArgumentError) as e:
            list(run)
        self.assertIn("192.0.2.999", str(e.exception))

    def test_an_iterator_that_raises_stops_the_run_with_its_error(self):
        def broken():
            yield "192.0.2.1"
            raise KeyError("input went away")
        with self.assertRaises(KeyError):
            list(dnsbl.bulk(broken(), nameservers=[SERVERS.endpoint],
                            catalog=SERVERS.catalog))

    def test_stopping_early_reads_no_more_input(self):
        taken = []

        def endless():
            i = 0
            while True:
                taken.append(i)
                yield str(ipaddress.ip_address("10.0.0.0") + i)
                i += 1
        run = dnsbl.bulk(endless(), nameservers=[SERVERS.endpoint],
                         catalog=SERVERS.catalog, txt=False)
        first = [next(run) for _ in range(5)]
        self.assertEqual(len(first), 5)
        del run  # Joins the run: questions in flight finish, input stops.
        before = len(taken)
        time.sleep(0.2)
        self.assertEqual(len(taken), before)

    def test_bad_options_raise_before_running(self):
        with self.assertRaises(dnsbl.InvalidArgumentError):
            dnsbl.bulk([], nameservers=[SERVERS.endpoint], shard="5/4")
        with self.assertRaises(dnsbl.InvalidArgumentError):
            dnsbl.bulk([], nameservers=[SERVERS.endpoint], output="x")


class ConcurrencyTest(unittest.TestCase):

    def test_check_async_many_at_once(self):
        c = checker(txt=False)
        addresses = [str(a) for a in RELAYS[:30]] + ["192.0.2.150"]

        async def main():
            ok = await asyncio.gather(*(c.check_async(a) for a in addresses))
            with self.assertRaises(dnsbl.InvalidArgumentError):
                await c.check_async("192.0.2.x")
            return ok
        reports = asyncio.run(main())
        self.assertEqual([r["address"] for r in reports], addresses)
        for r in reports:
            self.assertEqual(seen(r), truth(r["address"]))

    def test_gil_is_released_while_waiting_for_the_network(self):
        silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        silent.bind(("127.0.0.1", 0))
        c = dnsbl.Checker(nameservers=["127.0.0.1:%d" %
                                       silent.getsockname()[1]],
                          catalog=SERVERS.catalog, timeout=0.5, tries=1,
                          health_check=False)
        ticks = []
        done = threading.Event()

        def count():
            while not done.is_set():
                ticks.append(1)
                time.sleep(0.01)
        t = threading.Thread(target=count)
        t.start()
        try:
            c.check("192.0.2.1")  # Waits 0.5 s for a server that is silent.
        finally:
            done.set()
            t.join()
            silent.close()
        self.assertGreater(len(ticks), 20)


if __name__ == "__main__":
    unittest.main(verbosity=2)

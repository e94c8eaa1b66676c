"""Checks IP addresses against DNS blocklists and prints a verdict for each,
with the evidence an abuse desk quotes: each zone's codes, their meanings
and the zone's own TXT reason.

usage: check_addresses.py --nameserver=ADDR[:PORT] [--catalog=FILE]
                          [--bulk] ADDRESS...

With --bulk, the addresses go through dnsbl.bulk() (reports as they
finish, the window adapting to the servers); otherwise through one
Checker's check_many(). Exit status: 0 when no address is listed, 1 when
some is, 3 when some verdict is incomplete (a zone gave no answer: never
read that as "not listed"), 2 for bad input.

Type-checked with `mypy --strict` against the installed package (its stub
and dnsbl.reports' TypedDicts) in .ci/run.
"""

import argparse
import sys
from typing import Iterable, List, Optional

import dnsbl


def evidence(result: dnsbl.ZoneResult) -> str:
    """One line of what a zone said: codes with meanings, TXT reason."""
    codes = ", ".join(
        f"{code} ({meaning})" if meaning else code
        for code, meaning in zip(result["codes"], result["meanings"]))
    line = f"  {result['zone']}: {codes}"
    if result["txt"]:
        line += f' "{result["txt"][0]}"'
    if result["lookup_url"]:
        line += f" <{result['lookup_url']}>"
    return line


def verdict(report: dnsbl.Report) -> str:
    """The verdict of one report and its evidence, as lines of text."""
    summary: Optional[dnsbl.Summary] = report.get("summary")
    errors = [r for r in report["results"] if r["status"] in ("ERROR", "REFUSED")]
    lines: List[str] = []
    if summary is not None and summary["listed"]:
        claims: List[dnsbl.Category] = summary["categories"]
        lines.append(f"{report['address']}: LISTED by "
                     f"{len(summary['listed_by'])} zone(s) as "
                     f"{', '.join(claims) or 'OTHER'}")
        lines.extend(evidence(r) for r in report["results"]
                     if r["status"] == "LISTED")
    elif errors:
        lines.append(f"{report['address']}: INCOMPLETE, {len(errors)} zone(s) "
                     "gave no usable answer (not a clean result)")
    else:
        lines.append(f"{report['address']}: not listed")
    lines.extend(f"  {r['zone']}: {r['status']} ({r['detail']})" for r in errors)
    return "\n".join(lines)


def exit_status(reports: Iterable[dnsbl.Report]) -> int:
    status = 0
    for report in reports:
        print(verdict(report))
        summary = report.get("summary")
        if summary is not None and summary["listed"]:
            status = max(status, 1)
        elif any(r["status"] in ("ERROR", "REFUSED") for r in report["results"]):
            status = 3
    return status


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nameserver", action="append", default=[])
    parser.add_argument("--catalog")
    parser.add_argument("--bulk", action="store_true")
    parser.add_argument("addresses", nargs="+")
    args = parser.parse_args(argv)
    try:
        if args.bulk:
            run = dnsbl.bulk(args.addresses, nameservers=args.nameserver,
                             catalog=args.catalog, strict=True)
            status = exit_status(run)
            summary: dnsbl.BulkSummary = run.summary
            print(f"{summary.get('reports', 0)} report(s), "
                  f"{summary.get('questions', 0)} DNS question(s)",
                  file=sys.stderr)
            return status
        checker = dnsbl.Checker(nameservers=args.nameserver,
                                catalog=args.catalog)
        return exit_status(checker.check_many(args.addresses))
    except dnsbl.InvalidArgumentError as e:
        print(f"check_addresses: {e.message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""dnsbl: ask many DNS blocklists at once whether an IP address is listed.

Python bindings of the dnsbl C++ library. Reports are dicts in the
protobuf JSON mapping of proto/dnsbl.proto (package dnsbl.v1; field names
as in the .proto, every field present), exactly what
`dnsbl check --format=json` prints. The safety rules are the library's: a
zone that did not answer is status "ERROR", never "NOT_LISTED"; a
blocklist's refusal code is "REFUSED"; a path that lies (NXDOMAIN for a
whole zone) gives the zone a health of NO_SUCH_ZONE or DEAD and its
answers are not used (status "SKIPPED", error "UNHEALTHY_ZONE").

Example:

    import dnsbl

    checker = dnsbl.Checker(nameservers=["127.0.0.1:5353"])
    report = checker.check("192.0.2.7")
    print(report["summary"]["listed"], report["summary"]["listed_by"])

    for report in dnsbl.bulk(open("addresses.txt"), nameservers=[...]):
        ...

    reports = await asyncio.gather(*(checker.check_async(a) for a in addrs))

Options are keyword arguments of Checker, bulk and zones (None means the
default): the options of the dnsbl command, from the same table, so each
has the same meaning, with Python's spelling where it differs
(nameservers, keys={name: key}, timeout in seconds). dnsbl.options() lists
them with their help and defaults; docs/options.md is their reference.
Checker adapts its window by default (adaptive_window=True), so
check_many and asyncio rounds keep zones' rate limits and back off when
questions are lost.

Errors are raised as dnsbl.Error (with .code, the canonical status code
name, and .message); InvalidArgumentError (bad input: also a ValueError)
and NotFoundError (also a LookupError) are its subclasses.
"""

import asyncio

__all__ = [
    "Checker",
    "Error",
    "InvalidArgumentError",
    "NotFoundError",
    "bulk",
    "options",
    "version",
    "zones",
]


class Error(Exception):
    """A dnsbl error: `code` is the status code's name (e.g.
    "INVALID_ARGUMENT", "UNAVAILABLE"), `message` says what is wrong."""

    def __init__(self, code, message):
        super().__init__(code, message)
        self.code = code
        self.message = message

    def __str__(self):
        return f"{self.code}: {self.message}"


class InvalidArgumentError(Error, ValueError):
    """Bad input: an address, option or file that is not what it should be."""


class NotFoundError(Error, LookupError):
    """Something named does not exist: a file, a zone."""


_BY_CODE = {
    "INVALID_ARGUMENT": InvalidArgumentError,
    "NOT_FOUND": NotFoundError,
}


def _make_error(code, message):
    # Called by the extension module to build what it raises.
    return _BY_CODE.get(code, Error)(code, message)


from dnsbl import _dnsbl  # noqa: E402  (needs _make_error defined)

version = _dnsbl.version


class Checker:
    """Checks addresses against the catalog's blocklists.

    Thread-safe: calls from several threads run one at a time. The GIL is
    released while DNS questions are out, so other threads and an asyncio
    loop keep running.
    """

    def __init__(self, **options):
        self._core = _dnsbl.Checker(**options)
        self._waiting = []
        self._runner = None

    @property
    def resolver(self):
        """The nameservers asked, as reports name them."""
        return self._core.resolver

    @property
    def resolution(self):
        """How answers are reached: "recursive" or "direct"."""
        return self._core.resolution

    @property
    def warnings(self):
        """Advice from setting up (why automatic resolution chose
        recursive, a damaged delegation cache), one sentence each."""
        return self._core.warnings

    def check(self, address):
        """Returns the report (a dict) of one IP address, after every zone
        answered or timed out. Raises InvalidArgumentError for text that is
        not an IP address."""
        return self._core.check(address)

    def check_many(self, addresses):
        """Checks every address at once and returns their reports in the
        same order. Raises InvalidArgumentError naming the first item that
        is not an IP address, before asking anything."""
        return self._core.check_each([str(a) for a in addresses], True)

    async def check_async(self, address):
        """Awaits the report of one IP address without blocking the loop.

        Checks awaited together are asked together: each round takes every
        address waiting and checks them at once on a worker thread."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._waiting.append((str(address), future))
        if self._runner is None or self._runner.done():
            self._runner = loop.create_task(self._run_rounds())
        return await future

    async def _run_rounds(self):
        loop = asyncio.get_running_loop()
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                results = await loop.run_in_executor(
                    None, self._core.check_each, [a for a, _ in batch])
            except BaseException as e:  # Every waiter learns of it.
                for _, future in batch:
                    if not future.done():
                        future.set_exception(e)
                if isinstance(e, asyncio.CancelledError):
                    raise
                continue
            for (_, future), result in zip(batch, results):
                if future.done():
                    continue  # Cancelled by its caller.
                if isinstance(result, Error):
                    future.set_exception(result)
                else:
                    future.set_result(result)

    def health(self):
        """Probes every zone (RFC 5782 test points, the zone's own name)
        and returns the health report (a dict)."""
        return self._core.health()


def bulk(addresses, **options):
    """Checks every address and network (CIDR) of an iterable, as
    `dnsbl bulk` does: each report (a dict) is yielded as soon as its last
    zone answered, in that order, not the input's; memory does not grow
    with the input; the window adapts to the servers.

    Items that are not addresses are skipped and listed in the returned
    iterator's `input_errors` as (item number, text, why); with
    strict=True the first one stops the run (after the questions in flight)
    and raises InvalidArgumentError. With listed_only=True only the reports
    of addresses some zone lists or whose verdict is incomplete are yielded,
    each with only those zones' results; `summary["clean"]` counts the rest.
    The iterator's `summary` says how the run went. Stopping iteration early
    lets the questions in flight finish and reads no further input."""
    return _dnsbl.Bulk(addresses, **options)


def options():
    """Returns every option Checker, bulk and zones take: dicts with its
    name, help, default and the entry points that take it (used_by)."""
    return _dnsbl.options()


def zones(**options):
    """Returns the catalog's zones (dicts of dnsbl.v1.Zone): the built-in
    catalog, or the one given by catalog= or catalog_text=; zones= picks
    some by name."""
    return _dnsbl.zones(**options)

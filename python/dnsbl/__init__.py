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

Typed: the package carries py.typed and a stub (dnsbl/__init__.pyi) whose
keyword parameters are the options' table; the dicts' shapes are the
TypedDicts of dnsbl.reports (Report, HealthReport, Zone, ...), made from
proto/dnsbl.proto, and are also importable from dnsbl itself.

Errors are raised as dnsbl.Error (with .code, the canonical status code
name, and .message); InvalidArgumentError (bad input: also a ValueError)
and NotFoundError (also a LookupError) are its subclasses.
"""

import asyncio
from typing import (Any, Iterable, Iterator, List, Optional, Tuple,
                    TypedDict, cast)

from dnsbl._doc import with_options as _with_options
from dnsbl.reports import (Category, ErrorKind, HealthReport, HealthState,
                           Report, Resolution, Status, Summary, Zone,
                           ZoneHealth, ZoneResult)

__all__ = [
    "BulkRun",
    "BulkSummary",
    "Category",
    "Checker",
    "Error",
    "ErrorKind",
    "HealthReport",
    "HealthState",
    "InvalidArgumentError",
    "NotFoundError",
    "OptionInfo",
    "Report",
    "Resolution",
    "Status",
    "Summary",
    "Zone",
    "ZoneHealth",
    "ZoneResult",
    "bulk",
    "options",
    "version",
    "zones",
]


class Error(Exception):
    """A dnsbl error: `code` is the status code's name (e.g.
    "INVALID_ARGUMENT", "UNAVAILABLE"), `message` says what is wrong."""

    code: str
    message: str

    def __init__(self, code: str, message: str) -> None:
        """Makes the error of status `code` (its name) saying `message`."""
        super().__init__(code, message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        """Returns "CODE: message"."""
        return f"{self.code}: {self.message}"


class InvalidArgumentError(Error, ValueError):
    """Bad input: an address, option or file that is not what it should be."""


class NotFoundError(Error, LookupError):
    """Something named does not exist: a file, a zone."""


_BY_CODE = {
    "INVALID_ARGUMENT": InvalidArgumentError,
    "NOT_FOUND": NotFoundError,
}


def _make_error(code: str, message: str) -> Error:
    # Called by the extension module to build what it raises.
    return _BY_CODE.get(code, Error)(code, message)


from dnsbl import _dnsbl  # noqa: E402  (needs _make_error defined)

version: str = _dnsbl.version
"""The library's version, as `dnsbl --version` prints it."""


class OptionInfo(TypedDict):
    """One option, as dnsbl.options() lists it."""

    name: str
    type: str  # Its values' annotation, e.g. "str | Iterable[str]".
    help: str
    default: str  # As help shows it; "" when it means nothing given.
    used_by: List[str]  # "Checker", "zones", "bulk".


class BulkSummary(TypedDict, total=False):
    """How a bulk run went: "done" always; the rest once it ended well."""

    done: bool
    reports: int  # Reports made (handed over or counted as clean).
    listed: int  # Addresses some zone lists.
    incomplete: int  # Addresses some zone gave no answer about.
    clean: int  # With listed_only=True: reports not handed over.
    input_errors: int
    other_shards: int  # Items left to the other shards.
    questions: int  # DNS questions sent.
    seconds: float
    interrupted: bool
    errors: int  # Zone answers that were errors.


class Checker:
    """Checks addresses against the catalog's blocklists.

    Thread-safe: calls from several threads run one at a time. The GIL is
    released while DNS questions are out, so other threads and an asyncio
    loop keep running.
    """

    def __init__(self, **options: Any) -> None:
        """Makes a Checker: reads the catalog and local zone data, and
        finds how to reach the blocklists. Raises InvalidArgumentError
        naming an unknown option or a bad value, NotFoundError for a file
        that is not there."""
        self._core = _dnsbl.Checker(**options)
        self._waiting: List[Tuple[str, "asyncio.Future[Report]"]] = []
        self._runner: Optional["asyncio.Task[None]"] = None

    @property
    def resolver(self) -> str:
        """The nameservers asked, as reports name them."""
        return cast(str, self._core.resolver)

    @property
    def resolution(self) -> str:
        """How answers are reached: "recursive" or "direct"."""
        return cast(str, self._core.resolution)

    @property
    def warnings(self) -> List[str]:
        """Advice from setting up (why automatic resolution chose
        recursive, a damaged delegation cache), one sentence each."""
        return cast(List[str], self._core.warnings)

    def check(self, address: str) -> Report:
        """Returns the report of one IP address, after every zone answered
        or timed out. Raises InvalidArgumentError for text that is not an
        IP address."""
        return cast(Report, self._core.check(address))

    def check_many(self, addresses: Iterable[object]) -> List[Report]:
        """Checks every address at once and returns their reports in the
        same order. Raises InvalidArgumentError naming the first item that
        is not an IP address, before asking anything."""
        return cast(List[Report],
                    self._core.check_each([str(a) for a in addresses], True))

    async def check_async(self, address: object) -> Report:
        """Awaits the report of one IP address without blocking the loop.

        Checks awaited together are asked together: each round takes every
        address waiting and checks them at once on a worker thread."""
        loop = asyncio.get_running_loop()
        future: "asyncio.Future[Report]" = loop.create_future()
        self._waiting.append((str(address), future))
        if self._runner is None or self._runner.done():
            self._runner = loop.create_task(self._run_rounds())
        return await future

    async def _run_rounds(self) -> None:
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

    def health(self) -> HealthReport:
        """Probes every zone (RFC 5782 test points, the zone's own name)
        and returns the health report."""
        return cast(HealthReport, self._core.health())


class BulkRun(Iterator[Report]):
    """The reports of a bulk run (see bulk()), as they finish.

    Not thread-safe: iterate from one thread. Dropping it before the end
    stops the run: the questions in flight finish, no more input is read.
    """

    def __init__(self, core: Any) -> None:
        """Wraps the extension module's run; made by bulk(), not by hand."""
        self._core = core

    def __iter__(self) -> "BulkRun":
        """Returns the run itself: it can be iterated once."""
        return self

    def __next__(self) -> Report:
        """Returns the next finished report, waiting for it; raises
        StopIteration at the end, or the run's error."""
        return cast(Report, next(self._core))

    @property
    def summary(self) -> BulkSummary:
        """How the run went so far (all of it once iteration stopped)."""
        return cast(BulkSummary, self._core.summary)

    @property
    def input_errors(self) -> List[Tuple[int, str, str]]:
        """The items that were not addresses: (item number, text, why)."""
        return cast(List[Tuple[int, str, str]], self._core.input_errors)


def bulk(addresses: Iterable[object], **options: Any) -> BulkRun:
    """Checks every address and network (CIDR) of an iterable, as
    `dnsbl bulk` does: each report is yielded as soon as its last zone
    answered, in that order, not the input's; memory does not grow with
    the input; the window adapts to the servers.

    Items that are not addresses are skipped and listed in the returned
    iterator's `input_errors` as (item number, text, why); with
    strict=True the first one stops the run (after the questions in flight)
    and raises InvalidArgumentError. With listed_only=True only the reports
    of addresses some zone lists or whose verdict is incomplete are yielded,
    each with only those zones' results; `summary["clean"]` counts the rest.
    The iterator's `summary` says how the run went. Stopping iteration early
    lets the questions in flight finish and reads no further input."""
    return BulkRun(_dnsbl.Bulk(addresses, **options))


def options() -> List[OptionInfo]:
    """Returns every option Checker, bulk and zones take, with its type,
    help, default and the entry points that take it (used_by)."""
    return cast(List[OptionInfo], _dnsbl.options())


def zones(**options: Any) -> List[Zone]:
    """Returns the catalog's zones: the built-in catalog, or the one given
    by catalog= or catalog_text=; zones= picks some by name."""
    return cast(List[Zone], _dnsbl.zones(**options))


# help() shows each entry point's options, from the same table.
Checker.__init__.__doc__ = _with_options(
    Checker.__init__.__doc__ or "", "Checker", options())
bulk.__doc__ = _with_options(bulk.__doc__ or "", "bulk", options())
zones.__doc__ = _with_options(zones.__doc__ or "", "zones", options())

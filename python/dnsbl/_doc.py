"""The options' part of the docstrings of Checker, bulk and zones.

Made from the options' table (dnsbl/tool_options.cc, the one the command's
flags and docs/options.md come from) at import, from dnsbl.options(), and
at build time into the stub dnsbl/__init__.pyi by python/make_stub.py, so
help() and an editor say the same.
"""

import inspect
import textwrap
from typing import Any, Iterable, Mapping

HEADING = "Options (keyword arguments; None keeps the default):"


def with_options(doc: str, entry_point: str,
                 options: Iterable[Mapping[str, Any]]) -> str:
    """Returns `doc` followed by the options `entry_point` ("Checker",
    "bulk" or "zones") takes: name, type, default and help of each."""
    lines = [inspect.cleandoc(doc), "", HEADING]
    for option in options:
        if entry_point not in option["used_by"]:
            continue
        default = option["default"] or "none"
        lines.append("")
        lines.append(f"{option['name']}: {option['type']} (default: {default})")
        lines.extend(textwrap.wrap(option["help"], width=72,
                                   initial_indent="    ",
                                   subsequent_indent="    "))
    return "\n".join(lines)

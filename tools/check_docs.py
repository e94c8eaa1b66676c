#!/usr/bin/env python3
"""Checks that what README.md and docs/*.md name exists.

- every relative Markdown link: the file or folder;
- every repository path (dnsbl/..., tests/..., bench/..., ...): the file
  or folder;
- every Bazel label (//pkg:name, //pkg): the package, and a rule or file
  of that name in it;
- every flag of the dnsbl command (--name, --noname): an option of the
  table (docs/options.md), unless it is another program's flag named in
  OTHER_FLAGS.

Prints each problem as FILE:LINE: what, and exits 1 if there is any.

  python3 tools/check_docs.py [REPOSITORY_ROOT]
"""

import os
import re
import sys

# Flags of other programs the documents show (Bazel, rbldnsd, unbound,
# dig, dnsperf, ...), which are not dnsbl's.
OTHER_FLAGS = {
    "config", "test_tag_filters", "test_output", "prefix", "help", "helpfull",
    "version", "quick", "bulk_only", "one_off_only", "hold", "runs",
    "cflags", "libs", "test_verbose_timeout_warnings", "modversion",
    "benchmark_filter", "benchmark_min_time", "nocache_test_results",
    "repository_cache", "jobs", "local_ram_resources", "user", "array",
    "wait", "time", "nodes", "ntasks", "cxxopt", "host_cxxopt",
    "proto_compiler", "proto_toolchain_for_cc", "wrap", "delete",
    "wheel", "dist",  # tools/install.sh's, beside "prefix".
    "repo_env",
}

PATH_ROOTS = ("dnsbl", "cli", "tests", "bench", "tools", "examples", "proto",
              "python", "docs", "third_party", ".ci")
# A path with a file name extension, or a folder written with its '/'.
PATH = re.compile(
    r"(?<![\w./$@-])((?:%s)/(?:[\w./+-]*\.[\w+]+|[\w./+-]*/))(?![\w/])" %
    "|".join(re.escape(r) for r in PATH_ROOTS))
LABEL = re.compile(r"(?<![\w/:])//([\w/.+-]*)(?::([\w./+-]+))?")
LINK = re.compile(r"\]\(([^)\s#]+)(?:#[^)]*)?\)")
FLAG = re.compile(r"(?<![\w-])--(no)?([a-z][a-z0-9_]+)(?![A-Z])")
RULE_NAME = re.compile(r'\bname\s*=\s*"([^"]+)"')


def options(root):
    text = open(os.path.join(root, "docs/options.md")).read()
    return set(re.findall(r"^## `--([a-z0-9_]+)", text, re.M))


def build_names(root, package):
    for name in ("BUILD.bazel", "BUILD"):
        path = os.path.join(root, package, name)
        if os.path.exists(path):
            return set(RULE_NAME.findall(open(path).read()))
    return None


def check(root):
    problems = []
    known = options(root)
    docs = ["README.md"] + sorted(
        os.path.join("docs", f) for f in os.listdir(os.path.join(root, "docs"))
        if f.endswith(".md"))
    for doc in docs:
        base = os.path.dirname(doc)
        for number, line in enumerate(open(os.path.join(root, doc)), 1):
            where = "%s:%d" % (doc, number)
            for target in LINK.findall(line):
                if re.match(r"[a-z]+:", target):
                    continue  # A URL.
                path = os.path.normpath(os.path.join(base, target))
                if not os.path.exists(os.path.join(root, path)):
                    problems.append("%s: link to %s: no such file" %
                                    (where, target))
            for path in PATH.findall(line):
                path = path.rstrip(".")
                if "*" in path or "<" in path or path.endswith(".pb.h"):
                    continue  # A pattern, a placeholder, a generated file.
                if not os.path.exists(os.path.join(root, path)):
                    problems.append("%s: %s: no such file" % (where, path))
            for package, name in LABEL.findall(line):
                if package.endswith("...") or package == "":
                    continue
                names = build_names(root, package)
                if names is None:
                    problems.append("%s: //%s: no such package" %
                                    (where, package))
                    continue
                name = name or os.path.basename(package)
                if name in ("all", "*"):
                    continue
                if name not in names and not os.path.exists(
                        os.path.join(root, package, name)):
                    problems.append("%s: //%s:%s: no such target" %
                                    (where, package, name))
            for negated, flag in FLAG.findall(line):
                if flag in known or flag in OTHER_FLAGS:
                    continue
                problems.append("%s: --%s%s: not an option of dnsbl" %
                                (where, negated, flag))
    return problems


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..")
    problems = check(root)
    for p in problems:
        print(p)
    if problems:
        print("check_docs: %d problem(s)" % len(problems))
        return 1
    print("check_docs: every path, label, link and flag the documents name "
          "exists")
    return 0


if __name__ == "__main__":
    sys.exit(main())

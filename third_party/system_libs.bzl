"""A repository of cc_library targets over Debian's system libraries.

Link flags come from pkg-config, because Debian's Abseil 20220623 splits into
dozens of small libraries whose link order a hand-written list gets wrong.
"""

# target name -> pkg-config modules (plus extra flags where no .pc exists).
_LIBS = {
    "absl": [
        "absl_any_invocable",
        "absl_btree",
        "absl_flat_hash_map",
        "absl_flat_hash_set",
        "absl_flags",
        "absl_flags_parse",
        "absl_flags_reflection",
        "absl_flags_usage",
        "absl_function_ref",
        "absl_random_random",
        "absl_span",
        "absl_status",
        "absl_statusor",
        "absl_str_format",
        "absl_strings",
        "absl_synchronization",
        "absl_time",
        "absl_int128",
    ],
    "cares": ["libcares"],
    "unbound": ["libunbound"],
    "curl": ["libcurl"],
    # Only `dnsbl serve` (dnsbl/serve), not the library dnsbl.pc describes.
    "microhttpd": ["libmicrohttpd"],
    "protobuf": ["protobuf"],
    "gtest": ["gtest", "gmock"],
    "gtest_main": ["gtest_main", "gmock"],
    "benchmark": ["benchmark"],
    # Only for tests that embed an interpreter (python/proto_dict_test).
    "python_embed": ["python3-embed"],
}

# The pkg-config modules the library itself needs (not its tests or
# benchmarks): the installed dnsbl.pc requires these (tools/install.sh).
LIBRARY_MODULES = _LIBS["protobuf"] + _LIBS["cares"] + _LIBS["unbound"] + _LIBS["curl"] + [
    m
    for m in _LIBS["absl"]
    if not m.startswith("absl_flags")  # Only the command line parses flags.
]

_EXTRA = {
    "benchmark_main": ["-lbenchmark_main", "-lbenchmark", "-lpthread"],
}

def _pkg_config(ctx, modules):
    result = ctx.execute(["pkg-config", "--libs"] + modules)
    if result.return_code != 0:
        fail("pkg-config --libs %s failed (run tools/install-deps.sh): %s" %
             (" ".join(modules), result.stderr))
    return result.stdout.strip().split(" ")

def _system_libs_impl(ctx):
    lines = ['package(default_visibility = ["//visibility:public"])', ""]
    for name, modules in _LIBS.items():
        lines.append("cc_library(name = %r, linkopts = %r)" %
                     (name, _pkg_config(ctx, modules)))
    for name, flags in _EXTRA.items():
        lines.append("cc_library(name = %r, linkopts = %r)" % (name, flags))
    ctx.file("WORKSPACE", "workspace(name = %r)\n" % ctx.name)
    ctx.file("BUILD.bazel", "\n".join(lines) + "\n")

system_libs = repository_rule(
    implementation = _system_libs_impl,
    local = True,
)

def _python_headers_impl(ctx):
    # The headers of the interpreter the extension module is built for:
    # DNSBL_PYTHON_INCLUDE (tools/install.sh --wheel passes the include
    # directory of PYTHON's interpreter: every venv of one interpreter
    # shares it, so their builds share Bazel's cache), else Debian's
    # python3's. A symlink, as cc_library includes must lie inside the
    # repository. Extension modules do not link libpython; the interpreter
    # provides its symbols.
    chosen = ctx.os.environ.get("DNSBL_PYTHON_INCLUDE", "")
    if chosen:
        include_dirs = [chosen]
    else:
        found = ctx.execute(["pkg-config", "--cflags-only-I", "python3"])
        if found.return_code != 0:
            fail("pkg-config --cflags python3 failed (run tools/install-deps.sh): " +
                 found.stderr)
        include_dirs = [f[len("-I"):] for f in found.stdout.strip().split(" ")
                        if f.startswith("-I")]
    if not [p for p in include_dirs if ctx.path(p + "/Python.h").exists]:
        fail("no Python.h in %s: the interpreter's headers are missing " %
             include_dirs + "(Debian: python3-dev; pyenv builds have them)")
    dirs = []
    for path in include_dirs:
        dirs.append("include%d" % len(dirs))
        ctx.symlink(path, dirs[-1])
    ctx.file("WORKSPACE", "workspace(name = %r)\n" % ctx.name)
    ctx.file("BUILD.bazel", "\n".join([
        'package(default_visibility = ["//visibility:public"])',
        "cc_library(name = \"headers\", hdrs = glob(%r), includes = %r)" %
        (["%s/**/*.h" % d for d in dirs], dirs),
    ]) + "\n")

python_headers = repository_rule(
    implementation = _python_headers_impl,
    environ = ["DNSBL_PYTHON_INCLUDE"],
    local = True,
)

"""Build macros for tests that start a real DNS server."""

def rbldnsd_test(name, srcs, deps = [], data = [], size = "medium", tags = []):
    """A cc_test that starts rbldnsd (tests/rbldnsd_server.h).

    Runs outside Bazel's sandbox: rbldnsd drops root privileges with
    setuid(), which the sandbox (a user namespace) forbids.

    Args:
      name: the test's name.
      srcs: its sources.
      deps: dependencies beyond rbldnsd_server, Abseil and gtest_main.
      data: files it needs at run time.
      size: the Bazel test size.
      tags: tags beyond "no-sandbox".
    """
    native.cc_test(
        name = name,
        size = size,
        srcs = srcs,
        data = data,
        tags = ["no-sandbox"] + tags,
        deps = [
            ":rbldnsd_server",
            "@dnsbl_system//:absl",
            "@dnsbl_system//:gtest_main",
        ] + deps,
    )

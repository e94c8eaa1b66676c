"""The project's reference data from outside the repository.

Real data captured by others (rbldnsd data files of public blocklists, RDAP
answers of the registries) lives in ../shared/real-data beside the checkout
(CI puts it there), never copied into the project. This repository rule
makes it @dnsbl_real_data//:files for tests. Without it, the filegroup is
empty and MISSING says so, so tests fail with a reason rather than the
build with a path error.
"""

def _real_data_impl(ctx):
    workspace = ctx.path(Label("//:WORKSPACE")).dirname
    source = workspace.dirname.get_child("shared").get_child("real-data")
    if source.exists:
        for child in source.readdir():
            ctx.symlink(child, child.basename)
        ctx.file("MISSING", "")
    else:
        ctx.file("MISSING", "%s does not exist: the real-data tests need " %
                            source + "../shared/real-data beside the checkout\n")
    ctx.file("WORKSPACE", "workspace(name = %r)\n" % ctx.name)
    ctx.file("BUILD.bazel", """package(default_visibility = ["//visibility:public"])

filegroup(
    name = "files",
    srcs = glob(["**"], exclude = ["WORKSPACE", "BUILD.bazel"]),
)
""")

real_data = repository_rule(
    implementation = _real_data_impl,
    local = True,
)

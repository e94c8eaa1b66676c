"""dnsbl's external repositories, for dnsbl's own WORKSPACE and for others'.

dnsbl builds offline against Debian's packages (tools/install-deps.sh), so
everything here is local: the system libraries through pkg-config, the
well-known .proto files of libprotobuf-dev, and local copies of the rule
repositories Bazel 4.2.3 would otherwise download.

Example (another workspace's WORKSPACE):

    local_repository(name = "dnsbl", path = "/src/dnsbl")
    load("@dnsbl//:repositories.bzl", "dnsbl_dependencies")
    dnsbl_dependencies()

and in its .bazelrc (protobuf's toolchain is chosen by flags in Bazel 4):

    build --cxxopt=-std=c++17 --host_cxxopt=-std=c++17
    build --proto_compiler=@dnsbl//third_party/protobuf:protoc
    build --proto_toolchain_for_cc=@dnsbl//third_party/protobuf:cc_toolchain

then depend on "@dnsbl//dnsbl" and include "dnsbl/dnsbl.h".
"""

load("//third_party:system_libs.bzl", "python_headers", "system_libs")

def _dnsbl_directory_impl(ctx):
    # A directory of the dnsbl repository, wherever that repository is:
    # local_repository() paths are relative to the *main* workspace, so a
    # macro called from another workspace cannot name them.
    source = ctx.path(ctx.attr.marker).dirname
    for child in source.readdir():
        ctx.symlink(child, child.basename)

_dnsbl_directory = repository_rule(
    implementation = _dnsbl_directory_impl,
    attrs = {"marker": attr.label(allow_single_file = True)},
    local = True,
)

def _maybe(rule, name, **kwargs):
    if name not in native.existing_rules():
        rule(name = name, **kwargs)

def dnsbl_dependencies():
    """Declares every repository dnsbl's targets need.

    The rule repositories (rules_cc, rules_java, platforms,
    remote_coverage_tools) are always declared: Bazel predeclares them as
    downloads, and this machine has no internet. dnsbl's own repositories
    (dnsbl_system, dnsbl_python, dnsbl_system_protos) are declared unless the workspace
    declared them first.
    """
    _dnsbl_directory(
        name = "rules_cc",
        marker = Label("//third_party/rules_cc:WORKSPACE"),
    )
    native.local_repository(
        name = "rules_java",
        path = "/usr/share/bazel/rules/java",
    )
    _dnsbl_directory(
        name = "remote_coverage_tools",
        marker = Label("//third_party/remote_coverage_tools:WORKSPACE"),
    )
    native.local_repository(
        name = "platforms",
        path = "/usr/share/bazel/tools/platforms",
    )

    # C++ libraries from Debian, with link flags taken from pkg-config.
    _maybe(system_libs, name = "dnsbl_system")
    _maybe(python_headers, name = "dnsbl_python")

    # google/protobuf/*.proto from libprotobuf-dev, so dnsbl's schema can
    # import timestamp.proto; their C++ code comes from the system
    # libprotobuf.
    _maybe(
        native.new_local_repository,
        name = "dnsbl_system_protos",
        build_file = str(Label("//third_party:system_protos.BUILD")),
        path = "/usr/include",
    )

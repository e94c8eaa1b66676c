"""cc_archive: one static library holding a cc_library and everything of
this repository it depends on, for installing (tools/install.sh).

Bazel 4.2.3 has no cc_static_library. System libraries (@dnsbl_system) are
link flags, not archives, so they stay out; the installed dnsbl.pc declares
them instead.
"""

def _cc_archive_impl(ctx):
    objects = []
    for linker_input in ctx.attr.dep[CcInfo].linking_context.linker_inputs.to_list():
        for library in linker_input.libraries:
            # Position-independent objects, so the same archive also makes
            # the shared library.
            objects.extend(library.pic_objects or library.objects)
    if not objects:
        fail("%s: no object files (build with --force_pic)" % ctx.label)
    out = ctx.actions.declare_file("lib%s.a" % ctx.attr.library_name)
    args = ctx.actions.args()
    args.add("rcsD")  # D: deterministic (no timestamps or owners).
    args.add(out)
    args.add_all(objects)
    ctx.actions.run(
        executable = "/usr/bin/ar",
        arguments = [args],
        inputs = objects,
        outputs = [out],
        mnemonic = "CcArchive",
        progress_message = "Archiving %s" % out.short_path,
    )
    return [DefaultInfo(files = depset([out]))]

cc_archive = rule(
    implementation = _cc_archive_impl,
    attrs = {
        "dep": attr.label(providers = [CcInfo], mandatory = True),
        "library_name": attr.string(mandatory = True),
    },
)

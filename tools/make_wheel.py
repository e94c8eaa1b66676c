"""Makes dnsbl's wheel (PEP 427) from the built package, as a manylinux
wheel is made: the shared libraries the extension module needs beyond the
few every Linux has are copied into the wheel (dnsbl.libs/, renamed with
a hash of their content so they never clash with a copy loaded from
elsewhere), the extension module and each copy are made to find them
there (patchelf), and the result is audited before it is written.

usage: make_wheel.py --python=PYTHON --version=VERSION --package=DIR
                     --readme=FILE --dist=DIR

DIR holds the package as built: dnsbl/*.py, *.pyi, py.typed and
_dnsbl.so. The extension module is renamed with PYTHON's EXT_SUFFIX (so
another interpreter refuses it by name), and the wheel's tags are
PYTHON's (cpXY-cpXY) and the platform the audit proves:
manylinux_2_N_ARCH, N the newest glibc symbol version any of the wheel's
libraries needs. Prints the wheel's path. Stdlib, readelf (binutils) and
patchelf only.
"""

import argparse
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from typing import Dict, List, Set, Tuple

# The libraries a manylinux wheel may take from the system: glibc's, the
# C++ runtime and the loader (PEP 600 leaves the list to auditwheel's
# policies; these are the ones every policy allows that dnsbl can need).
SYSTEM_LIBRARIES = {
    "libc.so.6", "libm.so.6", "libdl.so.2", "librt.so.1",
    "libpthread.so.0", "libresolv.so.2", "libutil.so.1", "libnsl.so.1",
    "libgcc_s.so.1", "libstdc++.so.6", "ld-linux-x86-64.so.2",
    "ld-linux-aarch64.so.1", "linux-vdso.so.1",
}

# Fixed times make the same inputs give the same wheel, byte for byte.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class AuditError(Exception):
    pass


def interpreter_facts(python: str) -> Dict[str, str]:
    code = ("import json, sys, sysconfig; print(json.dumps({"
            "'impl': sys.implementation.name, "
            "'version': '%d%d' % sys.version_info[:2], "
            "'dotted': '%d.%d' % sys.version_info[:2], "
            "'abiflags': getattr(sys, 'abiflags', ''), "
            "'ext_suffix': sysconfig.get_config_var('EXT_SUFFIX'), "
            "'platform': sysconfig.get_platform()}))")
    out = subprocess.run([python, "-c", code], check=True,
                         capture_output=True, text=True).stdout
    facts: Dict[str, str] = json.loads(out)
    return facts


def needed(path: str) -> List[str]:
    out = subprocess.run(["patchelf", "--print-needed", path], check=True,
                         capture_output=True, text=True).stdout
    return out.split()


def resolved_libraries(path: str) -> Dict[str, str]:
    """Every library `path` loads, directly or not: soname -> file."""
    out = subprocess.run(["ldd", path], check=True, capture_output=True,
                         text=True).stdout
    found = {}
    for line in out.splitlines():
        match = re.match(r"\s*(\S+) => (\S+) \(0x", line)
        if match:
            found[match.group(1)] = match.group(2)
        elif "not found" in line:
            raise AuditError(f"{path} needs {line.split()[0]}, not found")
    return found


def glibc_versions(path: str) -> Set[Tuple[int, int]]:
    """The GLIBC_x.y versions `path` needs (its version-needs section)."""
    out = subprocess.run(["readelf", "-V", "--wide", path], check=True,
                         capture_output=True, text=True).stdout
    return {(int(a), int(b))
            for a, b in re.findall(r"Name: GLIBC_(\d+)\.(\d+)", out)}


def bundled_name(soname: str, data: bytes) -> str:
    """libfoo.so.1 -> libfoo-1a2b3c4d.so.1, by the file's content."""
    digest = hashlib.sha256(data).hexdigest()[:8]
    stem, _, rest = soname.partition(".so")
    return f"{stem}-{digest}.so{rest}"


def bundle(extension: str, libs_dir: str) -> List[str]:
    """Copies what `extension` needs beyond SYSTEM_LIBRARIES into
    `libs_dir` and points every file at the copies. Returns their names."""
    renamed: Dict[str, str] = {}
    for soname, source in sorted(resolved_libraries(extension).items()):
        if soname in SYSTEM_LIBRARIES:
            continue
        with open(source, "rb") as f:
            data = f.read()
        renamed[soname] = bundled_name(soname, data)
        target = os.path.join(libs_dir, renamed[soname])
        with open(target, "wb") as f:
            f.write(data)
        os.chmod(target, 0o755)
    for soname, name in renamed.items():
        path = os.path.join(libs_dir, name)
        subprocess.run(["patchelf", "--set-soname", name, path], check=True)
        point_at(path, renamed, "$ORIGIN")
    point_at(extension, renamed, "$ORIGIN/../dnsbl.libs")
    return sorted(renamed.values())


def point_at(path: str, renamed: Dict[str, str], rpath: str) -> None:
    """Makes `path` load the renamed copies, found by `rpath`. (Separate
    patchelf runs: 0.14 drops --replace-needed given with --set-rpath.)"""
    replace = [a for old in needed(path) if old in renamed
               for a in ("--replace-needed", old, renamed[old])]
    if replace:
        subprocess.run(["patchelf", *replace, path], check=True)
    subprocess.run(["patchelf", "--set-rpath", rpath, path], check=True)


def audit(root: str, extension: str) -> Tuple[int, int]:
    """Checks the wheel's tree as auditwheel would: each library needs only
    what the wheel carries or SYSTEM_LIBRARIES, and the extension module,
    loaded, finds every carried one inside the tree. Returns the newest
    glibc version needed."""
    libs_dir = os.path.join(root, "dnsbl.libs")
    carried = set(os.listdir(libs_dir)) if os.path.isdir(libs_dir) else set()
    newest = (2, 0)
    for path in [extension] + [os.path.join(libs_dir, n) for n in carried]:
        for name in needed(path):
            if name not in carried and name not in SYSTEM_LIBRARIES:
                raise AuditError(
                    f"{os.path.relpath(path, root)} needs {name}, which is "
                    "neither in the wheel nor a system library")
        newest = max([newest, *glibc_versions(path)])
    for soname, found in resolved_libraries(extension).items():
        if soname in SYSTEM_LIBRARIES:
            continue
        if not os.path.realpath(found).startswith(os.path.realpath(root)):
            raise AuditError(f"the extension module loads {soname} from "
                             f"{found}, outside the wheel")
    return newest


def record_line(root: str, rel: str) -> str:
    with open(os.path.join(root, rel), "rb") as f:
        data = f.read()
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest())
    return f"{rel},sha256={digest.rstrip(b'=').decode()},{len(data)}"


def metadata(version: str, requires_python: str, readme: str) -> str:
    with open(readme, encoding="utf-8") as f:
        description = f.read()
    return "\n".join([
        "Metadata-Version: 2.1",
        "Name: dnsbl",
        f"Version: {version}",
        "Summary: Asks many DNS blocklists at once whether an IP address is "
        "listed, and merges their answers into one report",
        f"Requires-Python: {requires_python}",
        "Classifier: Programming Language :: Python :: 3",
        "Classifier: Programming Language :: C++",
        "Classifier: Operating System :: POSIX :: Linux",
        "Classifier: Topic :: Communications :: Email :: Filters",
        "Classifier: Topic :: Internet :: Name Service (DNS)",
        "Classifier: Typing :: Typed",
        "Description-Content-Type: text/markdown",
        "",
        description,
    ])


def write_wheel(root: str, path: str) -> None:
    files = sorted(os.path.relpath(os.path.join(d, f), root)
                   for d, _, names in os.walk(root) for f in names)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as wheel:
        # RECORD last, as PEP 427 recommends; the .dist-info after the rest.
        files.sort(key=lambda rel: (".dist-info/" in rel, rel.endswith("RECORD"), rel))
        for rel in files:
            info = zipfile.ZipInfo(rel, ZIP_TIME)
            mode = os.stat(os.path.join(root, rel)).st_mode & 0o777
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(os.path.join(root, rel), "rb") as f:
                wheel.writestr(info, f.read())


def make_wheel(args: argparse.Namespace) -> str:
    facts = interpreter_facts(args.python)
    if facts["impl"] != "cpython":
        raise AuditError(f"{args.python} is {facts['impl']}: the extension "
                         "module is CPython's")
    machine = facts["platform"].split("-", 1)[-1].replace("-", "_")
    with tempfile.TemporaryDirectory() as root:
        package = os.path.join(root, "dnsbl")
        os.makedirs(package)
        for name in sorted(os.listdir(os.path.join(args.package, "dnsbl"))):
            source = os.path.join(args.package, "dnsbl", name)
            target = name
            if name == "_dnsbl.so":
                target = "_dnsbl" + facts["ext_suffix"]
            elif not name.endswith((".py", ".pyi", ".typed")):
                continue
            shutil.copyfile(source, os.path.join(package, target))
            os.chmod(os.path.join(package, target),
                     0o755 if target.endswith(".so") else 0o644)
        extension = os.path.join(package, "_dnsbl" + facts["ext_suffix"])
        libs_dir = os.path.join(root, "dnsbl.libs")
        os.makedirs(libs_dir)
        carried = bundle(extension, libs_dir)
        major, minor = audit(root, extension)
        python_tag = f"cp{facts['version']}"
        tag = (f"{python_tag}-{python_tag}{facts['abiflags']}-"
               f"manylinux_{major}_{minor}_{machine}")
        dist_info = os.path.join(root, f"dnsbl-{args.version}.dist-info")
        os.makedirs(dist_info)
        with open(os.path.join(dist_info, "METADATA"), "w") as f:
            f.write(metadata(args.version, ">=3.9",
                             args.readme))
        with open(os.path.join(dist_info, "WHEEL"), "w") as f:
            f.write("Wheel-Version: 1.0\nGenerator: dnsbl tools/make_wheel.py\n"
                    f"Root-Is-Purelib: false\nTag: {tag}\n")
        with open(os.path.join(dist_info, "top_level.txt"), "w") as f:
            f.write("dnsbl\n")
        rels = sorted(os.path.relpath(os.path.join(d, f), root)
                      for d, _, names in os.walk(root) for f in names)
        record = f"dnsbl-{args.version}.dist-info/RECORD"
        with open(os.path.join(root, record), "w") as f:
            for rel in rels:
                f.write(record_line(root, rel) + "\n")
            f.write(f"{record},,\n")
        os.makedirs(args.dist, exist_ok=True)
        path = os.path.join(args.dist, f"dnsbl-{args.version}-{tag}.whl")
        write_wheel(root, path)
        print(f"make_wheel: {len(carried)} libraries carried; newest glibc "
              f"symbol version GLIBC_{major}.{minor}", file=sys.stderr)
        return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--package", required=True)
    parser.add_argument("--readme", required=True)
    parser.add_argument("--dist", required=True)
    args = parser.parse_args()
    try:
        print(make_wheel(args))
    except (AuditError, subprocess.CalledProcessError) as e:
        sys.exit(f"make_wheel: {e}")


if __name__ == "__main__":
    main()

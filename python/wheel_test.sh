#!/usr/bin/env bash
# The Python package as a Python user gets it, with no package index:
#
#   wheel    `tools/install.sh --wheel` for Debian's python3, `pip install`
#            into a fresh venv; python/dnsbl_test.py (rbldnsd: check, bulk,
#            asyncio, safety, the example) runs against the installed copy,
#            which loads no library from outside the wheel but the system's
#            own; mypy --strict passes on examples/python/ with the venv's
#            package; `pip uninstall` leaves nothing behind; a second build
#            makes the same wheel byte for byte.
#   pep517   `pip install ./python` (the in-tree PEP 517 backend) into
#            another fresh venv, and the same tests.
#   cpXY     every other CPython 3.9+ found (the first python3 on PATH,
#            pyenv's versions): `PYTHON=... tools/install.sh --wheel`, a venv
#            of that interpreter, the wheel's tag, the same tests.
#
# Prints "wheel test: NAME PASSED" or "... FAILED" for each; run by .ci/run.
#
#   bash python/wheel_test.sh
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

work=$(mktemp -d /tmp/dnsbl-wheel-test-XXXXXX)
trap 'rm -rf "$work"' EXIT
status=0

report() {
  if [[ $2 -eq 0 ]]; then
    echo "wheel test: $1 PASSED"
  else
    echo "wheel test: $1 FAILED"
    status=1
  fi
}

if ! bazel build //tests:fault_proxy_main; then
  report build 1
  exit 1
fi
proxy=$(bazel info bazel-bin 2>/dev/null)/tests/fault_proxy_main
# A copy outside python/, so the source package beside the test is never
# what it imports.
cp python/dnsbl_test.py "$work/"

# Runs the tests and checks of the package installed in venv $1.
check_installed() {
  local venv=$1
  (cd "$work" && DNSBL_FAULT_PROXY="$proxy" \
    DNSBL_EXAMPLE="$repo/examples/python/check_addresses.py" \
    "$venv/bin/python" dnsbl_test.py) || return 1
  # The copy in the venv is the one imported, and the extension module
  # loads every library it carries from the wheel (dnsbl.libs), none from
  # the system but those every Linux has.
  (cd "$work" && "$venv/bin/python" -I - <<'EOF') || return 1
import glob, importlib.machinery, importlib.util, os, sys, sysconfig

def mapped():
    return {line.split()[-1] for line in open("/proc/self/maps")
            if ".so" in line.split()[-1]}

site = os.path.realpath(sysconfig.get_paths()["platlib"])
[path] = glob.glob(os.path.join(site, "dnsbl", "_dnsbl.*.so"))
before = mapped()
loader = importlib.machinery.ExtensionFileLoader("dnsbl._dnsbl", path)
loader.exec_module(importlib.util.module_from_spec(
    importlib.util.spec_from_loader("dnsbl._dnsbl", loader)))
# What loading the module brought in, beside what the interpreter had.
new = mapped() - before
system = ("libc.so", "libm.so", "libstdc++.so", "libgcc_s.so", "ld-linux",
          "libpthread.so", "libdl.so", "librt.so", "libresolv.so")
carried = [m for m in new if m.startswith(os.path.join(site, "dnsbl.libs"))]
outside = sorted(m for m in new if not os.path.realpath(m).startswith(site)
                 and not os.path.basename(m).startswith(system))
print(f"{len(carried)} libraries loaded from the wheel; from the system: "
      f"{sorted(os.path.basename(m) for m in new if m not in carried and not os.path.realpath(m).startswith(site))}")
if outside or len(carried) < 10:
    sys.exit(f"loaded from outside the wheel: {outside}")
EOF
  # mypy --strict on the example with the installed package: found as
  # PEP 561 says, through the venv's interpreter, where Debian's mypy (1.0)
  # can ask it (up to 3.11); else from a copy of what was installed.
  local search=(--python-executable "$venv/bin/python")
  rm -rf "$work/typed" && mkdir "$work/typed"
  if ! "$venv/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] > (3, 11))'; then
    cp -r "$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["platlib"])')/dnsbl" "$work/typed/"
    search=()
  fi
  (cd "$work" && MYPYPATH="$work/typed" mypy --strict --no-error-summary \
    --cache-dir="$work/mypy" "${search[@]}" \
    "$repo/examples/python/check_addresses.py") || return 1
}

# Uninstalls dnsbl from venv $1 and checks nothing of it is left.
check_uninstall() {
  local venv=$1
  "$venv/bin/pip" uninstall -y -q dnsbl || return 1
  local site
  site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["platlib"])')
  local left
  left=$(find "$site" -maxdepth 1 -name 'dnsbl*' -print)
  if [[ -n "$left" ]]; then
    echo "left after uninstall: $left"
    return 1
  fi
  if (cd "$work" && "$venv/bin/python" -I -c 'import dnsbl' 2>/dev/null); then
    echo "dnsbl still imports after uninstall"
    return 1
  fi
}

# wheel: Debian's interpreter.
wheel_run() {
  PYTHON=/usr/bin/python3 bash tools/install.sh --wheel --dist="$work/dist" || return 1
  local wheel
  wheel=$(ls "$work"/dist/dnsbl-*-cp311-cp311-manylinux_2_*_x86_64.whl) || return 1
  echo "wheel: $(basename "$wheel"), $(du -k "$wheel" | cut -f1) KiB"
  # The same inputs make the same wheel, byte for byte.
  PYTHON=/usr/bin/python3 bash tools/install.sh --wheel --dist="$work/dist-again" || return 1
  cmp "$wheel" "$work/dist-again/$(basename "$wheel")" || return 1
  /usr/bin/python3 -m venv "$work/venv" || return 1
  "$work/venv/bin/pip" install -q --no-index "$wheel" || return 1
  check_installed "$work/venv" || return 1
  check_uninstall "$work/venv"
}
wheel_run
report wheel $?

# pep517: from source.
pep517_run() {
  /usr/bin/python3 -m venv "$work/venv-src" || return 1
  "$work/venv-src/bin/pip" install -q --no-index ./python || return 1
  check_installed "$work/venv-src" || return 1
  check_uninstall "$work/venv-src"
}
pep517_run
report pep517 $?

# Other interpreters: each CPython 3.9+ found other than Debian's.
interpreter_run() {
  local python=$1 tag=$2
  PYTHON=$python bash tools/install.sh --wheel --dist="$work/dist-$tag" || return 1
  local wheel
  wheel=$(ls "$work"/dist-"$tag"/dnsbl-*-"$tag"-"$tag"-manylinux_2_*_x86_64.whl) || return 1
  "$python" -m venv "$work/venv-$tag" || return 1
  "$work/venv-$tag/bin/pip" install -q --no-index "$wheel" || return 1
  check_installed "$work/venv-$tag" || return 1
  check_uninstall "$work/venv-$tag"
}
declare -A seen=(["$(readlink -f /usr/bin/python3)"]=1)
for candidate in "$(command -v python3 || true)" /root/.pyenv/versions/3.*/bin/python3; do
  [[ -x "$candidate" ]] || continue
  real=$("$candidate" -c 'import sys; print(sys.executable)' 2>/dev/null) || continue
  real=$(readlink -f "$real")
  [[ -z "${seen[$real]:-}" ]] || continue
  seen[$real]=1
  tag=$("$candidate" -c 'import sys; print("cp%d%d" % sys.version_info[:2]) if sys.version_info[:2] >= (3, 9) else None' 2>/dev/null)
  [[ "$tag" == cp* ]] || continue
  echo "== $candidate ($real, $tag)"
  interpreter_run "$real" "$tag"
  report "$tag ($real)" $?
done
exit $status

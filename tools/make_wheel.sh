#!/usr/bin/env bash
# Builds the Python package for one interpreter and makes its wheel:
#
#   bash tools/make_wheel.sh PYTHON DIST
#
# (what `PYTHON=... tools/install.sh --wheel` and python/'s PEP 517
# backend run). The extension module is compiled against PYTHON's own
# headers (Bazel's --repo_env=DNSBL_PYTHON_INCLUDE); tools/make_wheel.py
# carries in the libraries it needs, audits it and writes the wheel.
# Prints the wheel's path last.
set -euo pipefail
python=$1
dist=$2
cd "$(dirname "$0")/.."

if ! command -v "$python" >/dev/null; then
  echo "make_wheel: PYTHON=$python is not an interpreter here" >&2
  exit 2
fi
# The package needs CPython 3.9 or newer. Debian 12's pybind11 (2.10)
# names 3.6 to 3.11; .ci/run also builds and tests 3.12 and 3.13 where
# pyenv has them (python/wheel_test.sh).
if ! "$python" -c 'import sys; sys.exit(not (sys.implementation.name == "cpython" and sys.version_info[:2] >= (3, 9)))'; then
  echo "make_wheel: PYTHON=$python is $("$python" -c 'import platform; print(platform.python_implementation(), platform.python_version())'); dnsbl needs CPython 3.9 or newer" >&2
  exit 2
fi
include=$("$python" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
if [[ ! -f "$include/Python.h" ]]; then
  echo "make_wheel: $include/Python.h is missing: PYTHON=$python has no headers (Debian: python3-dev)" >&2
  exit 2
fi

flags=(-c opt --force_pic "--repo_env=DNSBL_PYTHON_INCLUDE=$include")
bazel build "${flags[@]}" //python:package >&2
bin=$(bazel info "${flags[@]}" bazel-bin 2>/dev/null)
version=$(sed -n 's/^#define DNSBL_VERSION_STRING "\(.*\)"$/\1/p' dnsbl/version.h)

package=$(mktemp -d)
trap 'rm -rf "$package"' EXIT
bash tools/stage_python_package.sh "$bin" "$package"
"$python" tools/make_wheel.py --python="$python" --version="$version" \
  --package="$package" --readme=docs/python.md --dist="$dist"

#!/usr/bin/env bash
# Copies the Python package `dnsbl` as built into DEST/dnsbl: its sources
# (python/dnsbl), what the build generates (reports.py, the stub
# __init__.pyi) and the extension module _dnsbl.so. Used by
# tools/install.sh, tools/make_wheel.sh and python/asan_check.sh, so each
# gets the whole package.
#
#   bash tools/stage_python_package.sh BAZEL_BIN DEST
#
# BAZEL_BIN is `bazel info bazel-bin` of the build that made //python:package.
set -euo pipefail
bin=$1
dest=$2
cd "$(dirname "$0")/.."
mkdir -p "$dest/dnsbl"
install -m 644 python/dnsbl/*.py python/dnsbl/py.typed \
  "$bin/python/dnsbl/reports.py" "$bin/python/dnsbl/__init__.pyi" "$dest/dnsbl/"
install -m 755 "$bin/python/dnsbl/_dnsbl.so" "$dest/dnsbl/"

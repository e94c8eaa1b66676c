#!/usr/bin/env bash
# The Python tests (python/dnsbl_test.py) with the extension module built
# under AddressSanitizer, loaded into Debian's uninstrumented python3 with
# the ASan runtime preloaded (and libstdc++ with it, so ASan finds the
# __cxa_throw it intercepts). The bulk iterator's thread and the GIL
# hand-offs are the code this covers that no C++ test runs. Leak checking
# is off: the interpreter's own allocations at exit would flood it.
# Prints "python asan test: PASSED" or "... FAILED"; run by .ci/run.
#
#   bash python/asan_check.sh
set -uo pipefail
cd "$(dirname "$0")/.."

if ! bazel build --config=asan //python:package //tests:fault_proxy_main; then
  echo "python asan test: FAILED (build)"
  exit 1
fi
bin=$(bazel info --config=asan bazel-bin 2>/dev/null)
package=$(mktemp -d /tmp/dnsbl-python-asan-XXXXXX)
trap 'rm -rf "$package"' EXIT
bash tools/stage_python_package.sh "$bin" "$package"

if ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 \
   LD_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libstdc++.so.6)" \
   PYTHONPATH="$package" DNSBL_FAULT_PROXY="$bin/tests/fault_proxy_main" \
   DNSBL_EXAMPLE="$PWD/examples/python/check_addresses.py" \
   /usr/bin/python3 -P python/dnsbl_test.py; then
  echo "python asan test: PASSED"
else
  echo "python asan test: FAILED"
  exit 1
fi

#!/bin/sh
# mypy --strict (Debian's) against the package as built (py.typed, the
# stub made from the options' table, dnsbl.reports made from the .proto):
# examples/python/check_addresses.py passes, and each mistake in
# python/testdata/typing_errors.py is found, on its line, with its code.
# The build tools that make the stub and the wheel pass too.
set -eu
root="$TEST_SRCDIR/$TEST_WORKSPACE"
cd "$TEST_TMPDIR"
export MYPYPATH="$root/python"
mypy_args="--strict --no-error-summary --cache-dir=$TEST_TMPDIR/mypy"

echo "== examples/python/check_addresses.py"
mypy $mypy_args "$root/examples/python/check_addresses.py"

echo "== the build tools"
(unset MYPYPATH; mypy $mypy_args "$root/python/make_stub.py" \
  "$root/python/build_backend/dnsbl_build.py" "$root/tools/make_wheel.py")

echo "== python/testdata/typing_errors.py"
errors="$root/python/testdata/typing_errors.py"
found=$(mypy $mypy_args --show-error-codes "$errors" | grep ': error: ' || true)
echo "$found"
expected=$(grep -n '# expect: ' "$errors" | sed 's/^\([0-9]*\):.*# expect: \(.*\)$/\1 \2/')
status=0
for pair in $(echo "$expected" | tr ' ' ':'); do
  line=${pair%%:*}
  code=${pair#*:}
  if ! echo "$found" | grep -q "typing_errors.py:$line: error: .*\[$code\]"; then
    echo "FAILED: no [$code] error on line $line"
    status=1
  fi
done
# Nothing else: an error on an unmarked line is a wrong stub.
for line in $(echo "$found" | sed -n 's/^[^:]*typing_errors.py:\([0-9]*\):.*/\1/p' | sort -u); do
  if ! echo "$expected" | grep -q "^$line "; then
    echo "FAILED: unexpected error on line $line"
    status=1
  fi
done
test "$(echo "$expected" | wc -l)" -ge 7 || { echo "FAILED: marks lost"; status=1; }
exit $status

#!/bin/sh
# Runs dnsbl_test.py under Debian's python3 (the interpreter the extension
# module is built for), with the package from the runfiles tree, where
# dnsbl/__init__.py and the built dnsbl/_dnsbl.so sit side by side.
set -eu
root="$TEST_SRCDIR/$TEST_WORKSPACE"
export PYTHONPATH="$root/python"
export DNSBL_FAULT_PROXY="$root/tests/fault_proxy_main"
export DNSBL_EXAMPLE="$root/examples/python/check_addresses.py"
# -P: the script's own directory (the source tree, once symlinks are
# resolved) stays off sys.path, so the package comes from the runfiles.
exec /usr/bin/python3 -P "$root/python/dnsbl_test.py"

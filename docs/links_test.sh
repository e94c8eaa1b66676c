#!/usr/bin/env bash
# Runs tools/check_docs.py over the source tree this test's README.md
# comes from.
set -euo pipefail
root=$(dirname "$(readlink -f "$1")")
python3 "$2" "$root"

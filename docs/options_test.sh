#!/usr/bin/env bash
# docs/options.md must be what `dnsbl help options` prints: the reference is
# made from the option table, never edited by hand. To refresh it:
#   bazel run //cli:dnsbl -- help options > docs/options.md
set -euo pipefail
dnsbl="$1"
doc="$2"
if ! diff -u "$doc" <("$dnsbl" help options); then
  echo "docs/options.md is stale; run:" >&2
  echo "  bazel run //cli:dnsbl -- help options > docs/options.md" >&2
  exit 1
fi

#!/usr/bin/env bash
# Installs every Debian package that dnsbl's build, tests and benchmarks need.
# Idempotent: packages already present are left alone, and apt-get update runs
# only when something is missing.
set -euo pipefail

PACKAGES=(
  bazel-bootstrap bazel-platforms bazel-rules-java
  build-essential pkg-config
  libc-ares-dev libabsl-dev libprotobuf-dev protobuf-compiler
  libgtest-dev libgmock-dev libbenchmark-dev
  libcurl4-openssl-dev python3 openssl python3-aiosmtpd
  python3-dev pybind11-dev python3-aiodns cmake
  python3-venv patchelf mypy
  slurm-wlm munge time
  rbldnsd dnsperf rblcheck dnsutils
  libunbound-dev libevent-dev nettle-dev unbound nsd dns-root-data iproute2
  clang-14 libclang-rt-14-dev llvm-14 valgrind
  libmicrohttpd-dev prometheus wrk chromium python3-websockets
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
# unbound and nsd are test servers that tests start themselves: their
# packages must not start a resolver or authoritative server for the whole
# machine (unbound's would also fetch the root trust anchor from the
# internet). A policy-rc.d that says no keeps every service down while
# installing, unless the machine has one already.
policy=/usr/sbin/policy-rc.d
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod 755 "$policy"
  trap '$SUDO rm -f "$policy"' EXIT
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"


#!/usr/bin/env bash
# dnsbl used from outside its own build, as other projects use it, each
# against rbldnsd on loopback:
#   1. another Bazel workspace (examples/bazel_consumer) through
#      repositories.bzl;
#   2. tools/install.sh into a temporary prefix, then
#      examples/check_address.cc built with plain
#      c++ $(pkg-config --cflags --libs dnsbl) (shared library);
#   3. the same source built by a CMake project (examples/cmake_consumer)
#      through find_package(dnsbl), against the shared and the static
#      library;
#   4. the installed Python package.
# Prints "consumer test: NAME PASSED" or "... FAILED" for each; run by
# .ci/run. Exits non-zero if any failed.
#
#   bash tests/consumers/consumers_test.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

work=$(mktemp -d /tmp/dnsbl-consumers-XXXXXX)
chmod 755 "$work"
rbldnsd_pid=""
cleanup() {
  [[ -n "$rbldnsd_pid" ]] && kill "$rbldnsd_pid" 2>/dev/null
  (cd examples/bazel_consumer && bazel shutdown >/dev/null 2>&1)
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
result() {  # NAME STATUS [WHY]
  if [[ "$2" == PASSED ]]; then
    echo "consumer test: $1 PASSED"
  else
    echo "consumer test: $1 FAILED: ${3:-}"
    failures=$((failures + 1))
  fi
}

# Ground truth: relays.test lists 192.0.2.0/28 as open relays; 192.0.2.99
# is listed nowhere.
cat > "$work/relays.zone" <<'EOF'
:127.0.0.2:open relay, see https://relays.test/$
127.0.0.2
192.0.2.0/28
EOF
chmod 644 "$work/relays.zone"
cat > "$work/catalog.textproto" <<'EOF'
zone {
  name: "relays.test" ipv4: true test_entry: true
  code { value: "127.0.0.2" category: OPEN_RELAY meaning: "open relay" }
}
EOF
port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
user=()
[[ $(id -u) -eq 0 ]] && user=(-u rbldns)
/usr/sbin/rbldnsd -n -b "127.0.0.1/$port" -w "$work" "${user[@]}" \
  relays.test:ip4set:relays.zone >/dev/null 2>&1 &
rbldnsd_pid=$!
for _ in $(seq 50); do
  [[ -n $(dig +short +time=1 +tries=1 -p "$port" @127.0.0.1 2.0.0.127.relays.test) ]] && break
  sleep 0.1
done
ns="127.0.0.1:$port"
catalog="$work/catalog.textproto"

# check_address prints the verdict line and, for an open relay, a notice
# line; exit 1 = listed, 0 = not listed.
expect_check_address() {  # NAME BINARY [ENV...]
  local name=$1 bin=$2
  shift 2
  local out rc
  out=$(env "$@" "$bin" 192.0.2.3 "$ns" "$catalog" 2>&1)
  rc=$?
  if [[ $rc -ne 1 || "$out" != *"192.0.2.3"*"relays.test"* ||
        "$out" != *"open relay or open proxy is supported by 1 listing"* ]]; then
    result "$name" FAILED "listed address: exit $rc: $out"
    return
  fi
  out=$(env "$@" "$bin" 192.0.2.99 "$ns" "$catalog" 2>&1)
  rc=$?
  if [[ $rc -ne 0 ]]; then
    result "$name" FAILED "clean address: exit $rc: $out"
    return
  fi
  out=$(env "$@" "$bin" 192.0.2.999 "$ns" "$catalog" 2>&1)
  rc=$?
  if [[ $rc -ne 2 || "$out" != *"192.0.2.999"* ]]; then
    result "$name" FAILED "bad address: exit $rc: $out"
    return
  fi
  result "$name" PASSED
}

# 1. Another Bazel workspace.
if ! (cd examples/bazel_consumer && bazel build //:triage) > "$work/bazel.log" 2>&1; then
  result bazel_workspace FAILED "$(tail -20 "$work/bazel.log")"
else
  triage="examples/bazel_consumer/bazel-bin/triage"
  out=$("$triage" --nameserver="$ns" --catalog="$catalog" 192.0.2.3 192.0.2.99 2>&1)
  rc=$?
  if [[ $rc -eq 0 && "$out" == *$'notice\t192.0.2.3'* && "$out" == *$'clean\t192.0.2.99'* ]]; then
    result bazel_workspace PASSED
  else
    result bazel_workspace FAILED "exit $rc: $out"
  fi
fi
(cd examples/bazel_consumer && bazel shutdown >/dev/null 2>&1)

# 2. Install, then pkg-config.
prefix="$work/prefix"
if ! bash tools/install.sh --prefix="$prefix" > "$work/install.log" 2>&1; then
  result install FAILED "$(tail -20 "$work/install.log")"
  echo "consumer tests: $failures failed"
  exit 1
fi
result install PASSED
# Only the public headers: nothing from an internal/ folder (the library's
# inside), and so nothing that names c-ares, libcurl or libunbound.
bad=$(find "$prefix/include" -name '*.h' | grep -E '/internal/|ares|curl|unbound' || true)
if [[ -n "$bad" ]]; then
  result public_headers_only FAILED "internal headers installed: $bad"
else
  result public_headers_only PASSED
fi

export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
if c++ -o "$work/check_address_pc" examples/check_address.cc \
     $(pkg-config --cflags --libs dnsbl) > "$work/pc.log" 2>&1; then
  expect_check_address pkg_config "$work/check_address_pc" \
    LD_LIBRARY_PATH="$prefix/lib"
else
  result pkg_config FAILED "$(tail -20 "$work/pc.log")"
fi

# 3. CMake.
if cmake -S examples/cmake_consumer -B "$work/cmake" \
     -DCMAKE_PREFIX_PATH="$prefix" > "$work/cmake.log" 2>&1 &&
   cmake --build "$work/cmake" >> "$work/cmake.log" 2>&1; then
  expect_check_address cmake_shared "$work/cmake/check_address"
  if ldd "$work/cmake/check_address_static" | grep -q libdnsbl; then
    result cmake_static FAILED "check_address_static links libdnsbl.so"
  else
    expect_check_address cmake_static "$work/cmake/check_address_static"
  fi
else
  result cmake FAILED "$(tail -20 "$work/cmake.log")"
fi

# 4. The installed Python package.
if out=$(cd "$work" && PYTHONPATH="$prefix/lib/python3/dist-packages" \
    /usr/bin/python3 - "$ns" "$catalog" 2>&1 <<'EOF'
import sys
import dnsbl
ns, catalog = sys.argv[1], sys.argv[2]
assert "dist-packages" in dnsbl.__file__, dnsbl.__file__  # The installed copy.
c = dnsbl.Checker(nameservers=[ns], catalog=catalog)
r = c.check("192.0.2.3")
assert r["summary"]["open_relay_by"] == ["relays.test"], r
assert r["results"][0]["txt"] == ["open relay, see https://relays.test/192.0.2.3"], r
assert c.check("192.0.2.99")["results"][0]["status"] == "NOT_LISTED"
reports = list(dnsbl.bulk(["192.0.2.0/29"], nameservers=[ns], catalog=catalog))
assert sorted(r["address"] for r in reports) == [f"192.0.2.{i}" for i in range(8)]
assert all(r["results"][0]["status"] == "LISTED" for r in reports)
print("ok", dnsbl.version, dnsbl.__file__)
EOF
); then
  result python_installed PASSED
else
  result python_installed FAILED "$out"
fi

echo "consumer tests: $failures failed"
[[ $failures -eq 0 ]]

#!/usr/bin/env bash
# Offline demo: serves the example blocklists of examples/demo/ with rbldnsd
# on a loopback port, with made-up stand-ins for the Team Cymru and Abusix
# contact zones and for a registry's RDAP server (tests/rdap_server.py, over
# HTTPS with a CA made on the spot), then runs `dnsbl check` against them.
#
#   bash examples/demo.sh                      # checks 192.0.2.25
#   bash examples/demo.sh 192.0.2.80 2001:db8:25::80 --format=json
#   bash examples/demo.sh health             # which zones can be trusted
#   bash examples/demo.sh notice --lang=da --from=abuse@example.org 192.0.2.25
#                                            # the notice it supports
#
# Nothing leaves 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/install-deps.sh >/dev/null
bazel build -c opt //cli:dnsbl 2>/dev/null || bazel build -c opt //cli:dnsbl
dnsbl="$(bazel info -c opt bazel-bin 2>/dev/null)/cli/dnsbl"

data=$(mktemp -d /tmp/dnsbl-demo-XXXXXX)
chmod 755 "$data"
cp examples/demo/*.zone "$data/"
chmod 644 "$data"/*.zone
pid=""
rdap_pid=""
cleanup() {
  [[ -n "$pid" ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [[ -n "$rdap_pid" ]] && kill "$rdap_pid" 2>/dev/null && wait "$rdap_pid" 2>/dev/null
  rm -rf "$data"
}
trap cleanup EXIT

user=()
[[ $(id -u) -eq 0 ]] && user=(-u rbldns)
for attempt in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 40000))
  /usr/sbin/rbldnsd -n "${user[@]}" -b "127.0.0.1/$port" -w "$data" \
    relays.demo.test:ip4set:relays.zone \
    proxies.demo.test:ip4set:proxies.zone \
    proxies.demo.test:ip6trie:proxies6.zone \
    spam.demo.test:ip4set:spam.zone \
    policy.demo.test:ip4set:policy.zone \
    oldrelays.demo.test:ip4trie:oldrelays.zone \
    origin.asn.cymru.com:ip4trie:cymru-origin.zone \
    origin6.asn.cymru.com:ip6trie:cymru-origin6.zone \
    asn.cymru.com:generic:cymru-asn.zone \
    abuse-contacts.abusix.zone:ip4trie:abusix-contacts.zone \
    abuse-contacts.abusix.zone:ip6trie:abusix-contacts6.zone \
    >"$data/rbldnsd.log" 2>&1 &
  pid=$!
  for _ in $(seq 50); do
    if dig +time=1 +tries=1 +short -p "$port" @127.0.0.1 \
        2.0.0.127.relays.demo.test A 2>/dev/null | grep -q 127.0.0.2; then
      break 2
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
done
if [[ -z "$pid" ]]; then
  echo "demo: rbldnsd did not start; its log:" >&2
  cat "$data/rbldnsd.log" >&2
  exit 1
fi

command=check
if [[ "${1:-}" == "health" || "${1:-}" == "notice" ]]; then
  command=$1
  shift
fi
args=("$@")
rdap=()
if [[ $command != health ]]; then
  [[ ${#args[@]} -eq 0 ]] && args=(192.0.2.25)
  mkdir "$data/rdap"
  python3 tests/rdap_server.py "$data/rdap" dnsbl/contacts/testdata \
    >"$data/rdap.log" 2>&1 &
  rdap_pid=$!
  for _ in $(seq 100); do
    [[ -e "$data/rdap/port" ]] && break
    sleep 0.1
  done
  rdap=(--rdap_url="https://127.0.0.1:$(cat "$data/rdap/port")/rdap/"
        --rdap_ca_file="$data/rdap/ca.pem")
fi
echo "\$ dnsbl $command --nameserver=127.0.0.1:$port --catalog=examples/demo/catalog.textproto ${rdap[*]} ${args[*]}"
set +e
"$dnsbl" "$command" --nameserver="127.0.0.1:$port" \
  --catalog=examples/demo/catalog.textproto "${rdap[@]}" "${args[@]}"
status=$?
set -e
echo "(exit status $status: 0 not listed, 1 listed, 2 bad input, 3 incomplete)"
exit "$status"

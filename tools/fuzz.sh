#!/usr/bin/env bash
# Builds dnsbl's libFuzzer targets with clang-14 (ASan + UBSan) and runs
# each for a while on a copy of its seed corpus (tests/fuzz/corpus/NAME).
# Fails on the first crash, leak or broken invariant; what a target found
# is kept in $DNSBL_FUZZ_ARTIFACTS (default /tmp/dnsbl-fuzz-artifacts), never
# in the working tree.
#
#   bash tools/fuzz.sh [SECONDS_PER_TARGET]     (default 30)
#
# Built outside Bazel: the Bazel toolchain here is gcc, and libFuzzer comes
# with clang.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
out=$(mktemp -d /tmp/dnsbl-fuzz-XXXXXX)
trap 'rm -rf "$out"' EXIT
artifacts="${DNSBL_FUZZ_ARTIFACTS:-/tmp/dnsbl-fuzz-artifacts}"
mkdir -p "$artifacts"

protoc --cpp_out="$out" -I. -I/usr/include proto/dnsbl.proto proto/rdap.proto \
  proto/delegation_cache.proto
{
  echo 'namespace dnsbl::internal {'
  echo 'extern const char kBuiltinCatalogText[];'
  echo 'const char kBuiltinCatalogText[] = R"dnsbl_catalog('
  cat dnsbl/catalog/builtin_catalog.textproto
  echo ')dnsbl_catalog";'
  echo '}'
} > "$out/builtin_catalog.cc"

libs=$(pkg-config --libs absl_status absl_statusor absl_strings \
  absl_str_format absl_time absl_int128 absl_flat_hash_set absl_btree \
  protobuf libcares libcurl)
flags=(-std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined
       -fno-sanitize-recover=undefined -I. -I"$out")
sources=(dnsbl/base/address.cc dnsbl/base/clock.cc dnsbl/base/time_text.cc dnsbl/input/internal/address_set.cc
         dnsbl/input/internal/address_source.cc dnsbl/base/escape.cc
         dnsbl/dns/internal/dns.cc dnsbl/dns/resolution.cc dnsbl/verdict/verdict.cc
         dnsbl/catalog/catalog.cc dnsbl/verdict/internal/interpret.cc dnsbl/output/text.cc dnsbl/output/encode.cc
         dnsbl/dns/internal/ares_resolver.cc dnsbl/dns/internal/dns_message.cc
         dnsbl/dns/internal/root_hints.cc dnsbl/dns/internal/delegation_cache.cc
         dnsbl/input/bulk_input.cc
         dnsbl/contacts/internal/cymru.cc dnsbl/contacts/internal/abusix.cc
         dnsbl/contacts/internal/email.cc dnsbl/contacts/internal/rdap.cc
         dnsbl/notice/claim.cc dnsbl/notice/template.cc
         dnsbl/notice/language.cc dnsbl/notice/letter.cc dnsbl/notice/internal/mime.cc
         dnsbl/notice/batch.cc dnsbl/notice/delivery.cc dnsbl/notice/internal/smtp.cc
         dnsbl/notice/internal/renotify.cc
         dnsbl/localzone/internal/zone_data.cc dnsbl/localzone/internal/zone_line.cc
         dnsbl/localzone/internal/zone_specials.cc dnsbl/localzone/internal/dataset.cc
         dnsbl/localzone/internal/prefix_table.cc dnsbl/localzone/internal/ip4set.cc
         dnsbl/localzone/internal/ip4tset.cc dnsbl/localzone/internal/ip4trie.cc
         dnsbl/localzone/internal/ip6trie.cc dnsbl/localzone/internal/ip6tset.cc
         "$out/proto/dnsbl.pb.cc" "$out/proto/rdap.pb.cc"
         "$out/proto/delegation_cache.pb.cc"
         "$out/builtin_catalog.cc")

# The library objects once, then each target.
objects=()
for src in "${sources[@]}"; do
  obj="$out/$(basename "$src" .cc).o"
  clang++-14 "${flags[@]/-fsanitize=fuzzer,/-fsanitize=fuzzer-no-link,}" \
    -c "$src" -o "$obj"
  objects+=("$obj")
done

# Protobuf and Abseil are not instrumented; their std::string handling
# trips ASan's container-overflow check across that boundary.
export ASAN_OPTIONS=detect_container_overflow=0:detect_leaks=1
status=0
for target in address catalog answer bulk_line contacts_txt rdap_json notice \
    zone_data dns_message direct_files; do
  clang++-14 "${flags[@]}" "tests/fuzz/${target}_fuzz.cc" "${objects[@]}" \
    $libs -o "$out/$target"
  corpus="$out/corpus-$target"
  cp -r "tests/fuzz/corpus/$target" "$corpus"
  echo "fuzz: $target for ${seconds}s"
  if ! "$out/$target" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$artifacts/$target-" "$corpus" \
      > "$out/$target.log" 2>&1; then
    echo "fuzz: $target FAILED (input kept in $artifacts)"
    tail -50 "$out/$target.log"
    status=1
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" \
      "$out/$target.log" | sed "s/^/fuzz: $target: /"
  fi
done
exit "$status"

// dnsbl/localzone/zone_data.h
//
// A blocklist's data file read directly, in the formats of rbldnsd, the
// server many blocklists run and publish their zones for (`man rbldnsd`):
// ip4set, ip4tset, ip4trie, ip6trie and ip6tset datasets, with default
// `:A:TXT` lines, per-entry values, exclusions (`!`), ranges and prefixes,
// `$` and `$n`/`$=` substitution in TXT, comments, and the specials $SOA,
// $NS, $TTL, $MAXRANGE4, $TIMESTAMP and `$n`. Lookups answer exactly what
// rbldnsd answers for the same file (A values, TXT, TTL), which the
// differential test (tests/localzone_differential_test.cc) holds it to.
//
// Malformed lines get rbldnsd's leniency: the line is skipped and counted
// in `warnings` (with its line number), as rbldnsd logs and skips it; a
// file that cannot be read, an unknown dataset type or a $TIMESTAMP in the
// future (rbldnsd refuses to load such data) is an error naming the file.
//
// Example:
//
//   absl::StatusOr<std::shared_ptr<const dnsbl::ZoneData>> data =
//       dnsbl::LoadZoneData("ip4set", {"/srv/bl/relays.zone"});
//   dnsbl::LocalAnswer a = (*data)->Lookup(ip);
//   if (a.listed()) { ... a.records ... }

#ifndef DNSBL_DNSBL_LOCALZONE_ZONE_DATA_H_
#define DNSBL_DNSBL_LOCALZONE_ZONE_DATA_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/numeric/int128.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "dnsbl/base/address.h"

namespace dnsbl {

// What a lookup found: one (A, TXT) pair per matching value, in rbldnsd's
// answer order; empty when the address is not listed (or excluded).
struct LocalAnswer {
  struct Record {
    uint32_t a = 0;   // e.g. 0x7f000002 for 127.0.0.2.
    std::string txt;  // Expanded; empty means no TXT record.
  };
  std::vector<Record> records;
  bool listed() const { return !records.empty(); }
};

enum class DatasetType { kIp4Set, kIp4TSet, kIp4Trie, kIp6Trie, kIp6TSet };

// Parses rbldnsd's type names ("ip4set", ...); InvalidArgument otherwise.
absl::StatusOr<DatasetType> ParseDatasetType(absl::string_view name);

// An immutable, loaded dataset. Thread-safe: const after loading, shared
// read-only.
class ZoneData {
 public:
  // Returns the values listing `address` (none for the other family).
  LocalAnswer Lookup(const IpAddress& address) const;

  // Returns just the A values listing `address`, without expanding TXT:
  // the hot path of a check (TXT is asked only for listings).
  using AValues = absl::InlinedVector<uint32_t, 2>;
  AValues LookupA(const IpAddress& address) const;

  // Starts loading into the CPU cache what a lookup of `address` reads
  // first (ip4set, ip4tset: its bucket of the 16-bit index); a no-op for
  // other data. A caller about to look one address up in many zones
  // prefetches it in all of them first, so the cache misses overlap
  // instead of following one another. Changes no result.
  void Prefetch(const IpAddress& address) const;

  DatasetType type() const { return type_; }
  // The TTL of answers ($TTL, else rbldnsd's default of 35 minutes).
  int ttl() const { return ttl_; }
  // Whether a $SOA line was given (rbldnsd then puts the zone's SOA in the
  // authority section of negative answers).
  bool has_soa() const { return has_soa_; }
  // Entries loaded (after ranges were split, as rbldnsd stores them).
  size_t entries() const;
  // Lines skipped as rbldnsd skips them, each "FILE:LINE: why".
  const std::vector<std::string>& warnings() const { return warnings_; }
  // The files read and the newest modification time among them.
  const std::vector<std::string>& files() const { return files_; }
  absl::Time mtime() const { return mtime_; }
  // Bytes held by the loaded entries and values (not counting this
  // object), for the memory benchmark.
  size_t MemoryBytes() const;

 private:
  friend class ZoneDataBuilder;
  ZoneData() = default;

  struct Value {
    uint32_t a = 0x7f000002;
    std::string txt;  // Template; empty means no TXT.
  };
  static constexpr uint32_t kExcluded = 0xffffffffu;

  using ValueIds = absl::InlinedVector<uint32_t, 2>;
  // Returns the value of the longest prefix holding `q` (an address of
  // `width` bits, 32 or 128) in prefixes_, or kExcluded when none does or
  // it is an exclusion.
  uint32_t LongestPrefix(absl::uint128 q, int width) const;

  // Returns the indexes into values_ of what lists `address`.
  ValueIds FindValues(const IpAddress& address) const;

  // Expands `value`'s TXT template for `address` as rbldnsd's txtsubst().
  std::string ExpandTxt(const Value& value, const std::string& address) const;

  DatasetType type_ = DatasetType::kIp4Set;
  int ttl_ = 2100;
  bool has_soa_ = false;
  std::vector<Value> values_;
  std::string subst_[10];      // $0..$9.
  std::string base_template_;  // $=.
  // ip4set: per level (/32, /24, /16, /8) sorted (address, value) pairs.
  std::vector<std::pair<uint32_t, uint32_t>> ip4_levels_[4];
  // Per level, and for ip4set_, where each 16-bit prefix starts.
  std::vector<uint32_t> ip4_index_[4];
  std::vector<uint32_t> ip4_set_index_;
  // ip4tset: sorted addresses; the value is values_[0].
  std::vector<uint32_t> ip4_set_;
  // ip4trie/ip6trie: per prefix length, sorted (prefix, value) pairs;
  // `lengths_` lists the non-empty ones, longest first.
  std::vector<std::vector<std::pair<absl::uint128, uint32_t>>> prefixes_;
  std::vector<int> lengths_;
  // ip6tset: sorted /64 prefixes and sorted excluded addresses.
  std::vector<uint64_t> ip6_set_;
  std::vector<absl::uint128> ip6_excluded_;
  std::vector<std::string> warnings_;
  std::vector<std::string> files_;
  absl::Time mtime_ = absl::InfinitePast();
};

// Reads the dataset of `type` from `files` (read as one, as rbldnsd reads
// "type:file1,file2"). `now` decides whether a $TIMESTAMP is in the future.
absl::StatusOr<std::shared_ptr<const ZoneData>> LoadZoneData(
    DatasetType type, const std::vector<std::string>& files,
    absl::Time now = absl::Now());

// As above, from text already in memory (`name` names it in warnings).
absl::StatusOr<std::shared_ptr<const ZoneData>> ParseZoneData(
    DatasetType type, absl::string_view text, absl::string_view name,
    absl::Time now = absl::Now());

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_LOCALZONE_ZONE_DATA_H_

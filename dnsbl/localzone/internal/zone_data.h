// dnsbl/localzone/internal/zone_data.h
//
// A blocklist's data file read directly, in the formats of rbldnsd, the
// server many blocklists run and publish their zones for (`man rbldnsd`):
// ip4set, ip4tset, ip4trie, ip6trie and ip6tset datasets, with default
// `:A:TXT` lines, per-entry values, exclusions (`!`), ranges and prefixes,
// `$` and `$n`/`$=` substitution in TXT, comments, and the specials $SOA,
// $NS, $TTL, $MAXRANGE4, $TIMESTAMP and `$n`. Lookups answer exactly what
// rbldnsd answers for the same file (A values, TXT, TTL), which the
// differential test (tests/localzone_differential_test.cc) holds it to.
// The parts: zone_line.h reads lines, zone_specials.h the "$" entries,
// dataset.h and one file per dataset type the entries.
//
// Malformed lines get rbldnsd's leniency: the line is skipped and counted
// in `warnings` (with its line number), as rbldnsd logs and skips it; a
// file that cannot be read, an unknown dataset type or a $TIMESTAMP in the
// future (rbldnsd refuses to load such data) is an error naming the file.
//
// Example:
//
//   absl::StatusOr<std::shared_ptr<const dnsbl::ZoneData>> data =
//       dnsbl::LoadZoneData(dnsbl::DatasetType::kIp4Set,
//                           {"/srv/bl/relays.zone"}, clock->Now());
//   dnsbl::LocalAnswer a = (*data)->Lookup(ip);
//   if (a.listed()) { ... a.records ... }

#ifndef DNSBL_DNSBL_LOCALZONE_INTERNAL_ZONE_DATA_H_
#define DNSBL_DNSBL_LOCALZONE_INTERNAL_ZONE_DATA_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "dnsbl/base/address.h"
#include "dnsbl/localzone/internal/dataset.h"
#include "dnsbl/localzone/internal/zone_specials.h"

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

// Parses rbldnsd's type names ("ip4set", ...); InvalidArgument otherwise.
absl::StatusOr<DatasetType> ParseDatasetType(absl::string_view name);

// An immutable, loaded dataset. Thread-safe: const after loading, shared
// read-only.
class ZoneData {
 public:
  ~ZoneData();

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
  void Prefetch(const IpAddress& address) const { dataset_->Prefetch(address); }

  DatasetType type() const { return type_; }
  // The TTL of answers ($TTL, else rbldnsd's default of 35 minutes).
  int ttl() const { return settings_.ttl; }
  // Whether a $SOA line was given (rbldnsd then puts the zone's SOA in the
  // authority section of negative answers).
  bool has_soa() const { return settings_.has_soa; }
  // Entries loaded (after ranges were split, as rbldnsd stores them).
  size_t entries() const { return dataset_->entries(); }
  // Lines skipped as rbldnsd skips them, each "FILE:LINE: why".
  const std::vector<std::string>& warnings() const { return warnings_; }
  // The files read and the newest modification time among them.
  const std::vector<std::string>& files() const { return files_; }
  absl::Time mtime() const { return mtime_; }
  // Bytes held by the loaded entries and values (not counting this
  // object), for the memory benchmark.
  size_t MemoryBytes() const;

 private:
  friend class ZoneLoader;
  ZoneData(DatasetType type) : type_(type), dataset_(NewDataset(type)) {}

  // An A value and the TXT template answered with it.
  struct Value {
    uint32_t a = 0x7f000002;
    std::string txt;  // Template; empty means no TXT.
  };

  // Returns the numbers of the values listing `address`, in load order,
  // each once.
  ValueIds FindValues(const IpAddress& address) const;

  // Expands `value`'s TXT template for `address` as rbldnsd's txtsubst().
  std::string ExpandTxt(const Value& value, const std::string& address) const;

  const DatasetType type_;
  const std::unique_ptr<Dataset> dataset_;
  ZoneSettings settings_;
  std::vector<Value> values_;
  std::vector<std::string> warnings_;
  std::vector<std::string> files_;
  absl::Time mtime_ = absl::InfinitePast();
};

// Reads the dataset of `type` from `files` (read as one, as rbldnsd reads
// "type:file1,file2"). `now` decides whether a $TIMESTAMP is in the future.
absl::StatusOr<std::shared_ptr<const ZoneData>> LoadZoneData(
    DatasetType type, const std::vector<std::string>& files, absl::Time now);

// As above, from text already in memory (`name` names it in warnings).
absl::StatusOr<std::shared_ptr<const ZoneData>> ParseZoneData(
    DatasetType type, absl::string_view text, absl::string_view name,
    absl::Time now);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_LOCALZONE_INTERNAL_ZONE_DATA_H_

// dnsbl/localzone/internal/dataset.h
//
// One kind of rbldnsd dataset, as a ZoneData holds it: what its entry
// lines mean and how an address is found among them. Each type lives in
// a file of its own, as in rbldnsd (ip4set.cc, ip4tset.cc, ip4trie.cc,
// ip6trie.cc, ip6tset.cc); what they share (lines, values, the special
// entries) is read by the loader in zone_data.cc.
//
// Example:
//
//   std::unique_ptr<dnsbl::Dataset> set = dnsbl::NewDataset(type);
//   set->AddEntry(cursor, /*excluded=*/false, loader);  // per entry line
//   set->Finish();
//   dnsbl::ValueIds hits = set->FindValues(address);

#ifndef DNSBL_DNSBL_LOCALZONE_INTERNAL_DATASET_H_
#define DNSBL_DNSBL_LOCALZONE_INTERNAL_DATASET_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "absl/container/inlined_vector.h"
#include "absl/strings/string_view.h"
#include "dnsbl/base/address.h"
#include "dnsbl/localzone/internal/prefix_table.h"
#include "dnsbl/localzone/internal/zone_line.h"

namespace dnsbl {

enum class DatasetType { kIp4Set, kIp4TSet, kIp4Trie, kIp6Trie, kIp6TSet };

// Numbers of values (ZoneData's table of A and TXT pairs) that list an
// address; kExcludedValue marks an exclusion ("!") where one is stored.
using ValueIds = absl::InlinedVector<uint32_t, 2>;
inline constexpr uint32_t kExcludedValue = 0xffffffffu;

// What reading an entry line needs from the loader.
class EntryContext {
 public:
  virtual ~EntryContext() = default;

  // Records that the current line is skipped, and why.
  virtual void Warn(absl::string_view why) = 0;

  // Reads the value after an entry's address at `c` (the file's default
  // when there is none, or only a comment) and returns its number; nullopt
  // after a warning for a value that does not parse.
  virtual std::optional<uint32_t> EntryValue(ZoneCursor& c) = 0;

  // $MAXRANGE4: one more than the most addresses an IPv4 entry may cover;
  // 0 for no limit.
  virtual uint32_t max_range4() const = 0;

  // Returns kExcludedValue for an exclusion, else EntryValue(c).
  std::optional<uint32_t> ValueOrExclusion(ZoneCursor& c, bool excluded) {
    if (excluded) return kExcludedValue;
    return EntryValue(c);
  }
};

// A dataset's entries. Built by one thread (AddEntry(), then Finish()),
// then const and safe to read from any thread.
class Dataset {
 public:
  virtual ~Dataset() = default;

  // Reads the entry at `c`, which is past a leading '!' when `excluded`.
  // A bad line is skipped with context.Warn(), as rbldnsd skips it.
  virtual void AddEntry(ZoneCursor& c, bool excluded,
                        EntryContext& context) = 0;

  // Sorts and indexes the entries; called once, after the last AddEntry().
  virtual void Finish() = 0;

  // Returns the numbers of the values listing `address` (empty for the
  // other address family, or when an exclusion decides), in any order,
  // possibly repeated.
  virtual ValueIds FindValues(const IpAddress& address) const = 0;

  // Starts loading into the CPU cache what FindValues(address) reads
  // first; changes no result.
  virtual void Prefetch(const IpAddress& address) const {}

  // Entries held (after ranges were split, as rbldnsd stores them).
  virtual size_t entries() const = 0;

  // Bytes held by the entries and their indexes.
  virtual size_t MemoryBytes() const = 0;
};

// What ip4trie and ip6trie share: their prefixes in a PrefixTable, the
// longest match deciding. Each type reads its own entries into table().
class PrefixDataset : public Dataset {
 public:
  // For IPv6 addresses, else IPv4.
  explicit PrefixDataset(bool ipv6) : ipv6_(ipv6), table_(ipv6 ? 128 : 32) {}

  void Finish() override { table_.Finish(); }
  ValueIds FindValues(const IpAddress& address) const override;
  size_t entries() const override { return table_.size(); }
  size_t MemoryBytes() const override { return table_.MemoryBytes(); }

 protected:
  PrefixTable& table() { return table_; }

 private:
  const bool ipv6_;
  PrefixTable table_;
};

// Whether every entry of `type` has the one value of the dataset (value
// 0: the first default line, else 127.0.0.2 without TXT), as ip4tset and
// ip6tset have.
bool HasSingleValue(DatasetType type);

// Whether entries of `type` may start with "::" (not a default value).
bool TakesColonEntries(DatasetType type);

// Returns an empty dataset of `type`.
std::unique_ptr<Dataset> NewDataset(DatasetType type);

// The types, one file each.
std::unique_ptr<Dataset> NewIp4SetDataset();
std::unique_ptr<Dataset> NewIp4TSetDataset();
std::unique_ptr<Dataset> NewIp4TrieDataset();
std::unique_ptr<Dataset> NewIp6TrieDataset();
std::unique_ptr<Dataset> NewIp6TSetDataset();

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_LOCALZONE_INTERNAL_DATASET_H_

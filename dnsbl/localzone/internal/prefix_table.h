// dnsbl/localzone/internal/prefix_table.h
//
// The longest-prefix match behind ip4trie and ip6trie: prefixes kept per
// length, sorted, searched longest first. Where one prefix is given twice
// the first given wins, as in rbldnsd.
//
// Example:
//
//   dnsbl::PrefixTable table(32);
//   table.Add(absl::uint128(0x0a000000), 8, /*value=*/3);
//   table.Finish();
//   uint32_t v = table.Longest(absl::uint128(0x0a010203));  // 3

#ifndef DNSBL_DNSBL_LOCALZONE_INTERNAL_PREFIX_TABLE_H_
#define DNSBL_DNSBL_LOCALZONE_INTERNAL_PREFIX_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/numeric/int128.h"

namespace dnsbl {

// Built by one thread, then const and safe to read from any thread.
class PrefixTable {
 public:
  // `width`: the address size in bits, 32 or 128.
  explicit PrefixTable(int width);

  // Adds the first `bits` bits of `prefix` (an address of `width` bits,
  // host part zero) with `value`. REQUIRES: 0 <= bits <= width.
  void Add(absl::uint128 prefix, int bits, uint32_t value);

  // Sorts the prefixes; called once, after the last Add().
  void Finish();

  // Returns the value of the longest prefix holding `address`, or
  // `none` when no prefix does.
  uint32_t Longest(absl::uint128 address, uint32_t none) const;

  size_t size() const;
  size_t MemoryBytes() const;

 private:
  const int width_;
  // Per prefix length: sorted (prefix, value) pairs.
  std::vector<std::vector<std::pair<absl::uint128, uint32_t>>> prefixes_;
  // The lengths that hold prefixes, longest first.
  std::vector<int> lengths_;
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_LOCALZONE_INTERNAL_PREFIX_TABLE_H_

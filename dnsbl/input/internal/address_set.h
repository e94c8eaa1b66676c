// dnsbl/input/internal/address_set.h
//
// A set of IP addresses stored as merged ranges, so that "every address
// once" costs memory per distinct *run* of addresses, not per address: a
// /12 is one entry. Bulk input uses it to skip duplicates and addresses a
// resumed run already reported.
//
// Example:
//
//   dnsbl::AddressSet seen;
//   for (const dnsbl::IpRange& fresh : seen.Insert(range)) {
//     // `fresh` holds addresses not inserted before.
//   }

#ifndef DNSBL_DNSBL_INPUT_INTERNAL_ADDRESS_SET_H_
#define DNSBL_DNSBL_INPUT_INTERNAL_ADDRESS_SET_H_

#include <cstddef>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/numeric/int128.h"
#include "dnsbl/base/address.h"

namespace dnsbl {

// A set of addresses. Thread-compatible.
class AddressSet {
 public:
  // Adds every address of `range` and returns the parts of it that were not
  // in the set before, in ascending order.
  std::vector<IpRange> Insert(const IpRange& range);

  // Adds `address` (cheaper than Insert(): nothing is returned).
  void Add(const IpAddress& address);

  // Returns true when `address` is in the set.
  bool Contains(const IpAddress& address) const;

  // Returns the set as disjoint ranges, IPv4 ascending, then IPv6.
  std::vector<IpRange> ToRanges() const;

  // Returns how many addresses the set holds (saturating at 2^128 - 1).
  absl::uint128 size() const;

  // Returns how many disjoint ranges the set holds (its memory cost).
  size_t ranges() const { return v4_.size() + v6_.size(); }

 private:
  // first -> last, inclusive, disjoint and not adjacent.
  using Ranges = absl::btree_map<absl::uint128, absl::uint128>;

  // Merges [first, last] into `ranges`; returns the parts that were new
  // when `fresh` is true, else nothing.
  static std::vector<std::pair<absl::uint128, absl::uint128>> InsertInto(
      Ranges& ranges, absl::uint128 first, absl::uint128 last, bool fresh);

  Ranges v4_;
  Ranges v6_;
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_INPUT_INTERNAL_ADDRESS_SET_H_

#include "dnsbl/input/internal/address_set.h"

#include <algorithm>
#include <utility>

namespace dnsbl {

std::vector<std::pair<absl::uint128, absl::uint128>> AddressSet::InsertInto(
    Ranges& ranges, absl::uint128 first, absl::uint128 last) {
  const absl::uint128 kMax = absl::Uint128Max();
  std::vector<std::pair<absl::uint128, absl::uint128>> fresh;
  // Start at the last range beginning at or before `first`, which may
  // overlap or touch it.
  auto it = ranges.upper_bound(first);
  if (it != ranges.begin()) {
    auto prev = std::prev(it);
    if (prev->second == kMax || prev->second + 1 >= first) it = prev;
  }
  absl::uint128 merged_first = first;
  absl::uint128 merged_last = last;
  absl::uint128 cursor = first;  // Lowest address not yet accounted for.
  bool done = false;             // Set when the cursor passed `last`.
  // Every range that overlaps or touches [first, last] is merged away.
  while (it != ranges.end() && (last == kMax || it->first <= last + 1)) {
    if (!done && it->first > cursor) {
      fresh.emplace_back(cursor, std::min(it->first - 1, last));
    }
    if (!done && it->second >= cursor) {
      if (it->second >= last) {
        done = true;
      } else {
        cursor = it->second + 1;
      }
    }
    merged_first = std::min(merged_first, it->first);
    merged_last = std::max(merged_last, it->second);
    it = ranges.erase(it);
  }
  if (!done && cursor <= last) fresh.emplace_back(cursor, last);
  ranges[merged_first] = merged_last;
  return fresh;
}

std::vector<IpRange> AddressSet::Insert(const IpRange& range) {
  IpAddress::Family family = range.first.family();
  Ranges& ranges = family == IpAddress::Family::kIpv4 ? v4_ : v6_;
  std::vector<IpRange> out;
  for (const auto& [first, last] :
       InsertInto(ranges, range.first.value(), range.last.value())) {
    out.push_back(IpRange{IpAddress::FromValue(family, first),
                          IpAddress::FromValue(family, last)});
  }
  return out;
}

bool AddressSet::Contains(const IpAddress& address) const {
  const Ranges& ranges = address.is_ipv4() ? v4_ : v6_;
  absl::uint128 value = address.value();
  auto it = ranges.upper_bound(value);
  if (it == ranges.begin()) return false;
  --it;
  return it->second >= value;
}

}  // namespace dnsbl

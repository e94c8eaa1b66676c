#include "dnsbl/input/internal/address_set.h"

#include <algorithm>
#include <utility>

namespace dnsbl {

std::vector<std::pair<absl::uint128, absl::uint128>> AddressSet::InsertInto(
    Ranges& ranges, absl::uint128 first, absl::uint128 last, bool collect) {
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
    if (collect && !done && it->first > cursor) {
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
  if (collect && !done && cursor <= last) fresh.emplace_back(cursor, last);
  ranges[merged_first] = merged_last;
  return fresh;
}

std::vector<IpRange> AddressSet::Insert(const IpRange& range) {
  IpAddress::Family family = range.first.family();
  Ranges& ranges = family == IpAddress::Family::kIpv4 ? v4_ : v6_;
  std::vector<IpRange> out;
  for (const auto& [first, last] :
       InsertInto(ranges, range.first.value(), range.last.value(),
                  /*collect=*/true)) {
    out.push_back(IpRange{IpAddress::FromValue(family, first),
                          IpAddress::FromValue(family, last)});
  }
  return out;
}

void AddressSet::Add(const IpAddress& address) {
  Ranges& ranges = address.is_ipv4() ? v4_ : v6_;
  const absl::uint128 value = address.value();
  // Most adds extend the range just below (a sweep finishes in order).
  auto it = ranges.upper_bound(value);
  if (it != ranges.begin()) {
    auto prev = std::prev(it);
    if (prev->second >= value) return;
    if (prev->second + 1 == value &&
        (it == ranges.end() || it->first > value + 1)) {
      prev->second = value;
      return;
    }
  }
  InsertInto(ranges, value, value, /*collect=*/false);
}

std::vector<IpRange> AddressSet::ToRanges() const {
  std::vector<IpRange> out;
  out.reserve(ranges());
  for (const auto& [family, ranges] :
       {std::pair{IpAddress::Family::kIpv4, &v4_},
        std::pair{IpAddress::Family::kIpv6, &v6_}}) {
    for (const auto& [first, last] : *ranges) {
      out.push_back(IpRange{IpAddress::FromValue(family, first),
                            IpAddress::FromValue(family, last)});
    }
  }
  return out;
}

absl::uint128 AddressSet::size() const {
  absl::uint128 total = 0;
  for (const Ranges* ranges : {&v4_, &v6_}) {
    for (const auto& [first, last] : *ranges) {
      const absl::uint128 n = last - first;  // One less than the count.
      if (total > absl::Uint128Max() - n - 1 || n == absl::Uint128Max()) {
        return absl::Uint128Max();
      }
      total += n + 1;
    }
  }
  return total;
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

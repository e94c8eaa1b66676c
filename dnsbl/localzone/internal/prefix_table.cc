#include "dnsbl/localzone/internal/prefix_table.h"

#include <algorithm>

#include "dnsbl/localzone/internal/zone_line.h"

namespace dnsbl {

PrefixTable::PrefixTable(int width) : width_(width), prefixes_(width + 1) {}

void PrefixTable::Add(absl::uint128 prefix, int bits, uint32_t value) {
  prefixes_[bits].emplace_back(prefix, value);
}

void PrefixTable::Finish() {
  for (size_t len = prefixes_.size(); len-- > 0;) {
    auto& p = prefixes_[len];
    if (p.empty()) continue;
    // Stable: the first of duplicated prefixes wins, as in rbldnsd.
    std::stable_sort(p.begin(), p.end(), [](const auto& x, const auto& y) {
      return x.first < y.first;
    });
    p.erase(std::unique(p.begin(), p.end(),
                        [](const auto& x, const auto& y) {
                          return x.first == y.first;
                        }),
            p.end());
    p.shrink_to_fit();
    lengths_.push_back(static_cast<int>(len));
  }
}

uint32_t PrefixTable::Longest(absl::uint128 address, uint32_t none) const {
  for (int len : lengths_) {
    // The top `len` of `width_` bits, kept where Add() stored them.
    const absl::uint128 key =
        width_ == 32
            ? absl::uint128(static_cast<uint32_t>(address) & Mask4(len))
            : address & Mask6(len);
    const auto& p = prefixes_[len];
    auto it = std::lower_bound(
        p.begin(), p.end(), key,
        [](const auto& e, absl::uint128 k) { return e.first < k; });
    if (it != p.end() && it->first == key) return it->second;
  }
  return none;
}

size_t PrefixTable::size() const {
  size_t n = 0;
  for (const auto& p : prefixes_) n += p.size();
  return n;
}

size_t PrefixTable::MemoryBytes() const {
  size_t n = 0;
  for (const auto& p : prefixes_) n += p.capacity() * sizeof(p[0]);
  return n;
}

}  // namespace dnsbl

// dnsbl/localzone/internal/sorted_index.h
//
// Sorting and indexing the large arrays of IPv4 datasets: a radix sort
// (loading a large file was half sorting) and a 16-bit bucket index, so a
// lookup searches one bucket instead of the whole array.
//
// Example:
//
//   dnsbl::RadixSort(addresses, [](uint32_t a) { return uint64_t{a}; });
//   std::vector<uint32_t> starts =
//       dnsbl::BucketStarts(addresses, [](uint32_t a) { return a; });
//   // addresses with top 16 bits k: [starts[k], starts[k + 1])

#ifndef DNSBL_DNSBL_LOCALZONE_INTERNAL_SORTED_INDEX_H_
#define DNSBL_DNSBL_LOCALZONE_INTERNAL_SORTED_INDEX_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace dnsbl {

// Sorts `items` by the 64-bit key(item), least significant byte first (a
// stable LSD radix sort). Its keys are 32-bit addresses and small value
// numbers, so most of the eight byte passes are skipped as all-equal.
template <typename T, typename Key>
void RadixSort(std::vector<T>& items, Key key) {
  std::vector<T> scratch(items.size());
  for (int shift = 0; shift < 64; shift += 8) {
    std::array<size_t, 257> starts{};
    for (const T& item : items) ++starts[((key(item) >> shift) & 255) + 1];
    if (std::find(starts.begin() + 1, starts.end(), items.size()) !=
        starts.end()) {
      continue;  // One digit for all: this pass would not move anything.
    }
    for (size_t d = 1; d < starts.size(); ++d) starts[d] += starts[d - 1];
    for (T& item : items) {
      scratch[starts[(key(item) >> shift) & 255]++] = std::move(item);
    }
    items.swap(scratch);
  }
}

// For `items` sorted by the 32-bit key(item), where each 16-bit prefix of
// their keys starts: entry k is the first item whose key is at least
// k << 16 (65537 entries; none for no items).
template <typename T, typename Key>
std::vector<uint32_t> BucketStarts(const std::vector<T>& items, Key key) {
  if (items.empty()) return {};
  std::vector<uint32_t> starts(65537);
  size_t i = 0;
  for (uint32_t k = 0; k <= 65536; ++k) {
    while (i < items.size() && (key(items[i]) >> 16) < k) ++i;
    starts[k] = static_cast<uint32_t>(i);
  }
  return starts;
}

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_LOCALZONE_INTERNAL_SORTED_INDEX_H_

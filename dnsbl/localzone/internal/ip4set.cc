// ip4set: IPv4 addresses, prefixes and ranges, each with its own value;
// exclusions; the most specific entry decides (rbldnsd's
// rbldnsd_ip4set.c).

#include <algorithm>
#include <utility>
#include <vector>

#include "dnsbl/localzone/internal/dataset.h"
#include "dnsbl/localzone/internal/sorted_index.h"

namespace dnsbl {
namespace {

class Ip4Set final : public Dataset {
 public:
  void AddEntry(ZoneCursor& c, bool excluded, EntryContext& context) override {
    uint32_t a = 0;
    uint32_t b = 0;
    const int bits = ParseIp4Range(c, &a, &b);
    if (bits <= 0 || !c.AtEntryEnd()) {
      context.Warn("invalid address");
      return;
    }
    if (a & ~Mask4(bits)) {
      context.Warn("invalid range (non-zero host part)");
      return;
    }
    if (context.max_range4() != 0 && context.max_range4() <= b - a) {
      context.Warn("too large range ignored");
      return;
    }
    const std::optional<uint32_t> value = context.ValueOrExclusion(c, excluded);
    if (!value.has_value()) return;
    AddRange(a, b, *value);
  }

  void Finish() override {
    for (int level = 0; level < 4; ++level) {
      auto& entries = levels_[level];
      RadixSort(entries, [](const std::pair<uint32_t, uint32_t>& e) {
        return uint64_t{e.first} << 32 | e.second;
      });
      entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
      entries.shrink_to_fit();
      index_[level] =
          BucketStarts(entries, [](const auto& e) { return e.first; });
    }
  }

  ValueIds FindValues(const IpAddress& address) const override {
    ValueIds hits;
    if (!address.is_ipv4()) return hits;
    static constexpr uint32_t kMasks[4] = {0xffffffffu, 0xffffff00u,
                                           0xffff0000u, 0xff000000u};
    const uint32_t q = address.ipv4();
    // The most specific level holding the address decides, and an
    // exclusion there unlists it (rbldnsd sorts exclusions first).
    for (int level = 0; level < 4; ++level) {
      const auto& entries = levels_[level];
      if (entries.empty()) continue;
      const uint32_t key = q & kMasks[level];
      const auto& index = index_[level];
      auto it = std::lower_bound(entries.begin() + index[key >> 16],
                                 entries.begin() + index[(key >> 16) + 1],
                                 std::make_pair(key, 0u));
      if (it == entries.end() || it->first != key) continue;
      for (; it != entries.end() && it->first == key; ++it) {
        if (it->second == kExcludedValue) return {};
        hits.push_back(it->second);
      }
      break;
    }
    return hits;
  }

  void Prefetch(const IpAddress& address) const override {
    // The /32 level: where a single-address list holds nearly everything.
    if (address.is_ipv4() && !index_[0].empty()) {
      __builtin_prefetch(&index_[0][address.ipv4() >> 16]);
    }
  }

  size_t entries() const override {
    size_t n = 0;
    for (const auto& level : levels_) n += level.size();
    return n;
  }

  size_t MemoryBytes() const override {
    size_t n = 0;
    for (const auto& level : levels_) n += level.capacity() * sizeof(level[0]);
    for (const auto& index : index_) n += index.capacity() * sizeof(uint32_t);
    return n;
  }

 private:
  // Splits [a, b] into octet-aligned blocks, each stored at its level
  // (/32, /24, /16, /8), the most specific level first as rbldnsd does: a
  // block is at the coarsest level that holds it whole.
  void AddRange(uint32_t a, uint32_t b, uint32_t value) {
    uint64_t lo = a;
    uint64_t hi = b;
    for (int level = 0; level < 3; ++level) {
      const int shift = 8 * level;
      if ((lo | 255u) >= hi) {
        if (hi - lo == 255u) {
          Add(level + 1, static_cast<uint32_t>(lo << shift), 1, value);
        } else {
          Add(level, static_cast<uint32_t>(lo << shift),
              static_cast<uint32_t>(hi - lo + 1), value);
        }
        return;
      }
      if (lo & 255u) {
        Add(level, static_cast<uint32_t>(lo << shift),
            static_cast<uint32_t>(256 - (lo & 255u)), value);
        lo = (lo >> 8) + 1;
      } else {
        lo >>= 8;
      }
      if ((hi & 255u) != 255u) {
        Add(level, static_cast<uint32_t>((hi & ~uint64_t{255}) << shift),
            static_cast<uint32_t>((hi & 255u) + 1), value);
        hi = (hi >> 8) - 1;
      } else {
        hi >>= 8;
      }
    }
    Add(3, static_cast<uint32_t>(lo << 24), static_cast<uint32_t>(hi - lo + 1),
        value);
  }

  // Adds `count` consecutive blocks of level `level` (0: /32 ... 3: /8).
  void Add(int level, uint32_t start, uint32_t count, uint32_t value) {
    const uint32_t step = 1u << (8 * level);
    auto& entries = levels_[level];
    for (uint32_t k = 0; k < count; ++k) {
      entries.emplace_back(start + k * step, value);
    }
  }

  // Per level (/32, /24, /16, /8): sorted (address, value) pairs, and
  // where each 16-bit prefix starts among them.
  std::vector<std::pair<uint32_t, uint32_t>> levels_[4];
  std::vector<uint32_t> index_[4];
};

}  // namespace

std::unique_ptr<Dataset> NewIp4SetDataset() {
  return std::make_unique<Ip4Set>();
}

}  // namespace dnsbl

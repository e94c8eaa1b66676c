// ip6tset: IPv6 /64 networks sharing the dataset's one value, and single
// /128 exclusions inside them (rbldnsd's rbldnsd_ip6tset.c).

#include <algorithm>
#include <array>
#include <vector>

#include "absl/numeric/int128.h"
#include "dnsbl/localzone/internal/dataset.h"

namespace dnsbl {
namespace {

class Ip6TSet final : public Dataset {
 public:
  void AddEntry(ZoneCursor& c, bool excluded, EntryContext& context) override {
    std::array<uint8_t, 16> b;
    const int bits = ParseIp6Prefix(c, &b);
    if (bits < 0 || !c.AtEntryEnd()) {
      context.Warn("invalid address");
      return;
    }
    if (bits != (excluded ? 128 : 64)) {
      context.Warn(excluded
                       ? "invalid address for exclusion (should be 128 bits)"
                       : "invalid address for regular entry (should be 64 "
                         "bits)");
      return;
    }
    const absl::uint128 v = ToUint128(b);
    if (excluded) {
      excluded_.push_back(v);
    } else {
      set_.push_back(absl::Uint128High64(v));
    }
  }

  void Finish() override {
    std::sort(set_.begin(), set_.end());
    set_.erase(std::unique(set_.begin(), set_.end()), set_.end());
    set_.shrink_to_fit();
    std::sort(excluded_.begin(), excluded_.end());
  }

  ValueIds FindValues(const IpAddress& address) const override {
    ValueIds hits;
    if (address.is_ipv4()) return hits;
    const absl::uint128 q = address.value();
    if (std::binary_search(set_.begin(), set_.end(), absl::Uint128High64(q)) &&
        !std::binary_search(excluded_.begin(), excluded_.end(), q)) {
      hits.push_back(0);
    }
    return hits;
  }

  size_t entries() const override { return set_.size() + excluded_.size(); }

  size_t MemoryBytes() const override {
    return set_.capacity() * sizeof(uint64_t) +
           excluded_.capacity() * sizeof(absl::uint128);
  }

 private:
  std::vector<uint64_t> set_;            // Sorted /64 prefixes.
  std::vector<absl::uint128> excluded_;  // Sorted excluded addresses.
};

}  // namespace

std::unique_ptr<Dataset> NewIp6TSetDataset() {
  return std::make_unique<Ip6TSet>();
}

}  // namespace dnsbl

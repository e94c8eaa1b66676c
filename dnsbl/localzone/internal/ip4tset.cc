// ip4tset: single IPv4 addresses sharing the dataset's one value, no
// exclusions (rbldnsd's rbldnsd_ip4tset.c): the most compact list of
// hosts.

#include <algorithm>
#include <vector>

#include "dnsbl/localzone/internal/dataset.h"
#include "dnsbl/localzone/internal/sorted_index.h"

namespace dnsbl {
namespace {

class Ip4TSet final : public Dataset {
 public:
  void AddEntry(ZoneCursor& c, bool excluded, EntryContext& context) override {
    uint32_t a = 0;
    if (excluded || ParseIp4Prefix(c, &a) != 32 || !c.AtEntryEnd()) {
      context.Warn("invalid address");
      return;
    }
    set_.push_back(a);
  }

  void Finish() override {
    RadixSort(set_, [](uint32_t a) { return uint64_t{a}; });
    set_.erase(std::unique(set_.begin(), set_.end()), set_.end());
    set_.shrink_to_fit();
    index_ = BucketStarts(set_, [](uint32_t a) { return a; });
  }

  ValueIds FindValues(const IpAddress& address) const override {
    ValueIds hits;
    if (!address.is_ipv4() || set_.empty()) return hits;
    const uint32_t q = address.ipv4();
    auto first = set_.begin() + index_[q >> 16];
    auto last = set_.begin() + index_[(q >> 16) + 1];
    if (std::binary_search(first, last, q)) hits.push_back(0);
    return hits;
  }

  void Prefetch(const IpAddress& address) const override {
    if (address.is_ipv4() && !index_.empty()) {
      __builtin_prefetch(&index_[address.ipv4() >> 16]);
    }
  }

  size_t entries() const override { return set_.size(); }

  size_t MemoryBytes() const override {
    return (set_.capacity() + index_.capacity()) * sizeof(uint32_t);
  }

 private:
  std::vector<uint32_t> set_;    // Sorted.
  std::vector<uint32_t> index_;  // Where each 16-bit prefix starts.
};

}  // namespace

std::unique_ptr<Dataset> NewIp4TSetDataset() {
  return std::make_unique<Ip4TSet>();
}

}  // namespace dnsbl

// ip6trie: IPv6 CIDR prefixes, each with its own value, and exclusions;
// the longest matching prefix decides (rbldnsd's rbldnsd_ip6trie.c).

#include <array>

#include "dnsbl/localzone/internal/dataset.h"
#include "dnsbl/localzone/internal/prefix_table.h"

namespace dnsbl {
namespace {

class Ip6Trie final : public Dataset {
 public:
  void AddEntry(ZoneCursor& c, bool excluded, EntryContext& context) override {
    std::array<uint8_t, 16> b;
    const int bits = ParseIp6Cidr(c, &b);
    if (bits < 0 || !c.AtEntryEnd()) {
      context.Warn("invalid address");
      return;
    }
    const absl::uint128 v = ToUint128(b);
    if (v & ~Mask6(bits)) {
      context.Warn("invalid range (non-zero host part)");
      return;
    }
    uint32_t value = kExcludedValue;
    if (!excluded) {
      std::optional<uint32_t> id = context.EntryValue(c);
      if (!id.has_value()) return;
      value = *id;
    }
    table_.Add(v, bits, value);
  }

  void Finish() override { table_.Finish(); }

  ValueIds FindValues(const IpAddress& address) const override {
    ValueIds hits;
    if (address.is_ipv4()) return hits;
    const uint32_t v = table_.Longest(address.value(), kExcludedValue);
    if (v != kExcludedValue) hits.push_back(v);
    return hits;
  }

  size_t entries() const override { return table_.size(); }
  size_t MemoryBytes() const override { return table_.MemoryBytes(); }

 private:
  PrefixTable table_{128};
};

}  // namespace

std::unique_ptr<Dataset> NewIp6TrieDataset() {
  return std::make_unique<Ip6Trie>();
}

}  // namespace dnsbl

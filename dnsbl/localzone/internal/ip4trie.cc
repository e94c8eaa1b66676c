// ip4trie: IPv4 CIDR prefixes, each with its own value, and exclusions;
// the longest matching prefix decides (rbldnsd's rbldnsd_ip4trie.c).

#include "dnsbl/localzone/internal/dataset.h"
#include "dnsbl/localzone/internal/prefix_table.h"

namespace dnsbl {
namespace {

class Ip4Trie final : public Dataset {
 public:
  void AddEntry(ZoneCursor& c, bool excluded, EntryContext& context) override {
    uint32_t a = 0;
    const int bits = ParseIp4Cidr(c, &a);
    if (bits < 0 || !c.AtEntryEnd()) {
      context.Warn("invalid address");
      return;
    }
    if (a & ~Mask4(bits)) {
      context.Warn("invalid range (non-zero host part)");
      return;
    }
    if (context.max_range4() != 0 && context.max_range4() <= ~Mask4(bits)) {
      context.Warn("too large range ignored");
      return;
    }
    uint32_t value = kExcludedValue;
    if (!excluded) {
      std::optional<uint32_t> v = context.EntryValue(c);
      if (!v.has_value()) return;
      value = *v;
    }
    table_.Add(absl::uint128(a), bits, value);
  }

  void Finish() override { table_.Finish(); }

  ValueIds FindValues(const IpAddress& address) const override {
    ValueIds hits;
    if (!address.is_ipv4()) return hits;
    const uint32_t v =
        table_.Longest(absl::uint128(address.ipv4()), kExcludedValue);
    if (v != kExcludedValue) hits.push_back(v);
    return hits;
  }

  size_t entries() const override { return table_.size(); }
  size_t MemoryBytes() const override { return table_.MemoryBytes(); }

 private:
  PrefixTable table_{32};
};

}  // namespace

std::unique_ptr<Dataset> NewIp4TrieDataset() {
  return std::make_unique<Ip4Trie>();
}

}  // namespace dnsbl

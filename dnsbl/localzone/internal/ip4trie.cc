// ip4trie: IPv4 CIDR prefixes, each with its own value, and exclusions;
// the longest matching prefix decides (rbldnsd's rbldnsd_ip4trie.c).

#include "dnsbl/localzone/internal/dataset.h"

namespace dnsbl {
namespace {

class Ip4Trie final : public PrefixDataset {
 public:
  Ip4Trie() : PrefixDataset(/*ipv6=*/false) {}

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
    const std::optional<uint32_t> value = context.ValueOrExclusion(c, excluded);
    if (!value.has_value()) return;
    table().Add(absl::uint128(a), bits, *value);
  }
};

}  // namespace

std::unique_ptr<Dataset> NewIp4TrieDataset() {
  return std::make_unique<Ip4Trie>();
}

}  // namespace dnsbl

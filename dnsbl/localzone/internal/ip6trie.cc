// ip6trie: IPv6 CIDR prefixes, each with its own value, and exclusions;
// the longest matching prefix decides (rbldnsd's rbldnsd_ip6trie.c).

#include <array>

#include "dnsbl/localzone/internal/dataset.h"

namespace dnsbl {
namespace {

class Ip6Trie final : public PrefixDataset {
 public:
  Ip6Trie() : PrefixDataset(/*ipv6=*/true) {}

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
    const std::optional<uint32_t> value = context.ValueOrExclusion(c, excluded);
    if (!value.has_value()) return;
    table().Add(v, bits, *value);
  }
};

}  // namespace

std::unique_ptr<Dataset> NewIp6TrieDataset() {
  return std::make_unique<Ip6Trie>();
}

}  // namespace dnsbl

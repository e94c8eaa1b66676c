#include "dnsbl/localzone/internal/dataset.h"

namespace dnsbl {

ValueIds PrefixDataset::FindValues(const IpAddress& address) const {
  ValueIds hits;
  if (address.is_ipv4() == ipv6_) return hits;  // The other family.
  const uint32_t v = table_.Longest(
      ipv6_ ? address.value() : absl::uint128(address.ipv4()), kExcludedValue);
  if (v != kExcludedValue) hits.push_back(v);
  return hits;
}

bool HasSingleValue(DatasetType type) {
  return type == DatasetType::kIp4TSet || type == DatasetType::kIp6TSet;
}

bool TakesColonEntries(DatasetType type) {
  // As rbldnsd: only ip6trie reads "::1" as an entry; elsewhere a line
  // starting with ':' is a default value.
  return type == DatasetType::kIp6Trie;
}

std::unique_ptr<Dataset> NewDataset(DatasetType type) {
  switch (type) {
    case DatasetType::kIp4Set:
      return NewIp4SetDataset();
    case DatasetType::kIp4TSet:
      return NewIp4TSetDataset();
    case DatasetType::kIp4Trie:
      return NewIp4TrieDataset();
    case DatasetType::kIp6Trie:
      return NewIp6TrieDataset();
    case DatasetType::kIp6TSet:
      return NewIp6TSetDataset();
  }
  return NewIp4SetDataset();
}

}  // namespace dnsbl

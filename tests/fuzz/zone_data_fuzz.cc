// Fuzzes the rbldnsd data file reader: any text, as any dataset type,
// loads without crashing (bad lines are skipped with a warning), and
// lookups agree with themselves: the A values of Lookup() are those of
// LookupA(), TXT answers stay within 254 bytes.

#include <cstdint>
#include <cstdlib>
#include <string>

#include "dnsbl/base/address.h"
#include "dnsbl/localzone/internal/zone_data.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const dnsbl::DatasetType kTypes[] = {
      dnsbl::DatasetType::kIp4Set, dnsbl::DatasetType::kIp4TSet,
      dnsbl::DatasetType::kIp4Trie, dnsbl::DatasetType::kIp6Trie,
      dnsbl::DatasetType::kIp6TSet};
  const dnsbl::DatasetType type = kTypes[data[0] % 5];
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  absl::StatusOr<std::shared_ptr<const dnsbl::ZoneData>> zone =
      dnsbl::ParseZoneData(type, text, "fuzz.zone",
                           absl::FromUnixSeconds(1796083200));
  if (!zone.ok()) return 0;
  // Addresses from the input's bytes, both families, and fixed ones.
  uint32_t v4 = 0x7f000002u;
  std::array<uint8_t, 16> v6{};
  for (size_t i = 0; i < size; ++i) {
    v4 = v4 * 31 + data[i];
    v6[i % 16] ^= data[i];
  }
  for (const dnsbl::IpAddress& ip :
       {dnsbl::IpAddress::FromIpv4(v4), dnsbl::IpAddress::FromIpv4(0x0a000001u),
        dnsbl::IpAddress::FromIpv4(0x7f000002u),
        dnsbl::IpAddress::FromIpv6(v6)}) {
    const dnsbl::LocalAnswer full = (*zone)->Lookup(ip);
    const dnsbl::ZoneData::AValues a = (*zone)->LookupA(ip);
    if (full.records.size() != a.size()) abort();
    for (size_t i = 0; i < a.size(); ++i) {
      if (full.records[i].a != a[i] || full.records[i].a == 0) abort();
      if (full.records[i].txt.size() > 254) abort();
    }
  }
  return 0;
}

// Fuzzes the two files direct resolution reads: root hints (named.root)
// and the delegation cache, chosen by the first byte. No crash; hints that
// parse name at least one server, each with an address; a cache that
// parses holds only valid names, cuts at or above their zones, and
// delegations that run out within a day.

#include <cstdint>
#include <cstdlib>
#include <string>

#include "dnsbl/base/address.h"
#include "dnsbl/dns/internal/delegation_cache.h"
#include "dnsbl/dns/internal/root_hints.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] % 2 == 0) {
    absl::StatusOr<dnsbl::RootHints> hints =
        dnsbl::RootHints::Parse(text, "fuzz");
    if (hints.ok()) {
      if (hints->servers().empty()) abort();
      for (const dnsbl::NameServer& s : hints->servers()) {
        if (s.addresses.empty()) abort();
      }
      if (hints->Fingerprint() != hints->Fingerprint()) abort();
    } else if (hints.status().message().empty()) {
      abort();
    }
    return 0;
  }
  const absl::Time now = absl::FromUnixSeconds(1800000000);
  absl::StatusOr<dnsbl::DelegationCacheContents> cache =
      dnsbl::ParseDelegationCache(text, "0123456789abcdef", now);
  if (!cache.ok()) {
    if (cache.status().message().empty()) abort();
    return 0;
  }
  for (const dnsbl::Delegation& d : cache->delegations) {
    if (d.expires <= now || d.expires > now + absl::Hours(25)) abort();
    if (!dnsbl::ValidateDnsName(d.zone, "zone").ok()) abort();
    if (!dnsbl::NameAtOrBelow(d.zone, d.cut)) abort();
    if (d.servers.empty()) abort();
    for (const dnsbl::NameServer& s : d.servers) {
      if (s.addresses.empty()) abort();
    }
  }
  return 0;
}

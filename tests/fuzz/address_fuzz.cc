// Fuzzes address, network, nameserver and host name parsing: no crash, and
// every address that parses prints to a text that parses back to it.

#include <cstdint>
#include <cstdlib>
#include <string>

#include "dnsbl/base/address.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<dnsbl::IpAddress> ip = dnsbl::IpAddress::Parse(text);
  if (ip.ok()) {
    absl::StatusOr<dnsbl::IpAddress> again =
        dnsbl::IpAddress::Parse(ip->ToString());
    if (!again.ok() || *again != *ip) abort();
    if (ip->ReverseName().empty()) abort();
  } else if (ip.status().message().empty()) {
    abort();  // An error must say what is wrong.
  }
  absl::StatusOr<dnsbl::IpRange> range = dnsbl::IpRange::Parse(text);
  if (range.ok() && range->last < range->first) abort();
  (void)dnsbl::ParseEndpoint(text);
  (void)dnsbl::ValidateDnsName(text, "name");
  (void)dnsbl::LooksLikeIpAddress(text);
  return 0;
}

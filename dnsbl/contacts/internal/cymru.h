// dnsbl/contacts/internal/cymru.h
//
// Team Cymru's IP-to-ASN mapping over DNS: which network announces an
// address, and the name of its autonomous system. Pure functions: the
// names to ask, and the TXT answers read into plain structs; the Checker
// asks the questions on its own resolver, beside the zones.
//
//   <reversed IPv4>.origin.asn.cymru.com   TXT "64500 | 192.0.2.0/24 | ZZ |
//   ripencc | 2004-01-01" <32 nibbles>.origin6.asn.cymru.com     TXT the same
//   for IPv6 AS64500.asn.cymru.com                  TXT "64500 | ZZ | ripencc |
//   2004-01-01 | EXAMPLE-AS Example Org, ZZ"
//
// A prefix announced by several origins lists them all, space-separated,
// in the first field.
//
// Example:
//
//   std::string name = dnsbl::CymruOriginQuery(ip);
//   absl::StatusOr<dnsbl::CymruOrigin> origin =
//       dnsbl::ParseCymruOrigin(txt_record);

#ifndef DNSBL_DNSBL_CONTACTS_INTERNAL_CYMRU_H_
#define DNSBL_DNSBL_CONTACTS_INTERNAL_CYMRU_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "dnsbl/base/address.h"

namespace dnsbl {

// What Cymru says announces an address.
struct CymruOrigin {
  std::vector<uint32_t> asns;  // Origin ASNs, at least one.
  std::string prefix;          // The BGP prefix, normalized ("192.0.2.0/24").
  std::string country;         // As assigned by the registry, e.g. "NL".
  std::string registry;        // e.g. "ripencc", "arin".
  std::string allocated;       // "YYYY-MM-DD", or "" when not given.
};

// What Cymru says of an autonomous system.
struct CymruAsName {
  uint32_t asn = 0;
  std::string country;
  std::string registry;
  std::string allocated;
  std::string name;  // e.g. "EXAMPLE-AS Example Org, ZZ"; untrusted text.
};

// The zones Cymru answers from: origins of IPv4 and IPv6 addresses, and AS
// names.
inline constexpr char kCymruOriginZone[] = "origin.asn.cymru.com";
inline constexpr char kCymruOrigin6Zone[] = "origin6.asn.cymru.com";
inline constexpr char kCymruAsZone[] = "asn.cymru.com";

// Returns the name to ask for `address`'s origin: reversed octets under
// origin.asn.cymru.com, or 32 reversed nibbles under origin6.asn.cymru.com.
std::string CymruOriginQuery(const IpAddress& address);

// Returns the name to ask for the name of `asn`: "AS<asn>.asn.cymru.com".
std::string CymruAsNameQuery(uint32_t asn);

// Parses one origin TXT record. Returns InvalidArgument saying what is
// wrong for anything else: fewer than three fields, an ASN that is not a
// number, a prefix that is not a network.
absl::StatusOr<CymruOrigin> ParseCymruOrigin(absl::string_view txt);

// Parses one AS name TXT record; InvalidArgument as above.
absl::StatusOr<CymruAsName> ParseCymruAsName(absl::string_view txt);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_CONTACTS_INTERNAL_CYMRU_H_

// dnsbl/contacts/internal/rdap_bootstrap.h
//
// Which registry's RDAP server to ask about an address: IANA's bootstrap
// registries for IPv4 and IPv6 address space (RFC 9224), longest prefix
// first, HTTPS base URLs only.
//
// The built-in copy (rdap_bootstrap_ipv4.json, rdap_bootstrap_ipv6.json
// beside this file) holds IANA's data as published at
// https://data.iana.org/rdap/ipv4.json and ipv6.json, taken on 2026-12-01
// from the mirror in the public repository jelebruh/whois-rdap-autogen
// (commit 7780107d), which drops IANA's publication time. Space IANA
// has not delegated (0/8, 10/8, 127/8, multicast, ...) has no entry, so no
// registry is asked about it. A fresh copy can be given at run time
// (CheckerOptions::rdap_bootstrap_files, dnsbl --rdap_bootstrap).
//
// Example:
//
//   std::optional<std::string> base =
//       dnsbl::RdapBootstrap::Builtin().BaseUrlFor(ip);
//   if (base) Fetch(dnsbl::RdapIpQuery(*base, ip));

#ifndef DNSBL_DNSBL_CONTACTS_INTERNAL_RDAP_BOOTSTRAP_H_
#define DNSBL_DNSBL_CONTACTS_INTERNAL_RDAP_BOOTSTRAP_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "dnsbl/base/address.h"

namespace dnsbl {

// An immutable bootstrap table. Thread-safe (const after construction).
class RdapBootstrap {
 public:
  // Parses IANA's IPv4 and IPv6 bootstrap files (RFC 9224 section 3; either
  // may be empty, meaning no entries for that family). Returns
  // InvalidArgument naming the file ("ipv4"/"ipv6") and the bad entry.
  static absl::StatusOr<RdapBootstrap> Parse(absl::string_view ipv4_json,
                                             absl::string_view ipv6_json);

  // Returns the built-in copy (see the file comment). Never fails: the
  // copy is checked by rdap_bootstrap_test.
  static const RdapBootstrap& Builtin();

  // Returns the HTTPS base URL of the most specific entry holding
  // `address`, or nullopt when no registry serves it.
  std::optional<std::string> BaseUrlFor(const IpAddress& address) const;

  // The entries read, for tests and diagnostics.
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    IpRange range;
    int prefix_length;
    std::string base_url;
  };
  std::vector<Entry> entries_;  // Longest prefix first.
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_CONTACTS_INTERNAL_RDAP_BOOTSTRAP_H_

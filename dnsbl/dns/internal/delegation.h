// dnsbl/dns/internal/delegation.h
//
// What direct resolution learns about a zone before asking it anything:
// the zone cut its names are served from and that cut's nameservers with
// their addresses, valid until the shortest TTL among the records it was
// read from. Found by DelegationFinder
// (dnsbl/dns/internal/delegation_finder.h), kept across runs by DelegationCache
// (dnsbl/dns/internal/delegation_cache.h).
//
// Example:
//
//   dnsbl::Delegation d;
//   d.zone = "bl.example";
//   d.cut = "bl.example";
//   d.servers = {{"ns1.bl.example", {*dnsbl::IpAddress::Parse("192.0.2.53")}}};
//   d.expires = clock->Now() + absl::Hours(1);

#ifndef DNSBL_DNSBL_DNS_INTERNAL_DELEGATION_H_
#define DNSBL_DNSBL_DNS_INTERNAL_DELEGATION_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "dnsbl/base/address.h"

namespace dnsbl {

// A nameserver: its name (lower case, no trailing dot) and addresses.
struct NameServer {
  std::string name;
  std::vector<IpAddress> addresses;

  friend bool operator==(const NameServer& a, const NameServer& b) {
    return a.name == b.name && a.addresses == b.addresses;
  }
};

// The servers of a zone. A value type.
struct Delegation {
  // The name asked about: a blocklist zone as it is queried (with its key,
  // "<key>.zen.dq.spamhaus.net"), or a contact source's zone.
  std::string zone;
  // The zone cut that serves `zone`'s names: `zone` itself when it is
  // delegated, else the nearest ancestor that is (the owner of the SOA
  // that answered for it).
  std::string cut;
  // The cut's nameservers that have an address, in the order the NS
  // records gave them.
  std::vector<NameServer> servers;
  // When the shortest TTL of the NS and address records runs out.
  absl::Time expires = absl::InfinitePast();

  friend bool operator==(const Delegation& a, const Delegation& b) {
    return a.zone == b.zone && a.cut == b.cut && a.servers == b.servers &&
           a.expires == b.expires;
  }
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_DNS_INTERNAL_DELEGATION_H_

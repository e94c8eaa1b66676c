// dnsbl/dns/resolver_policy.h
//
// Advice about the resolver a check goes through. Several blocklist
// operators refuse queries that arrive through big public resolvers
// (Spamhaus answers 127.255.255.254), and users of other checkers most often
// complain of exactly this: refusals read as listings, and no hint why.
//
// A resolver that cannot reach the blocklists at all (no internet, a DNS
// firewall) answers NXDOMAIN for every name; PathWarnings() says so once.
//
// Example:
//
//   for (const std::string& w : dnsbl::ResolverWarnings(
//            checker->resolver_description(), refusing_zones)) {
//     std::cerr << "dnsbl: warning: " << w << "\n";
//   }

#ifndef DNSBL_DNSBL_DNS_RESOLVER_POLICY_H_
#define DNSBL_DNSBL_DNS_RESOLVER_POLICY_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "dnsbl/base/address.h"
#include "dnsbl/base/setting_names.h"
#include "proto/dnsbl.pb.h"

namespace dnsbl {

// Returns the operator of `address` if it is a well-known public resolver
// (Google, Cloudflare, Quad9, OpenDNS, ...), else "".
absl::string_view PublicResolverOperator(const IpAddress& address);

// Returns advice for a person, one sentence each: when
// `resolver_description` (as Resolver::Describe(), "ADDR:PORT,...") names a
// public resolver, and when `refusing_zones` (zones that answered with a
// refused code) is not empty. Empty when there is nothing to say.
// `settings` names what to change.
std::vector<std::string> ResolverWarnings(
    absl::string_view resolver_description,
    absl::Span<const std::string> refusing_zones,
    const SettingNames& settings = SettingNames());

// Returns one warning when most zones of `health` (the probed ones) could
// not be seen through `resolver_description`: NO_SUCH_ZONE or FILTERED.
// Then the path, not the blocklists, is at fault (a resolver cut off from
// the internet, a DNS firewall), and one sentence saying so beats a wall
// of per-zone errors. Empty otherwise.
std::vector<std::string> PathWarnings(
    absl::string_view resolver_description,
    absl::Span<const v1::ZoneHealth> health,
    const SettingNames& settings = SettingNames());

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_DNS_RESOLVER_POLICY_H_

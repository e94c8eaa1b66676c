// dnsbl/resolver_policy.h
//
// Advice about the resolver a check goes through. Several blocklist
// operators refuse queries that arrive through big public resolvers
// (Spamhaus answers 127.255.255.254), and users of other checkers most often
// complain of exactly this: refusals read as listings, and no hint why.
//
// Example:
//
//   for (const std::string& w : dnsbl::ResolverWarnings(
//            checker->resolver_description(), refusing_zones)) {
//     std::cerr << "dnsbl: warning: " << w << "\n";
//   }

#ifndef DNSBL_DNSBL_RESOLVER_POLICY_H_
#define DNSBL_DNSBL_RESOLVER_POLICY_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "dnsbl/address.h"

namespace dnsbl {

// Returns the operator of `address` if it is a well-known public resolver
// (Google, Cloudflare, Quad9, OpenDNS, ...), else "".
absl::string_view PublicResolverOperator(const IpAddress& address);

// Returns advice for a person, one sentence each: when
// `resolver_description` (as Resolver::Describe(), "ADDR:PORT,...") names a
// public resolver, and when `refusing_zones` (zones that answered with a
// refused code) is not empty. Empty when there is nothing to say.
std::vector<std::string> ResolverWarnings(
    absl::string_view resolver_description,
    absl::Span<const std::string> refusing_zones);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_RESOLVER_POLICY_H_

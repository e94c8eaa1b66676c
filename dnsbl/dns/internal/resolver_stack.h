// dnsbl/dns/internal/resolver_stack.h
//
// The one place the production resolver is assembled: how answers are
// reached (recursive: c-ares asking the nameservers, dnsbl/dns/
// ares_resolver.h; direct: each zone's own servers found from the root,
// dnsbl/dns/internal/direct_resolver.h) under the adaptive window that paces,
// rate-limits and resends questions (dnsbl/dns/internal/adaptive_resolver.h).
// Checker and BulkRunner both build theirs here, so options are validated,
// the mode chosen and the window fitted to its cap in one place.
//
// Automatic resolution (ResolutionMode::kAuto) is direct where the
// internet's root is reachable and recursive elsewhere, decided so that a
// machine cut off from the internet sends no packet to any public address:
//   1. Nameservers given: recursive through them.
//   2. The system resolver is asked about the root zone itself (". A",
//      whose true answer is NODATA). Any other answer (NXDOMAIN, as
//      resolvers cut off from the internet give; SERVFAIL; no answer)
//      means the internet's DNS cannot be seen from here: recursive
//      through the system resolver, with a warning saying why. Nothing
//      else has been sent anywhere.
//   3. Every zone's servers are in the delegation cache and still valid:
//      direct, without asking the root.
//   4. The cache says no root server answered within the last hour:
//      recursive, with a warning.
//   5. The root servers are asked for the root's NS set: an answer means
//      direct; none (a firewall that lets only the local resolver out)
//      means recursive with a warning, remembered for an hour.
//
// Example:
//
//   dnsbl::TransportOptions transport;
//   transport.resolution = dnsbl::ResolutionMode::kDirect;
//   transport.direct_zones = {"bl.example"};
//   absl::StatusOr<dnsbl::ResolverStack> stack =
//       dnsbl::CreateResolverStack(transport, dnsbl::AdaptiveOptions());
//   for (const std::string& w : stack->warnings) Warn(w);

#ifndef DNSBL_DNSBL_DNS_INTERNAL_RESOLVER_STACK_H_
#define DNSBL_DNSBL_DNS_INTERNAL_RESOLVER_STACK_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dnsbl/dns/internal/adaptive_resolver.h"
#include "dnsbl/dns/internal/resolver.h"

namespace dnsbl {

// How questions reach the answers.
struct TransportOptions {
  // Recursive, direct, or chosen as the file comment says. Default: kAuto.
  ResolutionMode resolution = ResolutionMode::kAuto;

  // Nameservers ("ADDR", "ADDR:PORT", "[IPV6]:PORT") for recursive
  // resolution. Default: empty, meaning those of /etc/resolv.conf.
  std::vector<std::string> nameservers;

  // Direct resolution: a named.root file of root servers to start from.
  // Default: empty, meaning IANA's (RootHints::Builtin()). REQUIRES: empty
  // or a readable file in that format.
  std::string root_hints;

  // Direct resolution: the file delegations are kept in across runs
  // (DefaultDelegationCachePath() is the user's). Default: empty, none.
  std::string delegation_cache;

  // Direct resolution: the zones whose own servers are asked (as asked:
  // "<key>.<zone>" for a zone with a key). Other names are resolved from
  // the root in full. Default: none.
  std::vector<std::string> direct_zones;

  // Time to wait for one copy of one question. Default: 2 seconds.
  // REQUIRES: >= 1ms.
  absl::Duration timeout = absl::Seconds(2);

  // Copies of a question sent in all: the first, and a resend each time it
  // is overdue (AdaptiveOptions::retransmits is set from this). Default: 2.
  // REQUIRES: >= 1.
  int tries = 2;
};

// What CreateResolverStack() made.
struct ResolverStack {
  std::unique_ptr<AdaptiveResolver> resolver;
  // For a person, one sentence each: why automatic resolution chose
  // recursive, a delegation cache that was damaged or not saved.
  std::vector<std::string> warnings;
};

// Returns the resolver `transport` asks for under an AdaptiveResolver with
// `adaptive`'s window, rate limits and clock, resending an overdue
// question `transport.tries` - 1 times. `adaptive.initial_window` and
// `adaptive.min_window` are lowered to `adaptive.max_inflight` when above
// it. Direct resolution finds every zone's servers before it returns (from
// the cache when valid), so the first questions need not wait. Returns
// InvalidArgument naming the bad option (a nameserver, the timeout, tries,
// max_inflight, a zone), NotFound for a root hints file that cannot be
// read.
absl::StatusOr<ResolverStack> CreateResolverStack(
    const TransportOptions& transport, AdaptiveOptions adaptive);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_DNS_INTERNAL_RESOLVER_STACK_H_

// dnsbl/dns/resolver_stack.h
//
// The one place the production resolver is assembled: c-ares asking the
// nameservers (dnsbl/dns/ares_resolver.h) under the adaptive window that paces,
// rate-limits and resends questions (dnsbl/dns/adaptive_resolver.h). Checker
// and BulkRunner both build theirs here, so options are validated, and the
// window fitted to its cap, in one place.
//
// Example:
//
//   dnsbl::TransportOptions transport;
//   transport.nameservers = {"127.0.0.1:5353"};
//   dnsbl::AdaptiveOptions adaptive;
//   adaptive.max_inflight = 500;
//   absl::StatusOr<std::unique_ptr<dnsbl::AdaptiveResolver>> resolver =
//       dnsbl::CreateResolverStack(transport, adaptive);

#ifndef DNSBL_DNSBL_DNS_RESOLVER_STACK_H_
#define DNSBL_DNSBL_DNS_RESOLVER_STACK_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dnsbl/dns/adaptive_resolver.h"

namespace dnsbl {

// How questions reach the nameservers.
struct TransportOptions {
  // Nameservers ("ADDR", "ADDR:PORT", "[IPV6]:PORT"). Default: empty,
  // meaning those of /etc/resolv.conf.
  std::vector<std::string> nameservers;

  // Time to wait for one copy of one question. Default: 2 seconds.
  // REQUIRES: >= 1ms.
  absl::Duration timeout = absl::Seconds(2);

  // Copies of a question sent in all: the first, and a resend each time it
  // is overdue (AdaptiveOptions::retransmits is set from this). Default: 2.
  // REQUIRES: >= 1.
  int tries = 2;
};

// Returns c-ares asking `transport.nameservers` with one try per copy of a
// question, under an AdaptiveResolver with `adaptive`'s window, rate limits
// and clock, resending an overdue question `transport.tries` - 1 times.
// `adaptive.initial_window` and `adaptive.min_window` are lowered to
// `adaptive.max_inflight` when above it. Returns InvalidArgument naming the
// bad option (a nameserver, the timeout, tries, max_inflight).
absl::StatusOr<std::unique_ptr<AdaptiveResolver>> CreateResolverStack(
    const TransportOptions& transport, AdaptiveOptions adaptive);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_DNS_RESOLVER_STACK_H_

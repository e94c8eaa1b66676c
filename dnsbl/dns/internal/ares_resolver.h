// dnsbl/dns/internal/ares_resolver.h
//
// The production Resolver, on c-ares. This header and its .cc are the only
// files in dnsbl that know c-ares exists.
//
// Example:
//
//   dnsbl::ResolverOptions options;
//   options.nameservers = {"127.0.0.1:5353"};
//   absl::StatusOr<std::unique_ptr<dnsbl::Resolver>> resolver =
//       dnsbl::CreateAresResolver(options);

#ifndef DNSBL_DNSBL_DNS_INTERNAL_ARES_RESOLVER_H_
#define DNSBL_DNSBL_DNS_INTERNAL_ARES_RESOLVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "dnsbl/base/clock.h"
#include "dnsbl/dns/internal/resolver.h"

namespace dnsbl {

struct ResolverOptions {
  // Nameservers to ask, each as accepted by ParseEndpoint() ("ADDR",
  // "ADDR:PORT", "[IPV6]:PORT"). Default: empty, meaning the nameservers
  // of the system's /etc/resolv.conf.
  std::vector<std::string> nameservers;

  // How long to wait for an answer to one try of one question. Each try
  // asks every nameserver in turn, waiting this long for each.
  // Default: 2 seconds. REQUIRES: at least 1 millisecond.
  absl::Duration timeout = absl::Seconds(2);

  // How many times to ask a question that got no answer (timeouts and
  // unreachable servers) before giving up. Default: 2. REQUIRES: >= 1.
  int tries = 2;

  // The most questions on the wire at once; more wait in a queue.
  // Default: 100. REQUIRES: >= 1.
  int max_inflight = 100;

  // Whether questions ask for recursion (the RD bit): yes for a recursive
  // resolver, no for a zone's own server (direct resolution). Default:
  // true.
  bool recursion_desired = true;

  // The EDNS0 UDP payload size offered, in bytes; 0 asks without EDNS.
  // Default: 1232, the size DNS Flag Day 2020 settled on (no IP
  // fragmentation on common paths). REQUIRES: 0 or 512 to 65535.
  int edns_payload = 1232;

  // The clock the resolver's note of c-ares's next deadline is kept on.
  // c-ares times its queries on the system's monotonic clock; a clock
  // that jumps (a test's, or the wall clock) only makes the resolver ask
  // c-ares again, never wait past a try. Default: null, meaning
  // Clock::Monotonic(). A given clock must outlive the resolver.
  Clock* clock = nullptr;
};

// Parses a raw DNS answer to a question of `type`, exactly as the c-ares
// resolver does with what it receives: the rcode, then the records. For
// tests and fuzzing; never fails (bad input is kMalformed).
DnsResponse ParseDnsAnswer(RecordType type, absl::Span<const uint8_t> answer);

// Returns a Resolver asking the nameservers of `options`, or
// InvalidArgument naming the bad option, or Internal if c-ares cannot start
// (e.g. no usable /etc/resolv.conf).
absl::StatusOr<std::unique_ptr<Resolver>> CreateAresResolver(
    const ResolverOptions& options);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_DNS_INTERNAL_ARES_RESOLVER_H_

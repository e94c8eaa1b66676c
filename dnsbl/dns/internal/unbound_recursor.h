// dnsbl/dns/internal/unbound_recursor.h
//
// The production Recursor, on libunbound (NLnet Labs' recursive resolver
// as a library). This header and its .cc are the only files in dnsbl that
// know libunbound exists.
//
// libunbound resolves on a thread of its own and hands answers back
// through a pipe (ub_fd()), which this class watches as an EventSource, so
// the caller's loop drives it alongside c-ares. It is set up as direct
// resolution needs: root hints from RootHints (never its compiled-in ones,
// never the system's resolv.conf or hosts file), no QNAME minimisation
// (names in rbldnsd-served zones have empty non-terminals that answer
// NXDOMAIN, which minimisation reads as "nothing below"), hardened glue
// (glue outside the delegating zone is not trusted), a 1,232-byte EDNS
// buffer, no DNSSEC validation (blocklist answers are not signed). Loopback
// servers are asked only when the root hints themselves are on loopback
// (a lab or test root).
//
// Example:
//
//   dnsbl::RecursorOptions options;
//   options.hints = dnsbl::RootHints::Builtin();
//   absl::StatusOr<std::unique_ptr<dnsbl::Recursor>> recursor =
//       dnsbl::CreateUnboundRecursor(options);

#ifndef DNSBL_DNSBL_DNS_INTERNAL_UNBOUND_RECURSOR_H_
#define DNSBL_DNSBL_DNS_INTERNAL_UNBOUND_RECURSOR_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dnsbl/base/clock.h"
#include "dnsbl/dns/internal/recursor.h"
#include "dnsbl/dns/internal/root_hints.h"

namespace dnsbl {

struct RecursorOptions {
  // Where resolution starts. Default: IANA's (RootHints::Builtin()).
  RootHints hints = RootHints::Builtin();

  // How long one resolution may take before it is given up
  // (DeadlineExceeded). libunbound itself keeps trying unresponsive
  // servers for much longer. Default: 5 seconds. REQUIRES: > 0.
  absl::Duration timeout = absl::Seconds(5);

  // Where deadlines are measured. Default: null, meaning Clock::Real().
  // A given clock must outlive the recursor.
  Clock* clock = nullptr;
};

// Returns a libunbound Recursor, or InvalidArgument for a bad option, or
// Internal when libunbound refuses its configuration.
absl::StatusOr<std::unique_ptr<Recursor>> CreateUnboundRecursor(
    const RecursorOptions& options);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_DNS_INTERNAL_UNBOUND_RECURSOR_H_

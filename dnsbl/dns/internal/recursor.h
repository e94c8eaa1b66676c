// dnsbl/dns/internal/recursor.h
//
// The seam to a full recursive resolver that dnsbl runs itself, starting
// from the root hints (dnsbl/dns/internal/root_hints.h) and asking no resolver
// of the system's. Direct resolution uses it to find each zone's servers
// (dnsbl/dns/internal/delegation_finder.h) and for the few names that are under
// no blocklist zone (host names); the production implementation is libunbound
// (dnsbl/dns/internal/unbound_recursor.h).
//
// Example:
//
//   recursor->Resolve("bl.example", dnsbl::kDnsNs,
//                     [](dnsbl::RecursorAnswer a) { ... a.packet ... });
//   while (recursor->pending() > 0) recursor->Poll(absl::Seconds(1));

#ifndef DNSBL_DNSBL_DNS_INTERNAL_RECURSOR_H_
#define DNSBL_DNSBL_DNS_INTERNAL_RECURSOR_H_

#include <cstdint>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "dnsbl/base/fd_events.h"

namespace dnsbl {

// The outcome of one recursive resolution.
struct RecursorAnswer {
  // Not OK when no answer could be had at all: DeadlineExceeded after the
  // recursor's timeout, Internal for a failure of the library. A SERVFAIL
  // (every server of some zone on the way failed) is an answer.
  absl::Status status;
  // The answer as a DNS message, as the recursor would send it to a
  // client (rcode, answer, authority and additional sections). Empty
  // unless `status` is OK.
  std::vector<uint8_t> packet;
};

// A recursive resolver driven as an EventSource (its pending work is
// resolutions). Not thread-safe: one thread calls every method; callbacks
// run on it, inside Poll() or Process().
class Recursor : public EventSource {
 public:
  using Callback = absl::AnyInvocable<void(RecursorAnswer)>;

  // Resolves records of `type` (a DnsType) at the absolute `name` and
  // calls `done` exactly once, unless the recursor is destroyed first.
  virtual void Resolve(absl::string_view name, uint16_t type,
                       Callback done) = 0;
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_DNS_INTERNAL_RECURSOR_H_

// dnsbl/dns/internal/resolver.h
//
// The seam between dnsbl and the network: an asynchronous DNS resolver
// driven by its owner's loop. The production implementation sits on c-ares
// (dnsbl/dns/internal/ares_resolver.h); tests and callers with their own
// transport can supply another.
//
// Example (its own loop):
//
//   resolver->Lookup("2.0.0.127.zen.spamhaus.org", dnsbl::RecordType::kA,
//                    [](dnsbl::DnsResponse r) { ... });
//   while (resolver->pending() > 0) resolver->Poll(absl::Seconds(1));
//
// Example (the caller's loop; examples/epoll_check.cc does this with epoll):
//
//   while (resolver->pending() > 0) {
//     std::vector<dnsbl::FdEvents> watch = resolver->Descriptors();
//     // ... wait up to resolver->NextTimeout() for any of `watch` ...
//     resolver->Process(ready);  // those that became ready, or none
//   }

#ifndef DNSBL_DNSBL_DNS_INTERNAL_RESOLVER_H_
#define DNSBL_DNSBL_DNS_INTERNAL_RESOLVER_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "dnsbl/base/fd_events.h"
#include "dnsbl/dns/internal/dns.h"

namespace dnsbl {

// An asynchronous DNS resolver, driven as an EventSource (its pending work
// is lookups). Not thread-safe: one thread calls Lookup() and the loop
// methods; callbacks run on that thread, inside Poll() or Process() (or
// inside Lookup() when the question fails at once).
class Resolver : public EventSource {
 public:
  using Callback = absl::AnyInvocable<void(DnsResponse)>;

  // Asks for records of `type` at the absolute `name` (no search list).
  // Calls `done` exactly once, unless the resolver is destroyed first, in
  // which case it is dropped uncalled. `done` may call Lookup() again.
  virtual void Lookup(absl::string_view name, RecordType type,
                      Callback done) = 0;

  // As Lookup(), for a copy of a question already out and not yet
  // answered (the adaptive window resends overdue questions): a resolver
  // with a choice of servers can send it to another. Default: Lookup().
  virtual void LookupCopy(absl::string_view name, RecordType type,
                          Callback done) {
    Lookup(name, type, std::move(done));
  }

  // Returns the nameservers asked, e.g. "127.0.0.1:5353", for reports.
  virtual std::string Describe() const = 0;

  // Returns how answers are reached: kRecursive or kDirect.
  virtual ResolutionMode mode() const { return ResolutionMode::kRecursive; }
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_DNS_INTERNAL_RESOLVER_H_

// dnsbl/dns/resolver.h
//
// The seam between dnsbl and the network: an asynchronous DNS resolver
// driven by its owner's loop. The production implementation sits on c-ares
// (dnsbl/dns/ares_resolver.h); tests and callers with their own transport can
// supply another.
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

#ifndef DNSBL_DNSBL_DNS_RESOLVER_H_
#define DNSBL_DNSBL_DNS_RESOLVER_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "dnsbl/base/fd_events.h"
#include "dnsbl/dns/dns.h"

namespace dnsbl {

// An asynchronous DNS resolver. Not thread-safe: one thread calls Lookup()
// and Poll(); callbacks run on that thread, inside Poll() (or inside
// Lookup() when the question fails at once).
class Resolver {
 public:
  using Callback = absl::AnyInvocable<void(DnsResponse)>;

  virtual ~Resolver() = default;

  // Asks for records of `type` at the absolute `name` (no search list).
  // Calls `done` exactly once, unless the resolver is destroyed first, in
  // which case it is dropped uncalled. `done` may call Lookup() again.
  virtual void Lookup(absl::string_view name, RecordType type,
                      Callback done) = 0;

  // Waits at most `max_wait` for network activity, processes it and any
  // timeouts, and runs the callbacks of finished lookups. Returns early
  // when something finished. Returns the number of lookups still pending.
  virtual size_t Poll(absl::Duration max_wait) = 0;

  // Returns the number of lookups started and not yet called back.
  virtual size_t pending() const = 0;

  // The event-loop interface, in place of Poll() for callers that run a
  // loop of their own (epoll, libevent, asio, an Envoy-style dispatcher):
  // watch Descriptors() for the events each names, wait at most
  // NextTimeout(), then call Process() with the descriptors that became
  // ready (none when the wait timed out). Both change after every Lookup()
  // and Process(): ask again before each wait. The defaults suit a resolver
  // without descriptors of its own (tests' fakes): nothing to watch, always
  // due, and Process() polls without waiting.

  // Returns the descriptors to watch now and the events each waits for.
  // The resolver owns them; never close or read them.
  virtual std::vector<FdEvents> Descriptors() const { return {}; }

  // Returns how long the caller may wait before calling Process() even if
  // no descriptor is ready (timeouts, paced sends): infinite when nothing
  // is pending.
  virtual absl::Duration NextTimeout() {
    return pending() == 0 ? absl::InfiniteDuration() : absl::ZeroDuration();
  }

  // Handles `ready` (descriptors from Descriptors() and the events they are
  // ready for; empty after a timeout), sends what is due and runs the
  // callbacks of finished lookups. Returns the number still pending.
  virtual size_t Process(absl::Span<const FdEvents> ready) {
    (void)ready;
    return Poll(absl::ZeroDuration());
  }

  // Returns the nameservers asked, e.g. "127.0.0.1:5353", for reports.
  virtual std::string Describe() const = 0;
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_DNS_RESOLVER_H_

// dnsbl/resolver.h
//
// The seam between dnsbl and the network: an asynchronous DNS resolver
// driven by its owner's loop. The production implementation sits on c-ares
// (dnsbl/ares_resolver.h); tests and callers with their own transport can
// supply another.
//
// Example:
//
//   resolver->Lookup("2.0.0.127.zen.spamhaus.org", dnsbl::RecordType::kA,
//                    [](dnsbl::DnsResponse r) { ... });
//   while (resolver->pending() > 0) resolver->Poll(absl::Seconds(1));

#ifndef DNSBL_DNSBL_RESOLVER_H_
#define DNSBL_DNSBL_RESOLVER_H_

#include <cstddef>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "dnsbl/dns.h"

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

  // Returns the nameservers asked, e.g. "127.0.0.1:5353", for reports.
  virtual std::string Describe() const = 0;
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_RESOLVER_H_

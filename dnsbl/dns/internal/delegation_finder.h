// dnsbl/dns/internal/delegation_finder.h
//
// Finds the servers of a zone from the root down, through a Recursor
// (libunbound: dnsbl/dns/internal/unbound_recursor.h) that follows the
// referrals with bailiwick rules for glue, loop and depth limits. The zone's NS
// set is asked for; a zone that is no zone cut of its own (NODATA with the SOA
// of an ancestor, as "<key>.zen.dq.spamhaus.net" is) is served by that
// ancestor's servers. Each server's addresses are resolved by name, never
// taken from glue, and the delegation holds until the shortest TTL among
// the NS and address records runs out.
//
// Example:
//
//   dnsbl::DelegationFinder finder(recursor.get(), dnsbl::Clock::Real());
//   finder.Find("bl.example", [](absl::StatusOr<dnsbl::Delegation> d) {
//     if (d.ok()) { ... d->servers ... }
//   });
//   while (recursor->pending() > 0) recursor->Poll(absl::Seconds(1));

#ifndef DNSBL_DNSBL_DNS_INTERNAL_DELEGATION_FINDER_H_
#define DNSBL_DNSBL_DNS_INTERNAL_DELEGATION_FINDER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "dnsbl/base/clock.h"
#include "dnsbl/dns/internal/delegation.h"
#include "dnsbl/dns/internal/recursor.h"

namespace dnsbl {

// Delegations hold at least this long (answers with tiny TTLs would send a
// long run back to the root every few seconds) ...
inline constexpr absl::Duration kMinDelegationTtl = absl::Seconds(5);
// ... and at most this long (a cache file is not trusted for longer).
inline constexpr absl::Duration kMaxDelegationTtl = absl::Hours(24);

// The most nameservers of one zone whose addresses are resolved.
inline constexpr int kMaxServersPerZone = 8;

// Not thread-safe; callbacks run inside the recursor's Poll()/Process().
// The recursor's callbacks of searches under way refer to the finder: it
// must not be driven once the finder is gone.
class DelegationFinder {
 public:
  using Callback = absl::AnyInvocable<void(absl::StatusOr<Delegation>)>;

  // `recursor` and `clock` must outlive the finder.
  DelegationFinder(Recursor* recursor, Clock* clock);

  DelegationFinder(const DelegationFinder&) = delete;
  DelegationFinder& operator=(const DelegationFinder&) = delete;

  // Finds the servers of `zone` (lower case, no trailing dot) and calls
  // `done` exactly once with them, or with NotFound when the zone's parent
  // says it does not exist (NXDOMAIN), FailedPrecondition when it is an
  // alias (CNAME), Unavailable naming the reason when its servers cannot
  // be found (SERVFAIL, no answer, no server with an address).
  void Find(absl::string_view zone, Callback done);

 private:
  struct Search;

  void AskNs(std::shared_ptr<Search> search, std::string cut);
  void OnNs(std::shared_ptr<Search> search, const std::string& cut,
            RecursorAnswer answer);
  void AskAddresses(std::shared_ptr<Search> search,
                    std::vector<std::string> names, uint32_t ns_ttl);
  void Finish(const std::shared_ptr<Search>& search);

  Recursor* const recursor_;
  Clock* const clock_;
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_DNS_INTERNAL_DELEGATION_FINDER_H_

// dnsbl/verdict/internal/health.h
//
// Zone health per RFC 5782 sections 5 and 7: before trusting a blocklist's
// answers, ask it about addresses whose answers are known. 127.0.0.2 must
// be listed and 127.0.0.1 must not (::ffff:7f00:2 and ::ffff:7f00:1 for
// IPv6-only zones); a random TEST-NET address must not be either. A zone
// that lists everything (dead domains bought by squatters, expired zones
// with wildcard records) would otherwise make every address look listed.
//
// The zone's own name is asked too: a resolver that cannot reach the
// blocklist, or filters it (DNS firewalls, RPZ, captive portals, no
// internet), answers NXDOMAIN for everything, which would otherwise make
// every address look clean.
//
// These are pure functions; dnsbl/checker.h sends the probes.
//
// Example:
//
//   std::vector<dnsbl::IpAddress> probes = dnsbl::HealthProbeAddresses(zone,
//   seed);
//   // ... ask the zone about each, collecting DnsResponses in order, and
//   // ask for the A record of the zone's own name ...
//   dnsbl::v1::ZoneHealth health =
//       dnsbl::ClassifyHealth(zone, probes, answers, apex_answer);

#ifndef DNSBL_DNSBL_VERDICT_INTERNAL_HEALTH_H_
#define DNSBL_DNSBL_VERDICT_INTERNAL_HEALTH_H_

#include <cstdint>
#include <vector>

#include "absl/types/span.h"
#include "dnsbl/base/address.h"
#include "dnsbl/dns/internal/dns.h"
#include "dnsbl/verdict/verdict.h"
#include "proto/dnsbl.pb.h"

namespace dnsbl {

// Returns the addresses to probe `zone` with, in this order: the test point
// that must be listed, the one that must not, and a TEST-NET address
// (203.0.113.0/24, or 2001:db8:ffff::/48 for IPv6-only zones) picked by
// `seed`. IPv4 probes for zones with IPv4 data, IPv6 probes otherwise.
std::vector<IpAddress> HealthProbeAddresses(const v1::Zone& zone,
                                            uint64_t seed);

// Returns the health of `zone` from the answers to the probes of
// HealthProbeAddresses(), in the same order, and `apex`, the answer to an
// A question for the zone's own name (with its key, if it has one).
// REQUIRES: equal sizes, 3. The first rule that matches decides:
//   - Any probe answered with a refused code: REFUSING.
//   - Any probe, or the zone's name, answered negatively with the SOA of
//     an unrelated zone (IsPolicyAnswer()): FILTERED.
//   - Any probe answered outside 127/8: WILDCARD (a resolver rewriting
//     NXDOMAIN).
//   - The zone's name NXDOMAIN: NO_SUCH_ZONE. A real zone exists (rbldnsd
//     answers its apex NOERROR even without an SOA); per RFC 8020 nothing
//     exists below a name that does not, whatever the probes said.
//   - Any probe or the zone's name unanswered: DEAD.
//   - The must-not test point listed (unless zone.lists_loopback()), or the
//     TEST-NET address listed: WILDCARD.
//   - The must-list test point not listed: TEST_FAILED when the operator
//     documents it (zone.test_entry()), else NO_TEST_ENTRY.
//   - Otherwise HEALTHY.
v1::ZoneHealth ClassifyHealth(const v1::Zone& zone,
                              absl::Span<const IpAddress> probes,
                              absl::Span<const DnsResponse> answers,
                              const DnsResponse& apex);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_VERDICT_INTERNAL_HEALTH_H_

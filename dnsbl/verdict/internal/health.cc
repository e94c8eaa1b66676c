#include "dnsbl/verdict/internal/health.h"

#include <array>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "dnsbl/base/escape.h"
#include "dnsbl/verdict/internal/interpret.h"

namespace dnsbl {
namespace {

std::string Describe(const IpAddress& probe, const v1::ZoneResult& r) {
  switch (r.status()) {
    case v1::LISTED:
    case v1::REFUSED:
      return absl::StrCat(probe.ToString(), ": ",
                          absl::StrJoin(r.codes(), ","));
    case v1::NOT_LISTED:
      return absl::StrCat(probe.ToString(), ": not listed");
    default:
      return absl::StrCat(probe.ToString(), ": ", r.detail());
  }
}

}  // namespace

std::vector<IpAddress> HealthProbeAddresses(const v1::Zone& zone,
                                            uint64_t seed) {
  if (zone.ipv4() || !zone.ipv6()) {
    // 203.0.113.1 to .254 (TEST-NET-3, RFC 5737).
    uint32_t host = 1 + static_cast<uint32_t>(seed % 254);
    return {IpAddress::FromIpv4(0x7f000002), IpAddress::FromIpv4(0x7f000001),
            IpAddress::FromIpv4(0xcb007100 | host)};
  }
  auto mapped = [](uint8_t last) {
    std::array<uint8_t, 16> b{};
    b[10] = b[11] = 0xff;
    b[12] = 0x7f;
    b[15] = last;
    return IpAddress::FromIpv6(b);
  };
  // 2001:db8:ffff::/48 (documentation prefix, RFC 3849), random host part.
  std::array<uint8_t, 16> random{0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff};
  for (int i = 6; i < 16; ++i) {
    random[i] = static_cast<uint8_t>(seed >> ((i % 8) * 8));
  }
  return {mapped(2), mapped(1), IpAddress::FromIpv6(random)};
}

v1::ZoneHealth ClassifyHealth(const v1::Zone& zone,
                              absl::Span<const IpAddress> probes,
                              absl::Span<const DnsResponse> answers,
                              const DnsResponse& apex) {
  v1::ZoneHealth health;
  health.set_zone(zone.name());
  // For the test points, any answer in 127/8 is "listed": a test entry
  // the operator forgot to document still shows the zone answers.
  v1::Zone probed = zone;
  probed.clear_exhaustive_codes();
  std::vector<v1::ZoneResult> results;
  for (size_t i = 0; i < probes.size() && i < answers.size(); ++i) {
    results.push_back(InterpretAnswer(probed, probes[i], answers[i]));
    health.add_probes(Describe(probes[i], results.back()));
  }
  const bool apex_exists = apex.outcome == DnsOutcome::kAnswer ||
                           apex.outcome == DnsOutcome::kNoData;
  health.add_probes(absl::StrCat(
      zone.name(), ": ", apex_exists ? "exists" : DnsOutcomeName(apex.outcome),
      apex.soa_owner.empty()
          ? ""
          : absl::StrCat(" (SOA ", ToValidUtf8(apex.soa_owner), ")")));
  auto set = [&health](v1::HealthState state, std::string detail) {
    health.set_state(state);
    health.set_detail(std::move(detail));
    return health;
  };
  if (results.size() != 3) return set(v1::DEAD, "incomplete probe");
  const v1::ZoneResult& must_list = results[0];
  const v1::ZoneResult& must_not = results[1];
  const v1::ZoneResult& random = results[2];

  for (size_t i = 0; i < results.size(); ++i) {
    if (results[i].status() == v1::REFUSED) {
      return set(
          v1::REFUSING,
          absl::StrCat("answers its refused code ",
                       absl::StrJoin(results[i].codes(), ","), " for ",
                       probes[i].ToString(),
                       ": the operator will not answer this resolver (use "
                       "your own recursive resolver, or the operator's keyed "
                       "service)"));
    }
  }
  // A policy zone's answer for the zone's name, or for a probe: the
  // resolver answers in the blocklist's place.
  const DnsResponse* policy =
      IsPolicyAnswer(zone.name(), apex) ? &apex : nullptr;
  for (size_t i = 0; policy == nullptr && i < results.size(); ++i) {
    if (results[i].error() == v1::POLICY_ANSWER) policy = &answers[i];
  }
  if (policy != nullptr) {
    return set(v1::FILTERED,
               absl::StrCat("answered by the policy zone ",
                            ToValidUtf8(policy->soa_owner),
                            " (a negative answer carrying its SOA): a DNS "
                            "firewall or filtering resolver stands between "
                            "us and this blocklist"));
  }
  for (size_t i = 0; i < results.size(); ++i) {
    if (results[i].error() == v1::OUTSIDE_LOOPBACK) {
      return set(
          v1::WILDCARD,
          absl::StrCat("answers ", absl::StrJoin(results[i].codes(), ","),
                       " for ", probes[i].ToString(),
                       ", outside 127.0.0.0/8: the resolver rewrites "
                       "NXDOMAIN, so no answer can be trusted"));
    }
  }
  if (apex.outcome == DnsOutcome::kNxDomain) {
    return set(v1::NO_SUCH_ZONE,
               absl::StrCat("the nameserver says ", zone.name(),
                            " does not exist (NXDOMAIN): it cannot reach "
                            "this blocklist, or filters it"));
  }
  for (size_t i = 0; i < results.size(); ++i) {
    if (results[i].status() == v1::ERROR) {
      return set(v1::DEAD,
                 absl::StrCat("no usable answer for ", probes[i].ToString(),
                              ": ", results[i].detail()));
    }
  }
  if (!apex_exists) {
    v1::ZoneResult failed = InterpretAnswer(zone, probes[0], apex);
    return set(v1::DEAD, absl::StrCat("no usable answer for the zone's own "
                                      "name ",
                                      zone.name(), ": ", failed.detail()));
  }
  if (must_not.status() == v1::LISTED && !zone.lists_loopback()) {
    return set(v1::WILDCARD,
               absl::StrCat("lists ", probes[1].ToString(),
                            ", which RFC 5782 says no blocklist may list: it "
                            "answers \"listed\" for everything"));
  }
  if (random.status() == v1::LISTED) {
    return set(v1::WILDCARD,
               absl::StrCat("lists ", probes[2].ToString(),
                            ", a documentation address no blocklist lists: "
                            "it answers \"listed\" for everything"));
  }
  if (must_list.status() != v1::LISTED) {
    if (zone.test_entry()) {
      return set(
          v1::TEST_FAILED,
          absl::StrCat("does not list the test point ", probes[0].ToString(),
                       ", which its operator documents as always "
                       "listed: these answers do not come from the "
                       "blocklist (a filtering resolver or policy "
                       "zone)"));
    }
    return set(
        v1::NO_TEST_ENTRY,
        absl::StrCat("does not list the test point ", probes[0].ToString(),
                     " (RFC 5782 section 5); its answers are used, but "
                     "cannot be verified"));
  }
  return set(v1::HEALTHY,
             absl::StrCat("lists ", probes[0].ToString(), ", not ",
                          probes[1].ToString(), " or ", probes[2].ToString()));
}

}  // namespace dnsbl

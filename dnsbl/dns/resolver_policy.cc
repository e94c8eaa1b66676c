#include "dnsbl/dns/resolver_policy.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace dnsbl {
namespace {

struct PublicResolver {
  const char* address;
  const char* name;
};

// Anycast addresses of the large public resolvers, from their operators'
// setup pages.
constexpr PublicResolver kPublicResolvers[] = {
    {"8.8.8.8", "Google Public DNS"},
    {"8.8.4.4", "Google Public DNS"},
    {"2001:4860:4860::8888", "Google Public DNS"},
    {"2001:4860:4860::8844", "Google Public DNS"},
    {"1.1.1.1", "Cloudflare"},
    {"1.0.0.1", "Cloudflare"},
    {"1.1.1.2", "Cloudflare"},
    {"1.0.0.2", "Cloudflare"},
    {"1.1.1.3", "Cloudflare"},
    {"1.0.0.3", "Cloudflare"},
    {"2606:4700:4700::1111", "Cloudflare"},
    {"2606:4700:4700::1001", "Cloudflare"},
    {"9.9.9.9", "Quad9"},
    {"149.112.112.112", "Quad9"},
    {"9.9.9.10", "Quad9"},
    {"9.9.9.11", "Quad9"},
    {"2620:fe::fe", "Quad9"},
    {"2620:fe::9", "Quad9"},
    {"208.67.222.222", "OpenDNS"},
    {"208.67.220.220", "OpenDNS"},
    {"2620:119:35::35", "OpenDNS"},
    {"2620:119:53::53", "OpenDNS"},
    {"94.140.14.14", "AdGuard DNS"},
    {"94.140.15.15", "AdGuard DNS"},
    {"185.228.168.9", "CleanBrowsing"},
    {"185.228.169.9", "CleanBrowsing"},
    {"76.76.2.0", "Control D"},
    {"76.76.10.0", "Control D"},
    {"77.88.8.8", "Yandex DNS"},
    {"77.88.8.1", "Yandex DNS"},
    {"64.6.64.6", "Verisign Public DNS"},
    {"64.6.65.6", "Verisign Public DNS"},
    {"8.26.56.26", "Comodo Secure DNS"},
    {"8.20.247.20", "Comodo Secure DNS"},
    {"4.2.2.1", "Level3/Lumen"},
    {"4.2.2.2", "Level3/Lumen"},
};

}  // namespace

absl::string_view PublicResolverOperator(const IpAddress& address) {
  for (const PublicResolver& r : kPublicResolvers) {
    absl::StatusOr<IpAddress> known = IpAddress::Parse(r.address);
    if (known.ok() && *known == address) return r.name;
  }
  return "";
}

std::vector<std::string> ResolverWarnings(
    absl::string_view resolver_description,
    absl::Span<const std::string> refusing_zones,
    const SettingNames& settings) {
  std::vector<std::string> warnings;
  for (absl::string_view server :
       absl::StrSplit(resolver_description, ',', absl::SkipEmpty())) {
    absl::StatusOr<Endpoint> endpoint = ParseEndpoint(server);
    if (!endpoint.ok()) continue;
    absl::string_view name = PublicResolverOperator(endpoint->address);
    if (name.empty()) continue;
    warnings.push_back(absl::StrCat(
        "nameserver ", server, " is ", name,
        ", a public resolver; several blocklists (Spamhaus among them) "
        "refuse queries that come through public resolvers, so their "
        "answers will be REFUSED or missing. Use a recursive resolver of "
        "your own (e.g. unbound on 127.0.0.1) with ",
        settings.nameserver, ", or the operator's keyed service (",
        settings.keys, ")."));
  }
  if (!refusing_zones.empty()) {
    warnings.push_back(absl::StrCat(
        absl::StrJoin(refusing_zones, ", "),
        refusing_zones.size() == 1 ? " refuses" : " refuse",
        " to answer through this resolver (a refused code, not a listing). "
        "Query from a resolver of your own with attributable reverse DNS, "
        "within the operator's fair-use limits, or with the operator's key "
        "(",
        settings.keys, ")."));
  }
  return warnings;
}

std::vector<std::string> PathWarnings(absl::string_view resolver_description,
                                      absl::Span<const v1::ZoneHealth> health,
                                      const SettingNames& settings) {
  int probed = 0;
  std::vector<std::string> unseen;
  for (const v1::ZoneHealth& zone : health) {
    if (zone.state() == v1::HEALTH_STATE_UNSPECIFIED) continue;
    ++probed;
    if (zone.state() == v1::NO_SUCH_ZONE || zone.state() == v1::FILTERED) {
      unseen.push_back(zone.zone());
    }
  }
  if (unseen.empty() || 2 * unseen.size() <= static_cast<size_t>(probed)) {
    return {};
  }
  std::string server = resolver_description.empty()
                           ? std::string("the system resolver")
                           : absl::StrCat("nameserver ", resolver_description);
  return {absl::StrCat(
      server, " cannot see ", unseen.size(), " of the ", probed,
      " blocklists asked: it says they do not exist (NXDOMAIN for the "
      "zone's own name) or answers for them from a policy zone. It is cut "
      "off from the internet or filters blocklists (a DNS firewall, RPZ, a "
      "captive portal), so no answer through it can be trusted, and none "
      "was used: those blocklists are unusable, not \"not listed\". Ask a "
      "recursive resolver of your own (e.g. unbound on 127.0.0.1) with ",
      settings.nameserver, ".")};
}

}  // namespace dnsbl

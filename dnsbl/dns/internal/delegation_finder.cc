#include "dnsbl/dns/internal/delegation_finder.h"

#include <algorithm>
#include <limits>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "dnsbl/base/address.h"
#include "dnsbl/base/escape.h"
#include "dnsbl/dns/internal/dns_message.h"

namespace dnsbl {
namespace {

absl::string_view RcodeName(int rcode) {
  switch (rcode) {
    case kRcodeNoError:
      return "NOERROR";
    case kRcodeFormErr:
      return "FORMERR";
    case kRcodeServFail:
      return "SERVFAIL";
    case kRcodeNxDomain:
      return "NXDOMAIN";
    case kRcodeNotImp:
      return "NOTIMP";
    case kRcodeRefused:
      return "REFUSED";
    default:
      return "an unknown rcode";
  }
}

}  // namespace

struct DelegationFinder::Search {
  std::string zone;
  Callback done;
  Delegation delegation;
  uint32_t ttl = std::numeric_limits<uint32_t>::max();
  // Address questions still out.
  int outstanding = 0;
  // The servers' names, in NS order, and what their addresses gave.
  std::vector<NameServer> servers;
  std::vector<std::string> failures;
  // Addresses the NS answer came with, by server name.
  std::map<std::string, std::vector<IpAddress>> known;
  uint32_t known_ttl = std::numeric_limits<uint32_t>::max();
};

DelegationFinder::DelegationFinder(Recursor* recursor, Clock* clock)
    : recursor_(recursor), clock_(clock) {}

void DelegationFinder::Find(absl::string_view zone, Callback done) {
  auto search = std::make_shared<Search>();
  search->zone = std::string(zone);
  search->done = std::move(done);
  search->delegation.zone = search->zone;
  AskNs(std::move(search), std::string(zone));
}

void DelegationFinder::AskNs(std::shared_ptr<Search> search, std::string cut) {
  const std::string name = cut;
  recursor_->Resolve(
      name, kDnsNs,
      [this, search, cut = std::move(cut)](RecursorAnswer answer) mutable {
        OnNs(std::move(search), cut, std::move(answer));
      });
}

void DelegationFinder::OnNs(std::shared_ptr<Search> search,
                            const std::string& cut, RecursorAnswer answer) {
  const std::string zone = search->zone;
  auto fail = [&](absl::Status status) {
    Callback done = std::move(search->done);
    done(std::move(status));
  };
  if (!answer.status.ok()) {
    return fail(absl::UnavailableError(
        absl::StrCat("could not find the servers of ", zone, ": ",
                     answer.status.message())));
  }
  absl::StatusOr<DnsMessage> message = ParseDnsMessage(answer.packet);
  if (!message.ok()) {
    return fail(absl::UnavailableError(
        absl::StrCat("could not find the servers of ", zone,
                     ": malformed answer: ", message.status().message())));
  }
  std::vector<std::string> names;
  uint32_t ttl = std::numeric_limits<uint32_t>::max();
  bool alias = false;
  for (const DnsRecord& record : message->answers) {
    if (record.owner == cut && record.type == kDnsNs &&
        std::find(names.begin(), names.end(), record.target) == names.end()) {
      names.push_back(record.target);
      ttl = std::min(ttl, record.ttl);
    }
    if (record.owner == cut && record.type == kDnsCname) alias = true;
  }
  if (message->rcode == kRcodeNoError && !names.empty()) {
    search->delegation.cut = cut;
    // The recursor's own answer may carry the servers' addresses (it adds
    // what it holds, by its own rules for glue): those need no question.
    for (const DnsRecord& record : message->additional) {
      if (record.type != kDnsA && record.type != kDnsAaaa) continue;
      absl::StatusOr<IpAddress> ip = IpAddress::Parse(record.address);
      if (!ip.ok()) continue;
      search->known[record.owner].push_back(*ip);
      search->known_ttl = std::min(search->known_ttl, record.ttl);
    }
    return AskAddresses(std::move(search), std::move(names), ttl);
  }
  if (alias) {
    return fail(absl::FailedPreconditionError(
        absl::StrCat(cut, " is an alias (CNAME), not a zone")));
  }
  const std::string soa = AuthoritySoaOwner(*message);
  if (message->rcode == kRcodeNxDomain) {
    return fail(absl::NotFoundError(absl::StrCat(
        zone, " does not exist (NXDOMAIN",
        soa.empty() ? "" : absl::StrCat(" from ", QuoteInput(soa)), ")")));
  }
  if (message->rcode == kRcodeNoError && cut == zone && !soa.empty() &&
      soa != zone && NameAtOrBelow(zone, soa)) {
    // No zone cut of its own: its names are served by the zone above.
    return AskNs(std::move(search), soa);
  }
  return fail(absl::UnavailableError(absl::StrCat(
      "could not find the servers of ", zone, ": ", RcodeName(message->rcode),
      " for the NS records of ", cut.empty() ? "the root" : cut)));
}

void DelegationFinder::AskAddresses(std::shared_ptr<Search> search,
                                    std::vector<std::string> names,
                                    uint32_t ns_ttl) {
  if (names.size() > static_cast<size_t>(kMaxServersPerZone)) {
    names.resize(kMaxServersPerZone);
  }
  search->ttl = ns_ttl;
  search->servers.reserve(names.size());
  std::vector<size_t> unknown;
  for (const std::string& name : names) {
    auto it = search->known.find(name);
    if (it != search->known.end()) {
      search->servers.push_back(NameServer{name, it->second});
      search->ttl = std::min(search->ttl, search->known_ttl);
    } else {
      unknown.push_back(search->servers.size());
      search->servers.push_back(NameServer{name, {}});
    }
  }
  if (unknown.empty()) return Finish(search);
  search->outstanding = static_cast<int>(2 * unknown.size());
  for (size_t i : unknown) {
    const std::string name = search->servers[i].name;
    for (uint16_t type : {kDnsA, kDnsAaaa}) {
      recursor_->Resolve(
          name, type, [this, search, i, type](RecursorAnswer answer) {
            absl::StatusOr<DnsMessage> message =
                answer.status.ok() ? ParseDnsMessage(answer.packet)
                                   : absl::StatusOr<DnsMessage>(answer.status);
            NameServer& server = search->servers[i];
            if (!message.ok()) {
              search->failures.push_back(
                  absl::StrCat(server.name, ": ", message.status().message()));
            } else {
              for (const DnsRecord& record : message->answers) {
                if (record.type != type || record.address.empty()) continue;
                absl::StatusOr<IpAddress> ip = IpAddress::Parse(record.address);
                if (!ip.ok()) continue;
                server.addresses.push_back(*ip);
                search->ttl = std::min(search->ttl, record.ttl);
              }
            }
            if (--search->outstanding == 0) Finish(search);
          });
    }
  }
}

void DelegationFinder::Finish(const std::shared_ptr<Search>& search) {
  Callback done = std::move(search->done);
  std::vector<std::string> without;
  for (NameServer& server : search->servers) {
    if (server.addresses.empty()) {
      without.push_back(server.name);
      continue;
    }
    // IPv4 first: more often reachable, and the order is stable.
    std::stable_sort(server.addresses.begin(), server.addresses.end(),
                     [](const IpAddress& a, const IpAddress& b) {
                       return a.is_ipv4() && !b.is_ipv4();
                     });
    search->delegation.servers.push_back(std::move(server));
  }
  if (search->delegation.servers.empty()) {
    done(absl::UnavailableError(absl::StrCat(
        "could not find the servers of ", search->zone,
        ": no address for any of ", absl::StrJoin(without, ", "),
        search->failures.empty()
            ? ""
            : absl::StrCat(" (", absl::StrJoin(search->failures, "; "), ")"))));
    return;
  }
  const absl::Duration ttl = std::clamp(absl::Seconds(search->ttl),
                                        kMinDelegationTtl, kMaxDelegationTtl);
  search->delegation.expires = clock_->Now() + ttl;
  done(std::move(search->delegation));
}

}  // namespace dnsbl

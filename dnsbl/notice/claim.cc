#include "dnsbl/notice/claim.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace dnsbl {
namespace {

bool NamesAbuse(v1::Category c) {
  return c != v1::POLICY && c != v1::ALLOWLISTED &&
         c != v1::CATEGORY_UNSPECIFIED;
}

}  // namespace

NoticeClaim ClaimFor(const v1::Report& report) {
  NoticeClaim claim;
  const v1::Summary& summary = report.summary();
  std::set<int> other;
  std::vector<std::string> policy_zones;
  for (const v1::ZoneResult& r : report.results()) {
    if (r.status() != v1::LISTED) continue;
    const bool abuse = std::any_of(
        r.categories().begin(), r.categories().end(),
        [](int c) { return NamesAbuse(static_cast<v1::Category>(c)); });
    if (!abuse) {
      bool allow = std::any_of(r.categories().begin(), r.categories().end(),
                               [](int c) { return c == v1::ALLOWLISTED; });
      if (!allow) policy_zones.push_back(r.zone());
      continue;
    }
    NoticeListing listing;
    listing.zone = r.zone();
    for (int c : r.categories()) {
      const auto category = static_cast<v1::Category>(c);
      if (!NamesAbuse(category)) continue;
      listing.categories.push_back(category);
      if (category == v1::OPEN_RELAY) {
        claim.open_relay = true;
      } else if (category == v1::OPEN_PROXY) {
        claim.open_proxy = true;
      } else {
        other.insert(c);
      }
    }
    listing.codes.assign(r.codes().begin(), r.codes().end());
    listing.meanings.assign(r.meanings().begin(), r.meanings().end());
    listing.txt.assign(r.txt().begin(), r.txt().end());
    listing.lookup_url = r.lookup_url();
    claim.listings.push_back(std::move(listing));
  }
  for (int c : other) claim.other.push_back(static_cast<v1::Category>(c));

  if (!summary.allowlisted_by().empty()) {
    claim.decision = NoticeDecision::kAllowlisted;
    claim.why = absl::StrCat(
        "allowlisted by ", absl::StrJoin(summary.allowlisted_by(), ", "),
        claim.listings.empty()
            ? ""
            : "; the listings conflict with it, so no notice is written");
  } else if (!claim.listings.empty()) {
    claim.decision = NoticeDecision::kSend;
  } else if (!policy_zones.empty()) {
    claim.decision = NoticeDecision::kPolicyOnly;
    claim.why = absl::StrCat(
        "listed only by policy lists (", absl::StrJoin(policy_zones, ", "),
        "), which say the range should not send mail directly, not that "
        "the host is abused");
  } else if (summary.errors() > 0 || summary.answered() == 0) {
    claim.decision = NoticeDecision::kIncomplete;
    claim.why = absl::StrCat(
        "nothing listed, but ", summary.errors(), " of ", summary.asked(),
        " blocklists gave no usable answer: the verdict is incomplete");
  } else {
    claim.decision = NoticeDecision::kNotListed;
    claim.why = absl::StrCat("listed by none of the ", summary.answered(),
                             " blocklists that answered");
  }
  if (claim.decision != NoticeDecision::kSend) {
    claim.open_relay = claim.open_proxy = false;
    claim.other.clear();
  }
  return claim;
}

int NoticeExitStatus(const std::vector<NoticeDecision>& decisions) {
  return std::count(decisions.begin(), decisions.end(),
                    NoticeDecision::kIncomplete) > 0
             ? 3
             : 0;
}

}  // namespace dnsbl

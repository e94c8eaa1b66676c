#include "dnsbl/notice/freshness.h"

#include <memory>
#include <optional>

#include "absl/strings/str_cat.h"
#include "dnsbl/base/address.h"
#include "dnsbl/base/time_text.h"

namespace dnsbl {
namespace {

absl::Time StartedOf(const v1::Report& r) {
  return absl::FromUnixSeconds(r.started().seconds());
}

// Addresses checked at once by a re-check: enough to keep the servers busy,
// few enough that a large stale batch does not flood them.
constexpr size_t kRecheckWindow = 64;

}  // namespace

FreshEvidence FreshenEvidence(std::vector<v1::Report> reports,
                              const FreshnessOptions& options,
                              const Rechecker& recheck) {
  const absl::Time now =
      (options.clock != nullptr ? options.clock : Clock::Real())->Now();
  FreshEvidence out;
  std::vector<size_t> stale;
  for (size_t i = 0; i < reports.size(); ++i) {
    if (now - StartedOf(reports[i]) > options.max_age &&
        ClaimFor(reports[i]).decision == NoticeDecision::kSend) {
      stale.push_back(i);
    }
  }
  out.stale = static_cast<int>(stale.size());
  std::vector<absl::StatusOr<v1::Report>> again;
  if (!stale.empty() && options.recheck) {
    std::vector<std::string> addresses;
    for (size_t i : stale) addresses.push_back(reports[i].address());
    again = recheck(addresses);
  }
  std::vector<bool> drop(reports.size(), false);
  for (size_t k = 0; k < stale.size(); ++k) {
    const v1::Report& old = reports[stale[k]];
    const std::string found = UtcText(StartedOf(old));
    drop[stale[k]] = true;
    if (!options.recheck) {
      out.refused.push_back(
          {old.address(),
           absl::StrCat("the evidence of ", found, " is older than ",
                        absl::FormatDuration(options.max_age),
                        ": no notice on old evidence without a re-check")});
      continue;
    }
    if (k >= again.size() || !again[k].ok()) {
      out.refused.push_back(
          {old.address(),
           absl::StrCat(
               "the listing of ", found, " could not be re-checked: ",
               k < again.size() ? again[k].status().message() : "no result")});
      out.refused_decisions.push_back(NoticeDecision::kIncomplete);
      continue;
    }
    const NoticeClaim claim = ClaimFor(*again[k]);
    if (claim.decision != NoticeDecision::kSend) {
      out.refused.push_back(
          {old.address(),
           absl::StrCat("re-checked ", UtcText(StartedOf(*again[k])), ": ",
                        claim.why, "; the listing of ", found,
                        " is not confirmed")});
      out.refused_decisions.push_back(claim.decision);
      continue;
    }
    ++out.reconfirmed;
    out.first_found[old.address()] = StartedOf(old);
    reports[stale[k]] = *std::move(again[k]);
    drop[stale[k]] = false;
  }
  for (size_t i = 0; i < reports.size(); ++i) {
    if (!drop[i]) out.reports.push_back(std::move(reports[i]));
  }
  return out;
}

Rechecker RecheckWith(CheckerOptions options) {
  auto checker = std::make_shared<
      std::optional<absl::StatusOr<std::unique_ptr<Checker>>>>();
  return [options = std::move(options),
          checker](absl::Span<const std::string> addresses) {
    if (!checker->has_value()) *checker = Checker::Create(options);
    absl::StatusOr<std::unique_ptr<Checker>>& made = **checker;
    std::vector<absl::StatusOr<v1::Report>> results(
        addresses.size(), absl::UnknownError("not re-checked"));
    if (!made.ok()) {
      for (auto& r : results) r = made.status();
      return results;
    }
    Checker& c = **made;
    size_t next = 0;
    size_t in_flight = 0;
    while (next < addresses.size() || in_flight > 0) {
      while (next < addresses.size() && in_flight < kRecheckWindow) {
        const size_t i = next++;
        absl::StatusOr<IpAddress> ip = IpAddress::Parse(addresses[i]);
        if (!ip.ok()) {
          results[i] = ip.status();
          continue;
        }
        ++in_flight;
        c.CheckAsync(*ip, [&results, &in_flight, i](v1::Report report) {
          results[i] = std::move(report);
          --in_flight;
        });
      }
      if (in_flight > 0) c.Poll(absl::Milliseconds(100));
    }
    return results;
  };
}

}  // namespace dnsbl

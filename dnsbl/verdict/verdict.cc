#include "dnsbl/verdict/verdict.h"

#include <algorithm>

namespace dnsbl {

Verdict VerdictOf(const v1::Summary& summary) {
  if (summary.listed()) return Verdict::kListed;
  if (summary.errors() > 0) return Verdict::kIncomplete;
  return Verdict::kNotListed;
}

bool IsRefusal(const v1::ZoneResult& result) {
  return result.error() == v1::REFUSED_CODE || result.health() == v1::REFUSING;
}

void VerdictTally::Add(const v1::Report& report) {
  ++reports;
  switch (VerdictOf(report.summary())) {
    case Verdict::kListed:
      ++listed;
      for (int c : report.summary().categories()) {
        ++by_category[v1::Category_Name(c)];
      }
      break;
    case Verdict::kIncomplete:
      ++incomplete;
      break;
    case Verdict::kNotListed:
      break;
  }
  for (const v1::ZoneResult& r : report.results()) {
    if (r.error() != v1::ERROR_KIND_UNSPECIFIED) {
      ++errors[v1::ErrorKind_Name(r.error())];
    }
    if (IsRefusal(r) && std::find(refusing_zones.begin(), refusing_zones.end(),
                                  r.zone()) == refusing_zones.end()) {
      refusing_zones.push_back(r.zone());
    }
  }
}

void VerdictTally::Add(const VerdictTally& other) {
  reports += other.reports;
  listed += other.listed;
  incomplete += other.incomplete;
  for (const auto& [name, n] : other.by_category) by_category[name] += n;
  for (const auto& [name, n] : other.errors) errors[name] += n;
  for (const std::string& zone : other.refusing_zones) {
    if (std::find(refusing_zones.begin(), refusing_zones.end(), zone) ==
        refusing_zones.end()) {
      refusing_zones.push_back(zone);
    }
  }
}

namespace {

// Whether `r` tells something beyond "not listed": a listing, or an answer
// missing (ERROR, REFUSED, or SKIPPED for an unhealthy zone). A zone not
// asked by design (retired, no key, the other address family) is none.
bool IsFinding(const v1::ZoneResult& r) {
  if (r.status() == v1::NOT_LISTED) return false;
  if (r.status() == v1::SKIPPED) {
    return r.error() != v1::ERROR_KIND_UNSPECIFIED;
  }
  return true;
}

}  // namespace

bool IsClean(const v1::Report& report) {
  return std::none_of(report.results().begin(), report.results().end(),
                      IsFinding);
}

v1::Report FindingsOf(v1::Report report) {
  auto* results = report.mutable_results();
  results->erase(
      std::remove_if(results->begin(), results->end(),
                     [](const v1::ZoneResult& r) { return !IsFinding(r); }),
      results->end());
  return report;
}

Verdict VerdictTally::overall() const {
  if (listed > 0) return Verdict::kListed;
  if (incomplete > 0) return Verdict::kIncomplete;
  return Verdict::kNotListed;
}

bool HealthUsable(v1::HealthState state) {
  return state == v1::HEALTHY || state == v1::NO_TEST_ENTRY ||
         state == v1::HEALTH_STATE_UNSPECIFIED;
}

}  // namespace dnsbl

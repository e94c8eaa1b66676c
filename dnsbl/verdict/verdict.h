// dnsbl/verdict/verdict.h
//
// What reports mean for a person about to send a notice: one report's
// verdict (listed, not listed, or incomplete because some zone did not
// answer), many reports added up, and whether a zone's health lets its
// answers be used. The rules that make reports are in interpret.h and
// health.h, inside the library.
//
// Example:
//
//   dnsbl::VerdictTally tally;
//   for (const dnsbl::v1::Report& r : reports) tally.Add(r);
//   if (tally.overall() == dnsbl::Verdict::kIncomplete) { ... }

#ifndef DNSBL_DNSBL_VERDICT_VERDICT_H_
#define DNSBL_DNSBL_VERDICT_VERDICT_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "proto/dnsbl.pb.h"

namespace dnsbl {

// What a report means for a person about to send a notice.
enum class Verdict {
  kNotListed,   // Every zone asked answered, none lists the address.
  kListed,      // At least one blocklist lists it.
  kIncomplete,  // None lists it, but at least one could not answer.
};

// Returns the verdict of a summarized report.
Verdict VerdictOf(const v1::Summary& summary);

// Returns true when `report` has nothing to tell beyond "not listed": no
// zone lists the address and every zone asked answered. A zone not asked
// by design (retired, no key, the other address family: SKIPPED without an
// error) does not count; an unhealthy zone (SKIPPED with UNHEALTHY_ZONE),
// an error or a refusal makes the report not clean.
bool IsClean(const v1::Report& report);

// Returns `report` with only its findings among the zone results: those
// that list the address or did not answer (LISTED, ERROR, REFUSED, SKIPPED
// with an error); its summary still counts every zone asked and answered.
// For outputs that leave clean answers out (BulkOptions::listed_only).
v1::Report FindingsOf(v1::Report report);

// Returns true when `result` is a zone refusing to answer this resolver: a
// refused code, or a health probe that found it REFUSING.
bool IsRefusal(const v1::ZoneResult& result);

// What many reports add up to, for a bulk run's summary and a check of
// several addresses alike.
struct VerdictTally {
  // Counts `report` in.
  void Add(const v1::Report& report);
  // Counts in every report `other` counted (e.g. another thread's).
  void Add(const VerdictTally& other);

  // Listed if any report is, else incomplete if any is, else not listed.
  Verdict overall() const;

  int64_t reports = 0;
  int64_t listed = 0;      // Reports whose verdict is listed.
  int64_t incomplete = 0;  // Reports whose verdict is incomplete.
  std::map<std::string, int64_t> by_category;  // Category name -> reports.
  std::map<std::string, int64_t> errors;    // ErrorKind name -> zone results.
  std::vector<std::string> refusing_zones;  // IsRefusal(), first seen first.
};

// Returns true when answers from a zone in `state` may be used: HEALTHY,
// NO_TEST_ENTRY, or not probed.
bool HealthUsable(v1::HealthState state);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_VERDICT_VERDICT_H_

// dnsbl/notice/freshness.h
//
// Fresh evidence or no letter: a notice made from a bulk run's reports
// must not claim a listing that has since been removed. Reports older than
// `max_age` whose evidence supports a notice are re-checked (a letter is
// written from the new report, saying when the listing was first found and
// that it was re-confirmed) or, without re-checking, refused; a re-check
// that no longer supports a notice refuses it and says why. Reports that
// support no notice anyway are passed through unasked.
//
// Example:
//
//   dnsbl::FreshnessOptions fresh;
//   fresh.max_age = absl::Hours(24);
//   dnsbl::FreshEvidence evidence = dnsbl::FreshenEvidence(
//       reports, fresh, dnsbl::RecheckWith(checker_options));
//   delivery.letter.first_found = evidence.first_found;

#ifndef DNSBL_DNSBL_NOTICE_FRESHNESS_H_
#define DNSBL_DNSBL_NOTICE_FRESHNESS_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "dnsbl/base/clock.h"
#include "dnsbl/checker.h"
#include "dnsbl/notice/batch.h"
#include "dnsbl/notice/claim.h"
#include "proto/dnsbl.pb.h"

namespace dnsbl {

struct FreshnessOptions {
  // Evidence gathered longer ago than this (a report's `started`) is
  // stale. Default: 24 hours. REQUIRES: > 0.
  absl::Duration max_age = absl::Hours(24);

  // Whether stale evidence is re-checked (true) or refused (false).
  // Default: true.
  bool recheck = true;

  // What "now" is. Default: null, Clock::Real(). REQUIRES: outlives the
  // call.
  Clock* clock = nullptr;
};

// Re-checks `addresses`; returns one result per address, in order.
using Rechecker = std::function<std::vector<absl::StatusOr<v1::Report>>(
    absl::Span<const std::string> addresses)>;

struct FreshEvidence {
  // The reports to make notices from: the fresh ones, the re-checked ones
  // that still support a notice (the new reports), and those that support
  // none anyway; in input order.
  std::vector<v1::Report> reports;
  // Stale evidence that gets no notice: refused, or not confirmed.
  std::vector<WithoutNotice> refused;
  // How each re-check ended that gave no notice (kIncomplete when it could
  // not be made or was incomplete), for NoticeExitStatus().
  std::vector<NoticeDecision> refused_decisions;
  // For the re-confirmed addresses: when the earlier report found them
  // listed (NoticeOptions::first_found).
  std::map<std::string, absl::Time> first_found;
  int stale = 0;        // Reports older than max_age that claimed a listing.
  int reconfirmed = 0;  // Of those, re-checked and still supporting a notice.
};

// Sorts `reports` into fresh evidence, re-checking stale listings through
// `recheck` (not called when nothing is stale or options.recheck is false).
FreshEvidence FreshenEvidence(std::vector<v1::Report> reports,
                              const FreshnessOptions& options,
                              const Rechecker& recheck);

// Returns a Rechecker that checks through a Checker made from `options` on
// its first call (so none is made when nothing is stale), many addresses
// at once. A Checker that cannot be made fails every address with why.
Rechecker RecheckWith(CheckerOptions options);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_NOTICE_FRESHNESS_H_

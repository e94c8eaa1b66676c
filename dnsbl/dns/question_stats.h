// dnsbl/dns/question_stats.h
//
// How the DNS questions of a run went, as a bulk run's summary and
// progress report them: sent, answered, lost, the window of questions in
// flight and the round trip it adapted to.
//
// Example:
//
//   const dnsbl::QuestionStats& q = summary.dns;
//   double loss = q.sent > 0 ? double(q.lost) / q.sent : 0;

#ifndef DNSBL_DNSBL_DNS_QUESTION_STATS_H_
#define DNSBL_DNSBL_DNS_QUESTION_STATS_H_

#include <cstdint>

namespace dnsbl {

struct QuestionStats {
  int64_t sent = 0;      // Questions passed to the resolver.
  int64_t answered = 0;  // Answered without a loss.
  int64_t lost = 0;      // Timed out, retried, or overdue.
  int64_t resent = 0;    // Overdue questions sent again.
  int window = 0;        // Current window.
  int decreases = 0;     // Times the window was cut (to 70%).
  double srtt_ms = 0;    // Smoothed round trip.
};

// How a long-running Checker's answer cache has done
// (CheckerOptions::answer_cache_size).
struct AnswerCacheStats {
  int64_t hits = 0;     // Answered from the cache (or a question in flight).
  int64_t misses = 0;   // Asked over the network.
  int64_t entries = 0;  // Answers kept now.
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_DNS_QUESTION_STATS_H_

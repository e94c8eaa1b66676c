// dnsbl/dns/internal/adaptive_resolver.h
//
// Sending as fast as the servers allow, and no faster. A fixed number of
// questions in flight is right for one server only (dnsbl/dns/ADAPTIVE.md has
// the measurements), so the window is driven like TCP congestion control
// (dnsbl/dns/internal/congestion_window.h): it grows while answers come back,
// and shrinks to 70% when clearly more questions are lost than the path usually
// loses (timed out, or unanswered for several round trips). A question
// overdue by several round trips leaves the window and is sent again, so
// one drop does not hold a place for a whole timeout; the copies it leaves
// behind are bounded by max_inflight. Sends are paced over the round trip,
// the first burst included. Rates are capped per zone (catalog `max_qps`,
// the operators' fair-use limits) and overall
// (dnsbl/dns/internal/token_bucket.h).
//
// Example:
//
//   dnsbl::AdaptiveOptions options;
//   options.max_inflight = 4000;
//   options.max_qps = 5000;
//   auto resolver = std::make_unique<dnsbl::AdaptiveResolver>(
//       *dnsbl::CreateAresResolver(ares_options), options);

#ifndef DNSBL_DNSBL_DNS_INTERNAL_ADAPTIVE_RESOLVER_H_
#define DNSBL_DNSBL_DNS_INTERNAL_ADAPTIVE_RESOLVER_H_

#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <queue>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "dnsbl/base/clock.h"
#include "dnsbl/dns/internal/congestion_window.h"
#include "dnsbl/dns/internal/resolver.h"
#include "dnsbl/dns/internal/token_bucket.h"
#include "dnsbl/dns/question_stats.h"

namespace dnsbl {

struct AdaptiveOptions {
  // The window starts here; until a round trip is measured, sends are
  // paced by initial_qps all the same. Default: 32: a slower server with a
  // small buffer holds about that many at once, and any overshoot lasts a
  // whole loss-detection epoch (50 ms); slow start doubles it once a round
  // trip from there (dnsbl/dns/ADAPTIVE.md).
  // REQUIRES: 1 <= initial_window.
  int initial_window = 32;

  // The window never shrinks below this. Default: 8.
  int min_window = 8;

  // The window never grows beyond this: enough for about 90,000 questions
  // a second over a 40 ms round trip. Default: 4000.
  // REQUIRES: max_inflight >= initial_window >= min_window.
  int max_inflight = 4000;

  // The most questions per second overall. Default: 0, no limit.
  double max_qps = 0;

  // Until the first round trip is measured, sends are paced at this many
  // questions per second after a first burst of 64: a server's default
  // socket buffer (208 KiB) holds about 170 questions, and a one-off check
  // of 50 zones asks 200 at once. Default: 20000 (200 questions in 7 ms).
  // 0 means no pacing. REQUIRES: >= 0.
  double initial_qps = 20000;

  // Per-zone limits, as (zone name, questions per second): a question
  // counts against the zone its name ends in. Default: none.
  std::vector<std::pair<std::string, double>> zone_qps;

  // A question unanswered for this many smoothed round trips (at least
  // 50 ms) counts as lost for the window (it may still be answered or time
  // out later). Once nothing is queued, at most two round trips and four
  // deviations: the end of a run waits on its last lost packets.
  // Default: 4.
  double loss_rtts = 4;

  // How many times an overdue question is sent again at once, instead of
  // waiting for the inner resolver's timeout (seconds, against a round trip
  // of milliseconds). The question and its first copy are overdue after
  // one interval each, later copies after twice the wait of the one before
  // (2, 4, then 8 intervals). The first answer of any copy is used; a
  // copy's timeout counts only when no other copy is left.
  // Default: 0.
  int retransmits = 0;

  // Where time comes from. Default: null, meaning Clock::Real().
  Clock* clock = nullptr;
};

// A Resolver that queues questions and passes them to `inner` within the
// congestion window and rate limits. Not thread-safe, like every Resolver.
class AdaptiveResolver : public Resolver {
 public:
  AdaptiveResolver(std::unique_ptr<Resolver> inner,
                   const AdaptiveOptions& options);
  ~AdaptiveResolver() override;

  void Lookup(absl::string_view name, RecordType type, Callback done) override;
  size_t Poll(absl::Duration max_wait) override;
  size_t pending() const override { return pending_; }
  std::vector<FdEvents> Descriptors() const override {
    return inner_->Descriptors();
  }
  absl::Duration NextTimeout() override;
  size_t Process(absl::Span<const FdEvents> ready) override;
  std::string Describe() const override { return inner_->Describe(); }
  ResolutionMode mode() const override { return inner_->mode(); }

  // Returns the number of questions waiting for a place in the window.
  size_t queued() const { return queue_.size(); }

  // Counters, for progress and summaries.
  using Stats = QuestionStats;
  Stats stats() const;

 private:
  struct Flight;
  // A copy of a question in flight; stale once a newer copy is sent.
  struct Copy {
    std::shared_ptr<Flight> flight;
    int number;  // The flight's `resent` when this copy was sent.
  };
  struct Waiting {
    std::string name;
    RecordType type = RecordType::kA;
    Callback done;
    int zone = -1;  // index into zone_buckets_, or -1
  };

  // Passes queued questions on while the window and rate limits allow.
  // Returns how long until a rate limit lets the next one go (or infinite).
  absl::Duration Pump();
  void Send(Waiting waiting, absl::Time now);
  void SendCopy(const std::shared_ptr<Flight>& flight, absl::Time now);
  void OnDone(const std::shared_ptr<Flight>& flight, DnsResponse response);
  void ExpireOverdue(absl::Time now);
  void MarkOverdue(const Copy& copy, absl::Time now);
  absl::Duration OverdueAfter() const;
  // Returns how long from `now` until the next question or copy in flight
  // is overdue (infinite if none is in flight).
  absl::Duration UntilNextOverdue(absl::Time now) const;

  std::unique_ptr<Resolver> inner_;
  const AdaptiveOptions options_;
  Clock* const clock_;
  CongestionWindow window_;
  TokenBucket global_bucket_;
  // Spreads sends over the round trip (window / srtt per second), so the
  // server sees a steady stream rather than bursts of a whole window.
  TokenBucket pacing_;
  double min_rtt_ms_ = 0;
  double rttvar_ms_ = 0;
  std::vector<std::pair<std::string, TokenBucket>> zone_buckets_;
  std::list<Waiting> queue_;
  // In flight, in send order; front entries are dropped once done.
  std::deque<Copy> flights_;
  // Copies sent again, by when they are overdue (each waits about one
  // overdue interval, randomized, so copies do not all fall into one burst
  // of drops).
  struct Resend {
    absl::Time deadline;
    Copy copy;
    bool operator>(const Resend& other) const {
      return deadline > other.deadline;
    }
  };
  std::priority_queue<Resend, std::vector<Resend>, std::greater<Resend>>
      resends_;
  int counted_in_window_ = 0;  // In flight, not yet overdue.
  size_t pending_ = 0;
  double srtt_ms_ = 0;
  bool rtt_sampled_ = false;  // Pacing leaves initial_qps once set.
  bool pumping_ = false;
  // When Pump() may next send (a rate limit or pacing lets a question go);
  // InfiniteFuture() when nothing waits for one.
  absl::Time pump_due_ = absl::InfiniteFuture();
  std::minstd_rand rng_{20261122};  // Spreads resends.
  Stats stats_;
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_DNS_INTERNAL_ADAPTIVE_RESOLVER_H_

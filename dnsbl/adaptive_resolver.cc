#include "dnsbl/adaptive_resolver.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/time/clock.h"

namespace dnsbl {
namespace {

// Below this, "several round trips" is noise (scheduling, a busy core).
constexpr absl::Duration kMinOverdue = absl::Milliseconds(50);
// Before any round trip is measured.
constexpr absl::Duration kInitialOverdue = absl::Seconds(1);
// Sent back to back before the first round trip is measured.
constexpr double kInitialBurst = 64;
// Per epoch after slow start: growth on a clean epoch, and the cut on a
// lossy one (gentler than halving, as in CUBIC: a server that dropped a
// burst usually coped with most of the window).
constexpr double kGrowth = 1.25;
constexpr double kDecrease = 0.7;

}  // namespace

struct AdaptiveResolver::Flight {
  std::string name;
  RecordType type = RecordType::kA;
  Callback done;
  absl::Time sent;       // Of the newest copy.
  bool overdue = false;  // The newest copy left the window.
  bool ever_overdue = false;
  bool finished = false;
  int copies_pending = 0;
  int resent = 0;
};

CongestionWindow::CongestionWindow(double initial, double min, double max,
                                   double loss_threshold)
    : window_(initial), min_(min), max_(max), loss_threshold_(loss_threshold) {}

void CongestionWindow::Tick(absl::Time now, absl::Duration epoch,
                            bool queueing) {
  if (epoch_start_ == absl::InfinitePast()) {
    epoch_start_ = now;
    return;
  }
  if (now - epoch_start_ < epoch) return;
  const int64_t total = answers_ + losses_;
  const double rate = total > 0 ? static_cast<double>(losses_) / total : 0;
  // A path that always loses some packets is not congested: only loss well
  // beyond the usual counts.
  const bool congested = total > 0 && rate > background_loss_ + loss_threshold_;
  // Learned from every epoch, so a path that loses a tenth of its packets
  // stops counting as congested after a second or so; a burst moves it
  // only a little.
  if (total > 0) background_loss_ = 0.9 * background_loss_ + 0.1 * rate;
  if (recovering_) {
    // Most losses seen in the epoch after a cut were sent before it: they
    // are the same congestion event, not a new one (TCP, too, cuts once
    // per window of data), so the window neither shrinks nor grows.
    recovering_ = false;
  } else if (congested) {
    window_ = std::max(min_, window_ * kDecrease);
    slow_start_ = false;
    recovering_ = true;
    ++decreases_;
  } else if (queueing) {
    window_ = std::max(min_, window_ * 0.875);
    slow_start_ = false;
  } else if (total > 0 && most_in_flight_ >= window_ / 2) {
    // Grows only a window that was used: an idle one says nothing.
    window_ =
        std::min(max_, slow_start_ ? window_ * 2
                                   : std::max(window_ + 1, window_ * kGrowth));
  }
  epoch_start_ = now;
  answers_ = 0;
  losses_ = 0;
  most_in_flight_ = 0;
}

TokenBucket::TokenBucket(double rate, double burst, absl::Time now)
    : rate_(rate), burst_(std::max(1.0, burst)), tokens_(burst_), last_(now) {}

void TokenBucket::Refill(absl::Time now) {
  if (now <= last_) return;
  tokens_ =
      std::min(burst_, tokens_ + rate_ * absl::ToDoubleSeconds(now - last_));
  last_ = now;
}

void TokenBucket::SetRate(double rate, double burst, absl::Time now) {
  Refill(now);
  rate_ = rate;
  burst_ = std::max(1.0, burst);
  tokens_ = std::min(tokens_, burst_);
}

bool TokenBucket::TryTake(absl::Time now) {
  if (unlimited()) return true;
  Refill(now);
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

absl::Duration TokenBucket::TimeToToken(absl::Time now) {
  if (unlimited()) return absl::ZeroDuration();
  Refill(now);
  if (tokens_ >= 1) return absl::ZeroDuration();
  // Never zero without a token: with 0.9999999 tokens the wait rounds to
  // nothing, the caller sends at once, TryTake() refuses, and nothing is
  // paced until time moves (seen in a simulated 40 ms path).
  return std::max(absl::Nanoseconds(1), absl::Seconds((1 - tokens_) / rate_));
}

AdaptiveResolver::AdaptiveResolver(std::unique_ptr<Resolver> inner,
                                   const AdaptiveOptions& options)
    : inner_(std::move(inner)),
      options_(options),
      clock_(options.clock != nullptr ? options.clock : Clock::Real()),
      window_(options.initial_window, options.min_window, options.max_inflight),
      // A tenth of a second's worth of burst keeps the rate smooth.
      global_bucket_(options.max_qps, options.max_qps / 10, clock_->Now()),
      pacing_(options.initial_qps, kInitialBurst, clock_->Now()) {
  for (const auto& [zone, qps] : options.zone_qps) {
    zone_buckets_.emplace_back(absl::AsciiStrToLower(zone),
                               TokenBucket(qps, qps / 10, clock_->Now()));
  }
}

AdaptiveResolver::~AdaptiveResolver() {
  // Drops the inner resolver's callbacks, which point back here, first.
  inner_.reset();
}

void AdaptiveResolver::Lookup(absl::string_view name, RecordType type,
                              Callback done) {
  Waiting waiting;
  waiting.name = std::string(name);
  waiting.type = type;
  waiting.done = std::move(done);
  size_t best = 0;
  for (size_t i = 0; i < zone_buckets_.size(); ++i) {
    const std::string& zone = zone_buckets_[i].first;
    // The name is the zone itself, or ends in "." and the zone.
    if (zone.size() > best && (absl::EqualsIgnoreCase(name, zone) ||
                               (name.size() > zone.size() &&
                                name[name.size() - zone.size() - 1] == '.' &&
                                absl::EndsWithIgnoreCase(name, zone)))) {
      best = zone.size();
      waiting.zone = static_cast<int>(i);
    }
  }
  ++pending_;
  queue_.push_back(std::move(waiting));
  Pump();
}

absl::Duration AdaptiveResolver::OverdueAfter() const {
  if (srtt_ms_ <= 0) return kInitialOverdue;
  // With nothing left to send, the last questions are all that is left to
  // wait for: they are given up on sooner (two round trips and the jitter)
  // so a run's end is not four round trips per lost packet.
  const bool draining = queue_.empty();
  const double rtts =
      draining ? std::min(options_.loss_rtts, 2.0) : options_.loss_rtts;
  const double jitter_ms = draining ? 4 * rttvar_ms_ : 0;
  return std::max(kMinOverdue, absl::Milliseconds(rtts * srtt_ms_ + jitter_ms));
}

void AdaptiveResolver::ExpireOverdue(absl::Time now) {
  const absl::Duration overdue_after = OverdueAfter();
  while (!flights_.empty()) {
    const Copy& front = flights_.front();
    if (!front.flight->finished && front.number == front.flight->resent &&
        now - front.flight->sent < overdue_after) {
      break;
    }
    Copy copy = std::move(flights_.front());
    flights_.pop_front();
    MarkOverdue(copy, now);
  }
  while (!resends_.empty() && resends_.top().deadline <= now) {
    Copy copy = resends_.top().copy;
    resends_.pop();
    MarkOverdue(copy, now);
  }
}

absl::Duration AdaptiveResolver::UntilNextOverdue(absl::Time now) const {
  // ExpireOverdue() has just dropped the finished and the superseded from
  // the front of both; one left behind only wakes the loop early.
  absl::Time next = absl::InfiniteFuture();
  if (!flights_.empty()) {
    next = flights_.front().flight->sent + OverdueAfter();
  }
  if (!resends_.empty()) next = std::min(next, resends_.top().deadline);
  return std::max(absl::ZeroDuration(), next - now);
}

void AdaptiveResolver::MarkOverdue(const Copy& copy, absl::Time now) {
  Flight& flight = *copy.flight;
  // Finished, or a newer copy is out, or already counted: nothing to do.
  if (flight.finished || copy.number != flight.resent || flight.overdue) {
    return;
  }
  // Probably dropped. It leaves the window now, so a drop does not hold a
  // place for a whole timeout; its answer or timeout still comes.
  flight.overdue = true;
  flight.ever_overdue = true;
  --counted_in_window_;
  ++stats_.lost;
  window_.OnLoss();
  if (flight.resent < options_.retransmits) {
    ++flight.resent;
    ++stats_.resent;
    SendCopy(copy.flight, now);
  }
}

absl::Duration AdaptiveResolver::Pump() {
  if (pumping_) return absl::ZeroDuration();
  pumping_ = true;
  absl::Time now = clock_->Now();
  ExpireOverdue(now);
  // Queueing: round trips well past the least seen (and past the noise of
  // a busy machine).
  // Jitter (rttvar) is not queueing: only a rise beyond it counts.
  const bool queueing =
      min_rtt_ms_ > 0 && srtt_ms_ > 2 * min_rtt_ms_ + 0.5 + 4 * rttvar_ms_;
  // Slow start doubles once a round trip (at least kMinOverdue), as TCP's
  // does: on a long path, waiting the four round trips that loss detection
  // takes would spend a second climbing. Its overshoot is bounded by
  // max_inflight and ends at the first loss.
  const absl::Duration epoch =
      window_.slow_start() ? std::max(kMinOverdue, absl::Milliseconds(srtt_ms_))
                           : OverdueAfter();
  window_.Tick(now, epoch, queueing);
  if (srtt_ms_ > 0) {
    double rate = 1.5 * window_.limit() / (std::max(srtt_ms_, 0.1) / 1000);
    // At most a quarter millisecond's worth back to back: a long path
    // delivers a burst as it was sent, and a server's socket buffer holds
    // only ~170 questions (rbldnsd sets 128 KiB). A millisecond's worth
    // (~150 at a 40 ms round trip) nearly filled it, so any moment the
    // server spent off its CPU dropped questions: through the 20 ms / 1%
    // proxy, a quarter of that halved the losses and took 12% off the time.
    pacing_.SetRate(rate, std::max(8.0, rate / 4000), now);
  } else if (rtt_sampled_) {
    // Answers come back in no measurable time: nothing to pace against.
    pacing_.SetRate(0, 1, now);
  }
  absl::Duration wait = absl::InfiniteDuration();
  // Overdue questions leave the window, so one drop does not stall the
  // rest; but they still hold a place in the inner resolver until their
  // timeout. Bounding them bounds what the inner resolver holds. The bound
  // follows max_inflight, not the window: after a burst of drops has cut
  // the window, the copies it left behind must not stop all sending until
  // they time out.
  const int most_outstanding = window_.limit() + 2 * options_.max_inflight;
  for (auto it = queue_.begin();
       it != queue_.end() && counted_in_window_ < window_.limit() &&
       static_cast<int>(inner_->pending()) < most_outstanding;) {
    if (it->zone >= 0) {
      TokenBucket& bucket = zone_buckets_[it->zone].second;
      absl::Duration until = bucket.TimeToToken(now);
      if (until > absl::ZeroDuration()) {
        // This zone must wait; others may go ahead of it.
        wait = std::min(wait, until);
        ++it;
        continue;
      }
    }
    absl::Duration until =
        std::max(global_bucket_.TimeToToken(now), pacing_.TimeToToken(now));
    if (until > absl::ZeroDuration()) {
      wait = std::min(wait, until);
      break;
    }
    global_bucket_.TryTake(now);
    pacing_.TryTake(now);
    if (it->zone >= 0) zone_buckets_[it->zone].second.TryTake(now);
    Waiting waiting = std::move(*it);
    it = queue_.erase(it);
    Send(std::move(waiting), now);
  }
  window_.OnInFlight(counted_in_window_);
  pumping_ = false;
  pump_due_ =
      wait == absl::InfiniteDuration() ? absl::InfiniteFuture() : now + wait;
  return wait;
}

void AdaptiveResolver::Send(Waiting waiting, absl::Time now) {
  auto flight = std::make_shared<Flight>();
  flight->name = std::move(waiting.name);
  flight->type = waiting.type;
  flight->done = std::move(waiting.done);
  SendCopy(flight, now);
}

void AdaptiveResolver::SendCopy(const std::shared_ptr<Flight>& flight,
                                absl::Time now) {
  flight->sent = now;
  flight->overdue = false;
  ++flight->copies_pending;
  Copy copy{flight, flight->resent};
  if (flight->resent == 0) {
    flights_.push_back(std::move(copy));
  } else {
    // From the second copy on, each waits twice as long as the one before
    // (at most 8 intervals), as TCP backs off a segment lost again: losses
    // of the same question in a row mean the server is overflowing for a
    // while (another client filling its socket buffer), and copies an
    // interval apart are all lost in it. Two bulk runs against one rbldnsd
    // gave up on ~100 questions per 12 runs at even intervals and 4 tries,
    // ~20 with doubling, none with doubling and 6 tries. A path that just
    // loses packets now and then rarely needs a third copy (0.04% of
    // questions at 1% loss each way), so it does not pay for this.
    // Randomized by a quarter either way: the copies of questions lost in
    // one burst would otherwise all come due together, and be lost together
    // again.
    const double spread =
        std::uniform_real_distribution<double>(0.75, 1.25)(rng_);
    const int backoff = 1 << std::min(flight->resent - 1, 3);
    resends_.push(
        Resend{now + OverdueAfter() * (spread * backoff), std::move(copy)});
  }
  ++counted_in_window_;
  ++stats_.sent;
  inner_->Lookup(flight->name, flight->type, [this, flight](DnsResponse r) {
    OnDone(flight, std::move(r));
  });
}

void AdaptiveResolver::OnDone(const std::shared_ptr<Flight>& flight,
                              DnsResponse response) {
  --flight->copies_pending;
  if (flight->finished) return;  // Another copy was answered first.
  const bool unanswered = response.outcome == DnsOutcome::kTimeout ||
                          response.outcome == DnsOutcome::kNetworkError;
  if (unanswered && flight->copies_pending > 0) {
    return;  // A newer copy may still be answered.
  }
  absl::Time now = clock_->Now();
  if (unanswered && flight->resent < options_.retransmits) {
    // Every copy timed out before it was overdue (a timeout shorter than
    // the overdue interval): send the next one now.
    MarkOverdue(Copy{flight, flight->resent}, now);
    if (flight->copies_pending > 0) return;
  }
  flight->finished = true;
  const bool retried = response.attempts > 1;
  const bool congestion_free = response.outcome != DnsOutcome::kNetworkError &&
                               response.outcome != DnsOutcome::kOtherError;
  if (!flight->overdue) {
    --counted_in_window_;
    // An overdue question was already counted as a loss.
    if (!flight->ever_overdue &&
        (response.outcome == DnsOutcome::kTimeout || retried)) {
      ++stats_.lost;
      window_.OnLoss();
    }
  }
  if (!unanswered && !retried && congestion_free) {
    ++stats_.answered;
    window_.OnAnswer();
    if (!flight->ever_overdue) {
      double rtt_ms = absl::ToDoubleMilliseconds(now - flight->sent);
      rttvar_ms_ = srtt_ms_ <= 0
                       ? rtt_ms / 2
                       : 0.75 * rttvar_ms_ + 0.25 * std::abs(rtt_ms - srtt_ms_);
      srtt_ms_ = srtt_ms_ <= 0 ? rtt_ms : 0.875 * srtt_ms_ + 0.125 * rtt_ms;
      min_rtt_ms_ = min_rtt_ms_ <= 0 ? rtt_ms : std::min(min_rtt_ms_, rtt_ms);
      rtt_sampled_ = true;
    }
  }
  response.attempts += flight->resent;
  --pending_;
  Callback done = std::move(flight->done);
  done(std::move(response));
}

size_t AdaptiveResolver::Poll(absl::Duration max_wait) {
  if (pending_ == 0) return 0;
  absl::Duration wait = std::min(Pump(), max_wait);
  // Wake up in time to notice overdue questions, free their places and
  // send their copies.
  wait = std::min(wait, UntilNextOverdue(clock_->Now()));
  if (inner_->pending() == 0) {
    // Everything is waiting for a rate limit.
    if (!queue_.empty() && wait > absl::ZeroDuration()) absl::SleepFor(wait);
  } else {
    inner_->Poll(wait);
  }
  Pump();
  return pending_;
}

absl::Duration AdaptiveResolver::NextTimeout() {
  if (pending_ == 0) return absl::InfiniteDuration();
  const absl::Time now = clock_->Now();
  absl::Duration wait = std::min(pump_due_ - now, UntilNextOverdue(now));
  if (inner_->pending() > 0) wait = std::min(wait, inner_->NextTimeout());
  return std::max(absl::ZeroDuration(), wait);
}

size_t AdaptiveResolver::Process(absl::Span<const FdEvents> ready) {
  Pump();
  if (inner_->pending() > 0) inner_->Process(ready);
  Pump();
  return pending_;
}

AdaptiveResolver::Stats AdaptiveResolver::stats() const {
  Stats s = stats_;
  s.window = window_.limit();
  s.decreases = window_.decreases();
  s.srtt_ms = srtt_ms_;
  return s;
}

}  // namespace dnsbl

#include "dnsbl/dns/internal/adaptive_resolver.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "absl/strings/ascii.h"
#include "absl/time/clock.h"
#include "dnsbl/base/address.h"

namespace dnsbl {
namespace {

// Below this, "several round trips" is noise (scheduling, a busy core).
constexpr absl::Duration kMinOverdue = absl::Milliseconds(50);
// Before any round trip is measured.
constexpr absl::Duration kInitialOverdue = absl::Seconds(1);
// Sent back to back before the first round trip is measured.
constexpr double kInitialBurst = 64;

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

AdaptiveResolver::AdaptiveResolver(std::unique_ptr<Resolver> inner,
                                   const AdaptiveOptions& options)
    : inner_(std::move(inner)),
      options_(options),
      clock_(options.clock != nullptr ? options.clock : Clock::Real()),
      window_(options.initial_window, options.min_window, options.max_inflight),
      // A tenth of a second's worth of burst keeps the rate smooth.
      global_bucket_(options.max_qps, options.max_qps / 10, clock_->Now()),
      // No first burst beyond the window: a server with a small buffer
      // drops the rest before any round trip is measured.
      pacing_(options.initial_qps,
              std::min<double>(kInitialBurst, options.initial_window),
              clock_->Now()) {
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
    if (zone.size() > best && NameAtOrBelow(name, zone)) {
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
  // Queueing: round trips half again the least seen, and 0.15 ms more (the
  // noise of a busy machine), and beyond their jitter (rttvar): the
  // server's queue is filling, and drops follow a full one. Tighter than
  // twice the least plus 0.5 ms, which let a server with a 32-question
  // queue overflow (dnsbl/dns/ADAPTIVE.md).
  const bool queueing =
      min_rtt_ms_ > 0 && srtt_ms_ > 1.5 * min_rtt_ms_ + 0.15 + 2 * rttvar_ms_;
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
    // At most a quarter millisecond's worth back to back: a server's socket
    // buffer holds only ~170 questions (measured in dnsbl/dns/ADAPTIVE.md).
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
    // (at most 8 intervals), as TCP backs off: the same question lost again
    // means a server overflowing for a while. Randomized by a quarter so the
    // copies of one burst of losses do not come due together (measurements
    // in dnsbl/dns/ADAPTIVE.md).
    const double spread =
        std::uniform_real_distribution<double>(0.75, 1.25)(rng_);
    const int backoff = 1 << std::min(flight->resent - 1, 3);
    resends_.push(
        Resend{now + OverdueAfter() * (spread * backoff), std::move(copy)});
  }
  ++counted_in_window_;
  ++stats_.sent;
  auto done = [this, flight](DnsResponse r) { OnDone(flight, std::move(r)); };
  if (flight->resent == 0) {
    inner_->Lookup(flight->name, flight->type, std::move(done));
  } else {
    inner_->LookupCopy(flight->name, flight->type, std::move(done));
  }
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

#include "dnsbl/dns/internal/server_selection.h"

#include <algorithm>
#include <limits>
#include <tuple>

namespace dnsbl {
namespace {

// The new sample's weight in the smoothed round trip (BIND and unbound
// use about this).
constexpr double kSampleWeight = 0.3;
// What a server not chosen keeps of its round trip each time another is:
// after about 35 choices of others, a server twice as slow is tried again.
constexpr double kDecay = 0.98;
// An unknown server counts as this fast, and a little random, so each is
// tried early.
constexpr double kUnknownMaxMs = 5;
// A zone keeps asking the server it asked last unless that one has become
// both twice as slow as the best and 10 ms slower: switching between
// servers of about the same speed wakes a sleeping server for each
// question, which costs both sides more than the speed gained, and a busy
// server's round trip grows with its queue while an idle one's stays as
// last measured (a smaller margin flip-flopped between loopback servers).
constexpr double kStickyFactor = 2;
constexpr double kStickyMarginMs = 10;
// Every this many questions a zone chooses afresh, so the others' round
// trips stay known.
constexpr int kRechooseEvery = 1000;

bool Contains(absl::Span<const int> list, int id) {
  return std::find(list.begin(), list.end(), id) != list.end();
}

uint64_t LameKey(int zone, int server) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(zone)) << 32) |
         static_cast<uint32_t>(server);
}

}  // namespace

ServerSelection::ServerSelection(Clock* clock, uint32_t seed)
    : clock_(clock), rng_(seed) {}

ServerSelection::Stats& ServerSelection::StatsOf(int server) {
  if (static_cast<size_t>(server) >= stats_.size()) {
    stats_.resize(static_cast<size_t>(server) + 1);
  }
  return stats_[static_cast<size_t>(server)];
}

std::optional<int> ServerSelection::Choose(int zone,
                                           absl::Span<const int> candidates,
                                           absl::Span<const int> exclude,
                                           absl::Span<const int> avoid) {
  const absl::Time now = clock_->Now();
  if (static_cast<size_t>(zone) >= sticky_.size()) {
    sticky_.resize(static_cast<size_t>(zone) + 1);
  }
  Sticky& sticky = sticky_[static_cast<size_t>(zone)];
  // Now and then a zone chooses afresh, so the others' round trips stay
  // known; that one question does not move the zones off a server that is
  // still good enough.
  const bool probe = ++sticky.choices >= kRechooseEvery;
  if (probe) sticky.choices = 0;
  std::optional<int> kept =
      KeepCurrent(zone, sticky, candidates, exclude, avoid, now);
  if (kept.has_value() && !probe) return kept;
  // Best by (penalized, avoided, score): a server neither dead nor lame
  // beats every penalized one, and among penalized ones the one whose
  // penalty ends first.
  std::optional<int> best;
  std::tuple<bool, bool, double> best_key;
  for (int server : candidates) {
    if (Contains(exclude, server)) continue;
    const Stats& stats = StatsOf(server);
    absl::Time until = stats.dead_until;
    if (!lame_until_.empty()) {
      if (auto it = lame_until_.find(LameKey(zone, server));
          it != lame_until_.end()) {
        until = std::max(until, it->second);
      }
    }
    const bool penalized = until > now;
    double score = 0;
    if (penalized) {
      score = absl::ToDoubleSeconds(until - now);
    } else if (stats.measured) {
      score = stats.srtt_ms;
    } else {
      score = std::uniform_real_distribution<double>(0, kUnknownMaxMs)(rng_);
    }
    const auto key = std::make_tuple(penalized, Contains(avoid, server), score);
    if (!best.has_value() || key < best_key) {
      best = server;
      best_key = key;
    }
  }
  if (!best.has_value()) return std::nullopt;
  for (int server : candidates) {
    if (server == *best) continue;
    Stats& stats = StatsOf(server);
    if (stats.measured) stats.srtt_ms *= kDecay;
  }
  if (!kept.has_value()) {
    sticky.server = *best;
    last_server_ = *best;
  }
  return best;
}

std::optional<int> ServerSelection::KeepCurrent(
    int zone, Sticky& sticky, absl::Span<const int> candidates,
    absl::Span<const int> exclude, absl::Span<const int> avoid,
    absl::Time now) {
  // The server any zone chose last first, then the zone's own: zones often
  // share servers, and one busy server beats two that keep falling asleep.
  for (int current : {last_server_, sticky.server}) {
    if (GoodEnough(zone, current, candidates, exclude, avoid, now)) {
      sticky.server = current;
      return current;
    }
  }
  return std::nullopt;
}

bool ServerSelection::GoodEnough(int zone, int current,
                                 absl::Span<const int> candidates,
                                 absl::Span<const int> exclude,
                                 absl::Span<const int> avoid, absl::Time now) {
  if (current < 0 || !Contains(candidates, current) ||
      Contains(exclude, current) || Contains(avoid, current) ||
      Penalized(zone, current, now) || !StatsOf(current).measured) {
    return false;
  }
  double best_other = std::numeric_limits<double>::infinity();
  for (int server : candidates) {
    if (server == current || Contains(exclude, server) ||
        Penalized(zone, server, now)) {
      continue;
    }
    const Stats& stats = StatsOf(server);
    // Every server is measured early: an unknown one is tried.
    if (!stats.measured) return false;
    best_other = std::min(best_other, stats.srtt_ms);
  }
  const double mine = StatsOf(current).srtt_ms;
  return mine <= best_other * kStickyFactor ||
         mine <= best_other + kStickyMarginMs;
}

bool ServerSelection::Penalized(int zone, int server, absl::Time now) {
  if (StatsOf(server).dead_until > now) return true;
  if (lame_until_.empty()) return false;
  auto it = lame_until_.find(LameKey(zone, server));
  return it != lame_until_.end() && it->second > now;
}

void ServerSelection::Answered(int server, absl::Duration rtt) {
  Stats& stats = StatsOf(server);
  const double ms = absl::ToDoubleMilliseconds(rtt);
  stats.srtt_ms = stats.measured
                      ? (1 - kSampleWeight) * stats.srtt_ms + kSampleWeight * ms
                      : ms;
  stats.measured = true;
  stats.dead_until = absl::InfinitePast();
}

void ServerSelection::Alive(int server) {
  StatsOf(server).dead_until = absl::InfinitePast();
}

void ServerSelection::Dead(int server) {
  StatsOf(server).dead_until = clock_->Now() + kDeadServerTime;
}

void ServerSelection::Lame(int zone, int server) {
  lame_until_[LameKey(zone, server)] = clock_->Now() + kLameServerTime;
}

std::optional<absl::Duration> ServerSelection::SmoothedRtt(int server) const {
  if (server < 0 || static_cast<size_t>(server) >= stats_.size() ||
      !stats_[static_cast<size_t>(server)].measured) {
    return std::nullopt;
  }
  return absl::Milliseconds(stats_[static_cast<size_t>(server)].srtt_ms);
}

}  // namespace dnsbl

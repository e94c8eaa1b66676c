#include "dnsbl/dns/server_selection.h"

#include <algorithm>
#include <limits>
#include <tuple>

#include "absl/strings/str_cat.h"

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

bool Contains(absl::Span<const std::string> list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

}  // namespace

ServerSelection::ServerSelection(Clock* clock, uint32_t seed)
    : clock_(clock), rng_(seed) {}

std::optional<std::string> ServerSelection::Choose(
    absl::string_view zone, absl::Span<const std::string> candidates,
    absl::Span<const std::string> exclude,
    absl::Span<const std::string> avoid) {
  const absl::Time now = clock_->Now();
  std::uniform_real_distribution<double> unknown(0, kUnknownMaxMs);
  // Best by (penalized, avoided, score): a server neither dead nor lame
  // beats every penalized one, and among penalized ones the one whose
  // penalty ends first.
  struct Pick {
    const std::string* server = nullptr;
    bool penalized = true;
    bool avoided = true;
    double score = std::numeric_limits<double>::infinity();
  };
  Pick best;
  for (const std::string& server : candidates) {
    if (Contains(exclude, server)) continue;
    Stats& stats = stats_[server];
    absl::Time until = stats.dead_until;
    if (!lame_until_.empty()) {
      if (auto it = lame_until_.find(absl::StrCat(zone, "/", server));
          it != lame_until_.end()) {
        until = std::max(until, it->second);
      }
    }
    Pick pick;
    pick.server = &server;
    pick.penalized = until > now;
    pick.avoided = Contains(avoid, server);
    pick.score = pick.penalized
                     ? absl::ToDoubleSeconds(until - now)
                     : (stats.measured ? stats.srtt_ms : unknown(rng_));
    auto key = [](const Pick& p) {
      return std::make_tuple(p.penalized, p.avoided, p.score);
    };
    if (best.server == nullptr || key(pick) < key(best)) best = pick;
  }
  if (best.server == nullptr) return std::nullopt;
  for (const std::string& server : candidates) {
    if (&server == best.server) continue;
    Stats& stats = stats_[server];
    if (stats.measured) stats.srtt_ms *= kDecay;
  }
  return *best.server;
}

void ServerSelection::Answered(const std::string& server, absl::Duration rtt) {
  Stats& stats = stats_[server];
  const double ms = absl::ToDoubleMilliseconds(rtt);
  stats.srtt_ms = stats.measured
                      ? (1 - kSampleWeight) * stats.srtt_ms + kSampleWeight * ms
                      : ms;
  stats.measured = true;
  stats.dead_until = absl::InfinitePast();
}

void ServerSelection::Dead(const std::string& server) {
  stats_[server].dead_until = clock_->Now() + kDeadServerTime;
}

void ServerSelection::Lame(absl::string_view zone, const std::string& server) {
  lame_until_[absl::StrCat(zone, "/", server)] =
      clock_->Now() + kLameServerTime;
}

std::optional<absl::Duration> ServerSelection::SmoothedRtt(
    const std::string& server) const {
  auto it = stats_.find(server);
  if (it == stats_.end() || !it->second.measured) return std::nullopt;
  return absl::Milliseconds(it->second.srtt_ms);
}

}  // namespace dnsbl

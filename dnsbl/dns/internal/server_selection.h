// dnsbl/dns/internal/server_selection.h
//
// Which of a zone's servers to ask, as BIND and unbound choose: the one
// with the smallest smoothed round-trip time among those that answer,
// each unknown server tried early (it gets a small random time, so every
// server is measured), the times of servers not chosen decaying slowly so
// a once-slow server is tried again now and then. A server that timed out
// or could not be reached is left alone for a while (dead), as is one that
// refused, failed or answered without authority for the zone (lame for
// that zone); when every candidate is dead or lame, the one whose penalty
// ends first is asked all the same. Servers and zones are small integers
// the caller assigns (a server is one address), so choosing costs no
// string hashing: it runs for every question of a bulk run. A zone keeps
// to the server it asked last while that one stays about as fast as the
// best: flitting between servers of the same speed costs more (a sleeping
// server woken for each question) than it gains.
//
// Example:
//
//   dnsbl::ServerSelection selection(clock);
//   std::optional<int> server = selection.Choose(zone, {0, 1}, {});
//   ...
//   selection.Answered(*server, absl::Milliseconds(12));

#ifndef DNSBL_DNSBL_DNS_INTERNAL_SERVER_SELECTION_H_
#define DNSBL_DNSBL_DNS_INTERNAL_SERVER_SELECTION_H_

#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "dnsbl/base/clock.h"

namespace dnsbl {

// How long a server that timed out or was unreachable is left alone.
inline constexpr absl::Duration kDeadServerTime = absl::Seconds(60);
// How long a server lame for a zone is left alone for that zone.
inline constexpr absl::Duration kLameServerTime = absl::Minutes(5);

// Not thread-safe.
class ServerSelection {
 public:
  // `clock` must outlive the selection.
  explicit ServerSelection(Clock* clock, uint32_t seed = 20261205);

  // Returns the server of `candidates` (ids >= 0) to ask next for a
  // question in `zone`, never one in `exclude` and, when there is a
  // choice, not one in `avoid` (servers already asked the same question).
  // nullopt when every candidate is excluded.
  std::optional<int> Choose(int zone, absl::Span<const int> candidates,
                            absl::Span<const int> exclude,
                            absl::Span<const int> avoid = {});

  // Records an answer from `server` after `rtt`.
  void Answered(int server, absl::Duration rtt);

  // Records an answer from `server` whose round trip was not timed.
  void Alive(int server);

  // Returns whether `server`'s round trip has been measured.
  bool Measured(int server) const {
    return server >= 0 && static_cast<size_t>(server) < stats_.size() &&
           stats_[static_cast<size_t>(server)].measured;
  }

  // Records that `server` did not answer (timeout) or could not be reached.
  void Dead(int server);

  // Records that `server` refused, failed or answered without authority
  // for `zone`.
  void Lame(int zone, int server);

  // Returns the smoothed round trip of `server`, if measured.
  std::optional<absl::Duration> SmoothedRtt(int server) const;

 private:
  struct Stats {
    double srtt_ms = 0;
    bool measured = false;
    absl::Time dead_until = absl::InfinitePast();
  };

  // A zone's current server, and how often it was kept.
  struct Sticky {
    int server = -1;
    int choices = 0;
  };

  Stats& StatsOf(int server);
  bool Penalized(int zone, int server, absl::Time now);
  // Returns whether `current` may be asked again for `zone`: eligible, and
  // about as fast as the best other eligible candidate.
  bool GoodEnough(int zone, int current, absl::Span<const int> candidates,
                  absl::Span<const int> exclude, absl::Span<const int> avoid,
                  absl::Time now);
  // Returns the zone's current server when it should be asked again.
  std::optional<int> KeepCurrent(int zone, Sticky& sticky,
                                 absl::Span<const int> candidates,
                                 absl::Span<const int> exclude,
                                 absl::Span<const int> avoid, absl::Time now);

  Clock* const clock_;
  std::minstd_rand rng_;
  std::vector<Stats> stats_;
  std::vector<Sticky> sticky_;  // By zone.
  int last_server_ = -1;        // Chosen afresh last, by any zone.
  // (zone << 32 | server) -> until when lame.
  absl::flat_hash_map<uint64_t, absl::Time> lame_until_;
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_DNS_INTERNAL_SERVER_SELECTION_H_

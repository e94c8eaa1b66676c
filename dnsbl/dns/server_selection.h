// dnsbl/dns/server_selection.h
//
// Which of a zone's servers to ask, as BIND and unbound choose: the one
// with the smallest smoothed round-trip time among those that answer,
// each unknown server tried early (it gets a small random time, so every
// server is measured), the times of servers not chosen decaying slowly so
// a once-slow server is tried again now and then. A server that timed out
// or could not be reached is left alone for a while (dead), as is one that
// refused, failed or answered without authority for the zone (lame for
// that zone); when every candidate is dead or lame, the one whose penalty
// ends first is asked all the same.
//
// Example:
//
//   dnsbl::ServerSelection selection(clock);
//   std::optional<std::string> server =
//       selection.Choose("bl.example", {"192.0.2.53", "192.0.2.54"}, {});
//   ...
//   selection.Answered(*server, absl::Milliseconds(12));

#ifndef DNSBL_DNSBL_DNS_SERVER_SELECTION_H_
#define DNSBL_DNSBL_DNS_SERVER_SELECTION_H_

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
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

  // Returns the server of `candidates` (addresses as text) to ask next for
  // a question in `zone`, never one in `exclude` and, when there is a
  // choice, not one in `avoid` (servers already asked the same question).
  // nullopt when every candidate is excluded.
  std::optional<std::string> Choose(absl::string_view zone,
                                    absl::Span<const std::string> candidates,
                                    absl::Span<const std::string> exclude,
                                    absl::Span<const std::string> avoid = {});

  // Records an answer from `server` after `rtt`.
  void Answered(const std::string& server, absl::Duration rtt);

  // Records that `server` did not answer (timeout) or could not be reached.
  void Dead(const std::string& server);

  // Records that `server` refused, failed or answered without authority
  // for `zone`.
  void Lame(absl::string_view zone, const std::string& server);

  // Returns the smoothed round trip of `server`, if measured.
  std::optional<absl::Duration> SmoothedRtt(const std::string& server) const;

 private:
  struct Stats {
    double srtt_ms = 0;
    bool measured = false;
    absl::Time dead_until = absl::InfinitePast();
  };

  Clock* const clock_;
  std::minstd_rand rng_;
  absl::flat_hash_map<std::string, Stats> stats_;
  // "zone/address" -> until when lame.
  absl::flat_hash_map<std::string, absl::Time> lame_until_;
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_DNS_SERVER_SELECTION_H_

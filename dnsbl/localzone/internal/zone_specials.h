// dnsbl/localzone/internal/zone_specials.h
//
// The special entries of rbldnsd's data files ("$SOA", "$NS", "$TTL",
// "$MAXRANGE4", "$TIMESTAMP", and the substitution variables "$0".."$9"
// and "$="), each a row of one table (zone_specials.cc), and the settings
// they make for the dataset being loaded.
//
// Example:
//
//   dnsbl::ZoneSettings settings;
//   absl::Status s = dnsbl::ApplyZoneSpecial(
//       "TTL 1h", now, settings, [](absl::string_view why) { ... });
//   // settings.ttl == 3600

#ifndef DNSBL_DNSBL_LOCALZONE_INTERNAL_ZONE_SPECIALS_H_
#define DNSBL_DNSBL_LOCALZONE_INTERNAL_ZONE_SPECIALS_H_

#include <cstdint>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace dnsbl {

// rbldnsd's default TTL (its -t option), 35 minutes.
inline constexpr int kDefaultZoneTtl = 35 * 60;

// What the special entries of a dataset's files set.
struct ZoneSettings {
  int ttl = kDefaultZoneTtl;  // $TTL (0 restores the default).
  bool has_soa = false;       // A well-formed $SOA was given.
  uint32_t max_range4 = 0;    // $MAXRANGE4 in addresses; 0: no limit.
  std::string subst[10];      // $0..$9; the first assignment wins.
  std::string base_template;  // $=; likewise.
};

// Applies the special entry `text` (what follows its '$', e.g. "TTL 1h")
// to `settings`; `now` decides whether a $TIMESTAMP is in the future. A
// malformed or unknown entry is reported through `warn` and skipped, as
// rbldnsd logs and skips it. Returns FailedPrecondition for data rbldnsd
// refuses to serve: a $TIMESTAMP in the future, or data past its expiry.
absl::Status ApplyZoneSpecial(absl::string_view text, absl::Time now,
                              ZoneSettings& settings,
                              absl::FunctionRef<void(absl::string_view)> warn);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_LOCALZONE_INTERNAL_ZONE_SPECIALS_H_

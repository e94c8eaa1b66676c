#include "dnsbl/localzone/internal/zone_specials.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "dnsbl/localzone/internal/zone_line.h"

namespace dnsbl {
namespace {

constexpr absl::string_view kUnrecognized =
    "invalid or unrecognized special entry";

using Warn = absl::FunctionRef<void(absl::string_view)>;

// A keyword's handler: `rest` is what follows the keyword and its white
// space.
using SpecialHandler = absl::Status (*)(absl::string_view rest, absl::Time now,
                                        ZoneSettings& settings, Warn warn);

std::vector<absl::string_view> Fields(absl::string_view rest) {
  return absl::StrSplit(rest, absl::ByAnyChar(" \t"), absl::SkipEmpty());
}

absl::Status Soa(absl::string_view rest, absl::Time, ZoneSettings& settings,
                 Warn warn) {
  if (Fields(rest).size() != 8) {
    warn(kUnrecognized);
  } else {
    settings.has_soa = true;
  }
  return absl::OkStatus();
}

// NS records do not change A or TXT answers.
absl::Status Ns(absl::string_view, absl::Time, ZoneSettings&, Warn) {
  return absl::OkStatus();
}

absl::Status Ttl(absl::string_view rest, absl::Time, ZoneSettings& settings,
                 Warn warn) {
  uint32_t ttl = 0;
  if (!ParseZoneTime(rest, &ttl)) {
    warn(kUnrecognized);
  } else {
    settings.ttl = ttl == 0 ? kDefaultZoneTtl : static_cast<int>(ttl);
  }
  return absl::OkStatus();
}

absl::Status MaxRange4(absl::string_view rest, absl::Time,
                       ZoneSettings& settings, Warn warn) {
  const bool cidr = !rest.empty() && rest[0] == '/';
  uint32_t r = 0;
  if (!absl::SimpleAtoi(rest.substr(cidr ? 1 : 0), &r) || r == 0 ||
      (cidr && r > 32)) {
    warn(kUnrecognized);
    return absl::OkStatus();
  }
  if (cidr) r = ~Mask4(static_cast<int>(r)) + 1;
  if (settings.max_range4 != 0 && settings.max_range4 < r) {
    warn("ignoring attempt to increase $MAXRANGE4");
  } else {
    settings.max_range4 = r;
  }
  return absl::OkStatus();
}

absl::Status Timestamp(absl::string_view rest, absl::Time now, ZoneSettings&,
                       Warn warn) {
  const std::vector<absl::string_view> f = Fields(rest);
  absl::Time stamp;
  if (f.empty() || f.size() > 2 || !ParseZoneTimestamp(f[0], &stamp)) {
    warn(kUnrecognized);
    return absl::OkStatus();
  }
  if (stamp != absl::InfinitePast() && stamp > now) {
    return absl::FailedPreconditionError(
        "$TIMESTAMP is in the future; rbldnsd refuses to load such data");
  }
  if (f.size() == 2) {
    absl::Time expires;
    uint32_t rel = 0;
    if (f[1][0] == '+' && ParseZoneTime(f[1].substr(1), &rel)) {
      expires = stamp + absl::Seconds(rel);
    } else if (!ParseZoneTimestamp(f[1], &expires)) {
      warn(kUnrecognized);
      return absl::OkStatus();
    }
    if (expires != absl::InfinitePast() && expires < now) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the data expired (", f[1], "); rbldnsd stops serving expired data"));
    }
  }
  return absl::OkStatus();
}

struct Special {
  absl::string_view keyword;  // Matched without regard to case.
  SpecialHandler apply;
};

constexpr Special kSpecials[] = {
    {"soa", &Soa},
    {"ns", &Ns},
    {"nameserver", &Ns},
    {"ttl", &Ttl},
    {"maxrange4", &MaxRange4},
    {"timestamp", &Timestamp},
};

}  // namespace

absl::Status ApplyZoneSpecial(absl::string_view text, absl::Time now,
                              ZoneSettings& settings, Warn warn) {
  for (const Special& special : kSpecials) {
    const size_t n = special.keyword.size();
    // "$word rest": the keyword, then white space.
    if (text.size() <= n ||
        !absl::EqualsIgnoreCase(text.substr(0, n), special.keyword) ||
        !IsZoneSpace(text[n])) {
      continue;
    }
    size_t i = n;
    while (i < text.size() && IsZoneSpace(text[i])) ++i;
    return special.apply(text.substr(i), now, settings, warn);
  }
  // "$n text" and "$= text": substitution variables for TXT.
  if (text.size() >= 2 && (IsZoneDigit(text[0]) || text[0] == '=') &&
      IsZoneSpace(text[1])) {
    std::string& slot =
        text[0] == '=' ? settings.base_template : settings.subst[text[0] - '0'];
    size_t i = 2;
    while (i < text.size() && IsZoneSpace(text[i])) ++i;
    if (i == text.size()) {
      warn(kUnrecognized);
    } else if (slot.empty()) {  // The first assignment wins.
      slot = std::string(text.substr(i));
    }
    return absl::OkStatus();
  }
  warn(kUnrecognized);
  return absl::OkStatus();
}

}  // namespace dnsbl

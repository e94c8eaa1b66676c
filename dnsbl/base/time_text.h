// dnsbl/base/time_text.h
//
// How dnsbl writes a moment for people: the text report, letters, the
// freshness messages and the desk's page all say "2026-12-06 08:42:56
// UTC", so a time copied from one can be found in another.
//
// Example:
//
//   std::string when = dnsbl::UtcText(absl::FromUnixSeconds(0));
//   // "1970-01-01 00:00:00 UTC"

#ifndef DNSBL_DNSBL_BASE_TIME_TEXT_H_
#define DNSBL_DNSBL_BASE_TIME_TEXT_H_

#include <string>

#include "absl/time/time.h"

namespace dnsbl {

// Returns `t` as "YYYY-MM-DD HH:MM:SS UTC" (whole seconds, rounded down).
std::string UtcText(absl::Time t);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_BASE_TIME_TEXT_H_

#include "dnsbl/dns/resolution.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "dnsbl/base/escape.h"

namespace dnsbl {

absl::StatusOr<ResolutionMode> ParseResolutionMode(absl::string_view text) {
  for (ResolutionMode mode : {ResolutionMode::kAuto, ResolutionMode::kRecursive,
                              ResolutionMode::kDirect}) {
    if (text == ResolutionModeName(mode)) return mode;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown resolution ", QuoteInput(text),
                   " (use auto, recursive or direct)"));
}

absl::string_view ResolutionModeName(ResolutionMode mode) {
  switch (mode) {
    case ResolutionMode::kRecursive:
      return "recursive";
    case ResolutionMode::kDirect:
      return "direct";
    case ResolutionMode::kLocal:
      return "local";
    case ResolutionMode::kAuto:
      break;
  }
  return "auto";
}

std::string DefaultDelegationCachePath() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg != nullptr && xdg[0] == '/') {
    return absl::StrCat(xdg, "/dnsbl/delegations");
  }
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] == '/') {
    return absl::StrCat(home, "/.cache/dnsbl/delegations");
  }
  return "";
}

}  // namespace dnsbl

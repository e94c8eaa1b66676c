// dnsbl/dns/resolution.h
//
// How dnsbl reaches the blocklists' answers, as callers choose it
// (CheckerOptions::resolution): through a recursive resolver, or directly
// from each blocklist's own servers, found from the root; and where direct
// resolution remembers those servers between runs.
//
// Example:
//
//   absl::StatusOr<dnsbl::ResolutionMode> mode =
//       dnsbl::ParseResolutionMode("direct");
//   options.resolution = *mode;
//   options.delegation_cache = dnsbl::DefaultDelegationCachePath();

#ifndef DNSBL_DNSBL_DNS_RESOLUTION_H_
#define DNSBL_DNSBL_DNS_RESOLUTION_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace dnsbl {

// How answers are reached.
enum class ResolutionMode {
  // Options only: direct where the internet's root is reachable, else
  // recursive (the rule: dnsbl/dns/internal/resolver_stack.h).
  kAuto,
  // Through a recursive resolver: the system's or given nameservers.
  kRecursive,
  // From each zone's own servers, found from the root
  // (dnsbl/dns/internal/direct_resolver.h).
  kDirect,
  // Reports only, never an option: every zone read from local data, nothing
  // asked over DNS (a bulk run's threads over dnsbl/localzone).
  kLocal,
};

// Parses "auto", "recursive" or "direct"; InvalidArgument naming anything
// else.
absl::StatusOr<ResolutionMode> ParseResolutionMode(absl::string_view text);

// Returns "auto", "recursive", "direct" or "local".
absl::string_view ResolutionModeName(ResolutionMode mode);

// Returns the user's delegation cache file: $XDG_CACHE_HOME/dnsbl/
// delegations, else $HOME/.cache/dnsbl/delegations, else "" (no cache).
std::string DefaultDelegationCachePath();

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_DNS_RESOLUTION_H_

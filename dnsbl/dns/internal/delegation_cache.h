// dnsbl/dns/internal/delegation_cache.h
//
// Delegations kept across runs, so that a one-off `dnsbl check` does not
// walk from the root each time: a small file (protobuf text format,
// proto/delegation_cache.proto) in the user's cache directory, each entry
// valid until its TTL runs out. The file is untrusted input: one that does
// not parse, is not dnsbl's, was written under other root hints or holds
// an entry that makes no sense is ignored whole (the caller warns), never
// half used. Writes are atomic (a temporary file renamed over the old)
// and merge with what other runs wrote meanwhile, under a lock, so
// concurrent runs lose nothing and never read a torn file.
//
// Example:
//
//   absl::StatusOr<dnsbl::DelegationCacheContents> cached =
//       dnsbl::ReadDelegationCache(path, hints.Fingerprint(), clock->Now());
//   if (!cached.ok()) Warn(cached.status().message());  // and carry on
//   ...
//   absl::Status saved = dnsbl::WriteDelegationCache(
//       path, hints.Fingerprint(), contents, clock->Now());

#ifndef DNSBL_DNSBL_DNS_INTERNAL_DELEGATION_CACHE_H_
#define DNSBL_DNSBL_DNS_INTERNAL_DELEGATION_CACHE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "dnsbl/dns/internal/delegation.h"

namespace dnsbl {

// What a cache file holds that is still valid.
struct DelegationCacheContents {
  // Delegations that hold at the time of reading, one per zone.
  std::vector<Delegation> delegations;
  // Until when no root server is worth trying again (automatic
  // resolution found none answering); InfinitePast() if none.
  absl::Time root_unreachable_until = absl::InfinitePast();
};

// Parses the text of a cache file written under root hints with
// `fingerprint` (RootHints::Fingerprint()), keeping what holds at `now`.
// Returns DataLoss naming what is wrong for text that is not such a file
// (unparsable, another format, an entry whose names are no DNS names,
// whose cut is not at or above its zone, whose addresses are no
// addresses, or that claims to hold for more than a day), and
// FailedPrecondition for a file written under other root hints.
absl::StatusOr<DelegationCacheContents> ParseDelegationCache(
    absl::string_view text, absl::string_view fingerprint, absl::Time now);

// Reads and parses the file at `path` (as ParseDelegationCache()). A file
// that does not exist is an empty cache; one that cannot be read is
// DataLoss.
absl::StatusOr<DelegationCacheContents> ReadDelegationCache(
    const std::string& path, absl::string_view fingerprint, absl::Time now);

// Writes `contents` to `path`, merged with what the file holds when it is
// locked (per zone, the delegation that holds longer; expired ones
// dropped; a damaged or foreign file is replaced). Creates the directory.
// Returns the error of the file system, if any.
absl::Status WriteDelegationCache(const std::string& path,
                                  absl::string_view fingerprint,
                                  const DelegationCacheContents& contents,
                                  absl::Time now);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_DNS_INTERNAL_DELEGATION_CACHE_H_

// dnsbl/base/internal/stable_hash.h
//
// FNV-1a hashes: the same value on every machine, build and run (absl::Hash
// is seeded per process), for what must stay put across runs: which shard
// an address belongs to, a notice's Message-ID, MIME boundary and file
// name.
//
// Example:
//
//   std::string id = absl::StrFormat("%016x", dnsbl::StableHash64(body));

#ifndef DNSBL_DNSBL_BASE_INTERNAL_STABLE_HASH_H_
#define DNSBL_DNSBL_BASE_INTERNAL_STABLE_HASH_H_

#include <cstdint>

#include "absl/strings/string_view.h"

namespace dnsbl {

// Returns the 64-bit FNV-1a hash of `bytes`, from the offset basis
// 1469598103934665603 (a digit short of the standard one, as shard
// assignments, Message-IDs and boundaries were first derived with it; the
// mixing is FNV-1a's).
inline uint64_t StableHash64(absl::string_view bytes) {
  uint64_t h = 1469598103934665603ull;
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

// Returns the 32-bit FNV-1a hash of `bytes`.
inline uint32_t StableHash32(absl::string_view bytes) {
  uint32_t h = 2166136261u;
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return h;
}

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_BASE_INTERNAL_STABLE_HASH_H_

// dnsbl/input/shard.h
//
// Splitting a bulk input across machines: shard K of N takes the addresses
// whose stable hash is K modulo N, so every address lands in exactly one
// shard whatever its position in the input, a CIDR walk splits evenly, and
// each shard's output is an ordinary bulk output (outputs concatenate).
// The shard can come from the job engine's environment: Slurm job arrays
// (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT, SLURM_ARRAY_TASK_MIN) or
// Kubernetes Indexed Jobs (JOB_COMPLETION_INDEX, with the count given).
//
// Example:
//
//   absl::StatusOr<dnsbl::Shard> shard = dnsbl::ParseShard("2/4", getenv);
//   if (dnsbl::InShard(ip, *shard)) Check(ip);

#ifndef DNSBL_DNSBL_INPUT_SHARD_H_
#define DNSBL_DNSBL_INPUT_SHARD_H_

#include <cstdint>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "dnsbl/base/address.h"

namespace dnsbl {

struct Shard {
  int index = 0;  // 0 <= index < count.
  int count = 1;  // 1: everything.
};

// Reads the environment (as getenv would), e.g. for tests.
using EnvLookup = absl::FunctionRef<const char*(const char*)>;

// Parses "K/N" (0 <= K < N), "N" (K from JOB_COMPLETION_INDEX or
// SLURM_ARRAY_TASK_ID minus SLURM_ARRAY_TASK_MIN), or "" (from a Slurm job
// array's environment if there is one, else 0/1). Returns InvalidArgument
// naming what is wrong.
absl::StatusOr<Shard> ParseShard(absl::string_view text, EnvLookup env);

// Returns whether `address` belongs to `shard`: StableHash64() of its
// family and bytes, modulo the count (stable across machines and
// versions).
bool InShard(const IpAddress& address, const Shard& shard);

// Returns "K/N".
std::string ShardName(const Shard& shard);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_INPUT_SHARD_H_

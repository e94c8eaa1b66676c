#include "dnsbl/input/shard.h"

#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "dnsbl/base/escape.h"
#include "dnsbl/base/internal/stable_hash.h"

namespace dnsbl {
namespace {

absl::StatusOr<int> EnvInt(EnvLookup env, const char* name) {
  const char* value = env(name);
  int n = 0;
  if (value == nullptr || !absl::SimpleAtoi(value, &n) || n < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        name, " is ", value == nullptr ? "not set" : "not a number",
        value == nullptr ? "" : absl::StrCat(" (", QuoteInput(value), ")")));
  }
  return n;
}

absl::StatusOr<Shard> Checked(int index, int count, absl::string_view what) {
  if (count < 1 || index < 0 || index >= count) {
    return absl::InvalidArgumentError(absl::StrCat(
        "shard ", index, "/", count, " (", what, "): need 0 <= K < N"));
  }
  return Shard{index, count};
}

// The index within an array: the task id, less the array's first id.
absl::StatusOr<int> IndexFromEnvironment(EnvLookup env) {
  if (env("JOB_COMPLETION_INDEX") != nullptr) {
    return EnvInt(env, "JOB_COMPLETION_INDEX");
  }
  absl::StatusOr<int> id = EnvInt(env, "SLURM_ARRAY_TASK_ID");
  if (!id.ok()) {
    return absl::InvalidArgumentError(
        "no shard index: set JOB_COMPLETION_INDEX (Kubernetes) or run in a "
        "Slurm job array, or give --shard=K/N");
  }
  const int min = env("SLURM_ARRAY_TASK_MIN") != nullptr
                      ? EnvInt(env, "SLURM_ARRAY_TASK_MIN").value_or(0)
                      : 0;
  return *id - min;
}

}  // namespace

absl::StatusOr<Shard> ParseShard(absl::string_view text, EnvLookup env) {
  if (text.empty()) {
    if (env("SLURM_ARRAY_TASK_COUNT") == nullptr) return Shard{};
    absl::StatusOr<int> count = EnvInt(env, "SLURM_ARRAY_TASK_COUNT");
    if (!count.ok()) return count.status();
    absl::StatusOr<int> index = IndexFromEnvironment(env);
    if (!index.ok()) return index.status();
    return Checked(*index, *count, "from the Slurm job array");
  }
  const size_t slash = text.find('/');
  int index = 0;
  int count = 0;
  if (slash == absl::string_view::npos) {
    if (!absl::SimpleAtoi(text, &count)) {
      return absl::InvalidArgumentError(
          absl::StrCat("shard ", QuoteInput(text), " is not K/N or N"));
    }
    absl::StatusOr<int> from_env = IndexFromEnvironment(env);
    if (!from_env.ok()) return from_env.status();
    return Checked(*from_env, count, "index from the environment");
  }
  if (!absl::SimpleAtoi(text.substr(0, slash), &index) ||
      !absl::SimpleAtoi(text.substr(slash + 1), &count)) {
    return absl::InvalidArgumentError(
        absl::StrCat("shard ", QuoteInput(text), " is not K/N or N"));
  }
  return Checked(index, count, "given");
}

bool InShard(const IpAddress& address, const Shard& shard) {
  if (shard.count <= 1) return true;
  // The family, then the 16 bytes.
  char key[17];
  key[0] = address.is_ipv4() ? 4 : 6;
  std::memcpy(key + 1, address.bytes().data(), 16);
  return static_cast<int>(StableHash64(absl::string_view(key, sizeof(key))) %
                          static_cast<uint64_t>(shard.count)) == shard.index;
}

std::string ShardName(const Shard& shard) {
  return absl::StrCat(shard.index, "/", shard.count);
}

}  // namespace dnsbl

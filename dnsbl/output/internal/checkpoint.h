// dnsbl/output/internal/checkpoint.h
//
// The addresses a bulk run has finished, kept beside its output when clean
// addresses leave no record there (BulkOptions::listed_only): without it a
// resumed run could not tell a clean address from one never checked. One
// line per range of finished addresses, "FIRST-LAST"; replaced whole by an
// atomic rename, so a kill leaves the old checkpoint or the new one.
//
// Example:
//
//   const std::string path = dnsbl::CheckpointPath("sweep.json");
//   absl::StatusOr<dnsbl::AddressSet> done = dnsbl::ReadCheckpoint(path);
//   ...
//   absl::Status s = dnsbl::WriteCheckpoint(path, finished);

#ifndef DNSBL_DNSBL_OUTPUT_INTERNAL_CHECKPOINT_H_
#define DNSBL_DNSBL_OUTPUT_INTERNAL_CHECKPOINT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "dnsbl/input/internal/address_set.h"

namespace dnsbl {

// Returns the checkpoint's path for the output file `output`:
// "OUTPUT.checkpoint".
std::string CheckpointPath(absl::string_view output);

// Reads the checkpoint at `path`. Returns NotFound when there is none,
// DataLoss naming the line when it is not a dnsbl checkpoint.
absl::StatusOr<AddressSet> ReadCheckpoint(const std::string& path);

// Replaces the checkpoint at `path` with `finished`, atomically (a
// temporary file beside it, then rename). Returns DataLoss naming the file
// when it cannot be written.
absl::Status WriteCheckpoint(const std::string& path,
                             const AddressSet& finished);

// Removes the checkpoint at `path`, if any. Returns DataLoss naming it when
// it exists and cannot be removed.
absl::Status RemoveCheckpoint(const std::string& path);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_OUTPUT_INTERNAL_CHECKPOINT_H_

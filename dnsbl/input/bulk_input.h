// dnsbl/input/bulk_input.h
//
// Bulk input: one IPv4 or IPv6 address or CIDR network per line, '#'
// comments and blank lines ignored; a bad line is reported with its number
// and text instead of stopping the run. (AddressSource, in
// address_source.h, reads it during a run.)
//
// Example:
//
//   absl::StatusOr<dnsbl::InputCount> count =
//       dnsbl::CountInputAddresses("addresses.txt", options);
//   if (count.ok() && count->first_error) Complain(*count->first_error);

#ifndef DNSBL_DNSBL_INPUT_BULK_INPUT_H_
#define DNSBL_DNSBL_INPUT_BULK_INPUT_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/numeric/int128.h"
#include "absl/status/statusor.h"
#include "dnsbl/base/address.h"
#include "dnsbl/base/setting_names.h"

namespace dnsbl {

struct BulkInputOptions {
  // The most addresses one line may expand to; a larger network is an
  // input error. Default: 65536 (a /16). REQUIRES: >= 1.
  absl::uint128 max_range_size = 65536;

  // Longer lines are input errors. Default: 1000 bytes.
  size_t max_line_length = 1000;

  // How messages name max_range_size. Default: the library's own names.
  SettingNames setting_names;
};

// A line of input that is not an address or network.
struct InputError {
  int64_t line = 0;     // 1-based.
  std::string text;     // Escaped, shortened for display.
  std::string message;  // What is wrong.
};

// Parses one input line (without its newline): Returns the range it holds,
// nullopt for a blank or comment line, or InvalidArgument saying what is
// wrong.
absl::StatusOr<std::optional<IpRange>> ParseInputLine(
    absl::string_view line, const BulkInputOptions& options);

// What a first pass over an input file found.
struct InputCount {
  absl::uint128 addresses = 0;  // Ranges counted in full, duplicates kept.
  int64_t bad_lines = 0;
  std::optional<InputError> first_error;
};

// Reads the input file at `path` once, for progress reports and for
// --strict checking before any query. Returns NotFound if it cannot be
// read.
absl::StatusOr<InputCount> CountInputAddresses(const std::string& path,
                                               const BulkInputOptions& options);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_INPUT_BULK_INPUT_H_

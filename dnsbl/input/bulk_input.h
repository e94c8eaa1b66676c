// dnsbl/input/bulk_input.h
//
// Reading bulk input: one IPv4 or IPv6 address or CIDR network per line,
// '#' comments and blank lines ignored. Networks are expanded lazily (a /8
// is never held in memory), every distinct address is returned once, and
// bad lines are reported with their number and text instead of stopping
// the run.
//
// Example:
//
//   dnsbl::AddressSet seen;
//   dnsbl::AddressSource source(&std::cin, options, &seen,
//                               [](const dnsbl::InputError& e) { ... });
//   while (std::optional<dnsbl::IpAddress> ip = source.Next()) { ... }

#ifndef DNSBL_DNSBL_INPUT_BULK_INPUT_H_
#define DNSBL_DNSBL_INPUT_BULK_INPUT_H_

#include <cstdint>
#include <deque>
#include <istream>
#include <optional>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/numeric/int128.h"
#include "absl/status/statusor.h"
#include "dnsbl/base/address.h"
#include "dnsbl/base/setting_names.h"
#include "dnsbl/input/address_set.h"

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

// Yields the addresses of a stream of input lines. Not thread-safe.
class AddressSource {
 public:
  using ErrorCallback = absl::AnyInvocable<void(const InputError&)>;

  // Reads from `in`; addresses already in `seen` are skipped, and every
  // address returned is added to it. `in` and `seen` must outlive this
  // object. `on_error` is called for each bad line.
  AddressSource(std::istream* in, const BulkInputOptions& options,
                AddressSet* seen, ErrorCallback on_error);

  // Returns the next address not returned before, or nullopt at the end of
  // the input.
  std::optional<IpAddress> Next();

  // Returns the number of lines read so far.
  int64_t lines() const { return line_number_; }

 private:
  // Reads one line into `line_`; false at end of input. Overlong lines are
  // cut and flagged.
  bool ReadLine(bool* too_long);

  std::istream* const in_;
  const BulkInputOptions options_;
  AddressSet* const seen_;
  ErrorCallback on_error_;
  std::string line_;
  int64_t line_number_ = 0;
  std::deque<IpRange> fresh_;
  // The range being walked: next value to return and last value.
  bool walking_ = false;
  IpAddress::Family family_ = IpAddress::Family::kIpv4;
  absl::uint128 next_ = 0;
  absl::uint128 last_ = 0;
};

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

// dnsbl/input/internal/address_source.h
//
// The addresses of a bulk run's input, as the run reads them: networks
// expanded lazily (a /8 is never held in memory), every distinct address
// returned once, bad lines reported through a callback.
//
// Example:
//
//   dnsbl::AddressSet seen;
//   dnsbl::AddressSource source(&std::cin, options, &seen,
//                               [](const dnsbl::InputError& e) { ... });
//   while (std::optional<dnsbl::IpAddress> ip = source.Next()) { ... }

#ifndef DNSBL_DNSBL_INPUT_INTERNAL_ADDRESS_SOURCE_H_
#define DNSBL_DNSBL_INPUT_INTERNAL_ADDRESS_SOURCE_H_

#include <cstdint>
#include <deque>
#include <istream>
#include <optional>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/numeric/int128.h"
#include "dnsbl/base/address.h"
#include "dnsbl/input/bulk_input.h"
#include "dnsbl/input/internal/address_set.h"

namespace dnsbl {

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

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_INPUT_INTERNAL_ADDRESS_SOURCE_H_

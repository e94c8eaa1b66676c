// Fuzzes bulk input: lines of anything. No crash, bounded work, and no
// address returned twice.

#include <cstdint>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>

#include "dnsbl/input/bulk_input.h"
#include "dnsbl/input/internal/address_set.h"
#include "dnsbl/input/internal/address_source.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  dnsbl::BulkInputOptions options;
  options.max_range_size = 256;
  options.max_line_length = 200;
  std::istringstream in(text);
  dnsbl::AddressSet seen;
  int64_t errors = 0;
  dnsbl::AddressSource source(&in, options, &seen,
                              [&](const dnsbl::InputError& e) {
                                if (e.message.empty()) abort();
                                ++errors;
                              });
  std::set<dnsbl::IpAddress> returned;
  while (std::optional<dnsbl::IpAddress> ip = source.Next()) {
    if (!returned.insert(*ip).second) abort();
    if (!seen.Contains(*ip)) abort();
  }
  if (errors > source.lines()) abort();
  return 0;
}

// tests/fuzz/fuzz_checks.h
//
// Invariants several fuzz targets hold their outputs to; each aborts (a
// finding for libFuzzer) when broken.
//
// Example:
//
//   for (const std::string& email : found.emails) ExpectSafeAddress(email);

#ifndef DNSBL_TESTS_FUZZ_FUZZ_CHECKS_H_
#define DNSBL_TESTS_FUZZ_FUZZ_CHECKS_H_

#include <cstdlib>
#include <string>

namespace dnsbl::fuzz {

// A mailbox fit for a notice's headers: printable ASCII without spaces,
// quotes, angle brackets, commas or semicolons, and an '@'.
inline void ExpectSafeAddress(const std::string& email) {
  for (char c : email) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '"' || c == '<' || c == '>' ||
        c == ',' || c == ';') {
      abort();
    }
  }
  if (email.find('@') == std::string::npos) abort();
}

// Text a terminal shows as it is: no C0 control bytes, no DEL.
inline void ExpectPrintable(const std::string& text) {
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) abort();
  }
}

}  // namespace dnsbl::fuzz

#endif  // DNSBL_TESTS_FUZZ_FUZZ_CHECKS_H_

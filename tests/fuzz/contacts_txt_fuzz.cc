// Fuzzes the contact sources' TXT readers: Team Cymru origin and AS name
// records, Abusix contact records and the mail address check. No crash,
// and nothing unsafe gets through: every contact is a plain address (no
// space, control, quote or line break), every prefix a network, every
// name valid UTF-8.

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "dnsbl/base/address.h"
#include "dnsbl/base/escape.h"
#include "dnsbl/contacts/internal/abusix.h"
#include "dnsbl/contacts/internal/cymru.h"
#include "dnsbl/contacts/internal/email.h"
#include "tests/fuzz/fuzz_checks.h"

using dnsbl::fuzz::ExpectSafeAddress;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (absl::StatusOr<dnsbl::CymruOrigin> origin = dnsbl::ParseCymruOrigin(text);
      origin.ok()) {
    if (origin->asns.empty()) abort();
    if (!dnsbl::IpRange::Parse(origin->prefix).ok()) abort();
  }
  if (absl::StatusOr<dnsbl::CymruAsName> as = dnsbl::ParseCymruAsName(text);
      as.ok()) {
    if (dnsbl::ToValidUtf8(as->name) != as->name) abort();
  }
  if (absl::StatusOr<std::string> email = dnsbl::ValidateEmail(text);
      email.ok()) {
    ExpectSafeAddress(*email);
  }
  // The input as several TXT records, split at NUL bytes.
  std::vector<std::string> records = absl::StrSplit(text, '\0');
  dnsbl::AbusixContacts found = dnsbl::ParseAbusixContacts(records);
  for (const std::string& email : found.emails) ExpectSafeAddress(email);
  for (const std::string& why : found.rejected) {
    if (why.empty()) abort();
  }
  return 0;
}

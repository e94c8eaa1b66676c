#include "dnsbl/contacts/internal/email.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "dnsbl/base/address.h"
#include "dnsbl/base/escape.h"

namespace dnsbl {
namespace {

// Printable ASCII a local part may hold as it is: no space, no quote, and
// none of the characters that end or list addresses in a header.
bool LocalPartChar(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u >= 0x7f) return false;
  switch (c) {
    case '"':
    case '<':
    case '>':
    case ',':
    case ';':
    case ':':
    case '@':
    case '(':
    case ')':
    case '[':
    case ']':
    case '\\':
      return false;
    default:
      return true;
  }
}

absl::Status Invalid(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat(QuoteInput(text), " is not a mail address: ", why));
}

}  // namespace

absl::StatusOr<std::string> ValidateEmail(absl::string_view text) {
  absl::string_view address = text;
  if (absl::StartsWithIgnoreCase(address, "mailto:")) {
    address.remove_prefix(7);
  }
  if (address.size() > 254) return Invalid(text, "longer than 254 characters");
  const size_t at = address.rfind('@');
  if (at == absl::string_view::npos) return Invalid(text, "no '@'");
  absl::string_view local = address.substr(0, at);
  absl::string_view domain = address.substr(at + 1);
  if (local.empty() || local.size() > 64) {
    return Invalid(text, "the part before '@' must be 1 to 64 characters");
  }
  for (char c : local) {
    if (!LocalPartChar(c)) {
      return Invalid(text,
                     "the part before '@' holds a character a mail "
                     "address may not hold unquoted");
    }
  }
  if (local.front() == '.' || local.back() == '.' ||
      absl::StrContains(local, "..")) {
    return Invalid(text, "misplaced '.' before '@'");
  }
  if (absl::EndsWith(domain, ".")) domain.remove_suffix(1);
  if (!absl::StrContains(domain, '.')) {
    return Invalid(text, "the domain needs at least two labels");
  }
  if (absl::Status s = ValidateDnsName(domain, "domain"); !s.ok()) {
    return Invalid(text, s.message());
  }
  return absl::StrCat(local, "@", absl::AsciiStrToLower(domain));
}

}  // namespace dnsbl

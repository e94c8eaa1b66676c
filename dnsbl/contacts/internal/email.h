// dnsbl/contacts/internal/email.h
//
// Whether text from the network may be used as an abuse mailbox. Contact
// data comes from DNS TXT records and registry JSON that anyone along the
// way can shape; an address with a CR or LF, a space, a control character
// or no proper domain must never reach a notice's headers, so it is
// rejected, not repaired.
//
// Example:
//
//   absl::StatusOr<std::string> email = dnsbl::ValidateEmail(txt);
//   if (email.ok()) Notify(*email);

#ifndef DNSBL_DNSBL_CONTACTS_INTERNAL_EMAIL_H_
#define DNSBL_DNSBL_CONTACTS_INTERNAL_EMAIL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace dnsbl {

// Returns `text` as a mailbox (the domain lower-cased, a "mailto:" prefix
// dropped) when it is a syntactically valid address: a local part of
// 1 to 64 printable ASCII characters without spaces, quotes, '<', '>',
// ',', ';' or a second '@', and a domain that is a valid DNS name with at
// least two labels, 254 characters in all at most. Otherwise
// InvalidArgument saying what is wrong (the text quoted and escaped).
absl::StatusOr<std::string> ValidateEmail(absl::string_view text);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_CONTACTS_INTERNAL_EMAIL_H_

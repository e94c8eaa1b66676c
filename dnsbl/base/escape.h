// dnsbl/base/escape.h
//
// Making untrusted bytes safe to show. Blocklist TXT records, catalog text
// and command-line input can hold terminal escape sequences, control
// characters or invalid UTF-8; everything dnsbl prints for a person goes
// through one of these functions first.
//
// Example:
//
//   std::cout << dnsbl::EscapeForTerminal(txt);  // "\x1b[2J" stays visible
//   return absl::InvalidArgumentError(
//       absl::StrCat(dnsbl::QuoteInput(arg), " is not an address"));

#ifndef DNSBL_DNSBL_BASE_ESCAPE_H_
#define DNSBL_DNSBL_BASE_ESCAPE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace dnsbl {

// Returns `text` with every byte that a terminal could act on (C0 controls,
// DEL, C1 controls U+0080..U+009F) and every byte of invalid UTF-8 written as
// `\xNN`, and '\' written as `\\`. Printable UTF-8 is kept as it is.
std::string EscapeForTerminal(absl::string_view text);

// Returns `text` as valid UTF-8: each byte that is not part of a valid UTF-8
// sequence becomes the four characters `\xNN`. Valid text, including
// control characters, is returned unchanged (JSON escapes those itself).
std::string ToValidUtf8(absl::string_view text);

// Returns `text` escaped as by EscapeForTerminal, in single quotes, cut to
// its first 64 bytes with the full length noted: for error messages about
// input of any size.
std::string QuoteInput(absl::string_view text);

// Returns `text` as a JSON string, quotes included: '"' and '\\' escaped
// with a backslash, other control characters as \\u00XX. For JSON written
// by hand (error bodies, generated files); reports use JsonLineEncoder.
std::string JsonQuote(absl::string_view text);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_BASE_ESCAPE_H_

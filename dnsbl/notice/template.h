// dnsbl/notice/template.h
//
// The placeholder syntax of notice templates, built-in or the user's own
// (dnsbl notice --template=FILE): `{name}` is replaced by the value of
// `name`, `{{` and `}}` stand for literal braces, and anything else in
// braces is an error naming it, so a typo never reaches a recipient as
// "{adress}".
//
// Placeholders a notice fills (NoticePlaceholders()):
//   {address}      the address(es) the notice is about
//   {claim}        what the evidence supports, e.g. "may be an open mail relay"
//   {explanation}  what that is and why it hurts the recipient
//   {remedy}       how to fix it
//   {evidence}     each listing: database, what it lists, code and meaning,
//                  reason, lookup link
//   {network}      the network and the abuse contact from the report
//   {checked}      when (UTC) and through which nameserver
//   {reply_to}     the sender's address, for answers
//
// Example:
//
//   absl::StatusOr<std::string> text = dnsbl::RenderTemplate(
//       "Dear abuse desk, {address} {claim}.", {{"address", "192.0.2.7"},
//                                                {"claim", "..."}});

#ifndef DNSBL_DNSBL_NOTICE_TEMPLATE_H_
#define DNSBL_DNSBL_NOTICE_TEMPLATE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace dnsbl {

// Returns the names a notice fills, in the order documented above.
const std::vector<std::string>& NoticePlaceholders();

// Returns OK when every placeholder of `text` is one of `known`; otherwise
// InvalidArgument naming the first bad one and its line ("unknown
// placeholder {adress} on line 3"), or an unclosed brace.
absl::Status CheckTemplate(absl::string_view text,
                           const std::vector<std::string>& known);

// Returns `text` with each placeholder replaced by its value in `values`;
// errors as CheckTemplate() with the keys of `values` as the known names.
absl::StatusOr<std::string> RenderTemplate(
    absl::string_view text, const std::map<std::string, std::string>& values);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_NOTICE_TEMPLATE_H_

// dnsbl/notice/internal/smtp.h
//
// Sends a finished message through the user's own mail server with
// libcurl's SMTP client: plain SMTP, STARTTLS (optional or required) or
// SMTPS, with optional authentication. Sending is always explicit (dnsbl
// notice --send); one call sends one message and says exactly how it went.
//
// Example:
//
//   dnsbl::SmtpOptions smtp;
//   smtp.url = "smtp://127.0.0.1:2525";
//   absl::Status sent = dnsbl::SendMail(smtp, from, {to}, eml);

#ifndef DNSBL_DNSBL_NOTICE_INTERNAL_SMTP_H_
#define DNSBL_DNSBL_NOTICE_INTERNAL_SMTP_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "dnsbl/notice/smtp_options.h"

namespace dnsbl {

// Sends `message` (RFC 5322 text with CRLF lines) from `from` to each of
// `to`. Returns OK once the server accepted it for every recipient;
// InvalidArgument for a bad URL; Unavailable with the server's or the
// connection's reason otherwise.
absl::Status SendMail(const SmtpOptions& options, absl::string_view from,
                      const std::vector<std::string>& to,
                      absl::string_view message);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_NOTICE_INTERNAL_SMTP_H_

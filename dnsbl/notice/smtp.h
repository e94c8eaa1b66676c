// dnsbl/notice/smtp.h
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

#ifndef DNSBL_DNSBL_NOTICE_SMTP_H_
#define DNSBL_DNSBL_NOTICE_SMTP_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace dnsbl {

struct SmtpOptions {
  // "smtp://HOST:PORT" (STARTTLS per `starttls`) or "smtps://HOST:PORT".
  // REQUIRES: one of those schemes.
  std::string url;

  // Whether STARTTLS is required (true: fail when the server does not offer
  // it) or used when offered (false). Default: false.
  bool starttls_required = false;

  // Login, when the server needs one. Default: empty, no AUTH.
  std::string username;
  std::string password;

  // A PEM file of certificate authorities to trust for TLS instead of the
  // system's. Default: empty.
  std::string ca_file;

  // The whole exchange. Default: 30 seconds.
  absl::Duration timeout = absl::Seconds(30);
};

// Sends `message` (RFC 5322 text with CRLF lines) from `from` to each of
// `to`. Returns OK once the server accepted it for every recipient;
// InvalidArgument for a bad URL; Unavailable with the server's or the
// connection's reason otherwise.
absl::Status SendMail(const SmtpOptions& options, absl::string_view from,
                      const std::vector<std::string>& to,
                      absl::string_view message);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_NOTICE_SMTP_H_

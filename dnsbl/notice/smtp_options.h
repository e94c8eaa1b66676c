// dnsbl/notice/smtp_options.h
//
// How notices reach the user's own mail server (DeliveryOptions::smtp):
// where it is, whether it must speak TLS, the login. The sending itself is
// inside the library (libcurl's SMTP client).
//
// Example:
//
//   dnsbl::SmtpOptions smtp;
//   smtp.url = "smtps://mail.example.org:465";
//   smtp.username = "desk";

#ifndef DNSBL_DNSBL_NOTICE_SMTP_OPTIONS_H_
#define DNSBL_DNSBL_NOTICE_SMTP_OPTIONS_H_

#include <string>

#include "absl/time/time.h"

namespace dnsbl {

struct SmtpOptions {
  // "smtp://HOST:PORT" (STARTTLS per `starttls`) or "smtps://HOST:PORT".
  // REQUIRES: one of those schemes.
  std::string url;

  // Whether STARTTLS is required (true: fail when the server does not offer
  // it) or used when offered (false). A `username` makes it required, so a
  // password is never sent in clear. Default: false.
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

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_NOTICE_SMTP_OPTIONS_H_

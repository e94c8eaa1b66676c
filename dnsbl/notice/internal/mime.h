// dnsbl/notice/internal/mime.h
//
// A notice as an Internet message (RFC 5322 with MIME, RFC 2045-2047):
// From, To, Reply-To when given, a Subject RFC 2047-encoded when it is not
// ASCII, Date, Message-ID, "Auto-Submitted: auto-generated" (RFC 3834: so
// vacation responders and ticket systems do not answer a notice, and a
// desk's auto-acknowledgement cannot loop with it) with Exchange's
// equivalent, and a multipart/mixed body of the letter (text/plain,
// UTF-8, quoted-printable) and the Reports as an application/json
// attachment (base64). Every header value is checked or encoded, so text
// from the network (TXT reasons, registry names, contact strings) can never
// add a header: mailboxes must pass ValidateEmail(), and nothing with a
// CR or LF reaches a header unencoded. Lines end in CRLF.
//
// Example:
//
//   dnsbl::MailMessage m;
//   m.from = "abuse-desk@example.org";
//   m.to = {"abuse@example.net"};
//   m.subject = notice.subject;
//   m.body = notice.body;
//   m.attachment_json = reports_json;
//   absl::StatusOr<std::string> eml = dnsbl::FormatMailMessage(m);

#ifndef DNSBL_DNSBL_NOTICE_INTERNAL_MIME_H_
#define DNSBL_DNSBL_NOTICE_INTERNAL_MIME_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace dnsbl {

struct MailMessage {
  std::string from;             // REQUIRES: passes ValidateEmail().
  std::vector<std::string> to;  // REQUIRES: non-empty, each valid.
  // Where answers should go, when not to `from`. Default: empty, no
  // Reply-To header. REQUIRES: empty or passes ValidateEmail().
  std::string reply_to;
  std::string subject;          // UTF-8, one line.
  std::string body;             // UTF-8, '\n' line ends.
  std::string attachment_json;  // Empty: no attachment.
  std::string attachment_name = "reports.json";
  absl::Time date;
  // Default: empty, meaning one derived from the content (so the same
  // notice always gets the same ID, and re-runs can tell it was sent).
  std::string message_id;
};

// Returns the message as RFC 5322 text, or InvalidArgument naming a bad
// mailbox (or a missing recipient).
absl::StatusOr<std::string> FormatMailMessage(const MailMessage& message);

// Returns `text` RFC 2047-encoded for a header ("=?UTF-8?B?...?=" words of
// at most 75 characters, folded) when it holds anything but printable
// ASCII; otherwise unchanged.
std::string EncodeHeaderText(absl::string_view text);

// Returns `text` ('\n' line ends) as RFC 2045 quoted-printable with CRLF
// line ends and lines of at most 76 characters.
std::string QuotedPrintable(absl::string_view text);

// Returns the Message-ID a message gets when none is given: a hash of its
// recipients, subject and body, at the sender's domain.
std::string DerivedMessageId(const MailMessage& message);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_NOTICE_INTERNAL_MIME_H_

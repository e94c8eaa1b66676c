#include "dnsbl/notice/internal/mime.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "dnsbl/base/internal/stable_hash.h"
#include "dnsbl/contacts/internal/email.h"

namespace dnsbl {
namespace {

constexpr char kCrlf[] = "\r\n";

bool PrintableAscii(absl::string_view text) {
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e) return false;
  }
  return true;
}

std::string Base64Lines(absl::string_view data) {
  const std::string encoded = absl::Base64Escape(data);
  std::string out;
  for (size_t i = 0; i < encoded.size(); i += 76) {
    absl::StrAppend(&out, encoded.substr(i, 76), kCrlf);
  }
  return out;
}

}  // namespace

std::string EncodeHeaderText(absl::string_view text) {
  if (PrintableAscii(text)) return std::string(text);
  // Words of 39 bytes (52 characters of base64, 64 with "=?UTF-8?B?" and
  // "?="), so even the first line, after "Subject: ", stays within 76;
  // never split a UTF-8 sequence.
  std::vector<std::string> words;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = std::min(text.size(), i + 39);
    while (end < text.size() && end > i &&
           (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
      --end;
    }
    words.push_back(absl::StrCat(
        "=?UTF-8?B?", absl::Base64Escape(text.substr(i, end - i)), "?="));
    i = end;
  }
  return absl::StrJoin(words, absl::StrCat(kCrlf, " "));
}

std::string QuotedPrintable(absl::string_view text) {
  std::string out;
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  for (size_t n = 0; n < lines.size(); ++n) {
    absl::string_view line = lines[n];
    std::string current;
    for (size_t i = 0; i < line.size(); ++i) {
      const unsigned char u = static_cast<unsigned char>(line[i]);
      const bool last = i + 1 == line.size();
      std::string piece;
      // Trailing space or tab would be lost in transport: encoded.
      if ((u >= 33 && u <= 126 && u != '=') ||
          ((u == ' ' || u == '\t') && !last)) {
        piece = std::string(1, line[i]);
      } else {
        piece = absl::StrFormat("=%02X", u);
      }
      if (current.size() + piece.size() > 75) {
        absl::StrAppend(&out, current, "=", kCrlf);
        current.clear();
      }
      absl::StrAppend(&current, piece);
    }
    absl::StrAppend(&out, current);
    if (n + 1 < lines.size()) absl::StrAppend(&out, kCrlf);
  }
  return out;
}

std::string DerivedMessageId(const MailMessage& message) {
  const uint64_t h = StableHash64(
      absl::StrCat(absl::StrJoin(message.to, ","), "\n", message.subject, "\n",
                   message.body, "\n", message.attachment_json));
  absl::string_view from = message.from;
  const size_t at = from.rfind('@');
  const absl::string_view domain =
      at == absl::string_view::npos ? "dnsbl.invalid" : from.substr(at + 1);
  return absl::StrFormat("<dnsbl-notice.%016x@%s>", h, domain);
}

absl::StatusOr<std::string> FormatMailMessage(const MailMessage& message) {
  absl::StatusOr<std::string> from = ValidateEmail(message.from);
  if (!from.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("sender: ", from.status().message()));
  }
  if (message.to.empty()) {
    return absl::InvalidArgumentError("no recipient");
  }
  std::vector<std::string> to;
  for (const std::string& t : message.to) {
    absl::StatusOr<std::string> email = ValidateEmail(t);
    if (!email.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("recipient: ", email.status().message()));
    }
    to.push_back(*std::move(email));
  }
  std::string reply_to;
  if (!message.reply_to.empty()) {
    absl::StatusOr<std::string> email = ValidateEmail(message.reply_to);
    if (!email.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("reply-to: ", email.status().message()));
    }
    reply_to = *std::move(email);
  }
  for (char c : message.attachment_name) {
    if (!absl::ascii_isalnum(c) && c != '.' && c != '-' && c != '_') {
      return absl::InvalidArgumentError(
          "attachment name must be letters, digits, '.', '-' or '_'");
    }
  }
  std::string id = message.message_id.empty() ? DerivedMessageId(message)
                                              : message.message_id;
  if (!PrintableAscii(id) || id.find(' ') != std::string::npos) {
    return absl::InvalidArgumentError("Message-ID must be printable ASCII");
  }
  const std::string text = QuotedPrintable(message.body);
  const std::string boundary =
      absl::StrFormat("=_dnsbl_%016x", StableHash64(absl::StrCat(id, text)));
  std::string out;
  absl::StrAppend(&out, "From: ", *from, kCrlf);
  absl::StrAppend(&out, "To: ", absl::StrJoin(to, ", "), kCrlf);
  if (!reply_to.empty()) absl::StrAppend(&out, "Reply-To: ", reply_to, kCrlf);
  absl::StrAppend(&out, "Subject: ", EncodeHeaderText(message.subject), kCrlf);
  absl::StrAppend(&out, "Date: ",
                  absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", message.date,
                                   absl::UTCTimeZone()),
                  kCrlf);
  absl::StrAppend(&out, "Message-ID: ", id, kCrlf);
  absl::StrAppend(&out, "Auto-Submitted: auto-generated", kCrlf);
  absl::StrAppend(&out, "X-Auto-Response-Suppress: All", kCrlf);
  absl::StrAppend(&out, "MIME-Version: 1.0", kCrlf);
  // "=_" never occurs in quoted-printable or base64 text, so the boundary
  // cannot collide with a part.
  absl::StrAppend(&out, "Content-Type: multipart/mixed; boundary=\"", boundary,
                  "\"", kCrlf, kCrlf);
  absl::StrAppend(&out, "--", boundary, kCrlf,
                  "Content-Type: text/plain; charset=UTF-8", kCrlf,
                  "Content-Transfer-Encoding: quoted-printable", kCrlf, kCrlf,
                  text, kCrlf);
  if (!message.attachment_json.empty()) {
    absl::StrAppend(
        &out, "--", boundary, kCrlf, "Content-Type: application/json; name=\"",
        message.attachment_name, "\"", kCrlf,
        "Content-Disposition: attachment; filename=\"", message.attachment_name,
        "\"", kCrlf, "Content-Transfer-Encoding: base64", kCrlf, kCrlf,
        Base64Lines(message.attachment_json));
  }
  absl::StrAppend(&out, "--", boundary, "--", kCrlf);
  return out;
}

}  // namespace dnsbl

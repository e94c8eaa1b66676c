#include "dnsbl/notice/internal/mime.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

MailMessage Sample() {
  MailMessage m;
  m.from = "desk@example.org";
  m.to = {"abuse@example.net"};
  m.subject = "Meddelelse om misbrug for 192.0.2.7: åbent mail relay";
  m.body = "Goddag,\n\nLinje med æ ø å og = tegn.\nSlut  \n";
  m.attachment_json = "[{\"address\":\"192.0.2.7\"}]\n";
  m.date = absl::FromUnixSeconds(1796083200);  // 2026-12-01 00:00:00 UTC
  return m;
}

// Decodes one header's RFC 2047 words (B encoding, as written here).
std::string DecodeWords(absl::string_view value) {
  std::string out;
  for (absl::string_view word :
       absl::StrSplit(value, absl::ByAnyChar(" \r\n"), absl::SkipEmpty())) {
    if (!absl::ConsumePrefix(&word, "=?UTF-8?B?") ||
        !absl::ConsumeSuffix(&word, "?=")) {
      return "not an encoded word";
    }
    std::string bytes;
    EXPECT_TRUE(absl::Base64Unescape(word, &bytes));
    out += bytes;
  }
  return out;
}

TEST(EncodeHeaderTextTest, AsciiStaysAndUtf8IsEncodedInShortWords) {
  EXPECT_EQ(EncodeHeaderText("Abuse notice for 192.0.2.7"),
            "Abuse notice for 192.0.2.7");
  const std::string subject =
      "Notificação de abuso para 192.0.2.7: servidor de correio aberto";
  const std::string encoded = EncodeHeaderText(subject);
  for (absl::string_view line : absl::StrSplit(encoded, "\r\n")) {
    EXPECT_LE(line.size(), 76u) << line;
  }
  EXPECT_EQ(DecodeWords(encoded), subject);
}

TEST(EncodeHeaderTextTest, LineBreaksNeverReachAHeaderRaw) {
  const std::string encoded = EncodeHeaderText("x\r\nBcc: victim@example.org");
  EXPECT_THAT(encoded, Not(HasSubstr("\r\nBcc")));
  EXPECT_EQ(DecodeWords(encoded), "x\r\nBcc: victim@example.org");
}

TEST(QuotedPrintableTest, EncodesWhatMustBeAndWrapsSoftly) {
  EXPECT_EQ(QuotedPrintable("a=b æ\ntrailing "), "a=3Db =C3=A6\r\ntrailing=20");
  const std::string long_line(200, 'x');
  const std::string qp = QuotedPrintable(long_line);
  for (absl::string_view line : absl::StrSplit(qp, "\r\n")) {
    EXPECT_LE(line.size(), 76u);
  }
  std::string joined = absl::StrReplaceAll(qp, {{"=\r\n", ""}});
  EXPECT_EQ(joined, long_line);
}

TEST(FormatMailMessageTest, HeadersAndParts) {
  absl::StatusOr<std::string> eml = FormatMailMessage(Sample());
  ASSERT_TRUE(eml.ok()) << eml.status();
  EXPECT_TRUE(absl::StartsWith(*eml,
                               "From: desk@example.org\r\n"
                               "To: abuse@example.net\r\n"
                               "Subject: =?UTF-8?B?"));
  EXPECT_THAT(*eml, HasSubstr("\r\nDate: Tue, 01 Dec 2026 00:00:00 +0000\r\n"));
  EXPECT_THAT(*eml, HasSubstr("\r\nMessage-ID: <dnsbl-notice."));
  EXPECT_THAT(*eml, HasSubstr("@example.org>\r\n"));
  EXPECT_THAT(*eml, HasSubstr("Content-Type: text/plain; charset=UTF-8\r\n"
                              "Content-Transfer-Encoding: quoted-printable"));
  EXPECT_THAT(*eml, HasSubstr("Content-Type: application/json; "
                              "name=\"reports.json\""));
  // Every line ends in CRLF and none is longer than 78.
  for (absl::string_view line : absl::StrSplit(*eml, "\r\n")) {
    EXPECT_LE(line.size(), 78u);
    EXPECT_THAT(line, Not(HasSubstr("\n")));
  }
  // The same message twice is the same bytes (re-runs never duplicate).
  EXPECT_EQ(*eml, *FormatMailMessage(Sample()));
}

TEST(FormatMailMessageTest, AutoRespondersAreAskedNotToAnswer) {
  absl::StatusOr<std::string> eml = FormatMailMessage(Sample());
  ASSERT_TRUE(eml.ok());
  EXPECT_THAT(*eml, HasSubstr("\r\nAuto-Submitted: auto-generated\r\n"));
  EXPECT_THAT(*eml, HasSubstr("\r\nX-Auto-Response-Suppress: All\r\n"));
  EXPECT_THAT(*eml, Not(HasSubstr("Reply-To:")));
  MailMessage m = Sample();
  m.reply_to = "tickets@example.org";
  eml = FormatMailMessage(m);
  ASSERT_TRUE(eml.ok());
  EXPECT_THAT(*eml, HasSubstr("\r\nReply-To: tickets@example.org\r\n"));
  m.reply_to = "tickets@example.org\r\nBcc: x@example.org";
  EXPECT_THAT(FormatMailMessage(m).status().message(), HasSubstr("reply-to"));
}

TEST(FormatMailMessageTest, BadMailboxesAreRefused) {
  MailMessage m = Sample();
  m.from = "desk@example.org\r\nBcc: x@example.org";
  EXPECT_THAT(FormatMailMessage(m).status().message(), HasSubstr("sender"));
  m = Sample();
  m.to = {"abuse@example.net", "two words@example.net"};
  EXPECT_THAT(FormatMailMessage(m).status().message(), HasSubstr("recipient"));
  m = Sample();
  m.to.clear();
  EXPECT_FALSE(FormatMailMessage(m).ok());
  m = Sample();
  m.attachment_name = "a\"b.json";
  EXPECT_FALSE(FormatMailMessage(m).ok());
}

TEST(DerivedMessageIdTest, FollowsTheContent) {
  MailMessage a = Sample();
  MailMessage b = Sample();
  EXPECT_EQ(DerivedMessageId(a), DerivedMessageId(b));
  b.to = {"other@example.net"};
  EXPECT_NE(DerivedMessageId(a), DerivedMessageId(b));
}

}  // namespace
}  // namespace dnsbl

// Golden notices: one address in each language, a custom template, and
// one mailbox's addresses as a table. To regenerate after a deliberate
// change (then read every diff):
//   DNSBL_UPDATE_GOLDENS=$PWD/dnsbl/notice/testdata \
//       bazel run //dnsbl/notice:letter_test

#include "dnsbl/notice/letter.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "dnsbl/notice/delivery.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kReport[] = R"pb(
  address: "192.0.2.7"
  results {
    zone: "relays.example"
    status: LISTED
    codes: "127.0.0.2"
    categories: OPEN_RELAY
    meanings: "confirmed open relay"
    txt: "Relay test 2026-11-30 accepted mail to a third party\r\nX-Injected: yes"
    lookup_url: "https://relays.example/lookup?ip=192.0.2.7"
  }
  results {
    zone: "proxies.example"
    status: LISTED
    codes: "127.0.0.8"
    categories: OPEN_PROXY
    meanings: "open SOCKS proxy"
  }
  results {
    zone: "spam.example"
    status: LISTED
    codes: "127.0.0.2"
    categories: SPAM_SOURCE
    txt: "Seen at spam traps"
  }
  results {
    zone: "pbl.example"
    status: LISTED
    codes: "127.0.0.10"
    categories: POLICY
  }
  results { zone: "down.example" status: ERROR detail: "no answer" }
  summary {
    listed: true
    listed_by: [
      "relays.example",
      "proxies.example",
      "spam.example",
      "pbl.example"
    ]
    open_relay_by: "relays.example"
    open_proxy_by: "proxies.example"
    errors: 1
    answered: 4
    asked: 5
  }
  started { seconds: 1796137200 }
  finished { seconds: 1796137200 nanos: 50000000 }
  resolver: "127.0.0.1:53"
  networks {
    source: "cymru"
    asn: 64500
    as_name: "EXAMPLE-AS Example Hosting, ZZ"
    prefix: "192.0.2.0/24"
    country: "ZZ"
    registry: "ripencc"
    allocated: "2004-01-01"
  }
  contacts { email: "abuse@example.net" source: "abusix" role: "abuse" }
  contact_sources { source: "cymru" answered: true }
  contact_sources { source: "abusix" answered: true }
  contact_sources {
    source: "rdap"
    answered: false
    error: TIMEOUT
    detail: "timed out"
  }
)pb";

v1::Report Report(absl::string_view address = "192.0.2.7") {
  v1::Report r;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(kReport, &r));
  r.set_address(std::string(address));
  return r;
}

DeliveryOptions Options(NoticeLanguage language) {
  DeliveryOptions options;
  options.letter.language = language;
  options.from = "desk@example.org";
  options.date = absl::FromUnixSeconds(1796140800);  // 2026-12-01 01:00 UTC
  return options;
}

void ExpectGolden(const std::string& name, const std::string& actual) {
  if (const char* dir = std::getenv("DNSBL_UPDATE_GOLDENS")) {
    std::ofstream(absl::StrCat(dir, "/", name), std::ios::binary) << actual;
    return;
  }
  std::ifstream in(absl::StrCat(std::getenv("TEST_SRCDIR"),
                                "/dnsbl/dnsbl/notice/testdata/", name),
                   std::ios::binary);
  ASSERT_TRUE(in.good()) << name;
  std::stringstream golden;
  golden << in.rdbuf();
  EXPECT_EQ(actual, golden.str()) << name;
}

TEST(NoticeGoldenTest, EachLanguage) {
  for (auto [language, name] :
       {std::pair{NoticeLanguage::kEnglish, "notice_en.eml"},
        std::pair{NoticeLanguage::kDanish, "notice_da.eml"},
        std::pair{NoticeLanguage::kPortuguese, "notice_pt.eml"}}) {
    absl::StatusOr<std::string> eml = BuildNoticeMessage(
        {Report()}, {"abuse@example.net"}, Options(language));
    ASSERT_TRUE(eml.ok()) << eml.status();
    ExpectGolden(name, *eml);
  }
}

TEST(NoticeGoldenTest, CustomTemplate) {
  DeliveryOptions options = Options(NoticeLanguage::kEnglish);
  options.letter.template_text =
      "To the abuse desk of {address}:\n\nIt {claim}.\n\n{evidence}\n\n"
      "Checked {checked}. {{Answer}} to {reply_to}.\n";
  absl::StatusOr<std::string> eml =
      BuildNoticeMessage({Report()}, {"abuse@example.net"}, options);
  ASSERT_TRUE(eml.ok()) << eml.status();
  ExpectGolden("notice_custom.eml", *eml);
}

TEST(NoticeGoldenTest, OneMailboxManyAddresses) {
  v1::Report spam_only = Report("192.0.2.9");
  spam_only.mutable_results(0)->set_status(v1::NOT_LISTED);
  spam_only.mutable_results(1)->set_status(v1::NOT_LISTED);
  absl::StatusOr<std::string> eml =
      BuildNoticeMessage({Report(), spam_only}, {"abuse@example.net"},
                         Options(NoticeLanguage::kPortuguese));
  ASSERT_TRUE(eml.ok()) << eml.status();
  ExpectGolden("notice_many_pt.eml", *eml);
}

// The body with its wrapping undone, to find sentences across lines.
std::string Unwrapped(const std::string& body) {
  std::vector<absl::string_view> lines = absl::StrSplit(body, '\n');
  for (absl::string_view& line : lines)
    line = absl::StripLeadingAsciiWhitespace(line);
  return absl::StrJoin(lines, " ");
}

// The report with only `kinds` of relay and proxy listed (and nothing
// else that names abuse), for the letters of each claim.
v1::Report RelayProxyReport(bool relay, bool proxy) {
  v1::Report r = Report();
  r.mutable_results(0)->set_status(relay ? v1::LISTED : v1::NOT_LISTED);
  r.mutable_results(1)->set_status(proxy ? v1::LISTED : v1::NOT_LISTED);
  r.mutable_results(2)->set_status(v1::NOT_LISTED);
  return r;
}

// Each claim in each language: the letter explains and remedies exactly
// the kinds its claim names.
TEST(NoticeGoldenTest, EachClaimInEachLanguage) {
  struct Claim {
    const char* name;
    bool relay;
    bool proxy;
  };
  for (Claim claim : {Claim{"relay", true, false}, Claim{"proxy", false, true},
                      Claim{"relay_proxy", true, true}}) {
    for (NoticeLanguage language :
         {NoticeLanguage::kEnglish, NoticeLanguage::kDanish,
          NoticeLanguage::kPortuguese}) {
      NoticeOptions options;
      options.language = language;
      options.reply_to = "desk@example.org";
      absl::StatusOr<Notice> notice =
          ComposeNotice({RelayProxyReport(claim.relay, claim.proxy)}, options);
      ASSERT_TRUE(notice.ok()) << notice.status();
      const std::string name = absl::StrCat(
          "letter_", claim.name, "_", NoticeLanguageCode(language), ".txt");
      ExpectGolden(name, absl::StrCat(notice->subject, "\n\n", notice->body));
      // "proxy" and "relay" are the words of all three languages.
      if (!claim.proxy) {
        EXPECT_THAT(notice->body, Not(HasSubstr("proxy"))) << name;
        EXPECT_THAT(notice->body, Not(HasSubstr("SOCKS"))) << name;
      }
      if (!claim.relay) {
        EXPECT_THAT(notice->body, Not(HasSubstr("relay"))) << name;
        EXPECT_THAT(notice->body, Not(HasSubstr("587"))) << name;
      }
    }
  }
}

TEST(ComposeNoticeTest, OwnWordsTranslatedDatabaseWordsQuoted) {
  NoticeOptions options;
  options.reply_to = "desk@example.org";
  struct Case {
    NoticeLanguage language;
    const char* allocated;
    const char* meaning;
    const char* reason;
  };
  for (const Case& c : {
           Case{NoticeLanguage::kEnglish, "allocated 2004-01-01",
                "(the database's meaning: \"confirmed open relay\")",
                "the database's reason: \"Seen at spam traps\""},
           Case{NoticeLanguage::kDanish, "tildelt 2004-01-01",
                "(databasens betydning, citeret: \"confirmed open relay\")",
                "databasens begrundelse, citeret: \"Seen at spam traps\""},
           Case{NoticeLanguage::kPortuguese, "alocado em 2004-01-01",
                "(significado segundo a base de dados, citado: \"confirmed "
                "open relay\")",
                "motivo segundo a base de dados, citado: \"Seen at spam "
                "traps\""},
       }) {
    options.language = c.language;
    absl::StatusOr<Notice> notice = ComposeNotice({Report()}, options);
    ASSERT_TRUE(notice.ok());
    const std::string body = Unwrapped(notice->body);
    EXPECT_THAT(body, HasSubstr(c.allocated));
    EXPECT_THAT(body, HasSubstr(c.meaning));
    EXPECT_THAT(body, HasSubstr(c.reason));
    if (c.language != NoticeLanguage::kEnglish) {
      EXPECT_THAT(body, Not(HasSubstr("allocated")));
    }
  }
}

TEST(ComposeNoticeTest, SaysWhenReCheckedEvidenceWasFirstFound) {
  NoticeOptions options;
  options.reply_to = "desk@example.org";
  options.first_found["192.0.2.7"] = absl::FromUnixSeconds(1795960800);
  absl::StatusOr<Notice> notice = ComposeNotice({Report()}, options);
  ASSERT_TRUE(notice.ok());
  EXPECT_THAT(Unwrapped(notice->body),
              HasSubstr("checked 2026-12-01 15:00:00 UTC via 127.0.0.1:53 "
                        "(re-confirmed; first found 2026-11-29 14:00:00 "
                        "UTC):"));
  options.first_found.clear();
  notice = ComposeNotice({Report()}, options);
  ASSERT_TRUE(notice.ok());
  EXPECT_THAT(notice->body, Not(HasSubstr("re-confirmed")));
}

TEST(ComposeNoticeTest, ClaimsMatchTheEvidence) {
  NoticeOptions options;
  options.reply_to = "desk@example.org";
  absl::StatusOr<Notice> all = ComposeNotice({Report()}, options);
  ASSERT_TRUE(all.ok());
  EXPECT_THAT(Unwrapped(all->body),
              HasSubstr("192.0.2.7 may be an open mail relay and "
                        "an open proxy; it is also listed as a "
                        "spam source."));
  // Only a spam listing: never "open relay" or "open proxy".
  v1::Report spam = Report();
  spam.mutable_results(0)->set_status(v1::NOT_LISTED);
  spam.mutable_results(1)->set_status(v1::NOT_LISTED);
  absl::StatusOr<Notice> only_spam = ComposeNotice({spam}, options);
  ASSERT_TRUE(only_spam.ok());
  EXPECT_THAT(Unwrapped(only_spam->body),
              HasSubstr("192.0.2.7 is listed as a spam source."));
  EXPECT_THAT(only_spam->body, Not(HasSubstr("open mail relay")));
  EXPECT_THAT(only_spam->body, Not(HasSubstr("open proxy")));
  EXPECT_EQ(only_spam->subject, "Abuse notice for 192.0.2.7: spam source");
  // The policy listing is not cited.
  EXPECT_THAT(all->body, Not(HasSubstr("pbl.example")));
}

TEST(ComposeNoticeTest, SaysWhereTheAnswersCameFrom) {
  NoticeOptions options;
  options.reply_to = "desk@example.org";
  v1::Report direct = Report();
  direct.set_resolution(v1::DIRECT);
  direct.set_resolver("direct from IANA root hints of 2024-04-18");
  absl::StatusOr<Notice> notice = ComposeNotice({direct}, options);
  ASSERT_TRUE(notice.ok());
  EXPECT_THAT(Unwrapped(notice->body),
              HasSubstr("checked 2026-12-01 15:00:00 UTC directly from each "
                        "blocklist's own servers:"));
  options.language = NoticeLanguage::kDanish;
  notice = ComposeNotice({direct}, options);
  ASSERT_TRUE(notice.ok());
  EXPECT_THAT(Unwrapped(notice->body),
              HasSubstr("direkte fra hver blokeringslistes egne servere"));
}

TEST(ComposeNoticeTest, NoLetterWithoutEvidence) {
  v1::Report clean = Report();
  for (v1::ZoneResult& r : *clean.mutable_results()) {
    if (r.status() == v1::LISTED) r.set_status(v1::NOT_LISTED);
  }
  clean.mutable_summary()->set_listed(false);
  NoticeOptions options;
  options.reply_to = "desk@example.org";
  absl::StatusOr<Notice> notice = ComposeNotice({clean}, options);
  EXPECT_EQ(notice.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(notice.status().message(), HasSubstr("no notice for 192.0.2.7"));
}

TEST(ComposeNoticeTest, HostileTxtIsEscapedInTheBody) {
  NoticeOptions options;
  options.reply_to = "desk@example.org";
  absl::StatusOr<Notice> notice = ComposeNotice({Report()}, options);
  ASSERT_TRUE(notice.ok());
  EXPECT_THAT(notice->body, HasSubstr("party\\x0d\\x0aX-Injected: yes"));
  EXPECT_THAT(notice->body, Not(HasSubstr("\r")));
}

TEST(WrapLinesTest, WrapsAtSpacesKeepingIndentation) {
  EXPECT_EQ(WrapLines("- zone: listed as a very long category name", 20),
            "- zone: listed as a\n  very long category\n  name");
  EXPECT_EQ(WrapLines("https://a.very.long.example/with/no/spaces", 10),
            "https://a.very.long.example/with/no/spaces");
}

}  // namespace
}  // namespace dnsbl

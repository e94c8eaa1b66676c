#include "dnsbl/serve/internal/page.h"

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

v1::Report Hostile() {
  v1::Report r;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
      R"pb(
        address: "192.0.2.7"
        results {
          zone: "relays.test"
          status: LISTED
          codes: "127.0.0.2"
          categories: OPEN_RELAY
          meanings: "open relay"
          txt: "<script>alert(1)</script> \"quoted\" & <img src=x onerror=y>"
          lookup_url: "https://relays.test/lookup?ip=192.0.2.7&x=\"y\""
        }
        results {
          zone: "evil.test"
          status: ERROR
          detail: "</td><script>bad()</script>"
          lookup_url: "javascript:alert(1)"
        }
        summary {
          listed: true
          listed_by: "relays.test"
          open_relay_by: "relays.test"
          answered: 1
          errors: 1
          asked: 2
        }
        started { seconds: 1796137200 }
        resolver: "127.0.0.1:53"
        contacts { email: "abuse@example.net" source: "abusix" }
      )pb",
      &r));
  return r;
}

TEST(RenderPageTest, NetworkTextIsTextNeverMarkup) {
  v1::Report r = Hostile();
  PageInput in;
  in.address = "192.0.2.7";
  in.from = "desk@example.org";
  in.report = &r;
  const std::string html = RenderPage(in);
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt; "
                              "&quot;quoted&quot; &amp;"));
  EXPECT_THAT(html, HasSubstr("&lt;/td&gt;&lt;script&gt;bad()"));
  // Only https links, and attribute values escaped.
  EXPECT_THAT(html, Not(HasSubstr("javascript:")));
  EXPECT_THAT(html, HasSubstr("href=\"https://relays.test/lookup?ip=192.0.2.7"
                              "&amp;x=&quot;y&quot;\""));
}

TEST(RenderPageTest, VerdictEvidenceAndTheLetterInTheChosenLanguage) {
  v1::Report r = Hostile();
  PageInput in;
  in.address = "192.0.2.7";
  in.from = "desk@example.org";
  in.language = NoticeLanguage::kDanish;
  in.report = &r;
  const std::string html = RenderPage(in);
  EXPECT_THAT(html, HasSubstr("class=\"verdict listed\""));
  EXPECT_THAT(
      html,
      HasSubstr(">relays.test</td><td data-label=\"Answer\">listed</td>"));
  EXPECT_THAT(html, HasSubstr("IP-adressen 192.0.2.7 kan være et åbent mail"));
  EXPECT_THAT(html, HasSubstr("href=\"/v1/notice?address=192.0.2.7&amp;"
                              "lang=da&amp;from=desk@example.org\""));
  EXPECT_THAT(html, HasSubstr("<option value=\"da\" selected>Dansk</option>"));
  // No mailbox, no letter (it must say whom to answer).
  in.from.clear();
  EXPECT_THAT(RenderPage(in), HasSubstr("Give your mailbox above"));
}

TEST(RenderPageTest, TheTypedAddressIsShownBackEscaped) {
  PageInput in;
  in.address = "\"><script>x()</script>";
  in.error = "'\"><script>x()</script>' is not an IP address";
  const std::string html = RenderPage(in);
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, HasSubstr("role=\"alert\""));
}

}  // namespace
}  // namespace dnsbl

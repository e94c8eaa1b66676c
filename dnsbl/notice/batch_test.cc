#include "dnsbl/notice/batch.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A report of `address`, listed as an open relay when `listed`, with the
// abuse mailboxes `contacts` (and contact sources asked).
v1::Report Make(const std::string& address, bool listed,
                std::vector<std::string> contacts) {
  v1::Report r;
  r.set_address(address);
  v1::ZoneResult* z = r.add_results();
  z->set_zone("relays.example");
  z->set_status(listed ? v1::LISTED : v1::NOT_LISTED);
  if (listed) {
    z->add_codes("127.0.0.2");
    z->add_categories(v1::OPEN_RELAY);
    r.mutable_summary()->set_listed(true);
  }
  r.mutable_summary()->set_answered(1);
  r.mutable_summary()->set_asked(1);
  r.add_contact_sources()->set_source("abusix");
  r.mutable_contact_sources(0)->set_answered(true);
  for (const std::string& c : contacts) {
    v1::Contact* contact = r.add_contacts();
    contact->set_email(c);
    contact->set_source("abusix");
  }
  return r;
}

TEST(GroupByContactTest, OneGroupPerMailboxAndEveryOtherAddressExplained) {
  NoticeBatch batch = GroupByContact({
      Make("192.0.2.9", true, {"abuse@b.example"}),
      Make("192.0.2.1", true, {"abuse@a.example"}),
      Make("192.0.2.2", false, {"abuse@a.example"}),
      Make("192.0.2.3", true, {"abuse@a.example", "noc@c.example"}),
      Make("192.0.2.4", true, {}),
      Make("192.0.2.1", true, {"abuse@a.example"}),  // Seen twice: once.
  });
  ASSERT_EQ(batch.groups.size(), 3u);
  EXPECT_EQ(batch.groups[0].contact, "abuse@a.example");
  std::vector<std::string> a;
  for (const v1::Report& r : batch.groups[0].reports) a.push_back(r.address());
  EXPECT_THAT(a, ElementsAre("192.0.2.1", "192.0.2.3"));
  EXPECT_EQ(batch.groups[1].contact, "abuse@b.example");
  EXPECT_EQ(batch.groups[2].contact, "noc@c.example");
  ASSERT_EQ(batch.without_notice.size(), 2u);
  EXPECT_EQ(batch.without_notice[0].address, "192.0.2.2");
  EXPECT_THAT(batch.without_notice[0].why, HasSubstr("listed by none"));
  EXPECT_EQ(batch.without_notice[1].address, "192.0.2.4");
  EXPECT_THAT(batch.without_notice[1].why,
              HasSubstr("no abuse contact is known"));
  EXPECT_EQ(FormatWithoutNotice(batch.without_notice).substr(0, 10),
            "192.0.2.2\t");
}

TEST(NoticeFileNameTest, SafeDistinctAndStable) {
  const std::string a = NoticeFileName("abuse@example.net");
  EXPECT_TRUE(absl::StartsWith(a, "abuse_at_example.net-")) << a;
  EXPECT_TRUE(absl::EndsWith(a, ".eml"));
  EXPECT_EQ(a, NoticeFileName("abuse@example.net"));
  // Characters a path could misread become '_', and the hash keeps two
  // mailboxes that differ only there apart.
  EXPECT_NE(NoticeFileName("a/b@example.net"),
            NoticeFileName("a_b@example.net"));
  EXPECT_EQ(NoticeFileName("a/b@example.net").find('/'), std::string::npos);
}

TEST(MboxEntryTest, SeparatorAndFromQuoting) {
  EXPECT_EQ(MboxEntry("Subject: x\r\n\r\nFrom here\r\n>From there\r\n",
                      "desk@example.org", absl::FromUnixSeconds(0)),
            "From desk@example.org Thu Jan  1 00:00:00 1970\n"
            "Subject: x\n\n>From here\n>>From there\n\n");
}

TEST(ReportsJsonTest, IsOneJsonArray) {
  const std::string json =
      ReportsJson({Make("192.0.2.1", true, {}), Make("192.0.2.2", true, {})});
  EXPECT_TRUE(absl::StartsWith(json, "[{\"address\":\"192.0.2.1\""));
  EXPECT_TRUE(absl::EndsWith(json, "}]\n"));
}

}  // namespace
}  // namespace dnsbl

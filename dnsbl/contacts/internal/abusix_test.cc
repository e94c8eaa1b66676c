#include "dnsbl/contacts/internal/abusix.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(AbusixTest, QueryName) {
  EXPECT_EQ(AbusixContactQuery(*IpAddress::Parse("104.16.132.229")),
            "229.132.16.104.abuse-contacts.abusix.zone");
}

TEST(AbusixTest, ReadsEveryValidAddressOnce) {
  AbusixContacts c = ParseAbusixContacts({"abuse@example.net",
                                          "noc@example.org, abuse@example.net",
                                          "bad address\r\nBcc: x@example.org"});
  // The third record is garbage around an address: none of it is used.
  EXPECT_THAT(c.emails, ElementsAre("abuse@example.net", "noc@example.org"));
  ASSERT_EQ(c.rejected.size(), 1u);
  EXPECT_THAT(c.rejected[0], HasSubstr("'bad' is not a mail address"));
}

}  // namespace
}  // namespace dnsbl

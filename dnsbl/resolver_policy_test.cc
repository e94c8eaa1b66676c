#include "dnsbl/resolver_policy.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;

TEST(PublicResolverOperatorTest, KnowsTheBigOnes) {
  EXPECT_EQ(PublicResolverOperator(*IpAddress::Parse("8.8.8.8")),
            "Google Public DNS");
  EXPECT_EQ(PublicResolverOperator(*IpAddress::Parse("1.1.1.1")), "Cloudflare");
  EXPECT_EQ(PublicResolverOperator(*IpAddress::Parse("2620:fe::fe")), "Quad9");
  EXPECT_EQ(PublicResolverOperator(*IpAddress::Parse("208.67.222.222")),
            "OpenDNS");
  EXPECT_EQ(PublicResolverOperator(*IpAddress::Parse("127.0.0.1")), "");
}

TEST(ResolverWarningsTest, WarnsAboutPublicResolvers) {
  std::vector<std::string> w =
      ResolverWarnings("127.0.0.1:53,[2606:4700:4700::1111]:53", {});
  ASSERT_EQ(w.size(), 1u);
  EXPECT_THAT(w[0], HasSubstr("[2606:4700:4700::1111]:53 is Cloudflare"));
  EXPECT_THAT(w[0], HasSubstr("recursive resolver of your own"));
}

TEST(ResolverWarningsTest, WarnsAboutRefusingZones) {
  std::vector<std::string> refusing = {"zen.spamhaus.org"};
  std::vector<std::string> w = ResolverWarnings("127.0.0.1:53", refusing);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_THAT(w[0], HasSubstr("zen.spamhaus.org refuses to answer"));
  EXPECT_THAT(w[0], HasSubstr("not a listing"));
}

TEST(ResolverWarningsTest, SilentWhenAllIsWell) {
  EXPECT_TRUE(ResolverWarnings("127.0.0.1:5353", {}).empty());
}

}  // namespace
}  // namespace dnsbl

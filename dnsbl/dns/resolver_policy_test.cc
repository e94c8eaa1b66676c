#include "dnsbl/dns/resolver_policy.h"

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

v1::ZoneHealth Health(const char* zone, v1::HealthState state) {
  v1::ZoneHealth h;
  h.set_zone(zone);
  h.set_state(state);
  return h;
}

TEST(PathWarningsTest, OneWarningWhenMostZonesCannotBeSeen) {
  std::vector<v1::ZoneHealth> health = {
      Health("a.test", v1::NO_SUCH_ZONE), Health("b.test", v1::FILTERED),
      Health("c.test", v1::HEALTHY),
      Health("d.test", v1::HEALTH_STATE_UNSPECIFIED)};  // Not probed.
  std::vector<std::string> w = PathWarnings("127.0.0.1:53", health);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_THAT(w[0], HasSubstr("nameserver 127.0.0.1:53 cannot see 2 of the "
                              "3 blocklists asked"));
  EXPECT_THAT(w[0], HasSubstr("not \"not listed\""));
}

TEST(PathWarningsTest, SilentWhenOnlyAFewZonesAreMissing) {
  // One blocklist whose domain lapsed is that zone's problem, said in its
  // own result; the path is fine.
  std::vector<v1::ZoneHealth> health = {Health("a.test", v1::NO_SUCH_ZONE),
                                        Health("b.test", v1::HEALTHY),
                                        Health("c.test", v1::NO_TEST_ENTRY)};
  EXPECT_TRUE(PathWarnings("127.0.0.1:53", health).empty());
  EXPECT_TRUE(PathWarnings("127.0.0.1:53", {}).empty());
}

}  // namespace
}  // namespace dnsbl

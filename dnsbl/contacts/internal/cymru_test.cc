#include "dnsbl/contacts/internal/cymru.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(CymruTest, QueryNames) {
  EXPECT_EQ(CymruOriginQuery(*IpAddress::Parse("192.0.2.7")),
            "7.2.0.192.origin.asn.cymru.com");
  EXPECT_EQ(CymruOriginQuery(*IpAddress::Parse("2001:db8::1")),
            "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2."
            "origin6.asn.cymru.com");
  EXPECT_EQ(CymruAsNameQuery(64500), "AS64500.asn.cymru.com");
}

TEST(CymruTest, ParsesOriginRecords) {
  absl::StatusOr<CymruOrigin> o =
      ParseCymruOrigin("48666 | 185.117.152.0/22 | RU | ripencc | 2015-09-16");
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_THAT(o->asns, ElementsAre(48666u));
  EXPECT_EQ(o->prefix, "185.117.152.0/22");
  EXPECT_EQ(o->country, "RU");
  EXPECT_EQ(o->registry, "ripencc");
  EXPECT_EQ(o->allocated, "2015-09-16");
  // Several origins; no allocation date.
  o = ParseCymruOrigin("23028 3356 | 2001:db8::/32 | US | arin |");
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_THAT(o->asns, ElementsAre(23028u, 3356u));
  EXPECT_EQ(o->allocated, "");
}

TEST(CymruTest, RefusesGarbage) {
  for (const char* bad :
       {"", "garbage", "x | 192.0.2.0/24 | ZZ", "64500 | not-a-net | ZZ",
        "64500 | 192.0.2.1 | ZZ", "0 | 192.0.2.0/24 | ZZ",
        "64500 | 192.0.2.0/24 | Z\x1bZ | ripencc",
        "99999999999 | 192.0.2.0/24 | ZZ"}) {
    EXPECT_FALSE(ParseCymruOrigin(bad).ok()) << bad;
  }
  EXPECT_THAT(ParseCymruOrigin("nope").status().message(),
              HasSubstr("malformed Cymru origin record 'nope'"));
}

TEST(CymruTest, ParsesAsNamesKeepingBarsInTheName) {
  absl::StatusOr<CymruAsName> as = ParseCymruAsName(
      "15169 | US | arin | 2000-03-30 | GOOGLE - Google LLC, US");
  ASSERT_TRUE(as.ok()) << as.status();
  EXPECT_EQ(as->asn, 15169u);
  EXPECT_EQ(as->name, "GOOGLE - Google LLC, US");
  as = ParseCymruAsName("64500 | ZZ | ripencc | 2004-01-01 | A | B");
  ASSERT_TRUE(as.ok());
  EXPECT_EQ(as->name, "A | B");
  EXPECT_FALSE(ParseCymruAsName("64500 | ZZ | ripencc").ok());
  // Invalid UTF-8 in the name is repaired, not passed on.
  as = ParseCymruAsName("64500 | ZZ | ripencc | 2004-01-01 | bad \xff name");
  ASSERT_TRUE(as.ok());
  EXPECT_EQ(as->name.find('\xff'), std::string::npos);
}

}  // namespace
}  // namespace dnsbl

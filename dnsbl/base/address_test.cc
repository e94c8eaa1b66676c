#include "dnsbl/base/address.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;

TEST(IpAddressTest, ParsesAndNormalizesIpv4) {
  absl::StatusOr<IpAddress> ip = IpAddress::Parse("192.0.2.7");
  ASSERT_TRUE(ip.ok()) << ip.status();
  EXPECT_TRUE(ip->is_ipv4());
  EXPECT_EQ(ip->ipv4(), 0xc0000207u);
  EXPECT_EQ(ip->ToString(), "192.0.2.7");
  EXPECT_EQ(ip->QueryName("zen.spamhaus.org"), "7.2.0.192.zen.spamhaus.org");
  // Every width of octet, and the extremes.
  EXPECT_EQ(IpAddress::FromIpv4(0x0a64ff00).ReverseName(), "0.255.100.10");
  EXPECT_EQ(IpAddress::FromIpv4(0x00000000).QueryName("z"), "0.0.0.0.z");
  EXPECT_EQ(IpAddress::FromIpv4(0xffffffff).QueryName("z"),
            "255.255.255.255.z");
  EXPECT_EQ(IpAddress::FromIpv4(0x09630a01).ReverseName(), "1.10.99.9");
}

TEST(IpAddressTest, ParsesAndNormalizesIpv6) {
  absl::StatusOr<IpAddress> ip = IpAddress::Parse("2001:DB8:0:0:0::1");
  ASSERT_TRUE(ip.ok()) << ip.status();
  EXPECT_FALSE(ip->is_ipv4());
  EXPECT_EQ(ip->ToString(), "2001:db8::1");
  EXPECT_EQ(ip->ReverseName(),
            "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2");
}

TEST(IpAddressTest, MappedIpv4StaysIpv6WithNibbleName) {
  // RFC 5782 section 5: the IPv6 test point.
  absl::StatusOr<IpAddress> ip = IpAddress::Parse("::ffff:7f00:2");
  ASSERT_TRUE(ip.ok()) << ip.status();
  EXPECT_FALSE(ip->is_ipv4());
  EXPECT_EQ(ip->QueryName("bl.test"),
            "2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
            "bl.test");
  absl::StatusOr<IpAddress> dotted = IpAddress::Parse("::ffff:127.0.0.2");
  ASSERT_TRUE(dotted.ok());
  EXPECT_EQ(*dotted, *ip);
}

TEST(IpAddressTest, RejectsMalformedAddressesNamingTheProblem) {
  struct Case {
    const char* input;
    const char* message;
  };
  const Case cases[] = {
      {"1.2.3", "expected 4 dot-separated numbers, found 3"},
      {"1.2.3.4.5", "found 5"},
      {"256.1.1.1", "'256' is over 255"},
      {"01.2.3.4", "leading zero"},
      {"1.2.3.4/33", "network range"},
      {"1..3.4", "is not a number"},
      {"::g", "'g' is not a hex digit"},
      {"1:2:3:4:5:6:7:8:9", "malformed groups"},
      {"[::1]", "brackets"},
      {"fe80::1%eth0", "scope ids"},
      {"", "empty address"},
      {" 1.2.3.4", "unexpected ' '"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<IpAddress> ip = IpAddress::Parse(c.input);
    EXPECT_FALSE(ip.ok()) << c.input;
    EXPECT_EQ(ip.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(ip.status().message(), HasSubstr(c.message)) << c.input;
  }
}

TEST(IpAddressTest, ErrorMessagesEscapeAndShortenHostileInput) {
  std::string huge(100 * 1024, '9');
  absl::StatusOr<IpAddress> ip = IpAddress::Parse(huge);
  ASSERT_FALSE(ip.ok());
  EXPECT_LT(ip.status().message().size(), 400u);
  EXPECT_THAT(ip.status().message(), HasSubstr("(102400 bytes)"));

  ip = IpAddress::Parse(std::string("1.2.3.\x1b[2J", 9));
  ASSERT_FALSE(ip.ok());
  EXPECT_THAT(ip.status().message(), HasSubstr("\\x1b"));
  EXPECT_EQ(ip.status().message().find('\x1b'), absl::string_view::npos);

  ip = IpAddress::Parse(std::string("1.2.3.4\0", 8));
  ASSERT_FALSE(ip.ok());
  EXPECT_THAT(ip.status().message(), HasSubstr("\\x00"));
}

TEST(IpAddressTest, OrdersAndHashes) {
  IpAddress a = *IpAddress::Parse("10.0.0.1");
  IpAddress b = *IpAddress::Parse("10.0.0.2");
  IpAddress c = *IpAddress::Parse("::1");
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);  // IPv4 sorts before IPv6.
  EXPECT_NE(a, b);
  EXPECT_EQ(IpAddress::FromIpv4(0x0a000001), a);
}

TEST(LooksLikeIpAddressTest, NumericLastLabelMeansAddress) {
  EXPECT_TRUE(LooksLikeIpAddress("1.2.3"));
  EXPECT_TRUE(LooksLikeIpAddress("256.1.1.1"));
  EXPECT_TRUE(LooksLikeIpAddress("1.2.3.4.5"));
  EXPECT_TRUE(LooksLikeIpAddress("::1"));
  EXPECT_TRUE(LooksLikeIpAddress("10.0.0.0/8"));
  EXPECT_TRUE(LooksLikeIpAddress(""));
  EXPECT_FALSE(LooksLikeIpAddress("mail.example.com"));
  EXPECT_FALSE(LooksLikeIpAddress("1.2.3.example"));
  EXPECT_FALSE(LooksLikeIpAddress("localhost"));
}

TEST(ValidateAddressOrHostTest, AddressesAndHostNamesEachByTheirRules) {
  EXPECT_TRUE(ValidateAddressOrHost("192.0.2.7").ok());
  EXPECT_TRUE(ValidateAddressOrHost("2001:db8::1").ok());
  EXPECT_TRUE(ValidateAddressOrHost("mail.example.com").ok());
  // Looks like an address, so it is judged as one (not resolved as a name).
  EXPECT_EQ(ValidateAddressOrHost("256.1.1.1").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ValidateAddressOrHost("bad host.example").message(),
              ::testing::HasSubstr("host name"));
}

TEST(NameAtOrBelowTest, LabelBoundariesCaseAndTrailingDots) {
  EXPECT_TRUE(NameAtOrBelow("bl.example", "bl.example"));
  EXPECT_TRUE(NameAtOrBelow("2.0.0.127.BL.Example.", "bl.example"));
  EXPECT_TRUE(NameAtOrBelow("bl.example", "example."));
  EXPECT_FALSE(NameAtOrBelow("xbl.example", "bl.example"));
  EXPECT_FALSE(NameAtOrBelow("example", "bl.example"));
  EXPECT_FALSE(NameAtOrBelow("rpz.local", "bl.example"));
  EXPECT_TRUE(NameAtOrBelow("anything.at.all", "."));
}

TEST(ValidateDnsNameTest, AcceptsHostAndZoneNames) {
  EXPECT_TRUE(ValidateDnsName("zen.spamhaus.org", "zone").ok());
  EXPECT_TRUE(ValidateDnsName("mail.example.com.", "host").ok());
  EXPECT_TRUE(ValidateDnsName("_dmarc.x-y.example", "host").ok());
}

TEST(ValidateDnsNameTest, RejectsBadNames) {
  EXPECT_THAT(ValidateDnsName("", "zone").message(), HasSubstr("empty"));
  EXPECT_THAT(ValidateDnsName("a..b", "zone").message(),
              HasSubstr("empty label"));
  EXPECT_THAT(ValidateDnsName(std::string(64, 'a') + ".org", "zone").message(),
              HasSubstr("label of 64 octets"));
  std::string long_name;
  for (int i = 0; i < 30; ++i) long_name += "abcdefghi.";
  EXPECT_THAT(ValidateDnsName(long_name + "org", "zone").message(),
              HasSubstr("the limit is 253"));
  EXPECT_THAT(ValidateDnsName("bad name.org", "zone").message(),
              HasSubstr("invalid label"));
  EXPECT_THAT(ValidateDnsName("-x.org", "zone").message(),
              HasSubstr("invalid label"));
}

TEST(ParseEndpointTest, AcceptsEveryForm) {
  EXPECT_EQ(ParseEndpoint("127.0.0.1")->ToString(), "127.0.0.1:53");
  EXPECT_EQ(ParseEndpoint("127.0.0.1:5353")->ToString(), "127.0.0.1:5353");
  EXPECT_EQ(ParseEndpoint("::1")->ToString(), "[::1]:53");
  EXPECT_EQ(ParseEndpoint("[::1]")->ToString(), "[::1]:53");
  EXPECT_EQ(ParseEndpoint("[::1]:5353")->ToString(), "[::1]:5353");
}

TEST(ParseEndpointTest, RejectsBadEndpoints) {
  EXPECT_THAT(ParseEndpoint("127.0.0.1:0").status().message(),
              HasSubstr("from 1 to 65535"));
  EXPECT_THAT(ParseEndpoint("127.0.0.1:99999").status().message(),
              HasSubstr("from 1 to 65535"));
  EXPECT_THAT(ParseEndpoint("127.0.0.1:").status().message(),
              HasSubstr("port"));
  EXPECT_THAT(ParseEndpoint("dns.example:53").status().message(),
              HasSubstr("must be an IP address"));
  EXPECT_THAT(ParseEndpoint("[::1").status().message(),
              HasSubstr("without ']'"));
}

}  // namespace
}  // namespace dnsbl

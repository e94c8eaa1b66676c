#include "dnsbl/contacts/internal/rdap_bootstrap.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

TEST(RdapBootstrapTest, BuiltinCopyRoutesEachRegistrysSpace) {
  const RdapBootstrap& b = RdapBootstrap::Builtin();
  // 5 services over 221 IPv4 /8s and 34 IPv6 prefixes in the copy.
  EXPECT_EQ(b.size(), 221u + 34u);
  EXPECT_THAT(b.BaseUrlFor(Ip("8.8.8.8")),
              Optional(std::string("https://rdap.arin.net/registry/")));
  EXPECT_THAT(b.BaseUrlFor(Ip("193.0.6.139")),
              Optional(std::string("https://rdap.db.ripe.net/")));
  EXPECT_THAT(b.BaseUrlFor(Ip("1.1.1.1")),
              Optional(std::string("https://rdap.apnic.net/")));
  EXPECT_THAT(b.BaseUrlFor(Ip("200.160.2.3")),
              Optional(std::string("https://rdap.lacnic.net/rdap/")));
  EXPECT_THAT(b.BaseUrlFor(Ip("41.0.0.1")),
              Optional(std::string("https://rdap.afrinic.net/rdap/")));
  EXPECT_THAT(b.BaseUrlFor(Ip("2a00:1450::1")),
              Optional(std::string("https://rdap.db.ripe.net/")));
  EXPECT_THAT(b.BaseUrlFor(Ip("2001:4200::1")),
              Optional(std::string("https://rdap.afrinic.net/rdap/")));
  // IANA-reserved space is nobody's to ask about.
  EXPECT_EQ(b.BaseUrlFor(Ip("127.0.0.2")), std::nullopt);
  EXPECT_EQ(b.BaseUrlFor(Ip("10.1.2.3")), std::nullopt);
  EXPECT_EQ(b.BaseUrlFor(Ip("ff02::1")), std::nullopt);
  // The IPv6 documentation prefix lies in APNIC's 2001:c00::/23 in IANA's
  // file; APNIC answers for it (and 404s), so it is asked like any other.
  EXPECT_THAT(b.BaseUrlFor(Ip("2001:db8::1")),
              Optional(std::string("https://rdap.apnic.net/")));
}

TEST(RdapBootstrapTest, LongestPrefixWinsAndHttpsIsPreferred) {
  absl::StatusOr<RdapBootstrap> b = RdapBootstrap::Parse(
      R"({"services": [
           [["192.0.0.0/8"], ["http://wide.example/", "https://wide.example/"]],
           [["192.0.2.0/24"], ["https://narrow.example/rdap/"]],
           [["198.51.100.0/24"], ["http://plain-only.example/"]]]})",
      R"({"services": [[["2001:db8::/32"], ["https://six.example/"]]]})");
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_THAT(b->BaseUrlFor(Ip("192.0.2.9")),
              Optional(std::string("https://narrow.example/rdap/")));
  EXPECT_THAT(b->BaseUrlFor(Ip("192.0.3.9")),
              Optional(std::string("https://wide.example/")));
  // Only plain HTTP offered: not asked (this client speaks HTTPS only).
  EXPECT_EQ(b->BaseUrlFor(Ip("198.51.100.1")), std::nullopt);
  EXPECT_THAT(b->BaseUrlFor(Ip("2001:db8::1")),
              Optional(std::string("https://six.example/")));
}

TEST(RdapBootstrapTest, BadFilesAreNamed) {
  EXPECT_THAT(RdapBootstrap::Parse("nope", "").status().message(),
              HasSubstr("ipv4 bootstrap file"));
  EXPECT_THAT(RdapBootstrap::Parse("", R"({"services": [[["2001:db8::/32"]]]})")
                  .status()
                  .message(),
              HasSubstr("ipv6 bootstrap file"));
  EXPECT_THAT(RdapBootstrap::Parse(
                  R"({"services": [[["300.0.0.0/8"], ["https://x/"]]]})", "")
                  .status()
                  .message(),
              HasSubstr("300.0.0.0/8"));
  EXPECT_THAT(RdapBootstrap::Parse(
                  R"({"services": [[["2001:db8::/32"], ["https://x/"]]]})", "")
                  .status()
                  .message(),
              HasSubstr("other family"));
}

}  // namespace
}  // namespace dnsbl

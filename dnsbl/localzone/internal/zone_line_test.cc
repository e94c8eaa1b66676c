#include "dnsbl/localzone/internal/zone_line.h"

#include "gtest/gtest.h"

namespace dnsbl {
namespace {

TEST(ClassifyZoneLineTest, KindsInRbldnsdsOrder) {
  EXPECT_EQ(ClassifyZoneLine("  \t ", false).kind, ZoneLineKind::kBlank);
  EXPECT_EQ(ClassifyZoneLine("# note", false).kind, ZoneLineKind::kComment);
  EXPECT_EQ(ClassifyZoneLine("; note", false).kind, ZoneLineKind::kComment);
  // Specials, also behind a comment or value mark, with the '$' taken off.
  for (const char* line : {"$TTL 1h", "#$TTL 1h", ";$TTL 1h", ":$TTL 1h"}) {
    SCOPED_TRACE(line);
    const ZoneLine l = ClassifyZoneLine(line, false);
    EXPECT_EQ(l.kind, ZoneLineKind::kSpecial);
    EXPECT_EQ(l.text, "TTL 1h");
  }
  const ZoneLine value = ClassifyZoneLine("  :3:spam  ", false);
  EXPECT_EQ(value.kind, ZoneLineKind::kValue);
  EXPECT_EQ(value.text, ":3:spam");
  // "::1" is an address where entries may start with "::".
  EXPECT_EQ(ClassifyZoneLine("::1", true).kind, ZoneLineKind::kEntry);
  EXPECT_EQ(ClassifyZoneLine("::1", false).kind, ZoneLineKind::kValue);
  EXPECT_EQ(ClassifyZoneLine(":2", true).kind, ZoneLineKind::kValue);
  EXPECT_EQ(ClassifyZoneLine("10.0.0.1 :2", false).text, "10.0.0.1 :2");
}

TEST(ZoneLineTest, Ip4PrefixesCidrsAndRanges) {
  uint32_t a = 0;
  uint32_t b = 0;
  {
    ZoneCursor c("10.1 rest");
    EXPECT_EQ(ParseIp4Prefix(c, &a), 16);
    EXPECT_EQ(a, 0x0a010000u);
    EXPECT_EQ(c.rest(), " rest");
  }
  {
    ZoneCursor c("10/8");
    EXPECT_EQ(ParseIp4Cidr(c, &a), 8);
    EXPECT_EQ(a, 0x0a000000u);
  }
  {
    ZoneCursor c("10");  // A lone octet needs its "/n".
    EXPECT_EQ(ParseIp4Cidr(c, &a), -1);
  }
  {
    ZoneCursor c("256.1.1.1");
    EXPECT_EQ(ParseIp4Prefix(c, &a), -1);
  }
  {
    ZoneCursor c("127.16-31");  // The second end completes the first.
    EXPECT_EQ(ParseIp4Range(c, &a, &b), 32);
    EXPECT_EQ(a, 0x7f100000u);
    EXPECT_EQ(b, 0x7f1fffffu);
  }
  {
    ZoneCursor c("10.0.0.9-10.0.0.1");  // Backwards.
    EXPECT_EQ(ParseIp4Range(c, &a, &b), -1);
  }
  {
    ZoneCursor c("192.0.2.0/24");
    EXPECT_EQ(ParseIp4Range(c, &a, &b), 24);
    EXPECT_EQ(b, 0xc00002ffu);
  }
}

TEST(ZoneLineTest, Ip6PrefixesAndText) {
  std::array<uint8_t, 16> v;
  {
    ZoneCursor c("2001:db8::/32");
    EXPECT_EQ(ParseIp6Cidr(c, &v), 32);
    EXPECT_EQ(v[0], 0x20);
    EXPECT_EQ(v[3], 0xb8);
  }
  {
    ZoneCursor c("2001:db8:1:2");  // Four groups: a /64.
    EXPECT_EQ(ParseIp6Prefix(c, &v), 64);
  }
  {
    ZoneCursor c("::1");
    EXPECT_EQ(ParseIp6Prefix(c, &v), 128);
    EXPECT_EQ(v[15], 1);
    EXPECT_EQ(ToUint128(v), absl::uint128(1));
  }
  {
    ZoneCursor c("1:2:3:4:5:6:7::8");  // No room for "::".
    EXPECT_EQ(ParseIp6Prefix(c, &v), -1);
  }
  std::array<uint8_t, 16> mapped{};
  mapped[10] = mapped[11] = 0xff;
  mapped[12] = 0x7f;
  mapped[15] = 2;
  EXPECT_EQ(ZoneIp6Text(mapped), "::ffff:7f00:2");
  EXPECT_EQ(Mask6(64), ~absl::uint128(0) << 64);
  EXPECT_EQ(Mask4(0), 0u);
  EXPECT_EQ(Mask4(24), 0xffffff00u);
}

TEST(ZoneLineTest, AValues) {
  uint32_t a = 0;
  for (const auto& [text, want] : std::vector<std::pair<const char*, uint32_t>>{
           {"2", 0x7f000002u},
           {"127.3", 0x7f000003u},
           {"127.0.4", 0x7f000004u},
           {"10.0.0.5", 0x0a000005u}}) {
    SCOPED_TRACE(text);
    ZoneCursor c(text);
    ASSERT_TRUE(ParseAValue(c, &a));
    EXPECT_EQ(a, want);
  }
  ZoneCursor zero("0");
  EXPECT_FALSE(ParseAValue(zero, &a));
}

TEST(ZoneLineTest, TimesAndTimestamps) {
  uint32_t t = 0;
  EXPECT_TRUE(ParseZoneTime("90", &t));
  EXPECT_EQ(t, 90u);
  EXPECT_TRUE(ParseZoneTime("1h", &t));
  EXPECT_EQ(t, 3600u);
  EXPECT_TRUE(ParseZoneTime("2W", &t));
  EXPECT_EQ(t, 14u * 24 * 3600);
  EXPECT_FALSE(ParseZoneTime("5x", &t));
  EXPECT_FALSE(ParseZoneTime("9999999999", &t));
  EXPECT_FALSE(ParseZoneTime("", &t));

  absl::Time when;
  EXPECT_TRUE(ParseZoneTimestamp("2026:12:05:10:30", &when));
  EXPECT_EQ(when, absl::FromCivil(absl::CivilSecond(2026, 12, 5, 10, 30, 0),
                                  absl::UTCTimeZone()));
  EXPECT_TRUE(ParseZoneTimestamp("20261205", &when));
  EXPECT_EQ(when,
            absl::FromCivil(absl::CivilDay(2026, 12, 5), absl::UTCTimeZone()));
  EXPECT_TRUE(ParseZoneTimestamp("0", &when));
  EXPECT_EQ(when, absl::InfinitePast());
  EXPECT_FALSE(ParseZoneTimestamp("2026:02:30", &when));  // No such day.
  EXPECT_FALSE(ParseZoneTimestamp("2026:12:05x", &when));
}

}  // namespace
}  // namespace dnsbl

#include "dnsbl/localzone/local_resolver.h"

#include <optional>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fakes.h"

namespace dnsbl {
namespace {

using ::testing::ElementsAre;

LocalZone Zone(const char* name, DatasetType type, const char* text) {
  absl::StatusOr<std::shared_ptr<const ZoneData>> data =
      ParseZoneData(type, text, "t.zone", absl::FromUnixSeconds(1796083200));
  EXPECT_TRUE(data.ok()) << data.status();
  return LocalZone{name, *data, "t.zone"};
}

TEST(AnswerLocallyTest, AnswersAsRbldnsd) {
  LocalZone z = Zone("bl.test", DatasetType::kIp4Set,
                     ":127.0.0.3:listed $\n192.0.2.7\n192.0.2.8 :4:\n");
  DnsResponse a = AnswerLocally(z, "7.2.0.192.bl.test", RecordType::kA);
  EXPECT_EQ(a.outcome, DnsOutcome::kAnswer);
  EXPECT_THAT(a.records, ElementsAre("127.0.0.3"));
  EXPECT_EQ(a.ttl, 2100);
  EXPECT_EQ(a.data_file, "t.zone");
  DnsResponse txt = AnswerLocally(z, "7.2.0.192.BL.TEST.", RecordType::kTxt);
  EXPECT_THAT(txt.records, ElementsAre("listed 192.0.2.7"));
  // Listed without TXT: NODATA for TXT.
  EXPECT_EQ(AnswerLocally(z, "8.2.0.192.bl.test", RecordType::kTxt).outcome,
            DnsOutcome::kNoData);
  EXPECT_EQ(AnswerLocally(z, "9.2.0.192.bl.test", RecordType::kA).outcome,
            DnsOutcome::kNxDomain);
  EXPECT_EQ(AnswerLocally(z, "bl.test", RecordType::kA).outcome,
            DnsOutcome::kNoData);
  EXPECT_EQ(AnswerLocally(z, "www.bl.test", RecordType::kA).outcome,
            DnsOutcome::kNxDomain);
  EXPECT_EQ(AnswerLocally(z, "1.7.2.0.192.bl.test", RecordType::kA).outcome,
            DnsOutcome::kNxDomain);
}

TEST(AnswerLocallyTest, Ipv6NamesWithDigitNibbles) {
  // Found by UBSan: an IPv6 name whose first labels are all digits.
  LocalZone z = Zone("six.test", DatasetType::kIp6Trie, "2001:db8::/32\n");
  const IpAddress ip = *IpAddress::Parse("2001:db8::1234");
  DnsResponse a = AnswerLocally(z, ip.QueryName("six.test"), RecordType::kA);
  EXPECT_EQ(a.outcome, DnsOutcome::kAnswer);
  EXPECT_THAT(a.records, ElementsAre("127.0.0.2"));
}

TEST(LocalZoneResolverTest, LocalAnswersArriveInPollOthersAreForwarded) {
  auto inner = std::make_shared<testing::FakeResolver>();
  DnsResponse nx;
  nx.outcome = DnsOutcome::kNxDomain;
  inner->Set("1.0.0.127.other.test", RecordType::kA, nx);
  LocalZoneResolver r({Zone("bl.test", DatasetType::kIp4Set, "127.0.0.2\n")},
                      inner);
  std::optional<DnsResponse> local, forwarded;
  r.Lookup("2.0.0.127.bl.test", RecordType::kA,
           [&](DnsResponse d) { local = std::move(d); });
  r.Lookup("1.0.0.127.other.test", RecordType::kA,
           [&](DnsResponse d) { forwarded = std::move(d); });
  EXPECT_FALSE(local.has_value());  // Never inside Lookup().
  EXPECT_EQ(r.NextTimeout(), absl::ZeroDuration());
  while (r.pending() > 0) r.Poll(absl::Milliseconds(10));
  ASSERT_TRUE(local.has_value());
  EXPECT_EQ(local->outcome, DnsOutcome::kAnswer);
  ASSERT_TRUE(forwarded.has_value());
  EXPECT_EQ(forwarded->outcome, DnsOutcome::kNxDomain);
  EXPECT_EQ(r.answered_locally(), 1u);
  EXPECT_EQ(inner->asked().size(), 1u);
}

TEST(LocalZoneSpecTest, BadSpecsAreNamed) {
  EXPECT_FALSE(ParseLocalZoneSpec("bl.test:ip4set").ok());
  absl::StatusOr<LocalZoneSpec> spec =
      ParseLocalZoneSpec("BL.Test.:ip4set:/a.zone,/b.zone");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->zone, "bl.test");
  EXPECT_EQ(spec->data, "ip4set:/a.zone,/b.zone");
  EXPECT_FALSE(LoadLocalZone("bl.test", "dnset:/x").ok());
  EXPECT_EQ(LoadLocalZone("bl.test", "ip4set:/nonexistent").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace dnsbl

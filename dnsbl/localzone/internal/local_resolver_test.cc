#include "dnsbl/localzone/internal/local_resolver.h"

#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
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
  return LocalZone{name, {*data}, "t.zone"};
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

// One zone from several datasets, as rbldnsd serves
// "bl.test:ip4set:a bl.test:ip4set:b bl.test:ip6trie:c" (checked by hand
// with rbldnsd 0.998b; the differential test holds the rest).
TEST(CombinedZoneTest, EveryDatasetAnswersEachRecordOnce) {
  const std::string dir = ::testing::TempDir();
  const std::string a = dir + "/a.zone";
  const std::string b = dir + "/b.zone";
  const std::string c = dir + "/c.zone";
  std::ofstream(a) << ":2:first\n10.0.0.0/24\n!10.0.0.5\n10.0.0.9 :3:nine\n";
  std::ofstream(b) << "$TTL 60\n:2:second\n10.0.0.1\n10.0.0.5\n10.0.0.9\n"
                   << "10.0.0.7 :4:\n10.0.0.8 :2:first\n";
  std::ofstream(c) << "$SOA 60 ns.bl.test. hm.bl.test. 1 2 3 4 5\n"
                   << "2001:db8::/64 :5:v6\n";
  absl::StatusOr<LocalZone> z = LoadLocalZone(
      "bl.test", absl::StrCat("ip4set:", a, " ip4set:", b, "  ip6trie:", c),
      absl::FromUnixSeconds(1796083200));
  ASSERT_TRUE(z.ok()) << z.status();
  EXPECT_EQ(z->datasets.size(), 3u);
  EXPECT_EQ(z->files, absl::StrCat(a, ",", b, ",", c));
  auto ask = [&](const char* address, RecordType type) {
    return AnswerAddressLocally(*z, *IpAddress::Parse(address), type);
  };
  // Both list it with the same A value: one A, both TXT; the smaller TTL.
  EXPECT_THAT(ask("10.0.0.1", RecordType::kA).records,
              ElementsAre("127.0.0.2"));
  EXPECT_EQ(ask("10.0.0.1", RecordType::kA).ttl, 60);
  EXPECT_THAT(ask("10.0.0.1", RecordType::kTxt).records,
              ElementsAre("first", "second"));
  // Excluded in the first, listed in the second.
  EXPECT_THAT(ask("10.0.0.5", RecordType::kTxt).records, ElementsAre("second"));
  // Two values, in dataset order.
  EXPECT_THAT(ask("10.0.0.9", RecordType::kA).records,
              ElementsAre("127.0.0.3", "127.0.0.2"));
  EXPECT_THAT(ask("10.0.0.7", RecordType::kA).records,
              ElementsAre("127.0.0.2", "127.0.0.4"));
  // The same TXT text from two datasets: once.
  EXPECT_THAT(ask("10.0.0.8", RecordType::kTxt).records, ElementsAre("first"));
  // Only the first: its own TTL.
  EXPECT_EQ(ask("10.0.0.2", RecordType::kA).ttl, 2100);
  EXPECT_THAT(ask("2001:db8::1", RecordType::kA).records,
              ElementsAre("127.0.0.5"));
  // Lists(): any dataset, whatever another excludes.
  EXPECT_TRUE(z->Lists(*IpAddress::Parse("10.0.0.5")));
  EXPECT_TRUE(z->Lists(*IpAddress::Parse("2001:db8::1")));
  EXPECT_FALSE(z->Lists(*IpAddress::Parse("10.0.1.1")));
  DnsResponse none = ask("10.0.1.1", RecordType::kA);
  EXPECT_EQ(none.outcome, DnsOutcome::kNxDomain);
  EXPECT_EQ(none.soa_owner, "bl.test");  // The third dataset's $SOA.
  // Asked by name, the same.
  EXPECT_EQ(AnswerLocally(*z, "9.0.0.10.bl.test", RecordType::kA).records,
            ask("10.0.0.9", RecordType::kA).records);
  EXPECT_FALSE(LoadLocalZone("bl.test", "  ", absl::Now()).ok());
}

TEST(LocalZoneSpecTest, BadSpecsAreNamed) {
  EXPECT_FALSE(ParseLocalZoneSpec("bl.test:ip4set").ok());
  absl::StatusOr<LocalZoneSpec> spec =
      ParseLocalZoneSpec("BL.Test.:ip4set:/a.zone,/b.zone");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->zone, "bl.test");
  EXPECT_EQ(spec->data, "ip4set:/a.zone,/b.zone");
  EXPECT_FALSE(LoadLocalZone("bl.test", "dnset:/x", absl::Now()).ok());
  EXPECT_EQ(LoadLocalZone("bl.test", "ip4set:/nonexistent", absl::Now())
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST(LoadLocalZonesTest, KeepsOrderAndNamesTheFirstFailure) {
  const std::string dir = ::testing::TempDir();
  std::vector<LocalZoneSpec> specs;
  for (int i = 0; i < 6; ++i) {
    const std::string path = absl::StrCat(dir, "/z", i, ".zone");
    std::ofstream(path) << absl::StrCat("192.0.2.", i, "\n");
    specs.push_back({absl::StrCat("z", i, ".test"), "ip4set:" + path});
  }
  absl::StatusOr<std::vector<LocalZone>> zones =
      LoadLocalZones(specs, absl::Now());
  ASSERT_TRUE(zones.ok()) << zones.status();
  ASSERT_EQ(zones->size(), specs.size());
  for (int i = 0; i < 6; ++i) {
    const LocalZone& z = (*zones)[i];
    EXPECT_EQ(z.zone, specs[i].zone);
    const IpAddress mine = *IpAddress::Parse(absl::StrCat("192.0.2.", i));
    const IpAddress other = *IpAddress::Parse(absl::StrCat("192.0.2.", i + 1));
    EXPECT_EQ(AnswerAddressLocally(z, mine, RecordType::kA).outcome,
              DnsOutcome::kAnswer);
    EXPECT_EQ(AnswerAddressLocally(z, other, RecordType::kA).outcome,
              DnsOutcome::kNxDomain);
  }
  // Two bad specs: the error is the first one's, whichever thread ran it.
  specs[4].data = "ip4set:/nonexistent/four";
  specs[2].data = "nosuchtype:/x";
  absl::StatusOr<std::vector<LocalZone>> failed =
      LoadLocalZones(specs, absl::Now());
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(failed.status().message()),
              ::testing::HasSubstr("nosuchtype"));
  EXPECT_TRUE(LoadLocalZones({}, absl::Now()).ok());
}

TEST(AnswerAddressLocallyTest, SameAsAnsweringTheName) {
  LocalZone z = Zone("bl.test", DatasetType::kIp4Set,
                     "$SOA 60 ns.bl.test. hm.bl.test. 1 2 3 4 5\n"
                     ":127.0.0.4:why $\n10.0.0.0/8\n!10.1.2.3\n");
  for (const char* text : {"10.0.0.1", "10.1.2.3", "11.0.0.1"}) {
    const IpAddress ip = *IpAddress::Parse(text);
    for (RecordType type : {RecordType::kA, RecordType::kTxt}) {
      DnsResponse by_name = AnswerLocally(z, ip.QueryName("bl.test"), type);
      DnsResponse direct = AnswerAddressLocally(z, ip, type);
      EXPECT_EQ(direct.outcome, by_name.outcome) << text;
      EXPECT_EQ(direct.records, by_name.records) << text;
      EXPECT_EQ(direct.ttl, by_name.ttl) << text;
      EXPECT_EQ(direct.soa_owner, by_name.soa_owner) << text;
      EXPECT_EQ(direct.data_file, by_name.data_file) << text;
    }
  }
  EXPECT_THAT(
      AnswerAddressLocally(z, *IpAddress::Parse("10.0.0.1"), RecordType::kTxt)
          .records,
      ElementsAre("why 10.0.0.1"));
  EXPECT_EQ(
      AnswerAddressLocally(z, *IpAddress::Parse("10.1.2.3"), RecordType::kA)
          .soa_owner,
      "bl.test");
}

}  // namespace
}  // namespace dnsbl

namespace dnsbl {
namespace {

// Without an inner resolver nothing leaves the process: a name outside the
// local zones fails, never "not listed".
TEST(LocalZoneResolverTest, LocalOnlyFailsEveryOtherName) {
  LocalZoneResolver r({Zone("bl.test", DatasetType::kIp4Set, "127.0.0.2\n")},
                      nullptr);
  std::optional<DnsResponse> local, other;
  r.Lookup("2.0.0.127.bl.test", RecordType::kA,
           [&](DnsResponse d) { local = std::move(d); });
  r.Lookup("2.0.0.127.other.test", RecordType::kA,
           [&](DnsResponse d) { other = std::move(d); });
  EXPECT_EQ(r.pending(), 2u);
  EXPECT_TRUE(r.Descriptors().empty());
  while (r.pending() > 0) r.Poll(absl::Milliseconds(10));
  ASSERT_TRUE(local.has_value() && other.has_value());
  EXPECT_EQ(local->outcome, DnsOutcome::kAnswer);
  EXPECT_EQ(other->outcome, DnsOutcome::kOtherError);
  EXPECT_THAT(other->error, ::testing::HasSubstr("local zone data only"));
  EXPECT_EQ(r.NextTimeout(), absl::InfiniteDuration());
  EXPECT_EQ(r.Describe(), "local zone data");
}

}  // namespace
}  // namespace dnsbl

#include "dnsbl/localzone/internal/zone_data.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

std::shared_ptr<const ZoneData> Parse(DatasetType type, const char* text) {
  absl::StatusOr<std::shared_ptr<const ZoneData>> data =
      ParseZoneData(type, text, "test.zone", absl::FromUnixSeconds(1796083200));
  EXPECT_TRUE(data.ok()) << data.status();
  return *data;
}

// "A TXT" of each record, for compact expectations.
std::vector<std::string> Answer(const ZoneData& data, const char* ip) {
  std::vector<std::string> out;
  for (const LocalAnswer::Record& r : data.Lookup(Ip(ip)).records) {
    out.push_back(absl::StrCat(r.a >> 24, ".", (r.a >> 16) & 255, ".",
                               (r.a >> 8) & 255, ".", r.a & 255,
                               r.txt.empty() ? "" : " ", r.txt));
  }
  return out;
}

// The range forms of `man rbldnsd` (ip4set): each line lists exactly
// 127.0.0.0/24 or 127.16.0.0/12.
TEST(ZoneDataTest, Ip4SetRangeFormsOfTheManual) {
  for (const char* form : {"127.0.0.0/24", "127.0.0", "127/24",
                           "127.0.0.0-127.0.0.255", "127.0.0.1-255"}) {
    SCOPED_TRACE(form);
    auto d = Parse(DatasetType::kIp4Set, form);
    const bool from_one = std::string(form) == "127.0.0.1-255";
    EXPECT_EQ(Answer(*d, "127.0.0.0").size(), from_one ? 0u : 1u);
    EXPECT_EQ(Answer(*d, "127.0.0.255").size(), 1u);
    EXPECT_TRUE(Answer(*d, "127.0.1.0").empty());
  }
  // The manual also lists "127-127.0.0", but rbldnsd (20210120) refuses
  // it as an invalid address (the two ends must be of one length, or the
  // second a single octet); so does this reader.
  auto refused = Parse(DatasetType::kIp4Set, "127-127.0.0");
  EXPECT_TRUE(Answer(*refused, "127.0.0.5").empty());
  EXPECT_EQ(refused->warnings().size(), 1u);
  for (const char* form :
       {"127.16.0.0-127.31.255.255", "127.16.0-127.31.255", "127.16-127.31",
        "127.16-31", "127.16.0.0/12", "127.16.0/12", "127.16/12"}) {
    SCOPED_TRACE(form);
    auto d = Parse(DatasetType::kIp4Set, form);
    EXPECT_EQ(Answer(*d, "127.16.0.0").size(), 1u);
    EXPECT_EQ(Answer(*d, "127.31.255.255").size(), 1u);
    EXPECT_TRUE(Answer(*d, "127.15.255.255").empty());
    EXPECT_TRUE(Answer(*d, "127.32.0.0").empty());
  }
}

TEST(ZoneDataTest, DefaultsValuesAndExclusions) {
  auto d = Parse(DatasetType::kIp4Set,
                 ":127.0.0.2:IP address $ is listed\n"
                 "127.0.0.4\n"
                 "127.0.0.5 :5\n"
                 "127.0.0.6 :6:\n"
                 "127.0.0.7 IP address $ running an open relay\n"
                 "10.0.0.0/8 :3:net\n"
                 "!10.1.2.3\n"
                 "10.1.2.4 # a comment: default value\n");
  EXPECT_THAT(Answer(*d, "127.0.0.4"),
              ElementsAre("127.0.0.2 IP address 127.0.0.4 is listed"));
  EXPECT_THAT(Answer(*d, "127.0.0.5"),
              ElementsAre("127.0.0.5 IP address 127.0.0.5 is listed"));
  EXPECT_THAT(Answer(*d, "127.0.0.6"), ElementsAre("127.0.0.6"));
  EXPECT_THAT(Answer(*d, "127.0.0.7"),
              ElementsAre("127.0.0.2 IP address 127.0.0.7 running an open "
                          "relay"));
  EXPECT_THAT(Answer(*d, "10.9.9.9"), ElementsAre("127.0.0.3 net"));
  EXPECT_TRUE(Answer(*d, "10.1.2.3").empty());  // Excluded.
  EXPECT_THAT(Answer(*d, "10.1.2.4"),
              ElementsAre("127.0.0.2 IP address 10.1.2.4 is listed"));
  EXPECT_EQ(d->ttl(), 2100);
}

TEST(ZoneDataTest, SubstitutionVariablesAndBaseTemplate) {
  auto d = Parse(DatasetType::kIp4Set,
                 "$1 See http://www.example.com/bl\n"
                 "$2 for details\n"
                 "$1 ignored: the first assignment wins\n"
                 "127.0.0.2  $1/spammer/$ $2\n"
                 "127.0.0.3  $1/relay/$ $2\n"
                 "127.0.0.4  This spammer wants some $$$$.  $1/$\n"
                 "127.0.0.5  unset $7 stays\n");
  EXPECT_THAT(Answer(*d, "127.0.0.2"),
              ElementsAre("127.0.0.2 See http://www.example.com/bl/spammer/"
                          "127.0.0.2 for details"));
  EXPECT_THAT(Answer(*d, "127.0.0.4"),
              ElementsAre("127.0.0.2 This spammer wants some $$.  See "
                          "http://www.example.com/bl/127.0.0.4"));
  EXPECT_THAT(Answer(*d, "127.0.0.5"), ElementsAre("127.0.0.2 unset $7 stays"));
  auto base = Parse(DatasetType::kIp4Set,
                    "$= See http://www.example.com/bl?$= ($) for details\n"
                    "127.0.0.2    r123\n"
                    "127.0.0.3\n"
                    "127.0.0.4    =See other blocklists for details about $\n");
  EXPECT_THAT(Answer(*base, "127.0.0.2"),
              ElementsAre("127.0.0.2 See http://www.example.com/bl?r123 "
                          "(127.0.0.2) for details"));
  EXPECT_THAT(Answer(*base, "127.0.0.3"),
              ElementsAre("127.0.0.2 See http://www.example.com/bl?127.0.0.3 "
                          "(127.0.0.3) for details"));
  EXPECT_THAT(Answer(*base, "127.0.0.4"),
              ElementsAre("127.0.0.2 See other blocklists for details about "
                          "127.0.0.4"));
}

TEST(ZoneDataTest, Ip6TrieExampleOfTheManual) {
  auto d = Parse(DatasetType::kIp6Trie,
                 ":127.0.1.2: Listed, see http://example.com/lookup?$\n"
                 "2001:21ab:c000/36\n"
                 "2001:21ab:def7:4242 :127.0.1.3: This one smells funny\n"
                 "2605:6001:42::/52\n"
                 "::1\n"
                 "!2605:6001:42::bead\n");
  EXPECT_THAT(Answer(*d, "2001:21ab:c000::1"),
              ElementsAre("127.0.1.2 Listed, see "
                          "http://example.com/lookup?2001:21ab:c000::1"));
  EXPECT_THAT(Answer(*d, "2001:21ab:def7:4242:1:2:3:4"),
              ElementsAre("127.0.1.3 This one smells funny"));
  EXPECT_EQ(Answer(*d, "::1").size(), 1u);
  EXPECT_TRUE(Answer(*d, "2605:6001:42::bead").empty());
  EXPECT_EQ(Answer(*d, "2605:6001:42::beef").size(), 1u);
  EXPECT_TRUE(Answer(*d, "2001:21ab:b000::1").empty());
}

TEST(ZoneDataTest, TrivialSetsUseTheirFirstDefault) {
  auto v4 =
      Parse(DatasetType::kIp4TSet, ":3:first\n:4:second\n192.0.2.1\n192.0.2\n");
  EXPECT_THAT(Answer(*v4, "192.0.2.1"), ElementsAre("127.0.0.3 first"));
  EXPECT_TRUE(Answer(*v4, "192.0.2.0").empty());  // Not a full address.
  ASSERT_EQ(v4->warnings().size(), 1u);
  EXPECT_THAT(v4->warnings()[0], HasSubstr("test.zone:4: invalid address"));
  auto v6 = Parse(DatasetType::kIp6TSet,
                  "2001:20fe:23:41ed\n!2001:20fe:23:41ed::2\n2001:db8::/64\n");
  EXPECT_THAT(Answer(*v6, "2001:20fe:23:41ed::1"), ElementsAre("127.0.0.2"));
  EXPECT_TRUE(Answer(*v6, "2001:20fe:23:41ed::2").empty());
  EXPECT_EQ(v6->warnings().size(), 1u);
}

TEST(ZoneDataTest, SpecialsAndLeniency) {
  auto d = Parse(DatasetType::kIp4Trie,
                 "$TTL 1h\n"
                 "$SOA 0 ns.example. admin.example. 0 2h 2h 1w 1h\n"
                 "$MAXRANGE4 /16\n"
                 "10.0.0.0/8\n"  // Too large: skipped.
                 "192.0.2.0/24 :2:a\n"
                 "192.0.2.0/24 :3:b\n"  // Duplicate prefix: first wins.
                 "192.0.2.1/24\n"       // Host bits: skipped.
                 "192.0.2.128/25 :4:c\n"
                 "bogus line\n");
  EXPECT_EQ(d->ttl(), 3600);
  EXPECT_TRUE(d->has_soa());
  EXPECT_TRUE(Answer(*d, "10.1.1.1").empty());
  EXPECT_THAT(Answer(*d, "192.0.2.5"), ElementsAre("127.0.0.2 a"));
  EXPECT_THAT(Answer(*d, "192.0.2.200"), ElementsAre("127.0.0.4 c"));
  EXPECT_EQ(d->warnings().size(), 3u);  // Range, host bits, bogus line.
  absl::StatusOr<std::shared_ptr<const ZoneData>> future =
      ParseZoneData(DatasetType::kIp4Set, "$TIMESTAMP 2099:01:01\n", "f.zone",
                    absl::FromUnixSeconds(1796083200));
  EXPECT_THAT(future.status().message(), HasSubstr("f.zone:1"));
}

TEST(ZoneDataTest, EmptyDatasetsListNothing) {
  // Found by the zone_data fuzz target: an ip4tset without entries.
  for (DatasetType t :
       {DatasetType::kIp4Set, DatasetType::kIp4TSet, DatasetType::kIp4Trie,
        DatasetType::kIp6Trie, DatasetType::kIp6TSet}) {
    auto d = Parse(t, "# nothing\n:3:default only\n");
    EXPECT_TRUE(Answer(*d, "10.0.0.1").empty());
    EXPECT_TRUE(Answer(*d, "2001:db8::1").empty());
  }
}

TEST(ZoneDataTest, MissingFileIsNamed) {
  absl::StatusOr<std::shared_ptr<const ZoneData>> d =
      LoadZoneData(DatasetType::kIp4Set, {"/nonexistent/bl.zone"}, absl::Now());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(d.status().message(), HasSubstr("/nonexistent/bl.zone"));
  EXPECT_FALSE(ParseDatasetType("dnset").ok());
}

}  // namespace
}  // namespace dnsbl

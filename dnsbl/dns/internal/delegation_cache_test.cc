#include "dnsbl/dns/internal/delegation_cache.h"

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1800000000);
constexpr char kPrint[] = "0123456789abcdef";

Delegation Make(const std::string& zone, absl::Duration left,
                const std::string& address = "192.0.2.53") {
  Delegation d;
  d.zone = zone;
  d.cut = zone;
  d.servers = {{absl::StrCat("ns1.", zone), {*IpAddress::Parse(address)}}};
  d.expires = kNow + left;
  return d;
}

std::string TempPath(const std::string& name) {
  return absl::StrCat(std::getenv("TEST_TMPDIR"), "/", name);
}

TEST(DelegationCacheTest, WhatIsWrittenIsReadBack) {
  const std::string path = TempPath("round/trip/delegations");
  DelegationCacheContents contents;
  contents.delegations = {Make("bl.example", absl::Hours(1)),
                          Make("zen.example", absl::Minutes(5), "::1")};
  contents.delegations[1].cut = "example";
  contents.delegations[1].servers.push_back(
      {"ns2.example", {*IpAddress::Parse("127.0.0.21")}});
  ASSERT_TRUE(WriteDelegationCache(path, kPrint, contents, kNow).ok());
  absl::StatusOr<DelegationCacheContents> read =
      ReadDelegationCache(path, kPrint, kNow);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->delegations.size(), 2u);
  EXPECT_EQ(read->delegations[0], contents.delegations[0]);
  EXPECT_EQ(read->delegations[1], contents.delegations[1]);
  EXPECT_EQ(read->root_unreachable_until, absl::InfinitePast());

  // An hour later, only the longer one holds.
  read = ReadDelegationCache(path, kPrint, kNow + absl::Minutes(30));
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->delegations.size(), 1u);
  EXPECT_EQ(read->delegations[0].zone, "bl.example");
}

TEST(DelegationCacheTest, AMissingFileIsAnEmptyCache) {
  absl::StatusOr<DelegationCacheContents> read =
      ReadDelegationCache(TempPath("nothing/here"), kPrint, kNow);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(read->delegations.empty());
}

TEST(DelegationCacheTest, ADamagedOrForeignFileIsRefusedWhole) {
  const std::string good =
      "format: \"dnsbl delegation cache 1\"\n"
      "root_hints: \"0123456789abcdef\"\n";
  const std::string entry_head =
      "delegation { zone: \"bl.example\" cut: \"bl.example\" expires: ";
  const std::string server =
      " server { name: \"ns1.bl.example\" address: \"127.0.0.20\" } }\n";
  const int64_t in_an_hour = absl::ToUnixSeconds(kNow + absl::Hours(1));
  struct Case {
    std::string text;
    absl::StatusCode code;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"\x7f\x45LF garbage", absl::StatusCode::kDataLoss, "damaged"},
      {"format: \"something else\"\n", absl::StatusCode::kDataLoss,
       "something else"},
      {"format: \"dnsbl delegation cache 1\"\nroot_hints: \"other\"\n",
       absl::StatusCode::kFailedPrecondition, "other root hints"},
      {absl::StrCat(good, entry_head, in_an_hour,
                    " server { name: \"ns1.bl.example\" address: \"300.1.1.1\" "
                    "} }\n"),
       absl::StatusCode::kDataLoss, "not an address"},
      {absl::StrCat(good,
                    "delegation { zone: \"bl.example\" cut: \"other.example\" "
                    "expires: ",
                    in_an_hour, server),
       absl::StatusCode::kDataLoss, "not above it"},
      {absl::StrCat(good, entry_head,
                    absl::ToUnixSeconds(kNow + absl::Hours(48)), server),
       absl::StatusCode::kDataLoss, "more than a day"},
      {absl::StrCat(good, entry_head, in_an_hour, server, entry_head,
                    in_an_hour, server),
       absl::StatusCode::kDataLoss, "twice"},
      {absl::StrCat(good, entry_head, in_an_hour, " }\n"),
       absl::StatusCode::kDataLoss, "no server"},
      {absl::StrCat(good, "delegation { zone: \"bad..name\" expires: ",
                    in_an_hour, server),
       absl::StatusCode::kDataLoss, "not a zone name"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<DelegationCacheContents> read =
        ParseDelegationCache(c.text, kPrint, kNow);
    ASSERT_FALSE(read.ok()) << c.text;
    EXPECT_EQ(read.status().code(), c.code) << read.status();
    EXPECT_THAT(read.status().message(), HasSubstr(c.message)) << c.text;
  }
  // The well-formed one of them parses.
  absl::StatusOr<DelegationCacheContents> read = ParseDelegationCache(
      absl::StrCat(good, entry_head, in_an_hour, server), kPrint, kNow);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->delegations.size(), 1u);
}

TEST(DelegationCacheTest, ADamagedFileIsReplacedByTheNextWrite) {
  const std::string path = TempPath("damaged");
  std::ofstream(path) << "delegation { zone: ";
  EXPECT_FALSE(ReadDelegationCache(path, kPrint, kNow).ok());
  DelegationCacheContents contents;
  contents.delegations = {Make("bl.example", absl::Hours(1))};
  ASSERT_TRUE(WriteDelegationCache(path, kPrint, contents, kNow).ok());
  absl::StatusOr<DelegationCacheContents> read =
      ReadDelegationCache(path, kPrint, kNow);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->delegations.size(), 1u);
}

TEST(DelegationCacheTest, WritesMergeAndTheLongerDelegationWins) {
  const std::string path = TempPath("merge");
  DelegationCacheContents first;
  first.delegations = {Make("a.example", absl::Hours(2)),
                       Make("b.example", absl::Hours(1))};
  ASSERT_TRUE(WriteDelegationCache(path, kPrint, first, kNow).ok());
  DelegationCacheContents second;
  second.delegations = {Make("a.example", absl::Hours(1), "127.0.0.9"),
                        Make("b.example", absl::Hours(3), "127.0.0.8"),
                        Make("c.example", absl::Hours(1))};
  second.root_unreachable_until = kNow + absl::Hours(1);
  ASSERT_TRUE(WriteDelegationCache(path, kPrint, second, kNow).ok());
  absl::StatusOr<DelegationCacheContents> read =
      ReadDelegationCache(path, kPrint, kNow);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->delegations.size(), 3u);
  EXPECT_EQ(read->delegations[0], first.delegations[0]);   // a: 2 h > 1 h
  EXPECT_EQ(read->delegations[1], second.delegations[1]);  // b: 3 h > 1 h
  EXPECT_EQ(read->delegations[2].zone, "c.example");
  EXPECT_EQ(read->root_unreachable_until, kNow + absl::Hours(1));
}

TEST(DelegationCacheTest, ConcurrentWritersLoseNothingAndNeverTearTheFile) {
  const std::string path = TempPath("concurrent");
  constexpr int kWriters = 6;
  constexpr int kRounds = 15;
  std::vector<std::thread> threads;
  std::atomic<int> torn{0};
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int r = 0; r < kRounds; ++r) {
        DelegationCacheContents contents;
        contents.delegations = {
            Make(absl::StrCat("z", w, "-", r, ".example"), absl::Hours(1))};
        EXPECT_TRUE(WriteDelegationCache(path, kPrint, contents, kNow).ok());
        absl::StatusOr<DelegationCacheContents> read =
            ReadDelegationCache(path, kPrint, kNow);
        if (!read.ok()) ++torn;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(torn.load(), 0);
  absl::StatusOr<DelegationCacheContents> read =
      ReadDelegationCache(path, kPrint, kNow);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->delegations.size(), size_t{kWriters * kRounds});
}

}  // namespace
}  // namespace dnsbl

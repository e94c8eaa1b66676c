#include "dnsbl/dns/server_selection.h"

#include <map>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/fakes.h"

namespace dnsbl {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1800000000);
const std::vector<std::string> kServers = {"192.0.2.1", "192.0.2.2",
                                           "192.0.2.3"};

TEST(ServerSelectionTest, TriesEveryServerThenKeepsToTheFastest) {
  testing::FakeClock clock(kStart);
  ServerSelection selection(&clock);
  const std::map<std::string, absl::Duration> rtt = {
      {"192.0.2.1", absl::Milliseconds(40)},
      {"192.0.2.2", absl::Milliseconds(5)},
      {"192.0.2.3", absl::Milliseconds(80)}};
  std::map<std::string, int> chosen;
  for (int i = 0; i < 200; ++i) {
    std::optional<std::string> s = selection.Choose("bl.example", kServers, {});
    ASSERT_TRUE(s.has_value());
    ++chosen[*s];
    selection.Answered(*s, rtt.at(*s));
  }
  // Every server measured; the fastest asked nearly always; the slow ones
  // now and then, as their times decay.
  EXPECT_EQ(chosen.size(), 3u);
  EXPECT_GT(chosen["192.0.2.2"], 170);
  EXPECT_GE(chosen["192.0.2.1"], 2);
  EXPECT_LT(*selection.SmoothedRtt("192.0.2.2"), absl::Milliseconds(6));
}

TEST(ServerSelectionTest, LeavesADeadServerAloneForAWhile) {
  testing::FakeClock clock(kStart);
  ServerSelection selection(&clock);
  selection.Answered("192.0.2.1", absl::Milliseconds(1));
  selection.Answered("192.0.2.2", absl::Milliseconds(50));
  selection.Dead("192.0.2.1");
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(*selection.Choose("z", {"192.0.2.1", "192.0.2.2"}, {}),
              "192.0.2.2");
  }
  clock.Set(kStart + kDeadServerTime + absl::Seconds(1));
  EXPECT_EQ(*selection.Choose("z", {"192.0.2.1", "192.0.2.2"}, {}),
            "192.0.2.1");
}

TEST(ServerSelectionTest, LamenessIsPerZone) {
  testing::FakeClock clock(kStart);
  ServerSelection selection(&clock);
  selection.Answered("192.0.2.1", absl::Milliseconds(1));
  selection.Answered("192.0.2.2", absl::Milliseconds(50));
  selection.Lame("a.example", "192.0.2.1");
  EXPECT_EQ(*selection.Choose("a.example", {"192.0.2.1", "192.0.2.2"}, {}),
            "192.0.2.2");
  EXPECT_EQ(*selection.Choose("b.example", {"192.0.2.1", "192.0.2.2"}, {}),
            "192.0.2.1");
}

TEST(ServerSelectionTest, ExcludesAndAvoidsServersAlreadyAsked) {
  testing::FakeClock clock(kStart);
  ServerSelection selection(&clock);
  selection.Answered("192.0.2.1", absl::Milliseconds(1));
  selection.Answered("192.0.2.2", absl::Milliseconds(50));
  EXPECT_EQ(*selection.Choose("z", {"192.0.2.1", "192.0.2.2"}, {"192.0.2.1"}),
            "192.0.2.2");
  EXPECT_EQ(
      *selection.Choose("z", {"192.0.2.1", "192.0.2.2"}, {}, {"192.0.2.1"}),
      "192.0.2.2");
  // Avoided, but the only one left.
  EXPECT_EQ(*selection.Choose("z", {"192.0.2.1"}, {}, {"192.0.2.1"}),
            "192.0.2.1");
  EXPECT_FALSE(selection.Choose("z", {"192.0.2.1"}, {"192.0.2.1"}).has_value());
}

TEST(ServerSelectionTest, WhenAllArePenalizedTheFirstToRecoverIsAsked) {
  testing::FakeClock clock(kStart);
  ServerSelection selection(&clock);
  selection.Dead("192.0.2.1");
  clock.Set(kStart + absl::Seconds(10));
  selection.Dead("192.0.2.2");
  EXPECT_EQ(*selection.Choose("z", {"192.0.2.2", "192.0.2.1"}, {}),
            "192.0.2.1");
}

}  // namespace
}  // namespace dnsbl

#include "dnsbl/dns/internal/server_selection.h"

#include <map>
#include <optional>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "tests/fakes.h"

namespace dnsbl {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1800000000);
const std::vector<int> kServers = {1, 2, 3};

TEST(ServerSelectionTest, TriesEveryServerThenKeepsToTheFastest) {
  testing::FakeClock clock(kStart);
  ServerSelection selection(&clock);
  const std::map<int, absl::Duration> rtt = {{1, absl::Milliseconds(40)},
                                             {2, absl::Milliseconds(5)},
                                             {3, absl::Milliseconds(80)}};
  std::map<int, int> chosen;
  for (int i = 0; i < 200; ++i) {
    std::optional<int> s = selection.Choose(0, kServers, {});
    ASSERT_TRUE(s.has_value());
    ++chosen[*s];
    selection.Answered(*s, rtt.at(*s));
  }
  // Every server measured at once, then the fastest asked.
  EXPECT_EQ(chosen.size(), 3u);
  EXPECT_GE(chosen[2], 197);
  EXPECT_LT(*selection.SmoothedRtt(2), absl::Milliseconds(6));
  EXPECT_FALSE(selection.SmoothedRtt(7).has_value());
}

// Flitting between servers of one speed would wake a sleeping server for
// each question: a zone keeps to one, and now and then chooses afresh.
TEST(ServerSelectionTest, KeepsToOneOfServersOfTheSameSpeed) {
  testing::FakeClock clock(kStart);
  ServerSelection selection(&clock);
  std::minstd_rand noise(7);
  int switches = 0;
  std::optional<int> last;
  std::map<int, int> chosen;
  for (int i = 0; i < 5000; ++i) {
    std::optional<int> s = selection.Choose(0, {1, 2}, {});
    ASSERT_TRUE(s.has_value());
    if (last.has_value() && *last != *s) ++switches;
    last = s;
    ++chosen[*s];
    selection.Answered(
        *s, absl::Microseconds(
                100 + std::uniform_int_distribution<int>(0, 40)(noise)));
  }
  EXPECT_LE(switches, 12);
  EXPECT_EQ(chosen.size(), 2u);  // Both measured.
}

TEST(ServerSelectionTest, LeavesADeadServerAloneForAWhile) {
  testing::FakeClock clock(kStart);
  ServerSelection selection(&clock);
  selection.Answered(1, absl::Milliseconds(1));
  selection.Answered(2, absl::Milliseconds(50));
  selection.Dead(1);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(*selection.Choose(0, {1, 2}, {}), 2);
  }
  clock.Set(kStart + kDeadServerTime + absl::Seconds(1));
  EXPECT_EQ(*selection.Choose(0, {1, 2}, {}), 1);
}

TEST(ServerSelectionTest, LamenessIsPerZone) {
  testing::FakeClock clock(kStart);
  ServerSelection selection(&clock);
  selection.Answered(1, absl::Milliseconds(1));
  selection.Answered(2, absl::Milliseconds(50));
  selection.Lame(10, 1);
  EXPECT_EQ(*selection.Choose(10, {1, 2}, {}), 2);
  EXPECT_EQ(*selection.Choose(11, {1, 2}, {}), 1);
}

TEST(ServerSelectionTest, ExcludesAndAvoidsServersAlreadyAsked) {
  testing::FakeClock clock(kStart);
  ServerSelection selection(&clock);
  selection.Answered(1, absl::Milliseconds(1));
  selection.Answered(2, absl::Milliseconds(50));
  EXPECT_EQ(*selection.Choose(0, {1, 2}, {1}), 2);
  EXPECT_EQ(*selection.Choose(0, {1, 2}, {}, {1}), 2);
  // Avoided, but the only one left.
  EXPECT_EQ(*selection.Choose(0, {1}, {}, {1}), 1);
  EXPECT_FALSE(selection.Choose(0, {1}, {1}).has_value());
}

TEST(ServerSelectionTest, WhenAllArePenalizedTheFirstToRecoverIsAsked) {
  testing::FakeClock clock(kStart);
  ServerSelection selection(&clock);
  selection.Dead(1);
  clock.Set(kStart + absl::Seconds(10));
  selection.Dead(2);
  EXPECT_EQ(*selection.Choose(0, {2, 1}, {}), 1);
}

}  // namespace
}  // namespace dnsbl

#include "dnsbl/localzone/internal/prefix_table.h"

#include "gtest/gtest.h"

namespace dnsbl {
namespace {

constexpr uint32_t kNone = 99;

TEST(PrefixTableTest, LongestPrefixWins) {
  PrefixTable t(32);
  t.Add(absl::uint128(0x0a000000u), 8, 1);   // 10/8
  t.Add(absl::uint128(0x0a010000u), 16, 2);  // 10.1/16
  t.Add(absl::uint128(0x0a010200u), 24, 3);  // 10.1.2/24
  t.Finish();
  EXPECT_EQ(t.Longest(absl::uint128(0x0a010203u), kNone), 3u);
  EXPECT_EQ(t.Longest(absl::uint128(0x0a010303u), kNone), 2u);
  EXPECT_EQ(t.Longest(absl::uint128(0x0a020000u), kNone), 1u);
  EXPECT_EQ(t.Longest(absl::uint128(0x0b000000u), kNone), kNone);
  EXPECT_EQ(t.size(), 3u);
  EXPECT_GT(t.MemoryBytes(), 0u);
}

TEST(PrefixTableTest, FirstOfDuplicatesWinsAndZeroLengthMatchesAll) {
  PrefixTable t(128);
  const absl::uint128 net = absl::MakeUint128(0x20010db800000000u, 0);
  t.Add(net, 32, 5);
  t.Add(net, 32, 6);
  t.Add(0, 0, 7);
  t.Finish();
  EXPECT_EQ(t.Longest(net + 1, kNone), 5u);
  EXPECT_EQ(t.Longest(absl::MakeUint128(0x20010db900000000u, 0), kNone), 7u);
  EXPECT_EQ(t.size(), 2u);
}

}  // namespace
}  // namespace dnsbl

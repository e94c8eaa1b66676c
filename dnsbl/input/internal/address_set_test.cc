#include "dnsbl/input/internal/address_set.h"

#include <random>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

IpRange R(const std::string& text) { return *IpRange::Parse(text); }

std::vector<std::string> Texts(const std::vector<IpRange>& ranges) {
  std::vector<std::string> out;
  for (const IpRange& r : ranges) {
    out.push_back(r.first.ToString() + "-" + r.last.ToString());
  }
  return out;
}

TEST(IpRangeTest, ParsesNetworksAndSizes) {
  IpRange r = R("10.0.0.0/8");
  EXPECT_EQ(r.first.ToString(), "10.0.0.0");
  EXPECT_EQ(r.last.ToString(), "10.255.255.255");
  EXPECT_EQ(r.size(), 1u << 24);
  EXPECT_EQ(R("192.0.2.1").size(), 1u);
  EXPECT_EQ(R("0.0.0.0/0").size(), absl::uint128(1) << 32);
  IpRange v6 = R("2001:db8::/126");
  EXPECT_EQ(v6.last.ToString(), "2001:db8::3");
  EXPECT_EQ(R("::/0").size(), absl::Uint128Max());
}

TEST(IpRangeTest, RejectsBadNetworks) {
  EXPECT_THAT(IpRange::Parse("1.2.3.4/33").status().message(),
              ::testing::HasSubstr("from 0 to 32"));
  EXPECT_THAT(IpRange::Parse("10.1.0.0/8").status().message(),
              ::testing::HasSubstr("did you mean 10.0.0.0/8?"));
  EXPECT_THAT(IpRange::Parse("::/129").status().message(),
              ::testing::HasSubstr("from 0 to 128"));
  EXPECT_FALSE(IpRange::Parse("1.2.3.0/").ok());
  EXPECT_FALSE(IpRange::Parse("1.2.3.0/x").ok());
  EXPECT_FALSE(IpRange::Parse("1.2.3/24").ok());
}

TEST(AddressSetTest, ReturnsOnlyFreshParts) {
  AddressSet set;
  EXPECT_THAT(Texts(set.Insert(R("10.0.0.8/29"))),
              ::testing::ElementsAre("10.0.0.8-10.0.0.15"));
  EXPECT_THAT(
      Texts(set.Insert(R("10.0.0.0/27"))),
      ::testing::ElementsAre("10.0.0.0-10.0.0.7", "10.0.0.16-10.0.0.31"));
  EXPECT_TRUE(set.Insert(R("10.0.0.5")).empty());
  EXPECT_EQ(set.ranges(), 1u);
  EXPECT_TRUE(set.Contains(*IpAddress::Parse("10.0.0.31")));
  EXPECT_FALSE(set.Contains(*IpAddress::Parse("10.0.0.32")));
  // Adjacent ranges merge; families stay apart.
  set.Insert(R("10.0.0.32"));
  EXPECT_EQ(set.ranges(), 1u);
  set.Insert(R("::ffff:10.0.0.1"));
  EXPECT_EQ(set.ranges(), 2u);
  EXPECT_FALSE(set.Contains(*IpAddress::Parse("::ffff:10.0.0.2")));
}

TEST(AddressSetTest, HandlesTheEdgesOfTheAddressSpace) {
  AddressSet set;
  EXPECT_EQ(Texts(set.Insert(R("255.255.255.255"))).size(), 1u);
  EXPECT_THAT(Texts(set.Insert(R("255.255.255.252/30"))),
              ::testing::ElementsAre("255.255.255.252-255.255.255.254"));
  EXPECT_THAT(Texts(set.Insert(R("::/0"))),
              ::testing::ElementsAre("::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:"
                                     "ffff"));
  EXPECT_TRUE(set.Insert(R("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).empty());
  EXPECT_TRUE(set.Insert(R("::")).empty());
}

// Compares with a plain std::set on random small ranges.
TEST(AddressSetTest, MatchesANaiveSet) {
  std::mt19937 rng(42);
  AddressSet set;
  std::set<uint32_t> naive;
  for (int i = 0; i < 2000; ++i) {
    uint32_t first = rng() % 1000;
    uint32_t last = first + rng() % 20;
    IpRange range{IpAddress::FromIpv4(first), IpAddress::FromIpv4(last)};
    std::set<uint32_t> expected_fresh;
    for (uint32_t v = first; v <= last; ++v) {
      if (naive.insert(v).second) expected_fresh.insert(v);
    }
    std::set<uint32_t> fresh;
    for (const IpRange& r : set.Insert(range)) {
      for (uint32_t v = r.first.ipv4(); v <= r.last.ipv4(); ++v) {
        EXPECT_TRUE(fresh.insert(v).second);
      }
    }
    ASSERT_EQ(fresh, expected_fresh) << "step " << i;
  }
  for (uint32_t v = 0; v < 1100; ++v) {
    EXPECT_EQ(set.Contains(IpAddress::FromIpv4(v)), naive.count(v) == 1) << v;
  }
}

}  // namespace
}  // namespace dnsbl

namespace dnsbl {
namespace {

// Add() in any order is Insert() of single addresses: the same ranges.
TEST(AddressSetTest, AddMergesAsInsertDoes) {
  std::mt19937 random(7);
  AddressSet added;
  AddressSet inserted;
  std::set<uint32_t> model;
  for (int i = 0; i < 5000; ++i) {
    // Mostly ascending with jitter, as a sweep's reports finish.
    const uint32_t value =
        0xC0000200u + static_cast<uint32_t>(i) + (random() % 64);
    const IpAddress address =
        IpAddress::FromValue(IpAddress::Family::kIpv4, value);
    added.Add(address);
    inserted.Insert(IpRange{address, address});
    model.insert(value);
  }
  added.Add(*IpAddress::Parse("2001:db8::1"));
  inserted.Insert(R("2001:db8::1"));
  EXPECT_EQ(Texts(added.ToRanges()), Texts(inserted.ToRanges()));
  EXPECT_EQ(added.size(), model.size() + 1);
  for (uint32_t v = 0xC0000200u - 2; v < 0xC0000200u + 5070; ++v) {
    EXPECT_EQ(added.Contains(IpAddress::FromValue(IpAddress::Family::kIpv4, v)),
              model.count(v) == 1)
        << v;
  }
}

TEST(AddressSetTest, ToRangesAndSize) {
  AddressSet set;
  set.Insert(R("2001:db8::/127"));
  set.Insert(R("10.0.0.0/8"));
  set.Insert(R("192.0.2.1"));
  EXPECT_THAT(
      Texts(set.ToRanges()),
      ::testing::ElementsAre("10.0.0.0-10.255.255.255", "192.0.2.1-192.0.2.1",
                             "2001:db8::-2001:db8::1"));
  EXPECT_EQ(set.size(), (1u << 24) + 1 + 2);
  set.Insert(R("::/0"));
  EXPECT_EQ(set.size(), absl::Uint128Max());
}

}  // namespace
}  // namespace dnsbl

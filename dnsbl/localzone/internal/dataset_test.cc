#include "dnsbl/localzone/internal/dataset.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// Values are numbered by their text after the address ("" is the default,
// number 0), as the loader numbers them.
class FakeContext : public EntryContext {
 public:
  void Warn(absl::string_view why) override {
    warnings.push_back(std::string(why));
  }
  std::optional<uint32_t> EntryValue(ZoneCursor& c) override {
    c.skip_space();
    const std::string text(c.rest());
    if (text == "bad") {
      Warn("bad value");
      return std::nullopt;
    }
    for (size_t i = 0; i < values.size(); ++i) {
      if (values[i] == text) return i;
    }
    values.push_back(text);
    return values.size() - 1;
  }
  uint32_t max_range4() const override { return max_range; }

  std::vector<std::string> values = {""};
  std::vector<std::string> warnings;
  uint32_t max_range = 0;
};

std::unique_ptr<Dataset> Load(DatasetType type,
                              const std::vector<std::string>& lines,
                              FakeContext& context) {
  std::unique_ptr<Dataset> d = NewDataset(type);
  for (const std::string& line : lines) {
    ZoneCursor c(line);
    const bool excluded = c.at() == '!';
    if (excluded) c.skip();
    d->AddEntry(c, excluded, context);
  }
  d->Finish();
  return d;
}

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

TEST(DatasetTest, Ip4SetMostSpecificLevelDecides) {
  FakeContext context;
  auto d = Load(DatasetType::kIp4Set,
                {"10.0.0.0/8 wide", "10.1.1.0/24 narrow", "!10.1.1.7",
                 "10.2.0.1-10.2.1.5", "10.3.0.0/24 bad", "10.300"},
                context);
  EXPECT_THAT(d->FindValues(Ip("10.9.9.9")), ElementsAre(1));
  EXPECT_THAT(d->FindValues(Ip("10.1.1.8")), ElementsAre(2));
  EXPECT_THAT(d->FindValues(Ip("10.1.1.7")), IsEmpty());
  EXPECT_THAT(d->FindValues(Ip("10.2.1.5")), ElementsAre(0));
  EXPECT_THAT(d->FindValues(Ip("10.2.1.6")), ElementsAre(1));
  EXPECT_THAT(d->FindValues(Ip("2001:db8::1")), IsEmpty());
  EXPECT_THAT(context.warnings, ElementsAre("bad value", "invalid address"));
  // The range 10.2.0.1-10.2.1.5 is 255 /32s, then 6 more: as rbldnsd
  // stores it, with the /8, the /24 and the exclusion.
  EXPECT_EQ(d->entries(), 3u + 255u + 6u);
}

TEST(DatasetTest, Ip4SetMaxRange) {
  FakeContext context;
  context.max_range = 256;
  auto d = Load(DatasetType::kIp4Set, {"10.0.0.0/23", "10.1.0.0/24"}, context);
  EXPECT_THAT(context.warnings, ElementsAre("too large range ignored"));
  EXPECT_THAT(d->FindValues(Ip("10.1.0.1")), ElementsAre(0));
}

TEST(DatasetTest, Ip4TSetHostsOnly) {
  FakeContext context;
  auto d =
      Load(DatasetType::kIp4TSet,
           {"192.0.2.1", "192.0.2.1", "192.0.2.0/24", "!192.0.2.2"}, context);
  EXPECT_THAT(d->FindValues(Ip("192.0.2.1")), ElementsAre(0));
  EXPECT_THAT(d->FindValues(Ip("192.0.2.3")), IsEmpty());
  EXPECT_EQ(d->entries(), 1u);
  EXPECT_THAT(context.warnings,
              ElementsAre("invalid address", "invalid address"));
}

TEST(DatasetTest, TriesAndIp6TSet) {
  FakeContext context;
  auto t4 = Load(
      DatasetType::kIp4Trie,
      {"10.0.0.0/8 a", "10.1.0.0/16 b", "!10.1.2.0/24", "10.0.0.1/8"}, context);
  EXPECT_THAT(t4->FindValues(Ip("10.1.3.4")), ElementsAre(2));
  EXPECT_THAT(t4->FindValues(Ip("10.1.2.4")), IsEmpty());
  EXPECT_THAT(t4->FindValues(Ip("10.5.0.0")), ElementsAre(1));
  EXPECT_THAT(context.warnings,
              ElementsAre("invalid range (non-zero host part)"));

  auto t6 = Load(DatasetType::kIp6Trie, {"2001:db8::/32 a", "!2001:db8:1::/48"},
                 context);
  EXPECT_THAT(t6->FindValues(Ip("2001:db8:2::1")), ElementsAre(1));
  EXPECT_THAT(t6->FindValues(Ip("2001:db8:1::1")), IsEmpty());
  EXPECT_THAT(t6->FindValues(Ip("10.5.0.0")), IsEmpty());

  FakeContext tset;
  auto s6 = Load(DatasetType::kIp6TSet,
                 {"2001:db8:0:1", "!2001:db8:0:1::7", "2001:db8:0:2:3"}, tset);
  EXPECT_THAT(s6->FindValues(Ip("2001:db8:0:1::8")), ElementsAre(0));
  EXPECT_THAT(s6->FindValues(Ip("2001:db8:0:1::7")), IsEmpty());
  EXPECT_THAT(tset.warnings,
              ElementsAre("invalid address for regular entry (should be 64 "
                          "bits)"));
}

TEST(DatasetTest, TypeFacts) {
  EXPECT_TRUE(HasSingleValue(DatasetType::kIp4TSet));
  EXPECT_TRUE(HasSingleValue(DatasetType::kIp6TSet));
  EXPECT_FALSE(HasSingleValue(DatasetType::kIp4Set));
  EXPECT_TRUE(TakesColonEntries(DatasetType::kIp6Trie));
  EXPECT_FALSE(TakesColonEntries(DatasetType::kIp6TSet));
}

}  // namespace
}  // namespace dnsbl

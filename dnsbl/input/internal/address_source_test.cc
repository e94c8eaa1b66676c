#include "dnsbl/input/internal/address_source.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct Read {
  std::vector<std::string> addresses;
  std::vector<InputError> errors;
};

Read ReadAll(const std::string& text, BulkInputOptions options = {},
             AddressSet* seen = nullptr) {
  AddressSet local;
  std::istringstream in(text);
  Read out;
  AddressSource source(&in, options, seen != nullptr ? seen : &local,
                       [&](const InputError& e) { out.errors.push_back(e); });
  while (std::optional<IpAddress> ip = source.Next()) {
    out.addresses.push_back(ip->ToString());
  }
  return out;
}

TEST(AddressSourceTest, AddressesNetworksCommentsAndBlankLines) {
  Read r = ReadAll(
      "# suspects\n"
      "192.0.2.1\n"
      "\n"
      "  198.51.100.0/30   # a small network\n"
      "2001:db8::/127\r\n"
      "203.0.113.9");
  EXPECT_THAT(
      r.addresses,
      ElementsAre("192.0.2.1", "198.51.100.0", "198.51.100.1", "198.51.100.2",
                  "198.51.100.3", "2001:db8::", "2001:db8::1", "203.0.113.9"));
  EXPECT_TRUE(r.errors.empty());
}

TEST(AddressSourceTest, EachAddressOnce) {
  Read r = ReadAll("192.0.2.1\n192.0.2.0/30\n192.0.2.1\n192.0.2.2/31\n");
  EXPECT_THAT(r.addresses,
              ElementsAre("192.0.2.1", "192.0.2.0", "192.0.2.2", "192.0.2.3"));
}

TEST(AddressSourceTest, SkipsAddressesAlreadySeen) {
  AddressSet seen;
  seen.Insert(*IpRange::Parse("192.0.2.0/31"));
  Read r = ReadAll("192.0.2.0/30\n", {}, &seen);
  EXPECT_THAT(r.addresses, ElementsAre("192.0.2.2", "192.0.2.3"));
}

TEST(AddressSourceTest, BadLinesAreReportedAndSkipped) {
  BulkInputOptions options;
  options.max_range_size = 256;
  options.max_line_length = 50;
  Read r = ReadAll(
      "192.0.2.1\n"
      "1.2.3\n"
      "10.0.0.0/8\n"
      "mail.example.com\n" +
          std::string(80, '9') + "\n" + std::string("1.2.3.4\0x", 9) +
          "\n"
          "192.0.2.2\n",
      options);
  EXPECT_THAT(r.addresses, ElementsAre("192.0.2.1", "192.0.2.2"));
  ASSERT_EQ(r.errors.size(), 5u);
  EXPECT_EQ(r.errors[0].line, 2);
  EXPECT_EQ(r.errors[0].text, "'1.2.3'");
  EXPECT_THAT(r.errors[0].message, HasSubstr("expected 4"));
  EXPECT_THAT(r.errors[1].message,
              HasSubstr("holds 16777216 addresses, over the limit of 256; "
                        "raise BulkInputOptions::max_range_size"));
  EXPECT_EQ(r.errors[2].line, 4);
  EXPECT_THAT(r.errors[3].message, HasSubstr("longer than 50 bytes"));
  EXPECT_EQ(r.errors[4].text, "'1.2.3.4\\x00x'");
}

TEST(AddressSourceTest, LargeRangeIsWalkedLazily) {
  BulkInputOptions options;
  options.max_range_size = absl::uint128(1) << 32;
  std::istringstream in("0.0.0.0/0\n");
  AddressSet seen;
  AddressSource source(&in, options, &seen, [](const InputError&) {});
  // Only as many addresses as asked for exist at any time.
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(source.Next().has_value());
  EXPECT_EQ(source.Next()->ToString(), "0.0.3.232");
  EXPECT_EQ(seen.ranges(), 1u);
}

}  // namespace
}  // namespace dnsbl

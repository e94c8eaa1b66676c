#include "dnsbl/input/bulk_input.h"

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

TEST(CountInputAddressesTest, SumsRangesAndFindsTheFirstBadLine) {
  std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/in.txt";
  std::ofstream(path) << "192.0.2.0/24\n# c\n2001:db8::/120\n192.0.2.1\n";
  absl::StatusOr<InputCount> n = CountInputAddresses(path, {});
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(n->addresses, 256 + 256 + 1);
  EXPECT_EQ(n->bad_lines, 0);
  std::ofstream(path) << "192.0.2.1\n\n256.0.0.1\nx\n";
  n = CountInputAddresses(path, {});
  EXPECT_EQ(n->addresses, 1);
  EXPECT_EQ(n->bad_lines, 2);
  ASSERT_TRUE(n->first_error.has_value());
  EXPECT_EQ(n->first_error->line, 3);
  EXPECT_EQ(n->first_error->text, "'256.0.0.1'");
  EXPECT_EQ(CountInputAddresses("/nonexistent", {}).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace dnsbl

#include "dnsbl/output/internal/checkpoint.h"

#include <cstdlib>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;

std::string TempPath(const std::string& name) {
  return std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
}

TEST(CheckpointTest, WritesAndReadsBackEveryRange) {
  const std::string path = CheckpointPath(TempPath("sweep.json"));
  EXPECT_EQ(path, TempPath("sweep.json.checkpoint"));
  EXPECT_EQ(ReadCheckpoint(path).status().code(), absl::StatusCode::kNotFound);
  AddressSet finished;
  finished.Insert(*IpRange::Parse("10.0.0.0/9"));
  finished.Add(*IpAddress::Parse("192.0.2.7"));
  finished.Insert(*IpRange::Parse("2001:db8::/120"));
  ASSERT_TRUE(WriteCheckpoint(path, finished).ok());
  absl::StatusOr<AddressSet> read = ReadCheckpoint(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->size(), finished.size());
  EXPECT_EQ(read->ranges(), 3u);
  EXPECT_TRUE(read->Contains(*IpAddress::Parse("10.127.255.255")));
  EXPECT_FALSE(read->Contains(*IpAddress::Parse("10.128.0.0")));
  EXPECT_TRUE(read->Contains(*IpAddress::Parse("2001:db8::ff")));
  // Replaced whole, nothing left beside it.
  finished.Add(*IpAddress::Parse("192.0.2.8"));
  ASSERT_TRUE(WriteCheckpoint(path, finished).ok());
  EXPECT_TRUE(ReadCheckpoint(path)->Contains(*IpAddress::Parse("192.0.2.8")));
  EXPECT_FALSE(std::ifstream(path + ".tmp").good());
  ASSERT_TRUE(RemoveCheckpoint(path).ok());
  ASSERT_TRUE(RemoveCheckpoint(path).ok());  // Gone already: fine.
  EXPECT_EQ(ReadCheckpoint(path).status().code(), absl::StatusCode::kNotFound);
}

TEST(CheckpointTest, RefusesWhatIsNotACheckpoint) {
  const std::string path = TempPath("foreign");
  std::ofstream(path) << "{\"address\":\"192.0.2.1\"}\n";
  EXPECT_THAT(ReadCheckpoint(path).status().message(),
              HasSubstr("is not a dnsbl checkpoint"));
  std::ofstream(path, std::ios::trunc)
      << "# dnsbl bulk checkpoint: addresses finished, one range a line\n"
      << "10.0.0.9-10.0.0.1\n";
  EXPECT_THAT(ReadCheckpoint(path).status().message(),
              HasSubstr("line 2: '10.0.0.9-10.0.0.1' is not FIRST-LAST"));
  std::ofstream(path, std::ios::trunc) << "";
  EXPECT_EQ(ReadCheckpoint(path).status().code(), absl::StatusCode::kDataLoss);
}

TEST(CheckpointTest, UnwritablePlaceIsNamed) {
  EXPECT_THAT(
      WriteCheckpoint("/nonexistent/dir/x.checkpoint", AddressSet()).message(),
      HasSubstr("/nonexistent/dir/x.checkpoint.tmp"));
}

}  // namespace
}  // namespace dnsbl

#include "cli/flags.h"

#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

ABSL_FLAG(std::vector<std::string>, test_list, {}, "a list");
ABSL_FLAG(bool, test_bool, true, "a bool");
ABSL_FLAG(absl::Duration, test_duration, absl::Seconds(1), "a duration");
ABSL_FLAG(int, test_int, 1, "an int");

namespace dnsbl::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::vector<std::string> kAllowed = {"test_list", "test_bool",
                                           "test_duration", "test_int"};

absl::StatusOr<std::vector<std::string>> Parse(std::vector<std::string> args) {
  return ParseFlags(args, kAllowed);
}

TEST(ParseFlagsTest, FormsAndPositionals) {
  absl::StatusOr<std::vector<std::string>> rest =
      Parse({"a", "--test_int=5", "-test_duration", "250ms", "--notest_bool",
             "b", "--", "--test_int=9"});
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_THAT(*rest, ElementsAre("a", "b", "--test_int=9"));
  EXPECT_EQ(absl::GetFlag(FLAGS_test_int), 5);
  EXPECT_EQ(absl::GetFlag(FLAGS_test_duration), absl::Milliseconds(250));
  EXPECT_FALSE(absl::GetFlag(FLAGS_test_bool));
  ASSERT_TRUE(Parse({"--test_bool"}).ok());
  EXPECT_TRUE(absl::GetFlag(FLAGS_test_bool));
}

TEST(ParseFlagsTest, ListFlagsCollectRepeats) {
  ASSERT_TRUE(Parse({"--test_list=a,b", "--test_list", "c"}).ok());
  EXPECT_THAT(absl::GetFlag(FLAGS_test_list), ElementsAre("a", "b", "c"));
  // A new parse starts the list afresh.
  ASSERT_TRUE(Parse({"--test_list=d"}).ok());
  EXPECT_THAT(absl::GetFlag(FLAGS_test_list), ElementsAre("d"));
}

TEST(ParseFlagsTest, Errors) {
  EXPECT_THAT(Parse({"--nope"}).status().message(),
              HasSubstr("unknown flag '--nope'"));
  // Registered in Abseil, but not this command's.
  EXPECT_THAT(ParseFlags({"--test_int=1"}, {"test_bool"}).status().message(),
              HasSubstr("unknown flag"));
  EXPECT_THAT(Parse({"--test_int"}).status().message(),
              HasSubstr("--test_int needs a value"));
  EXPECT_THAT(Parse({"--test_int=x"}).status().message(),
              HasSubstr("flag --test_int"));
  EXPECT_THAT(Parse({"--notest_int"}).status().message(),
              HasSubstr("unknown flag"));
}

TEST(FlagsHelpTest, ListsHelpAndDefaults) {
  std::string help = FlagsHelp(kAllowed);
  EXPECT_THAT(help, HasSubstr("--test_duration\n      a duration\n      "
                              "default: 1s"));
}

}  // namespace
}  // namespace dnsbl::cli

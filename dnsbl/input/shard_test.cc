#include "dnsbl/input/shard.h"

#include <map>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;

// An environment from a map.
struct Env {
  std::map<std::string, std::string> vars;
  const char* operator()(const char* name) const {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  }
};

TEST(ShardTest, EveryAddressInExactlyOneShardAndEvenly) {
  int counts[4] = {0, 0, 0, 0};
  for (uint32_t a = 0xc0a80000u; a < 0xc0a90000u; ++a) {  // A /16.
    int owners = 0;
    for (int k = 0; k < 4; ++k) {
      if (InShard(IpAddress::FromIpv4(a), Shard{k, 4})) {
        ++owners;
        ++counts[k];
      }
    }
    ASSERT_EQ(owners, 1);
  }
  for (int k = 0; k < 4; ++k) {
    EXPECT_NEAR(counts[k], 65536 / 4, 65536 / 4 / 20);  // Within 5%.
  }
}

TEST(ShardTest, ParsesGivenAndEnvironment) {
  Env none;
  EXPECT_EQ(ParseShard("2/4", none)->index, 2);
  EXPECT_EQ(ParseShard("", none)->count, 1);
  EXPECT_THAT(ParseShard("4/4", none).status().message(),
              HasSubstr("0 <= K < N"));
  EXPECT_FALSE(ParseShard("x/4", none).ok());
  EXPECT_THAT(ParseShard("4", none).status().message(),
              HasSubstr("no shard index"));
  Env slurm{{{"SLURM_ARRAY_TASK_ID", "7"},
             {"SLURM_ARRAY_TASK_MIN", "5"},
             {"SLURM_ARRAY_TASK_COUNT", "4"}}};
  absl::StatusOr<Shard> s = ParseShard("", slurm);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(ShardName(*s), "2/4");
  Env k8s{{{"JOB_COMPLETION_INDEX", "3"}}};
  EXPECT_EQ(ShardName(*ParseShard("8", k8s)), "3/8");
}

}  // namespace
}  // namespace dnsbl

#include "dnsbl/dns/resolution.h"

#include <cstdlib>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

TEST(ResolutionModeTest, NamesParseBack) {
  for (ResolutionMode mode : {ResolutionMode::kAuto, ResolutionMode::kRecursive,
                              ResolutionMode::kDirect}) {
    absl::StatusOr<ResolutionMode> parsed =
        ParseResolutionMode(ResolutionModeName(mode));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, mode);
  }
  absl::StatusOr<ResolutionMode> bad = ParseResolutionMode("iterative");
  EXPECT_TRUE(absl::IsInvalidArgument(bad.status()));
  EXPECT_THAT(bad.status().message(),
              ::testing::HasSubstr("'iterative' (use auto, recursive or "
                                   "direct)"));
}

TEST(DefaultDelegationCachePathTest, FollowsXdgThenHome) {
  setenv("XDG_CACHE_HOME", "/x/cache", 1);
  EXPECT_EQ(DefaultDelegationCachePath(), "/x/cache/dnsbl/delegations");
  unsetenv("XDG_CACHE_HOME");
  setenv("HOME", "/home/someone", 1);
  EXPECT_EQ(DefaultDelegationCachePath(),
            "/home/someone/.cache/dnsbl/delegations");
  unsetenv("HOME");
  EXPECT_EQ(DefaultDelegationCachePath(), "");
}

}  // namespace
}  // namespace dnsbl

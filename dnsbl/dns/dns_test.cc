#include "dnsbl/dns/dns.h"

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

TEST(DnsOutcomeTest, EveryOutcomeHasAName) {
  EXPECT_EQ(DnsOutcomeName(DnsOutcome::kNoServers), "no servers found");
  EXPECT_EQ(DnsOutcomeName(DnsOutcome::kNxDomain), "NXDOMAIN");
}

}  // namespace
}  // namespace dnsbl

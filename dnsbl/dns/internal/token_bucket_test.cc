#include "dnsbl/dns/internal/token_bucket.h"

#include "gtest/gtest.h"

namespace dnsbl {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1795000000);

TEST(TokenBucketTest, RateAndBurst) {
  TokenBucket bucket(10, 2, kStart);
  EXPECT_TRUE(bucket.TryTake(kStart));
  EXPECT_TRUE(bucket.TryTake(kStart));
  EXPECT_FALSE(bucket.TryTake(kStart));
  EXPECT_EQ(bucket.TimeToToken(kStart), absl::Milliseconds(100));
  EXPECT_TRUE(bucket.TryTake(kStart + absl::Milliseconds(100)));
  TokenBucket unlimited(0, 0, kStart);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(unlimited.TryTake(kStart));
}

// "No wait" and "a token is there" always agree, whatever the arithmetic
// leaves: a wait rounded to nothing over 0.9999999 tokens let a sender go
// ahead, find TryTake() refusing, and send unpaced.
TEST(TokenBucketTest, NoWaitOnlyWithAToken) {
  for (int quarter_ns = 0; quarter_ns < 16; ++quarter_ns) {
    TokenBucket bucket(3, 1, kStart);
    ASSERT_TRUE(bucket.TryTake(kStart));
    // About a third of a second later, when the next token is (almost)
    // there.
    const absl::Time t = kStart + absl::Nanoseconds(333333331) +
                         absl::Nanoseconds(0.25 * quarter_ns);
    const bool no_wait = bucket.TimeToToken(t) == absl::ZeroDuration();
    EXPECT_EQ(no_wait, bucket.TryTake(t)) << quarter_ns;
  }
}

}  // namespace
}  // namespace dnsbl

#include "dnsbl/base/time_text.h"

#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

TEST(UtcTextTest, WholeSecondsInUtc) {
  EXPECT_EQ(UtcText(absl::FromUnixSeconds(0)), "1970-01-01 00:00:00 UTC");
  EXPECT_EQ(
      UtcText(absl::FromUnixSeconds(1796546576) + absl::Milliseconds(999)),
      "2026-12-06 08:42:56 UTC");
}

}  // namespace
}  // namespace dnsbl

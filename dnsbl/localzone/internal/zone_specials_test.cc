#include "dnsbl/localzone/internal/zone_specials.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const absl::Time kNow = absl::FromUnixSeconds(1796083200);  // 2026-12-01.

// Applies `text` and returns the warnings it gave.
std::vector<std::string> Apply(absl::string_view text, ZoneSettings& s,
                               absl::Status* status = nullptr) {
  std::vector<std::string> warnings;
  absl::Status result = ApplyZoneSpecial(
      text, kNow, s,
      [&](absl::string_view why) { warnings.push_back(std::string(why)); });
  if (status != nullptr) *status = result;
  return warnings;
}

TEST(ZoneSpecialsTest, TtlSoaAndNs) {
  ZoneSettings s;
  EXPECT_EQ(s.ttl, 35 * 60);
  EXPECT_THAT(Apply("ttl 1h", s), IsEmpty());
  EXPECT_EQ(s.ttl, 3600);
  EXPECT_THAT(Apply("TTL 0", s), IsEmpty());  // 0: rbldnsd's default.
  EXPECT_EQ(s.ttl, 35 * 60);
  EXPECT_THAT(Apply("TTL soon", s),
              ElementsAre("invalid or unrecognized special entry"));
  EXPECT_THAT(Apply("SOA ns.example. hm.example. 0 1h 1h 2d 1h", s),
              ElementsAre("invalid or unrecognized special entry"));
  EXPECT_FALSE(s.has_soa);
  EXPECT_THAT(Apply("SOA ns.example. hm.example. 1 1h 1h 2d 1h 1h", s),
              IsEmpty());
  EXPECT_TRUE(s.has_soa);
  EXPECT_THAT(Apply("NS ns1.example.", s), IsEmpty());
  EXPECT_THAT(Apply("nameserver ns1.example.", s), IsEmpty());
  // A keyword needs white space after it.
  EXPECT_THAT(Apply("TTLX 5", s), ElementsAre(HasSubstr("unrecognized")));
}

TEST(ZoneSpecialsTest, MaxRange4OnlyShrinks) {
  ZoneSettings s;
  EXPECT_THAT(Apply("MAXRANGE4 /24", s), IsEmpty());
  EXPECT_EQ(s.max_range4, 256u);
  EXPECT_THAT(Apply("MAXRANGE4 65536", s),
              ElementsAre("ignoring attempt to increase $MAXRANGE4"));
  EXPECT_EQ(s.max_range4, 256u);
  EXPECT_THAT(Apply("MAXRANGE4 16", s), IsEmpty());
  EXPECT_EQ(s.max_range4, 16u);
  EXPECT_THAT(Apply("MAXRANGE4 /33", s), ElementsAre(HasSubstr("invalid")));
}

TEST(ZoneSpecialsTest, TimestampsRbldnsdRefuses) {
  ZoneSettings s;
  absl::Status status;
  EXPECT_THAT(Apply("TIMESTAMP 2026:01:01", s, &status), IsEmpty());
  EXPECT_TRUE(status.ok());
  Apply("TIMESTAMP 2099:01:01", s, &status);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("in the future"));
  Apply("TIMESTAMP 2026:01:01 +1d", s, &status);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("expired (+1d)"));
  Apply("TIMESTAMP 2026:01:01 2027:01:01", s, &status);
  EXPECT_TRUE(status.ok());
  EXPECT_THAT(Apply("TIMESTAMP 2026:01:01 later", s, &status),
              ElementsAre(HasSubstr("unrecognized")));
  EXPECT_TRUE(status.ok());
}

TEST(ZoneSpecialsTest, SubstitutionsFirstAssignmentWins) {
  ZoneSettings s;
  EXPECT_THAT(Apply("1 first", s), IsEmpty());
  EXPECT_THAT(Apply("1 second", s), IsEmpty());
  EXPECT_EQ(s.subst[1], "first");
  EXPECT_THAT(Apply("= see $=", s), IsEmpty());
  EXPECT_EQ(s.base_template, "see $=");
  EXPECT_THAT(Apply("2 ", s), ElementsAre(HasSubstr("unrecognized")));
  EXPECT_THAT(Apply("WHATEVER x", s), ElementsAre(HasSubstr("unrecognized")));
}

}  // namespace
}  // namespace dnsbl

#include "dnsbl/notice/freshness.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fakes.h"

namespace dnsbl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const absl::Time kNow =
    absl::FromUnixSeconds(1796140800);  // 2026-12-01 16:00 UTC

// A report of `address` started `age` before kNow, listed as an open relay
// or not listed.
v1::Report ReportOf(const std::string& address, absl::Duration age,
                    bool listed) {
  v1::Report r;
  r.set_address(address);
  r.mutable_started()->set_seconds(absl::ToUnixSeconds(kNow - age));
  v1::ZoneResult* z = r.add_results();
  z->set_zone("relays.example");
  z->set_status(listed ? v1::LISTED : v1::NOT_LISTED);
  if (listed) z->add_categories(v1::OPEN_RELAY);
  r.mutable_summary()->set_asked(1);
  r.mutable_summary()->set_answered(1);
  r.mutable_summary()->set_listed(listed);
  return r;
}

// Answers re-checks from `now_listed` (address -> listed), recording what
// it was asked; an address it does not know fails.
struct FakeRechecker {
  std::map<std::string, bool> now_listed;
  std::vector<std::string> asked;
  Rechecker Get() {
    return [this](absl::Span<const std::string> addresses) {
      std::vector<absl::StatusOr<v1::Report>> out;
      for (const std::string& a : addresses) {
        asked.push_back(a);
        auto it = now_listed.find(a);
        if (it == now_listed.end()) {
          out.push_back(absl::UnavailableError("timed out"));
        } else {
          out.push_back(ReportOf(a, absl::ZeroDuration(), it->second));
        }
      }
      return out;
    };
  }
};

FreshnessOptions Options(testing::FakeClock& clock, bool recheck) {
  FreshnessOptions o;
  o.clock = &clock;
  o.recheck = recheck;
  return o;
}

TEST(FreshenEvidenceTest, FreshReportsPassUnasked) {
  testing::FakeClock clock(kNow);
  FakeRechecker rechecker;
  FreshEvidence e =
      FreshenEvidence({ReportOf("192.0.2.7", absl::Hours(23), true),
                       ReportOf("192.0.2.8", absl::Hours(100), false)},
                      Options(clock, true), rechecker.Get());
  EXPECT_EQ(e.reports.size(), 2u);
  EXPECT_THAT(e.refused, IsEmpty());
  // An old report without a listing supports no notice anyway: not asked.
  EXPECT_THAT(rechecker.asked, IsEmpty());
  EXPECT_EQ(e.stale, 0);
}

TEST(FreshenEvidenceTest, StaleListingsAreReCheckedAndOnlyConfirmedOnesKept) {
  testing::FakeClock clock(kNow);
  FakeRechecker rechecker;
  rechecker.now_listed = {{"192.0.2.7", true}, {"192.0.2.8", false}};
  FreshEvidence e =
      FreshenEvidence({ReportOf("192.0.2.7", absl::Hours(30), true),
                       ReportOf("192.0.2.8", absl::Hours(30), true),
                       ReportOf("192.0.2.9", absl::Hours(30), true),
                       ReportOf("192.0.2.10", absl::Hours(1), true)},
                      Options(clock, true), rechecker.Get());
  EXPECT_THAT(rechecker.asked,
              ElementsAre("192.0.2.7", "192.0.2.8", "192.0.2.9"));
  ASSERT_EQ(e.reports.size(), 2u);
  EXPECT_EQ(e.reports[0].address(), "192.0.2.7");
  // The letter is made from the new report, and knows the first finding.
  EXPECT_EQ(e.reports[0].started().seconds(), absl::ToUnixSeconds(kNow));
  EXPECT_EQ(e.first_found.at("192.0.2.7"), kNow - absl::Hours(30));
  EXPECT_EQ(e.reports[1].address(), "192.0.2.10");
  EXPECT_EQ(e.stale, 3);
  EXPECT_EQ(e.reconfirmed, 1);
  ASSERT_EQ(e.refused.size(), 2u);
  EXPECT_EQ(e.refused[0].address, "192.0.2.8");
  EXPECT_THAT(e.refused[0].why, HasSubstr("re-checked 2026-12-01 16:00:00 UTC: "
                                          "listed by none of the 1"));
  EXPECT_THAT(e.refused[0].why,
              HasSubstr("the listing of 2026-11-30 10:00:00 UTC is not "
                        "confirmed"));
  EXPECT_EQ(e.refused[1].address, "192.0.2.9");
  EXPECT_THAT(e.refused[1].why,
              HasSubstr("could not be re-checked: timed out"));
  EXPECT_THAT(e.refused_decisions, ElementsAre(NoticeDecision::kNotListed,
                                               NoticeDecision::kIncomplete));
}

TEST(FreshenEvidenceTest, WithoutReCheckStaleListingsAreRefused) {
  testing::FakeClock clock(kNow);
  FakeRechecker rechecker;
  FreshEvidence e =
      FreshenEvidence({ReportOf("192.0.2.7", absl::Hours(25), true)},
                      Options(clock, false), rechecker.Get());
  EXPECT_THAT(e.reports, IsEmpty());
  EXPECT_THAT(rechecker.asked, IsEmpty());
  ASSERT_EQ(e.refused.size(), 1u);
  EXPECT_THAT(e.refused[0].why,
              HasSubstr("the evidence of 2026-11-30 15:00:00 UTC is older "
                        "than 24h"));
}

}  // namespace
}  // namespace dnsbl

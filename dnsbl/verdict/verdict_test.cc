#include "dnsbl/verdict/verdict.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::ElementsAre;

v1::Report Report(bool listed, int errors,
                  std::vector<v1::ZoneResult> results = {}) {
  v1::Report r;
  r.mutable_summary()->set_listed(listed);
  r.mutable_summary()->set_errors(errors);
  if (listed) r.mutable_summary()->add_categories(v1::OPEN_PROXY);
  for (v1::ZoneResult& z : results) *r.add_results() = std::move(z);
  return r;
}

TEST(VerdictTest, ListedWinsThenIncomplete) {
  EXPECT_EQ(VerdictOf(Report(true, 3).summary()), Verdict::kListed);
  EXPECT_EQ(VerdictOf(Report(false, 1).summary()), Verdict::kIncomplete);
  EXPECT_EQ(VerdictOf(Report(false, 0).summary()), Verdict::kNotListed);
}

TEST(VerdictTest, RefusalsAndUsableHealth) {
  v1::ZoneResult code;
  code.set_error(v1::REFUSED_CODE);
  v1::ZoneResult health;
  health.set_health(v1::REFUSING);
  EXPECT_TRUE(IsRefusal(code));
  EXPECT_TRUE(IsRefusal(health));
  EXPECT_FALSE(IsRefusal(v1::ZoneResult()));
  EXPECT_TRUE(HealthUsable(v1::HEALTHY));
  EXPECT_TRUE(HealthUsable(v1::NO_TEST_ENTRY));
  EXPECT_TRUE(HealthUsable(v1::HEALTH_STATE_UNSPECIFIED));
  EXPECT_FALSE(HealthUsable(v1::WILDCARD));
  EXPECT_FALSE(HealthUsable(v1::NO_SUCH_ZONE));
}

TEST(VerdictTallyTest, CountsEachReportOnce) {
  v1::ZoneResult refusing;
  refusing.set_zone("r.example");
  refusing.set_error(v1::REFUSED_CODE);
  VerdictTally tally;
  tally.Add(Report(false, 0));
  EXPECT_EQ(tally.overall(), Verdict::kNotListed);
  tally.Add(Report(false, 1, {refusing}));
  tally.Add(Report(false, 1, {refusing}));
  EXPECT_EQ(tally.overall(), Verdict::kIncomplete);
  tally.Add(Report(true, 0));
  EXPECT_EQ(tally.overall(), Verdict::kListed);
  EXPECT_EQ(tally.reports, 4);
  EXPECT_EQ(tally.listed, 1);
  EXPECT_EQ(tally.incomplete, 2);
  EXPECT_EQ(tally.by_category.at("OPEN_PROXY"), 1);
  EXPECT_EQ(tally.errors.at("REFUSED_CODE"), 2);
  EXPECT_THAT(tally.refusing_zones, ElementsAre("r.example"));
}

}  // namespace
}  // namespace dnsbl

namespace dnsbl {
namespace {

v1::ZoneResult Result(const char* zone, v1::Status status) {
  v1::ZoneResult r;
  r.set_zone(zone);
  r.set_status(status);
  return r;
}

TEST(VerdictTallyTest, MergesAsIfCountedInOne) {
  v1::Report listed;
  listed.mutable_summary()->set_listed(true);
  listed.mutable_summary()->add_categories(v1::OPEN_RELAY);
  v1::Report refused;
  refused.mutable_summary()->set_errors(1);
  *refused.add_results() = Result("r.test", v1::REFUSED);
  refused.mutable_results(0)->set_error(v1::REFUSED_CODE);
  VerdictTally one, a, b;
  for (const v1::Report* r : {&listed, &refused, &listed}) one.Add(*r);
  a.Add(listed);
  a.Add(refused);
  b.Add(listed);
  b.Add(refused);  // A zone refusing in both is named once.
  a.Add(b);
  one.Add(refused);
  EXPECT_EQ(a.reports, one.reports);
  EXPECT_EQ(a.listed, one.listed);
  EXPECT_EQ(a.incomplete, one.incomplete);
  EXPECT_EQ(a.by_category, one.by_category);
  EXPECT_EQ(a.errors, one.errors);
  EXPECT_EQ(a.refusing_zones, one.refusing_zones);
  EXPECT_EQ(a.refusing_zones.size(), 1u);
}

TEST(FindingsTest, OnlyAllAnsweredAndNoneListingIsClean) {
  v1::Report report;
  *report.add_results() = Result("a.test", v1::NOT_LISTED);
  *report.add_results() = Result("b.test", v1::NOT_LISTED);
  // Not asked by design (here: IPv6 only): still clean, and left out.
  *report.add_results() = Result("v6.test", v1::SKIPPED);
  EXPECT_TRUE(IsClean(report));
  for (v1::Status finding : {v1::LISTED, v1::ERROR, v1::REFUSED, v1::SKIPPED}) {
    v1::Report with = report;
    *with.add_results() = Result("c.test", finding);
    if (finding == v1::SKIPPED) {
      with.mutable_results(3)->set_error(v1::UNHEALTHY_ZONE);
    }
    with.mutable_summary()->set_asked(3);
    EXPECT_FALSE(IsClean(with)) << v1::Status_Name(finding);
    v1::Report findings = FindingsOf(with);
    ASSERT_EQ(findings.results_size(), 1);
    EXPECT_EQ(findings.results(0).zone(), "c.test");
    EXPECT_EQ(findings.summary().asked(), 3);  // The summary is kept.
  }
}

}  // namespace
}  // namespace dnsbl

#include "dnsbl/notice/claim.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A report of 192.0.2.7 from zone results given as "zone:STATUS:CATEGORY"
// (CATEGORY empty for NOT_LISTED/ERROR), summarized as the Checker does.
v1::Report Shape(const std::vector<std::string>& zones) {
  v1::Report r;
  r.set_address("192.0.2.7");
  v1::Summary* s = r.mutable_summary();
  for (const std::string& z : zones) {
    std::vector<std::string> f = absl::StrSplit(z, ':');
    f.resize(3);
    v1::ZoneResult* result = r.add_results();
    result->set_zone(f[0]);
    v1::Status status;
    v1::Status_Parse(f[1], &status);
    result->set_status(status);
    if (status == v1::ERROR) s->set_errors(s->errors() + 1);
    if (status != v1::SKIPPED) s->set_asked(s->asked() + 1);
    if (status == v1::LISTED || status == v1::NOT_LISTED) {
      s->set_answered(s->answered() + 1);
    }
    if (status != v1::LISTED) continue;
    result->add_codes("127.0.0.2");
    v1::Category c;
    v1::Category_Parse(f[2], &c);
    result->add_categories(c);
    if (c == v1::ALLOWLISTED) {
      s->add_allowlisted_by(f[0]);
      continue;
    }
    s->set_listed(true);
    s->add_listed_by(f[0]);
    if (c == v1::OPEN_RELAY) s->add_open_relay_by(f[0]);
    if (c == v1::OPEN_PROXY) s->add_open_proxy_by(f[0]);
  }
  return r;
}

// Claims are never stronger than the evidence: one row per report shape.
TEST(ClaimForTest, ClaimFollowsTheEvidence) {
  struct Row {
    std::vector<std::string> zones;
    NoticeDecision decision;
    bool relay;
    bool proxy;
    std::vector<v1::Category> other;
  };
  const Row rows[] = {
      {{"r:LISTED:OPEN_RELAY", "c:NOT_LISTED"},
       NoticeDecision::kSend,
       true,
       false,
       {}},
      {{"p:LISTED:OPEN_PROXY"}, NoticeDecision::kSend, false, true, {}},
      {{"r:LISTED:OPEN_RELAY", "p:LISTED:OPEN_PROXY", "s:LISTED:SPAM_SOURCE"},
       NoticeDecision::kSend,
       true,
       true,
       {v1::SPAM_SOURCE}},
      // A spam source is not an open relay: the claim says what it is.
      {{"s:LISTED:SPAM_SOURCE", "x:LISTED:EXPLOITED"},
       NoticeDecision::kSend,
       false,
       false,
       {v1::EXPLOITED, v1::SPAM_SOURCE}},
      // Policy lists say nothing about abuse: no letter.
      {{"pbl:LISTED:POLICY", "r:NOT_LISTED"},
       NoticeDecision::kPolicyOnly,
       false,
       false,
       {}},
      // Policy beside a real listing: the letter cites only the real one.
      {{"pbl:LISTED:POLICY", "r:LISTED:OPEN_RELAY"},
       NoticeDecision::kSend,
       true,
       false,
       {}},
      {{"r:NOT_LISTED", "p:NOT_LISTED"},
       NoticeDecision::kNotListed,
       false,
       false,
       {}},
      // An unanswered zone is never "not listed": incomplete, no letter.
      {{"r:NOT_LISTED", "p:ERROR"},
       NoticeDecision::kIncomplete,
       false,
       false,
       {}},
      {{"r:ERROR"}, NoticeDecision::kIncomplete, false, false, {}},
      // A listing beside an error is still evidence.
      {{"r:LISTED:OPEN_RELAY", "p:ERROR"},
       NoticeDecision::kSend,
       true,
       false,
       {}},
      // An allowlist vouching for it: conflicting evidence, no letter.
      {{"wl:LISTED:ALLOWLISTED", "r:LISTED:OPEN_RELAY"},
       NoticeDecision::kAllowlisted,
       false,
       false,
       {}},
      {{"wl:LISTED:ALLOWLISTED"},
       NoticeDecision::kAllowlisted,
       false,
       false,
       {}},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(absl::StrJoin(row.zones, " "));
    NoticeClaim claim = ClaimFor(Shape(row.zones));
    EXPECT_EQ(claim.decision, row.decision) << claim.why;
    EXPECT_EQ(claim.open_relay, row.relay);
    EXPECT_EQ(claim.open_proxy, row.proxy);
    EXPECT_EQ(claim.other, row.other);
    EXPECT_EQ(claim.why.empty(), row.decision == NoticeDecision::kSend);
  }
}

TEST(ClaimForTest, ListingsCarryTheEvidenceWithoutPolicyOnes) {
  v1::Report r = Shape({"pbl:LISTED:POLICY", "r:LISTED:OPEN_RELAY"});
  r.mutable_results(1)->add_txt("relay test 2026-11-30");
  r.mutable_results(1)->set_lookup_url("https://r.example/?ip=192.0.2.7");
  r.mutable_results(1)->add_meanings("open relay");
  NoticeClaim claim = ClaimFor(r);
  ASSERT_EQ(claim.listings.size(), 1u);
  EXPECT_EQ(claim.listings[0].zone, "r");
  EXPECT_THAT(claim.listings[0].categories, ElementsAre(v1::OPEN_RELAY));
  EXPECT_THAT(claim.listings[0].txt, ElementsAre("relay test 2026-11-30"));
  EXPECT_EQ(claim.listings[0].lookup_url, "https://r.example/?ip=192.0.2.7");
}

TEST(ClaimForTest, ReasonsNameWhatIsMissing) {
  EXPECT_THAT(ClaimFor(Shape({"pbl:LISTED:POLICY"})).why,
              HasSubstr("policy lists (pbl)"));
  EXPECT_THAT(ClaimFor(Shape({"r:NOT_LISTED", "p:ERROR"})).why,
              HasSubstr("1 of 2 blocklists gave no usable answer"));
  EXPECT_THAT(ClaimFor(Shape({"wl:LISTED:ALLOWLISTED"})).why,
              HasSubstr("allowlisted by wl"));
}

TEST(NoticeExitStatusTest, IncompleteWins) {
  EXPECT_EQ(
      NoticeExitStatus({NoticeDecision::kSend, NoticeDecision::kNotListed}), 0);
  EXPECT_EQ(
      NoticeExitStatus({NoticeDecision::kSend, NoticeDecision::kIncomplete}),
      3);
}

}  // namespace
}  // namespace dnsbl

#include "dnsbl/verdict/internal/interpret.h"

#include <string>

#include "dnsbl/catalog/catalog.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/rule_zones.h"

namespace dnsbl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

v1::Zone TestZone() {
  absl::StatusOr<v1::Catalog> catalog = ParseCatalog(
      R"pb(
        zone {
          name: "bl.example"
          ipv4: true
          ipv6: true
          code { value: "127.0.0.2" category: OPEN_RELAY meaning: "relay" }
          code { value: "127.0.0.9" category: OPEN_PROXY meaning: "proxy" }
          refused_code: "127.255.255.254"
          default_category: SPAM_SOURCE
          lookup_url: "https://bl.example/q?ip={ip}"
        }
      )pb",
      "t");
  return catalog->zone(0);
}

DnsResponse Answer(std::vector<std::string> records) {
  DnsResponse r;
  r.outcome = DnsOutcome::kAnswer;
  r.records = std::move(records);
  r.ttl = 300;
  r.attempts = 1;
  return r;
}

DnsResponse Failure(DnsOutcome outcome) {
  DnsResponse r;
  r.outcome = outcome;
  r.attempts = 2;
  r.error = "library says no";
  return r;
}

const IpAddress kIp = *IpAddress::Parse("192.0.2.7");

TEST(InterpretAnswerTest, NxDomainAndNoDataAreNotListed) {
  for (DnsOutcome o : {DnsOutcome::kNxDomain, DnsOutcome::kNoData}) {
    v1::ZoneResult r = InterpretAnswer(TestZone(), kIp, Failure(o));
    EXPECT_EQ(r.status(), v1::NOT_LISTED);
    EXPECT_EQ(r.query(), "7.2.0.192.bl.example");
    // No lookup page for a clean address; an unanswered one keeps it.
    EXPECT_EQ(r.lookup_url(), "");
  }
  EXPECT_EQ(InterpretAnswer(TestZone(), kIp, Failure(DnsOutcome::kTimeout))
                .lookup_url(),
            "https://bl.example/q?ip=192.0.2.7");
}

DnsResponse NegativeWithSoa(DnsOutcome outcome, std::string owner) {
  DnsResponse r = Failure(outcome);
  r.soa_owner = std::move(owner);
  return r;
}

// A DNS firewall (RPZ) answers NXDOMAIN with its policy zone's SOA: that is
// not the blocklist saying "not listed".
TEST(InterpretAnswerTest, NegativeAnswerFromAnotherZoneIsPolicyAnswer) {
  for (DnsOutcome o : {DnsOutcome::kNxDomain, DnsOutcome::kNoData}) {
    v1::ZoneResult r =
        InterpretAnswer(TestZone(), kIp, NegativeWithSoa(o, "rpz.local"));
    EXPECT_EQ(r.status(), v1::ERROR);
    EXPECT_EQ(r.error(), v1::POLICY_ANSWER);
    EXPECT_THAT(r.detail(), HasSubstr("SOA of rpz.local"));
  }
  // A sibling or a look-alike suffix is as foreign as any other zone.
  for (const char* owner : {"other.example", "xbl.example", "l.example.net"}) {
    EXPECT_EQ(InterpretAnswer(TestZone(), kIp,
                              NegativeWithSoa(DnsOutcome::kNxDomain, owner))
                  .error(),
              v1::POLICY_ANSWER)
        << owner;
  }
}

TEST(InterpretAnswerTest, NegativeAnswerWithItsOwnOrAParentSoaIsNotListed) {
  // The zone's own SOA, a parent's (the zone is delegated or served from
  // its parent), or one inside the zone (keyed services answer from
  // <key>.<zone>).
  for (const char* owner :
       {"bl.example", "BL.Example.", "example", "key123.bl.example"}) {
    v1::ZoneResult r = InterpretAnswer(
        TestZone(), kIp, NegativeWithSoa(DnsOutcome::kNxDomain, owner));
    EXPECT_EQ(r.status(), v1::NOT_LISTED) << owner;
  }
  EXPECT_FALSE(IsPolicyAnswer("bl.example", Answer({"127.0.0.2"})));
}

TEST(InterpretAnswerTest, ListedWithEveryCodeMapped) {
  v1::ZoneResult r = InterpretAnswer(
      TestZone(), kIp, Answer({"127.0.0.9", "127.0.0.2", "127.0.0.5"}));
  EXPECT_EQ(r.status(), v1::LISTED);
  EXPECT_THAT(r.codes(), ElementsAre("127.0.0.2", "127.0.0.5", "127.0.0.9"));
  EXPECT_THAT(r.categories(),
              ElementsAre(v1::OPEN_RELAY, v1::SPAM_SOURCE, v1::OPEN_PROXY));
  EXPECT_THAT(r.meanings(), ElementsAre("relay", "", "proxy"));
  EXPECT_EQ(r.ttl(), 300);
  EXPECT_EQ(r.lookup_url(), "https://bl.example/q?ip=192.0.2.7");
}

TEST(InterpretAnswerTest, UnknownCodeWithoutDefaultIsOther) {
  v1::Zone zone = TestZone();
  zone.clear_default_category();
  v1::ZoneResult r = InterpretAnswer(zone, kIp, Answer({"127.0.0.77"}));
  EXPECT_EQ(r.status(), v1::LISTED);
  EXPECT_THAT(r.categories(), ElementsAre(v1::OTHER));
}

TEST(InterpretAnswerTest, RefusedCodeIsRefusedNotListed) {
  v1::ZoneResult r =
      InterpretAnswer(TestZone(), kIp, Answer({"127.255.255.254"}));
  EXPECT_EQ(r.status(), v1::REFUSED);
  EXPECT_EQ(r.error(), v1::REFUSED_CODE);
  EXPECT_THAT(r.detail(), HasSubstr("127.255.255.254"));
  EXPECT_TRUE(r.categories().empty());
}

TEST(InterpretAnswerTest, AnswerOutside127IsError) {
  v1::ZoneResult r =
      InterpretAnswer(TestZone(), kIp, Answer({"127.0.0.2", "198.51.100.1"}));
  EXPECT_EQ(r.status(), v1::ERROR);
  EXPECT_EQ(r.error(), v1::OUTSIDE_LOOPBACK);
  EXPECT_THAT(r.detail(), HasSubstr("198.51.100.1 is outside 127.0.0.0/8"));
  EXPECT_THAT(r.detail(), HasSubstr("rewrite NXDOMAIN"));
}

TEST(InterpretAnswerTest, UnansweredIsNeverNotListed) {
  struct Case {
    DnsOutcome outcome;
    const char* detail;
    v1::ErrorKind kind;
  };
  for (const Case& c :
       {Case{DnsOutcome::kTimeout, "timed out after 2 tries", v1::TIMEOUT},
        Case{DnsOutcome::kServFail, "SERVFAIL", v1::SERVFAIL},
        Case{DnsOutcome::kRefused, "REFUSED", v1::REFUSED_RCODE},
        Case{DnsOutcome::kMalformed, "malformed", v1::MALFORMED},
        Case{DnsOutcome::kNetworkError, "unreachable", v1::UNREACHABLE},
        Case{DnsOutcome::kOtherError, "library says no", v1::OTHER_ERROR}}) {
    v1::ZoneResult r = InterpretAnswer(TestZone(), kIp, Failure(c.outcome));
    EXPECT_EQ(r.status(), v1::ERROR) << c.detail;
    EXPECT_EQ(r.error(), c.kind) << c.detail;
    EXPECT_THAT(r.detail(), HasSubstr(c.detail));
    EXPECT_EQ(r.attempts(), 2);
  }
}

// The first zone of the catalog `text`.
v1::Zone ParseZone(absl::string_view text) {
  absl::StatusOr<v1::Catalog> catalog = ParseCatalog(text, "t");
  EXPECT_TRUE(catalog.ok()) << catalog.status();
  return catalog.ok() ? catalog->zone(0) : v1::Zone();
}

// With an exact code besides the bits: exact codes are matched first.
v1::Zone MaskZone() {
  v1::Zone zone = ParseZone(testing::kBitmaskZone);
  v1::ReturnCode* exact = zone.add_code();
  exact->set_value("127.0.0.255");
  exact->set_category(v1::OTHER);
  exact->set_meaning("exact");
  return zone;
}

TEST(InterpretAnswerTest, BitmaskAnswerYieldsEveryCategoryOfItsBits) {
  v1::ZoneResult r = InterpretAnswer(MaskZone(), kIp, Answer({"127.0.0.12"}));
  EXPECT_EQ(r.status(), v1::LISTED);
  EXPECT_THAT(r.categories(), ElementsAre(v1::OPEN_RELAY, v1::OPEN_PROXY));
  EXPECT_THAT(r.meanings(), ElementsAre("RSS + OPS"));
  google::protobuf::RepeatedPtrField<v1::ZoneResult> results;
  *results.Add() = r;
  v1::Summary s = Summarize(results);
  EXPECT_THAT(s.open_relay_by(), ElementsAre("mask.test"));
  EXPECT_THAT(s.open_proxy_by(), ElementsAre("mask.test"));

  v1::ZoneResult rbl = InterpretAnswer(MaskZone(), kIp, Answer({"127.0.0.1"}));
  EXPECT_THAT(rbl.categories(), ElementsAre(v1::SPAM_SOURCE));
  EXPECT_THAT(rbl.meanings(), ElementsAre("RBL"));
  // An exact code wins over the bits it holds.
  v1::ZoneResult exact =
      InterpretAnswer(MaskZone(), kIp, Answer({"127.0.0.255"}));
  EXPECT_THAT(exact.categories(), ElementsAre(v1::OTHER));
  EXPECT_THAT(exact.meanings(), ElementsAre("exact"));
  // Bits beyond the documented ones: only the documented ones count.
  EXPECT_THAT(
      InterpretAnswer(MaskZone(), kIp, Answer({"127.0.0.20"})).categories(),
      ElementsAre(v1::OPEN_RELAY));
}

v1::Zone ExhaustiveZone() {
  v1::Zone zone = ParseZone(testing::kExhaustiveZone);
  zone.set_default_category(v1::SPAM_SOURCE);
  return zone;
}

TEST(InterpretAnswerTest, UndocumentedAnswerOfExhaustiveZoneIsError) {
  v1::ZoneResult r = InterpretAnswer(ExhaustiveZone(), kIp,
                                     Answer({"127.0.0.36", "127.0.0.99"}));
  EXPECT_EQ(r.status(), v1::ERROR);
  EXPECT_EQ(r.error(), v1::UNDOCUMENTED_ANSWER);
  EXPECT_THAT(r.detail(), HasSubstr("answer 127.0.0.99 is not one its operator "
                                    "documents (only 127.0.0.36, 127.0.0.38)"));
  EXPECT_THAT(r.codes(), ElementsAre("127.0.0.36", "127.0.0.99"));
  EXPECT_EQ(
      InterpretAnswer(ExhaustiveZone(), kIp, Answer({"127.0.0.38"})).status(),
      v1::LISTED);
  EXPECT_EQ(InterpretAnswer(ExhaustiveZone(), kIp, Answer({"127.255.255.254"}))
                .status(),
            v1::REFUSED);
  // Without the flag, the default category takes it.
  v1::Zone open = ExhaustiveZone();
  open.set_exhaustive_codes(false);
  EXPECT_EQ(InterpretAnswer(open, kIp, Answer({"127.0.0.99"})).status(),
            v1::LISTED);
}

DnsResponse Txt(std::vector<std::string> records) {
  DnsResponse r = Answer(std::move(records));
  r.ttl = 0;
  return r;
}

TEST(ApplyTxtGuardTest, ListingNeedsTheOperatorsReason) {
  v1::Zone zone = ParseZone(testing::kTxtGuardZone);
  v1::ZoneResult listed = InterpretAnswer(zone, kIp, Answer({"127.0.0.2"}));
  v1::ZoneResult ok = ApplyTxtGuard(
      zone, AttachTxt(listed, Txt({"Blocked - see https://www.SpamCop.net/"})));
  EXPECT_EQ(ok.status(), v1::LISTED);

  v1::ZoneResult parked =
      ApplyTxtGuard(zone, AttachTxt(listed, Txt({"This domain is for sale"})));
  EXPECT_EQ(parked.status(), v1::ERROR);
  EXPECT_EQ(parked.error(), v1::UNVERIFIED_LISTING);
  EXPECT_THAT(parked.detail(), HasSubstr("name \"spamcop\" in their TXT"));
  EXPECT_THAT(parked.txt(), ElementsAre("This domain is for sale"));
  EXPECT_THAT(parked.codes(), ElementsAre("127.0.0.2"));
  EXPECT_TRUE(parked.categories().empty());

  v1::ZoneResult failed =
      ApplyTxtGuard(zone, AttachTxt(listed, Failure(DnsOutcome::kTimeout)));
  EXPECT_EQ(failed.error(), v1::UNVERIFIED_LISTING);
  EXPECT_THAT(failed.detail(), HasSubstr("TXT lookup failed"));
  EXPECT_EQ(
      ApplyTxtGuard(zone, AttachTxt(listed, Failure(DnsOutcome::kNxDomain)))
          .error(),
      v1::UNVERIFIED_LISTING);
  // Not listed, or no guard: untouched.
  v1::ZoneResult clean =
      InterpretAnswer(zone, kIp, Failure(DnsOutcome::kNxDomain));
  EXPECT_EQ(ApplyTxtGuard(zone, clean).status(), v1::NOT_LISTED);
  EXPECT_EQ(ApplyTxtGuard(TestZone(), AttachTxt(listed, Txt({"x"}))).status(),
            v1::LISTED);
}

TEST(AttachTxtTest, AddsReasonsAsValidUtf8) {
  v1::ZoneResult listed =
      InterpretAnswer(TestZone(), kIp, Answer({"127.0.0.2"}));
  v1::ZoneResult r =
      AttachTxt(listed, Answer({"see https://x/", std::string("bad\xff")}));
  EXPECT_THAT(r.txt(), ElementsAre("see https://x/", "bad\\xff"));
  EXPECT_EQ(r.status(), v1::LISTED);
}

TEST(AttachTxtTest, FailedTxtKeepsVerdictAndSaysWhy) {
  v1::ZoneResult listed =
      InterpretAnswer(TestZone(), kIp, Answer({"127.0.0.2"}));
  v1::ZoneResult r = AttachTxt(listed, Failure(DnsOutcome::kTimeout));
  EXPECT_EQ(r.status(), v1::LISTED);
  EXPECT_THAT(r.detail(), HasSubstr("TXT lookup failed"));
  r = AttachTxt(listed, Failure(DnsOutcome::kNxDomain));
  EXPECT_TRUE(r.detail().empty());
}

v1::ZoneResult Result(const std::string& zone, v1::Status status,
                      std::vector<v1::Category> categories = {}) {
  v1::ZoneResult r;
  r.set_zone(zone);
  r.set_status(status);
  for (v1::Category c : categories) r.add_categories(c);
  return r;
}

TEST(SummarizeTest, MergesListingsByCategory) {
  v1::Report report;
  *report.add_results() = Result("a", v1::LISTED, {v1::OPEN_PROXY});
  *report.add_results() = Result("b", v1::NOT_LISTED);
  *report.add_results() =
      Result("c", v1::LISTED, {v1::EXPLOITED, v1::OPEN_RELAY});
  *report.add_results() = Result("d", v1::SKIPPED);
  v1::Summary s = Summarize(report.results());
  EXPECT_TRUE(s.listed());
  EXPECT_THAT(s.listed_by(), ElementsAre("a", "c"));
  EXPECT_THAT(s.open_proxy_by(), ElementsAre("a"));
  EXPECT_THAT(s.open_relay_by(), ElementsAre("c"));
  EXPECT_THAT(s.categories(),
              ElementsAre(v1::OPEN_RELAY, v1::OPEN_PROXY, v1::EXPLOITED));
  EXPECT_EQ(s.asked(), 3);
  EXPECT_EQ(s.answered(), 3);
  EXPECT_EQ(s.errors(), 0);
  EXPECT_EQ(VerdictOf(s), Verdict::kListed);
}

TEST(SummarizeTest, AllowlistIsNotAListing) {
  v1::Report report;
  *report.add_results() = Result("wl", v1::LISTED, {v1::ALLOWLISTED});
  *report.add_results() = Result("b", v1::NOT_LISTED);
  v1::Summary s = Summarize(report.results());
  EXPECT_FALSE(s.listed());
  EXPECT_THAT(s.allowlisted_by(), ElementsAre("wl"));
  EXPECT_EQ(VerdictOf(s), Verdict::kNotListed);
}

TEST(SummarizeTest, ErrorsAndRefusalsMakeTheVerdictIncomplete) {
  v1::Report report;
  *report.add_results() = Result("a", v1::NOT_LISTED);
  *report.add_results() = Result("b", v1::ERROR);
  *report.add_results() = Result("c", v1::REFUSED);
  v1::Summary s = Summarize(report.results());
  EXPECT_FALSE(s.listed());
  EXPECT_EQ(s.errors(), 2);
  EXPECT_EQ(s.answered(), 1);
  EXPECT_EQ(VerdictOf(s), Verdict::kIncomplete);
  // A listing elsewhere still makes it listed.
  *report.add_results() = Result("d", v1::LISTED, {v1::SPAM_SOURCE});
  EXPECT_EQ(VerdictOf(Summarize(report.results())), Verdict::kListed);
}

TEST(SummarizeTest, SkippedZonesDoNotMakeItIncomplete) {
  v1::Report report;
  *report.add_results() = Result("a", v1::NOT_LISTED);
  *report.add_results() = Result("b", v1::SKIPPED);
  EXPECT_EQ(VerdictOf(Summarize(report.results())), Verdict::kNotListed);
}

v1::Report ReportWith(absl::string_view address,
                      std::vector<v1::ZoneResult> results) {
  v1::Report report;
  report.set_address(std::string(address));
  for (v1::ZoneResult& r : results) *report.add_results() = std::move(r);
  *report.mutable_summary() = Summarize(report.results());
  return report;
}

TEST(VerdictTallyTest, AddsUpVerdictsCategoriesErrorsAndRefusals) {
  VerdictTally tally;
  EXPECT_EQ(tally.overall(), Verdict::kNotListed);
  tally.Add(ReportWith(
      "192.0.2.1",
      {InterpretAnswer(TestZone(), kIp, Failure(DnsOutcome::kNxDomain))}));
  EXPECT_EQ(tally.overall(), Verdict::kNotListed);
  tally.Add(ReportWith(
      "192.0.2.2",
      {InterpretAnswer(TestZone(), kIp, Failure(DnsOutcome::kTimeout))}));
  EXPECT_EQ(tally.overall(), Verdict::kIncomplete);
  v1::ZoneResult refused =
      InterpretAnswer(TestZone(), kIp, Answer({"127.255.255.254"}));
  v1::ZoneResult relay =
      InterpretAnswer(TestZone(), kIp, Answer({"127.0.0.2"}));
  relay.set_zone("other.example");
  tally.Add(ReportWith("192.0.2.3", {refused, relay}));
  tally.Add(ReportWith("192.0.2.4", {refused}));
  EXPECT_EQ(tally.overall(), Verdict::kListed);
  EXPECT_EQ(tally.reports, 4);
  EXPECT_EQ(tally.listed, 1);
  EXPECT_EQ(tally.incomplete, 2);
  EXPECT_EQ(tally.by_category.at("OPEN_RELAY"), 1);
  EXPECT_EQ(tally.errors.at("TIMEOUT"), 1);
  EXPECT_EQ(tally.errors.at("REFUSED_CODE"), 2);
  EXPECT_THAT(tally.refusing_zones, ElementsAre("bl.example"));
}

}  // namespace
}  // namespace dnsbl

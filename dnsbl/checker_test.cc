// Checker behaviour that needs exact control of answers and time, with the
// fake resolver and clock. What real DNS does is tested against rbldnsd in
// tests/checker_integration_test.cc.

#include "dnsbl/checker.h"

#include <cmath>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "dnsbl/catalog/catalog.h"
#include "dnsbl/dns/resolver_policy.h"
#include "dnsbl/internal/checker_setup.h"
#include "dnsbl/verdict/internal/interpret.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fakes.h"

namespace dnsbl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kCatalog[] = R"pb(
  zone {
    name: "a.test"
    ipv4: true
    ipv6: true
    code { value: "127.0.0.2" category: OPEN_RELAY meaning: "relay" }
  }
  zone { name: "v4only.test" ipv4: true }
  zone { name: "v6only.test" ipv6: true }
  zone { name: "off.test" ipv4: true ipv6: true disabled: true }
  zone { name: "b.test" ipv4: true ipv6: true }
  zone {
    name: "keyed.test"
    ipv4: true
    needs_key: true
    key_name: "keyed"
    code { value: "127.0.0.4" category: OPEN_PROXY meaning: "proxy" }
  }
  zone {
    name: "gone.test"
    ipv4: true
    retired: true
    retired_note: "Shut down 2013; lists everything since 2024."
  }
)pb";

DnsResponse Answer(std::vector<std::string> records) {
  DnsResponse r;
  r.outcome = DnsOutcome::kAnswer;
  r.records = std::move(records);
  r.attempts = 1;
  return r;
}

DnsResponse NxDomain() {
  DnsResponse r;
  r.outcome = DnsOutcome::kNxDomain;
  r.attempts = 1;
  return r;
}

// What a real zone answers for its own name: NOERROR, no A record.
DnsResponse NoData() {
  DnsResponse r;
  r.outcome = DnsOutcome::kNoData;
  r.attempts = 1;
  return r;
}

CheckerOptions NoHealthCheck() {
  CheckerOptions options;
  options.health_check = false;
  return options;
}

class CheckerTest : public ::testing::Test {
 protected:
  // Health probes are tested on their own below; most tests leave them out
  // so that they can count the questions asked.
  std::unique_ptr<Checker> Make(CheckerOptions options = NoHealthCheck()) {
    options.catalog =
        std::make_shared<const v1::Catalog>(*ParseCatalog(kCatalog, "t"));
    options.clock = &clock_;
    auto resolver = std::make_unique<testing::FakeResolver>();
    resolver_ = resolver.get();
    absl::StatusOr<std::unique_ptr<Checker>> checker =
        CreateCheckerOver(options, std::move(resolver));
    EXPECT_TRUE(checker.ok()) << checker.status();
    return *std::move(checker);
  }

  testing::FakeClock clock_{absl::FromUnixSeconds(1795000000),
                            absl::Milliseconds(5)};
  testing::FakeResolver* resolver_ = nullptr;
};

TEST_F(CheckerTest, AsksEveryZoneAtOnceAndKeepsCatalogOrder) {
  std::unique_ptr<Checker> checker = Make();
  resolver_->Set("7.2.0.192.a.test", RecordType::kA, Answer({"127.0.0.2"}));
  resolver_->Set("7.2.0.192.a.test", RecordType::kTxt, Answer({"why"}));
  resolver_->Set("7.2.0.192.v4only.test", RecordType::kA, NxDomain());
  resolver_->Set("7.2.0.192.b.test", RecordType::kA, NxDomain());
  absl::StatusOr<v1::Report> report = checker->Check("192.0.2.7");
  ASSERT_TRUE(report.ok()) << report.status();
  // Three A questions in flight together, then one TXT for the listing.
  EXPECT_EQ(resolver_->max_pending(), 3u);
  EXPECT_THAT(resolver_->asked(),
              ElementsAre("7.2.0.192.a.test/A", "7.2.0.192.v4only.test/A",
                          "7.2.0.192.b.test/A", "7.2.0.192.a.test/TXT"));
  // Disabled and retired zones are left out unless named.
  ASSERT_EQ(report->results_size(), 5);
  EXPECT_EQ(report->results(0).zone(), "a.test");
  EXPECT_EQ(report->results(0).status(), v1::LISTED);
  EXPECT_THAT(report->results(0).txt(), ElementsAre("why"));
  EXPECT_EQ(report->results(1).status(), v1::NOT_LISTED);
  EXPECT_EQ(report->results(2).status(), v1::SKIPPED);
  EXPECT_THAT(report->results(2).detail(), HasSubstr("only IPv6"));
  EXPECT_EQ(report->results(3).status(), v1::NOT_LISTED);
  EXPECT_EQ(report->results(3).zone(), "b.test");
  EXPECT_EQ(report->results(4).status(), v1::SKIPPED);
  EXPECT_THAT(report->results(4).detail(),
              HasSubstr("needs a key: give CheckerOptions::keys[\"keyed\"]"));
  // Zones the user did not set up do not make the verdict incomplete.
  EXPECT_EQ(report->summary().errors(), 0);
  EXPECT_THAT(report->summary().open_relay_by(), ElementsAre("a.test"));
  EXPECT_EQ(report->address(), "192.0.2.7");
  EXPECT_EQ(report->resolver(), "fake");
}

TEST_F(CheckerTest, LocalZonesAreReadDirectlyAndReportedInTheNextPoll) {
  const std::string path = ::testing::TempDir() + "/a.zone";
  std::ofstream(path) << ":127.0.0.2:listed $\n192.0.2.7\n";
  CheckerOptions options = NoHealthCheck();
  options.zone_data = {"a.test:ip4set:" + path};
  std::unique_ptr<Checker> checker = Make(options);
  resolver_->Set("7.2.0.192.v4only.test", RecordType::kA, NxDomain());
  resolver_->Set("7.2.0.192.b.test", RecordType::kA, NxDomain());
  std::optional<v1::Report> report;
  checker->CheckAsync(*IpAddress::Parse("192.0.2.7"),
                      [&](v1::Report r) { report = std::move(r); });
  EXPECT_FALSE(report.has_value());  // Never inside CheckAsync().
  while (checker->pending() > 0) checker->Poll(absl::Milliseconds(10));
  ASSERT_TRUE(report.has_value());
  const v1::ZoneResult& a = report->results(0);
  EXPECT_EQ(a.status(), v1::LISTED);
  EXPECT_THAT(a.codes(), ElementsAre("127.0.0.2"));
  EXPECT_THAT(a.txt(), ElementsAre("listed 192.0.2.7"));
  EXPECT_EQ(a.query(), "7.2.0.192.a.test");
  EXPECT_EQ(a.data_file(), path);
  EXPECT_EQ(a.latency_ms(), 0);
  EXPECT_EQ(report->results(1).status(), v1::NOT_LISTED);  // Over DNS.
  // A and TXT from the file; nothing about a.test reached the resolver.
  EXPECT_EQ(checker->local_answers(), 2);
  for (const std::string& asked : resolver_->asked()) {
    EXPECT_THAT(asked, ::testing::Not(HasSubstr(".a.test/"))) << asked;
  }

  // An address every zone answers at once (all local or skipped) is still
  // reported in a Poll(), and pending() counts it until then.
  CheckerOptions only_local = NoHealthCheck();
  only_local.zone_data = {"a.test:ip4set:" + path};
  only_local.zones = {"a.test"};
  std::unique_ptr<Checker> local = Make(only_local);
  report.reset();
  local->CheckAsync(*IpAddress::Parse("192.0.2.8"),
                    [&](v1::Report r) { report = std::move(r); });
  EXPECT_FALSE(report.has_value());
  EXPECT_EQ(local->pending(), 1u);
  EXPECT_EQ(local->NextTimeout(), absl::ZeroDuration());
  local->Poll(absl::Seconds(5));
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->results(0).status(), v1::NOT_LISTED);
  EXPECT_EQ(local->pending(), 0u);
  EXPECT_EQ(local->local_answers(), 1);
}

TEST_F(CheckerTest, TimestampsAndLatencyComeFromTheClock) {
  std::unique_ptr<Checker> checker = Make();
  absl::StatusOr<v1::Report> report = checker->Check("192.0.2.7");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->started().seconds(), 1795000000);
  EXPECT_GT(report->finished().nanos() + report->finished().seconds() * 1e9,
            report->started().nanos() + report->started().seconds() * 1e9);
  // Each clock read advances 5 ms: sent, then answered, per zone.
  EXPECT_GT(report->results(0).latency_ms(), 0);
  EXPECT_EQ(std::fmod(report->results(0).latency_ms(), 5.0), 0.0);
}

TEST_F(CheckerTest, UnansweredZonesAreErrorsNotListings) {
  std::unique_ptr<Checker> checker = Make();
  absl::StatusOr<v1::Report> report = checker->Check("192.0.2.7");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->results(0).status(), v1::ERROR);
  EXPECT_EQ(report->summary().errors(), 3);
  EXPECT_EQ(VerdictOf(report->summary()), Verdict::kIncomplete);
}

TEST_F(CheckerTest, NoTxtWhenTurnedOff) {
  CheckerOptions options = NoHealthCheck();
  options.fetch_txt = false;
  std::unique_ptr<Checker> checker = Make(options);
  resolver_->Set("7.2.0.192.a.test", RecordType::kA, Answer({"127.0.0.2"}));
  ASSERT_TRUE(checker->Check("192.0.2.7").ok());
  for (const std::string& q : resolver_->asked()) {
    EXPECT_THAT(q, ::testing::EndsWith("/A"));
  }
}

TEST_F(CheckerTest, NamedDisabledZoneIsAsked) {
  CheckerOptions options = NoHealthCheck();
  options.zones = {"off.test"};
  std::unique_ptr<Checker> checker = Make(options);
  resolver_->Set("7.2.0.192.off.test", RecordType::kA, NxDomain());
  absl::StatusOr<v1::Report> report = checker->Check("192.0.2.7");
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->results_size(), 1);
  EXPECT_EQ(report->results(0).status(), v1::NOT_LISTED);
}

TEST_F(CheckerTest, Ipv6UsesNibbleNames) {
  std::unique_ptr<Checker> checker = Make();
  absl::StatusOr<v1::Report> report = checker->Check("2001:db8::1");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->results(1).status(), v1::SKIPPED);  // v4only
  EXPECT_EQ(report->results(0).query(),
            "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2."
            "a.test");
}

TEST_F(CheckerTest, HostNamesAreResolvedAndEachAddressChecked) {
  std::unique_ptr<Checker> checker = Make();
  resolver_->Set("mail.example", RecordType::kA,
                 Answer({"192.0.2.7", "192.0.2.8"}));
  resolver_->Set("mail.example", RecordType::kAaaa, Answer({"2001:db8::1"}));
  absl::StatusOr<std::vector<v1::Report>> reports =
      checker->CheckHost("Mail.Example");
  ASSERT_TRUE(reports.ok()) << reports.status();
  ASSERT_EQ(reports->size(), 3u);
  EXPECT_EQ((*reports)[0].address(), "192.0.2.7");
  EXPECT_EQ((*reports)[2].address(), "2001:db8::1");
  EXPECT_EQ((*reports)[0].hostname(), "mail.example");
}

TEST_F(CheckerTest, HostNameErrors) {
  std::unique_ptr<Checker> checker = Make();
  resolver_->Set("gone.example", RecordType::kA, NxDomain());
  resolver_->Set("gone.example", RecordType::kAaaa, NxDomain());
  EXPECT_EQ(checker->CheckHost("gone.example").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(checker->CheckHost("slow.example").status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(checker->CheckHost("256.1.1.1").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(checker->CheckHost("bad host").status().code(),
            absl::StatusCode::kInvalidArgument);
  // Only the two good names were asked, each for A and AAAA.
  EXPECT_EQ(resolver_->asked().size(), 4u);
}

TEST_F(CheckerTest, NamedRetiredZoneIsSkippedWithItsStory) {
  CheckerOptions options = NoHealthCheck();
  options.zones = {"gone.test"};
  std::unique_ptr<Checker> checker = Make(options);
  absl::StatusOr<v1::Report> report = checker->Check("192.0.2.7");
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(resolver_->asked().empty());
  ASSERT_EQ(report->results_size(), 1);
  EXPECT_EQ(report->results(0).status(), v1::SKIPPED);
  EXPECT_EQ(report->results(0).detail(),
            "retired: Shut down 2013; lists everything since 2024.");
  EXPECT_EQ(VerdictOf(report->summary()), Verdict::kNotListed);
}

TEST_F(CheckerTest, KeyedZoneAsksWithKeyAndNeverShowsIt) {
  CheckerOptions options = NoHealthCheck();
  options.zones = {"keyed.test"};
  options.keys = {{"keyed", "s3cr3tk3yabcdef"}};
  std::unique_ptr<Checker> checker = Make(options);
  resolver_->Set("7.2.0.192.s3cr3tk3yabcdef.keyed.test", RecordType::kA,
                 Answer({"127.0.0.4"}));
  absl::StatusOr<v1::Report> report = checker->Check("192.0.2.7");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->results(0).status(), v1::LISTED);
  EXPECT_EQ(report->results(0).query(), "7.2.0.192.s3cr****.keyed.test");
  EXPECT_EQ(report->DebugString().find("s3cr3tk3y"), std::string::npos);
}

// A zone that answers "listed" for everything, as dead zones bought by
// squatters do.
TEST_F(CheckerTest, WildcardZoneAnswersAreSkippedNotListed) {
  CheckerOptions options;
  options.zones = {"a.test", "b.test"};
  std::unique_ptr<Checker> checker = Make(options);
  resolver_->SetZone("a.test", RecordType::kA, Answer({"127.0.0.2"}));
  resolver_->SetZone("b.test", RecordType::kA, NxDomain());
  resolver_->Set("2.0.0.127.b.test", RecordType::kA, Answer({"127.0.0.2"}));
  resolver_->Set("a.test", RecordType::kA, NoData());
  resolver_->Set("b.test", RecordType::kA, NoData());
  absl::StatusOr<v1::Report> report = checker->Check("192.0.2.7");
  ASSERT_TRUE(report.ok());
  const v1::ZoneResult& wild = report->results(0);
  EXPECT_EQ(wild.status(), v1::SKIPPED);
  EXPECT_EQ(wild.health(), v1::WILDCARD);
  EXPECT_EQ(wild.error(), v1::UNHEALTHY_ZONE);
  EXPECT_THAT(wild.detail(), HasSubstr("zone health is WILDCARD"));
  EXPECT_THAT(wild.detail(), HasSubstr("127.0.0.1"));
  EXPECT_THAT(wild.codes(), ElementsAre("127.0.0.2"));  // kept as evidence
  EXPECT_EQ(report->results(1).status(), v1::NOT_LISTED);
  EXPECT_EQ(report->results(1).health(), v1::HEALTHY);
  EXPECT_FALSE(report->summary().listed());
  EXPECT_EQ(VerdictOf(report->summary()), Verdict::kIncomplete);
  // No TXT was fetched for the unusable listing.
  for (const std::string& q : resolver_->asked()) {
    EXPECT_THAT(q, ::testing::EndsWith("/A"));
  }
}

TEST_F(CheckerTest, HealthIsProbedOncePerChecker) {
  CheckerOptions options;
  options.zones = {"b.test"};
  std::unique_ptr<Checker> checker = Make(options);
  resolver_->SetZone("b.test", RecordType::kA, NxDomain());
  resolver_->Set("b.test", RecordType::kA, NoData());
  ASSERT_TRUE(checker->Check("192.0.2.7").ok());
  ASSERT_TRUE(checker->Check("192.0.2.8").ok());
  // 3 test points (NO_TEST_ENTRY: nothing listed) and the zone's own name,
  // plus one question per address.
  EXPECT_EQ(resolver_->asked().size(), 6u);
  v1::HealthReport health = checker->ProbeHealth();
  EXPECT_EQ(resolver_->asked().size(), 6u);
  ASSERT_EQ(health.zones_size(), 1);
  EXPECT_EQ(health.zones(0).state(), v1::NO_TEST_ENTRY);
  EXPECT_EQ(health.zones(0).probes_size(), 4);
}

TEST_F(CheckerTest, StaleHealthIsProbedAgainAndAZoneComesBack) {
  CheckerOptions options;
  options.zones = {"a.test"};
  options.health_max_age = absl::Minutes(5);
  std::unique_ptr<Checker> checker = Make(options);
  // Wildcard at first: everything listed, so its answers are not used.
  resolver_->SetZone("a.test", RecordType::kA, Answer({"127.0.0.2"}));
  resolver_->Set("a.test", RecordType::kA, NoData());
  absl::StatusOr<v1::Report> first = checker->Check("192.0.2.7");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->results(0).health(), v1::WILDCARD);
  EXPECT_EQ(first->results(0).status(), v1::SKIPPED);
  const size_t probed = resolver_->asked().size();
  // The zone is repaired; within the five minutes the verdict on it holds
  // and nothing is probed again.
  resolver_->SetZone("a.test", RecordType::kA, NxDomain());
  resolver_->Set("2.0.0.127.a.test", RecordType::kA, Answer({"127.0.0.2"}));
  ASSERT_EQ(checker->Check("192.0.2.8")->results(0).status(), v1::SKIPPED);
  EXPECT_EQ(resolver_->asked().size(), probed + 1);
  // Past them, the next check probes again (its own answer still judged by
  // the old verdict), and the one after it uses the new one.
  clock_.Set(clock_.Now() + absl::Minutes(6));
  ASSERT_TRUE(checker->Check("192.0.2.9").ok());
  EXPECT_GT(resolver_->asked().size(), probed + 2);
  absl::StatusOr<v1::Report> later = checker->Check("192.0.2.10");
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->results(0).health(), v1::HEALTHY);
  EXPECT_EQ(later->results(0).status(), v1::NOT_LISTED);
}

// A keyed zone's own name is asked with its key, as its questions are.
TEST_F(CheckerTest, KeyedZoneNameIsProbedWithItsKey) {
  CheckerOptions options;
  options.zones = {"keyed.test"};
  options.keys = {{"keyed", "s3cr3tk3yabcdef"}};
  std::unique_ptr<Checker> checker = Make(options);
  resolver_->SetZone("s3cr3tk3yabcdef.keyed.test", RecordType::kA, NxDomain());
  resolver_->Set("s3cr3tk3yabcdef.keyed.test", RecordType::kA, NoData());
  v1::HealthReport health = checker->ProbeHealth();
  EXPECT_THAT(resolver_->asked(),
              ::testing::Contains("s3cr3tk3yabcdef.keyed.test/A"));
  ASSERT_EQ(health.zones_size(), 1);
  EXPECT_EQ(health.zones(0).state(), v1::NO_TEST_ENTRY);
  EXPECT_EQ(health.DebugString().find("s3cr3tk3y"), std::string::npos);
}

// Through a resolver that answers NXDOMAIN for everything (no internet, or
// a DNS firewall), no zone is "not listed": each is unusable, the verdict
// incomplete, and one warning names the path.
TEST_F(CheckerTest, NxDomainForEverythingIsNeverNotListed) {
  CheckerOptions options;
  options.zones = {"a.test", "b.test"};
  std::unique_ptr<Checker> checker = Make(options);
  for (const char* zone : {"a.test", "b.test"}) {
    resolver_->SetZone(zone, RecordType::kA, NxDomain());
    resolver_->Set(zone, RecordType::kA, NxDomain());
  }
  absl::StatusOr<v1::Report> report = checker->Check("192.0.2.7");
  ASSERT_TRUE(report.ok());
  for (const v1::ZoneResult& r : report->results()) {
    EXPECT_EQ(r.status(), v1::SKIPPED) << r.zone();
    EXPECT_EQ(r.health(), v1::NO_SUCH_ZONE) << r.zone();
  }
  EXPECT_EQ(VerdictOf(report->summary()), Verdict::kIncomplete);
  EXPECT_EQ(report->summary().errors(), 2);
  EXPECT_THAT(PathWarnings("fake", checker->ProbedHealth()),
              ElementsAre(HasSubstr("cannot see 2 of the 2 blocklists")));
}

TEST(CheckerCreateTest, RejectsBadOptions) {
  CheckerOptions options;
  options.catalog =
      std::make_shared<const v1::Catalog>(*ParseCatalog(kCatalog, "t"));
  options.zones = {"missing.test"};
  EXPECT_EQ(Checker::Create(options).status().code(),
            absl::StatusCode::kNotFound);
  options.zones.clear();
  options.nameservers = {"not-an-ip:53"};
  EXPECT_EQ(Checker::Create(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.nameservers = {"127.0.0.1:53"};
  options.tries = 0;
  EXPECT_EQ(Checker::Create(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.tries = 1;
  options.timeout = absl::ZeroDuration();
  EXPECT_EQ(Checker::Create(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  v1::Catalog bad;
  bad.add_zone()->set_name("x.test");  // neither ipv4 nor ipv6
  options.timeout = absl::Seconds(1);
  options.catalog = std::make_shared<const v1::Catalog>(bad);
  EXPECT_EQ(Checker::Create(options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace dnsbl

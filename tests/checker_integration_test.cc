// The library against a real DNSBL server: rbldnsd on loopback, real UDP
// queries through c-ares.

#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "dnsbl/dns/internal/ares_resolver.h"
#include "dnsbl/dnsbl.h"
#include "dnsbl/internal/checker_setup.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/rbldnsd_server.h"
#include "tests/results.h"

namespace dnsbl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

constexpr char kCatalog[] = R"pb(
  zone {
    name: "bl.test"
    ipv4: true
    ipv6: true
    code { value: "127.0.0.2" category: SPAM_SOURCE meaning: "spam" }
    code { value: "127.0.0.4" category: EXPLOITED meaning: "exploited" }
    code { value: "127.0.0.9" category: OPEN_PROXY meaning: "open proxy" }
    lookup_url: "https://bl.test/lookup?ip={ip}"
  }
  zone {
    name: "efnet.test"
    ipv4: true
    code { value: "127.0.0.1" category: OPEN_PROXY meaning: "open proxy" }
  }
  zone { name: "refusing.test" ipv4: true refused_code: "127.255.255.254" }
  zone { name: "rewritten.test" ipv4: true }
  zone { name: "unserved.test" ipv4: true }
)pb";

class CheckerIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<testing::RbldnsdServer>> server =
        testing::RbldnsdServer::Start({
            {"bl.test", "ip4set",
             ":127.0.0.2:Listed, see https://bl.test/$\n"
             "127.0.0.2\n"
             "192.0.2.1 :127.0.0.4:exploited host $\n"
             "192.0.2.2\n"},
            // A second dataset of the same zone: 192.0.2.1 gets two codes.
            {"bl.test", "ip4set", "192.0.2.1 :127.0.0.9:open proxy\n"},
            {"bl.test", "ip6trie",
             ":127.0.0.2:IPv6 listed $\n"
             "2001:db8::1\n"
             "::ffff:7f00:2\n"},
            {"efnet.test", "ip4set", "192.0.2.1 :127.0.0.1:open proxy\n"},
            {"refusing.test", "ip4trie",
             "0.0.0.0/0 :127.255.255.254:query refused\n"},
            {"rewritten.test", "ip4set", "192.0.2.1 :198.51.100.7:ad page\n"},
            {"hosts.test", "generic", "mail A 192.0.2.1\nclean A 192.0.2.99\n"},
        });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
  }

  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static std::unique_ptr<Checker> Make(CheckerOptions options) {
    options.catalog =
        std::make_shared<const v1::Catalog>(*ParseCatalog(kCatalog, "t"));
    if (options.nameservers.empty()) {
      options.nameservers = {server_->endpoint()};
    }
    absl::StatusOr<std::unique_ptr<Checker>> checker = Checker::Create(options);
    EXPECT_TRUE(checker.ok()) << checker.status();
    return *std::move(checker);
  }

  static const v1::ZoneResult& Zone(const v1::Report& report,
                                    absl::string_view name) {
    return testing::ResultFor(report, name);
  }

  static testing::RbldnsdServer* server_;
};

testing::RbldnsdServer* CheckerIntegrationTest::server_ = nullptr;

TEST_F(CheckerIntegrationTest, Ipv4ListedWithSeveralCodesAndTxt) {
  CheckerOptions options;
  options.zones = {"bl.test"};
  std::unique_ptr<Checker> checker = Make(options);
  absl::StatusOr<v1::Report> report = checker->Check("192.0.2.1");
  ASSERT_TRUE(report.ok()) << report.status();
  const v1::ZoneResult& r = Zone(*report, "bl.test");
  EXPECT_EQ(r.status(), v1::LISTED);
  EXPECT_THAT(r.codes(), ElementsAre("127.0.0.4", "127.0.0.9"));
  EXPECT_THAT(r.categories(), ElementsAre(v1::EXPLOITED, v1::OPEN_PROXY));
  EXPECT_THAT(r.txt(),
              UnorderedElementsAre("exploited host 192.0.2.1", "open proxy"));
  EXPECT_EQ(r.query(), "1.2.0.192.bl.test");
  EXPECT_EQ(r.ttl(), 300);
  EXPECT_EQ(r.attempts(), 1);
  EXPECT_EQ(r.lookup_url(), "https://bl.test/lookup?ip=192.0.2.1");
  EXPECT_THAT(report->summary().open_proxy_by(), ElementsAre("bl.test"));
  EXPECT_EQ(report->resolver(), server_->endpoint());
}

TEST_F(CheckerIntegrationTest, Ipv4NotListed) {
  CheckerOptions options;
  options.zones = {"bl.test", "efnet.test"};
  absl::StatusOr<v1::Report> report = Make(options)->Check("192.0.2.99");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(Zone(*report, "bl.test").status(), v1::NOT_LISTED);
  EXPECT_EQ(Zone(*report, "efnet.test").status(), v1::NOT_LISTED);
  EXPECT_EQ(VerdictOf(report->summary()), Verdict::kNotListed);
}

TEST_F(CheckerIntegrationTest, Ipv6ListedAndNotListed) {
  CheckerOptions options;
  options.zones = {"bl.test", "efnet.test"};
  std::unique_ptr<Checker> checker = Make(options);
  absl::StatusOr<v1::Report> listed = checker->Check("2001:db8::1");
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(Zone(*listed, "bl.test").status(), v1::LISTED);
  EXPECT_THAT(Zone(*listed, "bl.test").txt(),
              ElementsAre("IPv6 listed 2001:db8::1"));
  EXPECT_EQ(Zone(*listed, "efnet.test").status(), v1::SKIPPED);
  absl::StatusOr<v1::Report> clean = checker->Check("2001:db8::2");
  ASSERT_TRUE(clean.ok());
  EXPECT_EQ(Zone(*clean, "bl.test").status(), v1::NOT_LISTED);
  EXPECT_EQ(VerdictOf(clean->summary()), Verdict::kNotListed);
}

TEST_F(CheckerIntegrationTest, Ipv6TestPointIsAskedAsNibbles) {
  CheckerOptions options;
  options.zones = {"bl.test"};
  absl::StatusOr<v1::Report> report = Make(options)->Check("::ffff:7f00:2");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(Zone(*report, "bl.test").status(), v1::LISTED);
  EXPECT_THAT(Zone(*report, "bl.test").query(),
              ::testing::StartsWith("2.0.0.0.0.0.f.7.f.f.f.f.0.0"));
}

TEST_F(CheckerIntegrationTest, CodeOneIsAListingWhereTheZoneSaysSo) {
  CheckerOptions options;
  options.zones = {"efnet.test"};
  absl::StatusOr<v1::Report> report = Make(options)->Check("192.0.2.1");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(Zone(*report, "efnet.test").status(), v1::LISTED);
  EXPECT_THAT(report->summary().open_proxy_by(), ElementsAre("efnet.test"));
}

TEST_F(CheckerIntegrationTest, RefusedCodeIsRefused) {
  CheckerOptions options;
  options.zones = {"refusing.test"};
  absl::StatusOr<v1::Report> report = Make(options)->Check("192.0.2.1");
  ASSERT_TRUE(report.ok());
  const v1::ZoneResult& r = Zone(*report, "refusing.test");
  EXPECT_EQ(r.status(), v1::REFUSED);
  EXPECT_THAT(r.detail(), HasSubstr("127.255.255.254"));
  EXPECT_FALSE(report->summary().listed());
  EXPECT_EQ(VerdictOf(report->summary()), Verdict::kIncomplete);
}

TEST_F(CheckerIntegrationTest, AnswerOutsideLoopbackNetIsError) {
  CheckerOptions options;
  options.zones = {"rewritten.test"};
  absl::StatusOr<v1::Report> report = Make(options)->Check("192.0.2.1");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(Zone(*report, "rewritten.test").status(), v1::ERROR);
  EXPECT_FALSE(report->summary().listed());
}

TEST_F(CheckerIntegrationTest, UnservedZoneIsErrorNeverNotListed) {
  CheckerOptions options;
  options.zones = {"unserved.test", "bl.test"};
  absl::StatusOr<v1::Report> report = Make(options)->Check("192.0.2.99");
  ASSERT_TRUE(report.ok());
  const v1::ZoneResult& r = Zone(*report, "unserved.test");
  EXPECT_EQ(r.status(), v1::ERROR);
  EXPECT_THAT(r.detail(), HasSubstr("REFUSED"));
  EXPECT_EQ(report->summary().errors(), 1);
  EXPECT_EQ(VerdictOf(report->summary()), Verdict::kIncomplete);
}

TEST_F(CheckerIntegrationTest, SilentNameserverIsErrorWithinTimeoutTimesTries) {
  absl::StatusOr<std::unique_ptr<testing::BlackHoleServer>> hole =
      testing::BlackHoleServer::Start();
  ASSERT_TRUE(hole.ok());
  CheckerOptions options;
  options.nameservers = {(*hole)->endpoint()};
  options.zones = {"bl.test", "efnet.test"};
  options.timeout = absl::Milliseconds(200);
  options.tries = 2;
  std::unique_ptr<Checker> checker = Make(options);
  absl::Time start = absl::Now();
  absl::StatusOr<v1::Report> report = checker->Check("192.0.2.1");
  absl::Duration took = absl::Now() - start;
  ASSERT_TRUE(report.ok());
  for (const v1::ZoneResult& r : report->results()) {
    EXPECT_EQ(r.status(), v1::ERROR) << r.zone();
    EXPECT_THAT(r.detail(), HasSubstr("timed out after 2 tries"));
    EXPECT_EQ(r.attempts(), 2);
  }
  EXPECT_EQ(VerdictOf(report->summary()), Verdict::kIncomplete);
  // Both zones wait together: about timeout x tries, not twice that.
  EXPECT_GE(took, absl::Milliseconds(390));
  EXPECT_LT(took, absl::Milliseconds(400 + 1500));
}

// A resolver that passes questions on and records how many were in flight.
class CountingResolver : public Resolver {
 public:
  explicit CountingResolver(std::unique_ptr<Resolver> inner)
      : inner_(std::move(inner)) {}
  void Lookup(absl::string_view name, RecordType type, Callback done) override {
    inner_->Lookup(name, type, std::move(done));
    max_pending_ = std::max(max_pending_, inner_->pending());
  }
  size_t Poll(absl::Duration d) override { return inner_->Poll(d); }
  size_t pending() const override { return inner_->pending(); }
  std::string Describe() const override { return inner_->Describe(); }
  size_t max_pending() const { return max_pending_; }

 private:
  std::unique_ptr<Resolver> inner_;
  size_t max_pending_ = 0;
};

TEST_F(CheckerIntegrationTest, FiftyZonesAreAskedConcurrently) {
  v1::Catalog catalog;
  std::vector<testing::ZoneData> data;
  for (int i = 0; i < 50; ++i) {
    v1::Zone* zone = catalog.add_zone();
    zone->set_name(absl::StrCat("z", i, ".test"));
    zone->set_ipv4(true);
    data.push_back({zone->name(), "ip4set", i % 5 == 0 ? "192.0.2.1\n" : ""});
  }
  absl::StatusOr<std::unique_ptr<testing::RbldnsdServer>> server =
      testing::RbldnsdServer::Start(data);
  ASSERT_TRUE(server.ok()) << server.status();
  ResolverOptions resolver_options;
  resolver_options.nameservers = {(*server)->endpoint()};
  auto counting =
      std::make_unique<CountingResolver>(*CreateAresResolver(resolver_options));
  CountingResolver* counter = counting.get();
  CheckerOptions options;
  options.catalog = std::make_shared<const v1::Catalog>(catalog);
  absl::StatusOr<std::unique_ptr<Checker>> checker =
      CreateCheckerOver(options, std::move(counting));
  ASSERT_TRUE(checker.ok());
  absl::StatusOr<v1::Report> report = (*checker)->Check("192.0.2.1");
  ASSERT_TRUE(report.ok());
  // 50 address questions and 4 health questions per zone (3 test points
  // and the zone's own name), all started at once (the resolver keeps at
  // most max_inflight of them on the wire): no zone waits for another.
  EXPECT_EQ(counter->max_pending(), 250u);
  EXPECT_EQ(report->summary().listed_by_size(), 10);
  EXPECT_EQ(report->summary().answered(), 50);
}

TEST_F(CheckerIntegrationTest, HostNameIsResolvedThenChecked) {
  CheckerOptions options;
  options.zones = {"bl.test"};
  std::unique_ptr<Checker> checker = Make(options);
  absl::StatusOr<std::vector<v1::Report>> reports =
      checker->CheckHost("mail.hosts.test");
  ASSERT_TRUE(reports.ok()) << reports.status();
  ASSERT_EQ(reports->size(), 1u);
  EXPECT_EQ((*reports)[0].address(), "192.0.2.1");
  EXPECT_EQ((*reports)[0].hostname(), "mail.hosts.test");
  EXPECT_TRUE((*reports)[0].summary().listed());
}

TEST_F(CheckerIntegrationTest, AdaptiveWindowKeepsTheZonesRateLimit) {
  // bl.test allows 20 questions a second (burst 2): 30 addresses cannot be
  // asked in less than (30 - 2) / 20 = 1.4 s, however fast the machine.
  CheckerOptions options;
  options.catalog = std::make_shared<const v1::Catalog>(*ParseCatalog(
      R"pb(zone { name: "bl.test" ipv4: true max_qps: 20 })pb", "t"));
  options.nameservers = {server_->endpoint()};
  options.health_check = false;
  options.fetch_txt = false;
  options.adaptive_window = true;
  absl::StatusOr<std::unique_ptr<Checker>> checker = Checker::Create(options);
  ASSERT_TRUE(checker.ok()) << checker.status();
  std::vector<v1::Report> reports;
  const absl::Time start = absl::Now();
  for (int i = 0; i < 30; ++i) {
    (*checker)->CheckAsync(
        *IpAddress::Parse(absl::StrCat("192.0.2.", i)),
        [&](v1::Report r) { reports.push_back(std::move(r)); });
  }
  while ((*checker)->pending() > 0) (*checker)->Poll(absl::Milliseconds(50));
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(1350));
  ASSERT_EQ(reports.size(), 30u);
  for (const v1::Report& r : reports) {
    const bool listed =
        r.address() == "192.0.2.1" || r.address() == "192.0.2.2";
    EXPECT_EQ(r.results(0).status(), listed ? v1::LISTED : v1::NOT_LISTED)
        << r.address();
  }
}

TEST_F(CheckerIntegrationTest, AsyncChecksShareOneLoop) {
  CheckerOptions options;
  options.zones = {"bl.test", "efnet.test"};
  std::unique_ptr<Checker> checker = Make(options);
  std::vector<v1::Report> reports;
  for (const char* ip : {"192.0.2.1", "192.0.2.2", "192.0.2.99"}) {
    checker->CheckAsync(*IpAddress::Parse(ip),
                        [&](v1::Report r) { reports.push_back(std::move(r)); });
  }
  while (checker->pending() > 0) checker->Poll(absl::Seconds(1));
  ASSERT_EQ(reports.size(), 3u);
  int listed = 0;
  for (const v1::Report& r : reports) listed += r.summary().listed();
  EXPECT_EQ(listed, 2);
}

}  // namespace
}  // namespace dnsbl

// Zone health against rbldnsd zones that imitate each kind of zone met in
// the wild: healthy, without test entry, wildcard, refusing, dead, and
// EFnet-style code 127.0.0.1.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "dnsbl/dnsbl.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/rbldnsd_server.h"
#include "tests/results.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;

constexpr char kCatalog[] = R"pb(
  zone { name: "healthy.test" ipv4: true }
  zone { name: "notest.test" ipv4: true }
  zone { name: "wild.test" ipv4: true }
  zone { name: "refusing.test" ipv4: true refused_code: "127.255.255.254" }
  zone {
    name: "efnet.test"
    ipv4: true
    code { value: "127.0.0.1" category: OPEN_PROXY meaning: "open proxy" }
    code { value: "127.0.0.2" category: OTHER meaning: "test" }
  }
  zone { name: "v6.test" ipv6: true }
  zone { name: "rewriting.test" ipv4: true }
  zone { name: "unserved.test" ipv4: true }
)pb";

class HealthIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<testing::RbldnsdServer>> server =
        testing::RbldnsdServer::Start({
            {"healthy.test", "ip4set", "127.0.0.2\n192.0.2.1\n"},
            {"notest.test", "ip4set", "192.0.2.1\n"},
            {"wild.test", "ip4trie", "0.0.0.0/0 :127.0.0.2:listed\n"},
            {"refusing.test", "ip4trie", "0.0.0.0/0 :127.255.255.254:no\n"},
            {"efnet.test", "ip4set",
             "127.0.0.2 :127.0.0.2:test\n192.0.2.1 :127.0.0.1:open proxy\n"},
            {"v6.test", "ip6trie", "::ffff:7f00:2\n2001:db8::1\n"},
            {"rewriting.test", "ip4trie", "0.0.0.0/0 :198.51.100.1:ads\n"},
        });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
  }
  static void TearDownTestSuite() { delete server_; }

  static std::unique_ptr<Checker> Make(CheckerOptions options) {
    options.catalog =
        std::make_shared<const v1::Catalog>(*ParseCatalog(kCatalog, "t"));
    if (options.nameservers.empty()) {
      options.nameservers = {server_->endpoint()};
    }
    options.timeout = absl::Milliseconds(500);
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

testing::RbldnsdServer* HealthIntegrationTest::server_ = nullptr;

TEST_F(HealthIntegrationTest, ClassifiesEveryKindOfZone) {
  v1::HealthReport report = Make(CheckerOptions())->ProbeHealth();
  std::map<std::string, v1::HealthState> states;
  for (const v1::ZoneHealth& z : report.zones()) states[z.zone()] = z.state();
  EXPECT_EQ(states["healthy.test"], v1::HEALTHY);
  EXPECT_EQ(states["notest.test"], v1::NO_TEST_ENTRY);
  EXPECT_EQ(states["wild.test"], v1::WILDCARD);
  EXPECT_EQ(states["refusing.test"], v1::REFUSING);
  EXPECT_EQ(states["efnet.test"], v1::HEALTHY);
  EXPECT_EQ(states["v6.test"], v1::HEALTHY);
  EXPECT_EQ(states["rewriting.test"], v1::WILDCARD);
  EXPECT_EQ(states["unserved.test"], v1::DEAD);
  ASSERT_EQ(report.warnings_size(), 1);
  EXPECT_THAT(report.warnings(0), HasSubstr("refusing.test refuses"));
  EXPECT_EQ(report.resolver(), server_->endpoint());
}

TEST_F(HealthIntegrationTest, WildcardZoneNeverMakesAnAddressListed) {
  absl::StatusOr<v1::Report> report =
      Make(CheckerOptions())->Check("192.0.2.77");
  ASSERT_TRUE(report.ok());
  const v1::ZoneResult& wild = Zone(*report, "wild.test");
  EXPECT_EQ(wild.status(), v1::SKIPPED);
  EXPECT_EQ(wild.health(), v1::WILDCARD);
  EXPECT_THAT(wild.detail(), HasSubstr("lists 127.0.0.1"));
  EXPECT_EQ(Zone(*report, "rewriting.test").status(), v1::ERROR);
  EXPECT_EQ(Zone(*report, "refusing.test").status(), v1::REFUSED);
  EXPECT_EQ(Zone(*report, "unserved.test").status(), v1::ERROR);
  EXPECT_EQ(Zone(*report, "unserved.test").health(), v1::DEAD);
  EXPECT_FALSE(report->summary().listed());
  EXPECT_EQ(VerdictOf(report->summary()), Verdict::kIncomplete);
}

TEST_F(HealthIntegrationTest, HealthyListingsStillCount) {
  absl::StatusOr<v1::Report> report =
      Make(CheckerOptions())->Check("192.0.2.1");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(Zone(*report, "healthy.test").status(), v1::LISTED);
  EXPECT_EQ(Zone(*report, "healthy.test").health(), v1::HEALTHY);
  EXPECT_EQ(Zone(*report, "notest.test").status(), v1::LISTED);
  EXPECT_EQ(Zone(*report, "notest.test").health(), v1::NO_TEST_ENTRY);
  EXPECT_EQ(Zone(*report, "efnet.test").status(), v1::LISTED);
  EXPECT_THAT(
      report->summary().listed_by(),
      ::testing::ElementsAre("healthy.test", "notest.test", "efnet.test"));
  EXPECT_THAT(report->summary().open_proxy_by(),
              ::testing::ElementsAre("efnet.test"));
}

TEST_F(HealthIntegrationTest, WithoutTheProbeAWildcardLooksListed) {
  // Documents why the probe is on by default.
  CheckerOptions options;
  options.health_check = false;
  options.zones = {"wild.test"};
  absl::StatusOr<v1::Report> report = Make(options)->Check("192.0.2.77");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(Zone(*report, "wild.test").status(), v1::LISTED);
  EXPECT_EQ(Zone(*report, "wild.test").health(), v1::HEALTH_STATE_UNSPECIFIED);
}

TEST_F(HealthIntegrationTest, SilentServerMakesEveryZoneDead) {
  absl::StatusOr<std::unique_ptr<testing::BlackHoleServer>> hole =
      testing::BlackHoleServer::Start();
  ASSERT_TRUE(hole.ok());
  CheckerOptions options;
  options.nameservers = {(*hole)->endpoint()};
  options.tries = 1;
  options.zones = {"healthy.test", "v6.test"};
  v1::HealthReport report = Make(options)->ProbeHealth();
  ASSERT_EQ(report.zones_size(), 2);
  for (const v1::ZoneHealth& z : report.zones()) {
    EXPECT_EQ(z.state(), v1::DEAD) << z.zone();
    EXPECT_THAT(z.detail(), HasSubstr("timed out"));
  }
  // Three test points and the zone's own name, per zone.
  EXPECT_EQ((*hole)->Received(), 8);
}

}  // namespace
}  // namespace dnsbl

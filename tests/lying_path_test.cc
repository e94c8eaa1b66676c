// A lying path never makes an address look clean: rbldnsd behind the fault
// proxy in its lying mode, which answers NXDOMAIN for chosen zones as a
// resolver cut off from the internet or a DNS firewall (RPZ) does. Ground
// truth: every address a zone really lists must never come back
// NOT_LISTED through the liar, and zones the liar leaves alone must still
// give their real answers. Through the library, `check`, `bulk` and
// `health`.

#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "dnsbl/dnsbl.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/fault_proxy.h"
#include "tests/rbldnsd_server.h"
#include "tests/subprocess.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;

// Every zone holds the same data, so ground truth is one set.
constexpr const char* kZones[] = {"real.test", "blocked.test",
                                  "documented.test"};

constexpr char kCatalog[] = R"pb(
  zone { name: "real.test" ipv4: true test_entry: true }
  zone { name: "blocked.test" ipv4: true }
  zone { name: "documented.test" ipv4: true test_entry: true }
)pb";

class LyingPathTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    listed_ = new std::set<std::string>();
    std::string data = ":127.0.0.2:listed $\n127.0.0.2\n";
    for (int i = 0; i < 64; i += 3) {
      std::string ip = absl::StrCat("192.0.2.", i);
      listed_->insert(ip);
      absl::StrAppend(&data, ip, "\n");
    }
    std::vector<testing::ZoneData> datasets;
    for (const char* zone : kZones) datasets.push_back({zone, "ip4set", data});
    absl::StatusOr<std::unique_ptr<testing::RbldnsdServer>> server =
        testing::RbldnsdServer::Start(datasets);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    catalog_path_ = new std::string(
        absl::StrCat(std::getenv("TEST_TMPDIR"), "/lying.textproto"));
    std::ofstream(*catalog_path_) << kCatalog;
    input_path_ = new std::string(
        absl::StrCat(std::getenv("TEST_TMPDIR"), "/lying-input.txt"));
    std::ofstream(*input_path_) << "192.0.2.0/26\n";
  }

  static void TearDownTestSuite() {
    delete server_;
    delete listed_;
    delete catalog_path_;
    delete input_path_;
  }

  static std::unique_ptr<testing::FaultProxy> Liar(
      std::vector<std::string> zones, bool apex, std::string soa) {
    testing::FaultProxyOptions options;
    options.upstream_port = server_->port();
    options.lie_zones = std::move(zones);
    options.lie_about_apex = apex;
    options.lie_soa = std::move(soa);
    absl::StatusOr<std::unique_ptr<testing::FaultProxy>> proxy =
        testing::FaultProxy::Start(options);
    EXPECT_TRUE(proxy.ok()) << proxy.status();
    return proxy.ok() ? *std::move(proxy) : nullptr;
  }

  // Checks 192.0.2.0 to .63 through `proxy` with the library.
  static std::vector<v1::Report> CheckAll(const testing::FaultProxy& proxy,
                                          bool health_check = true) {
    CheckerOptions options;
    options.catalog =
        std::make_shared<const v1::Catalog>(*ParseCatalog(kCatalog, "lying"));
    options.nameservers = {proxy.endpoint()};
    options.health_check = health_check;
    options.timeout = absl::Milliseconds(500);
    absl::StatusOr<std::unique_ptr<Checker>> checker = Checker::Create(options);
    EXPECT_TRUE(checker.ok()) << checker.status();
    std::vector<v1::Report> reports;
    if (!checker.ok()) return reports;
    for (int i = 0; i < 64; ++i) {
      (*checker)->CheckAsync(
          IpAddress::FromIpv4(0xc0000200 + i),
          [&](v1::Report r) { reports.push_back(std::move(r)); });
    }
    while ((*checker)->pending() > 0) (*checker)->Poll(absl::Seconds(1));
    EXPECT_EQ(reports.size(), 64u);
    return reports;
  }

  // Asserts the rule for every result of `reports`: a zone in `lied` is
  // never LISTED or NOT_LISTED (its answers are not the blocklist's);
  // any other zone answers by the ground truth. Returns the results of the
  // lied zones by status, for further checks.
  static std::multiset<v1::Status> ExpectTruth(
      const std::vector<v1::Report>& reports,
      const std::set<std::string>& lied) {
    std::multiset<v1::Status> lied_statuses;
    for (const v1::Report& report : reports) {
      const bool truly = listed_->count(report.address()) > 0;
      for (const v1::ZoneResult& r : report.results()) {
        if (lied.count(r.zone()) > 0) {
          EXPECT_NE(r.status(), v1::NOT_LISTED)
              << report.address() << " in " << r.zone() << ": " << r.detail();
          EXPECT_NE(r.status(), v1::LISTED) << report.address();
          EXPECT_FALSE(r.detail().empty());
          lied_statuses.insert(r.status());
        } else {
          EXPECT_EQ(r.status(), truly ? v1::LISTED : v1::NOT_LISTED)
              << report.address() << " in " << r.zone() << ": " << r.detail();
        }
      }
      if (lied.size() == std::size(kZones)) {
        EXPECT_EQ(VerdictOf(report.summary()), Verdict::kIncomplete);
      }
    }
    return lied_statuses;
  }

  static std::vector<std::string> Flags(const testing::FaultProxy& proxy) {
    return {"--nameserver=" + proxy.endpoint(), "--catalog=" + *catalog_path_,
            "--timeout=500ms"};
  }

  static testing::CommandResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), testing::RunfilePath("cli/dnsbl"));
    absl::StatusOr<testing::CommandResult> result = testing::RunCommand(args);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : testing::CommandResult{};
  }

  // Runs `dnsbl bulk` over 192.0.2.0/26 through `proxy`.
  static testing::CommandResult Bulk(const testing::FaultProxy& proxy) {
    std::vector<std::string> args = {"bulk", "--progress=never"};
    for (std::string& flag : Flags(proxy)) args.push_back(std::move(flag));
    args.push_back(*input_path_);
    return Run(args);
  }

  // Returns the reports of bulk's JSON output, one a line.
  static std::vector<v1::Report> ParseJsonLines(const std::string& out) {
    std::vector<v1::Report> reports;
    for (absl::string_view line :
         absl::StrSplit(out, '\n', absl::SkipEmpty())) {
      v1::Report report;
      EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(std::string(line),
                                                              &report)
                      .ok())
          << line;
      reports.push_back(std::move(report));
    }
    return reports;
  }

  static testing::RbldnsdServer* server_;
  static std::set<std::string>* listed_;
  static std::string* catalog_path_;
  static std::string* input_path_;
};

testing::RbldnsdServer* LyingPathTest::server_ = nullptr;
std::set<std::string>* LyingPathTest::listed_ = nullptr;
std::string* LyingPathTest::catalog_path_ = nullptr;
std::string* LyingPathTest::input_path_ = nullptr;

// A resolver with no internet: NXDOMAIN for every name, the zones' own
// names included, no SOA. This machine's own resolver does exactly this.
TEST_F(LyingPathTest, CutOffResolverMakesEveryZoneUnusable) {
  std::unique_ptr<testing::FaultProxy> proxy =
      Liar({kZones[0], kZones[1], kZones[2]}, /*apex=*/true, "");
  ASSERT_NE(proxy, nullptr);
  std::vector<v1::Report> reports = CheckAll(*proxy);
  std::multiset<v1::Status> statuses =
      ExpectTruth(reports, {kZones[0], kZones[1], kZones[2]});
  EXPECT_EQ(statuses.count(v1::SKIPPED), statuses.size());
  for (const v1::ZoneResult& r : reports[0].results()) {
    EXPECT_EQ(r.health(), v1::NO_SUCH_ZONE) << r.zone();
    EXPECT_EQ(r.error(), v1::UNHEALTHY_ZONE) << r.zone();
    EXPECT_THAT(r.detail(), HasSubstr("does not exist (NXDOMAIN)"));
  }
  EXPECT_GT(proxy->counters().lies, 64 * 3);
}

// An RPZ rule for "*.blocked.test" answering with its policy zone's SOA:
// that zone is FILTERED, the others still answer truly.
TEST_F(LyingPathTest, PolicyZoneAnswersAreNeverUsed) {
  std::unique_ptr<testing::FaultProxy> proxy =
      Liar({"blocked.test"}, /*apex=*/false, "rpz.local");
  ASSERT_NE(proxy, nullptr);
  std::vector<v1::Report> reports = CheckAll(*proxy);
  ExpectTruth(reports, {"blocked.test"});
  for (const v1::Report& report : reports) {
    for (const v1::ZoneResult& r : report.results()) {
      if (r.zone() != "blocked.test") continue;
      EXPECT_EQ(r.status(), v1::ERROR) << report.address();
      EXPECT_EQ(r.error(), v1::POLICY_ANSWER) << report.address();
      EXPECT_EQ(r.health(), v1::FILTERED);
    }
  }
}

// The same rule with the health check off: each answer still shows its
// foreign SOA, so none is read as "not listed".
TEST_F(LyingPathTest, PolicyAnswersAreErrorsWithoutTheHealthCheck) {
  std::unique_ptr<testing::FaultProxy> proxy =
      Liar({"blocked.test"}, /*apex=*/true, "rpz.local");
  ASSERT_NE(proxy, nullptr);
  std::vector<v1::Report> reports = CheckAll(*proxy, /*health_check=*/false);
  std::multiset<v1::Status> statuses = ExpectTruth(reports, {"blocked.test"});
  EXPECT_EQ(statuses.count(v1::ERROR), 64u);
}

// An RPZ rule for the names below a zone, with no SOA: the zone itself
// exists, so only a test entry its operator documents can betray the lie.
TEST_F(LyingPathTest, MissingDocumentedTestEntryMakesTheZoneUnusable) {
  std::unique_ptr<testing::FaultProxy> proxy =
      Liar({"documented.test"}, /*apex=*/false, "");
  ASSERT_NE(proxy, nullptr);
  std::vector<v1::Report> reports = CheckAll(*proxy);
  ExpectTruth(reports, {"documented.test"});
  for (const v1::ZoneResult& r : reports[0].results()) {
    if (r.zone() == "documented.test") {
      EXPECT_EQ(r.health(), v1::TEST_FAILED);
      EXPECT_EQ(r.status(), v1::SKIPPED);
    } else {
      EXPECT_EQ(r.health(), v1::HEALTHY) << r.zone();
    }
  }
}

TEST_F(LyingPathTest, CheckSaysThePathIsBrokenOnceAndExits3) {
  std::unique_ptr<testing::FaultProxy> proxy =
      Liar({kZones[0], kZones[1], kZones[2]}, /*apex=*/true, "");
  ASSERT_NE(proxy, nullptr);
  std::vector<std::string> args = {"check", "--contact_sources=cymru,abusix"};
  for (std::string& flag : Flags(*proxy)) args.push_back(std::move(flag));
  args.push_back("192.0.2.3");  // Listed by every zone.
  testing::CommandResult result = Run(args);
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.out,
              HasSubstr("192.0.2.3: no blocklist gave a usable answer (3 "
                        "blocklists asked): the verdict is INCOMPLETE"));
  EXPECT_THAT(result.out, ::testing::Not(HasSubstr("not listed")));
  EXPECT_THAT(result.err,
              HasSubstr(absl::StrCat("nameserver ", proxy->endpoint(),
                                     " cannot see 3 of the 3 blocklists")));
  EXPECT_THAT(result.err, HasSubstr("--nameserver"));
  // One warning, not one per zone.
  EXPECT_EQ(
      std::vector<std::string>(absl::StrSplit(result.err, "warning:")).size(),
      2u)
      << result.err;
}

TEST_F(LyingPathTest, HealthMarksEveryZoneUnusableAndExits3) {
  std::unique_ptr<testing::FaultProxy> proxy =
      Liar({kZones[0], kZones[1], kZones[2]}, /*apex=*/true, "");
  ASSERT_NE(proxy, nullptr);
  std::vector<std::string> args = {"health", "--format=json"};
  for (std::string& flag : Flags(*proxy)) args.push_back(std::move(flag));
  testing::CommandResult result = Run(args);
  EXPECT_EQ(result.exit_code, 3) << result.err;
  v1::HealthReport report;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(result.out, &report).ok())
      << result.out;
  ASSERT_EQ(report.zones_size(), 3);
  for (const v1::ZoneHealth& zone : report.zones()) {
    EXPECT_EQ(zone.state(), v1::NO_SUCH_ZONE) << zone.zone();
  }
  ASSERT_GE(report.warnings_size(), 1);
  EXPECT_THAT(report.warnings(report.warnings_size() - 1),
              HasSubstr("cannot see 3 of the 3 blocklists"));
}

// Bulk: the probe runs once per run; every record is incomplete, none
// "not listed", and the run exits 3 with the one warning.
TEST_F(LyingPathTest, BulkThroughACutOffResolverIsIncomplete) {
  std::unique_ptr<testing::FaultProxy> proxy =
      Liar({kZones[0], kZones[1], kZones[2]}, /*apex=*/true, "");
  ASSERT_NE(proxy, nullptr);
  testing::CommandResult result = Bulk(*proxy);
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.err, HasSubstr("cannot see 3 of the 3 blocklists"));
  std::vector<v1::Report> reports = ParseJsonLines(result.out);
  EXPECT_EQ(reports.size(), 64u);
  ExpectTruth(reports, {kZones[0], kZones[1], kZones[2]});
  // 64 x 3 questions, and four probe questions per zone, once.
  EXPECT_LE(proxy->counters().queries, 64 * 3 + 3 * 4 + 16);
}

// Bulk through an RPZ rule on one zone: that zone's results are unusable,
// the others' are right, and the run is not a lying-path warning.
TEST_F(LyingPathTest, BulkThroughAPolicyRuleUsesTheOtherZones) {
  std::unique_ptr<testing::FaultProxy> proxy =
      Liar({"blocked.test"}, /*apex=*/true, "rpz.local");
  ASSERT_NE(proxy, nullptr);
  testing::CommandResult result = Bulk(*proxy);
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_THAT(result.err, ::testing::Not(HasSubstr("cannot see")));
  std::vector<v1::Report> reports = ParseJsonLines(result.out);
  EXPECT_EQ(reports.size(), 64u);
  ExpectTruth(reports, {"blocked.test"});
}

}  // namespace
}  // namespace dnsbl

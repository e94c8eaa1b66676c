// The catalog's answer rules end to end, against rbldnsd: bit mask codes
// (MAPS RBL+ style), exhaustive codes (SpamRATS style) and the TXT guard
// (SpamCop style), through the library and through `dnsbl check` and
// `dnsbl zones`.

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "dnsbl/dnsbl.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/rbldnsd_server.h"
#include "tests/results.h"
#include "tests/rule_zones.h"
#include "tests/subprocess.h"

namespace dnsbl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ResultFor;

const std::string& Catalog() {
  static const std::string* text = new std::string(absl::StrCat(
      testing::kBitmaskZone, testing::kExhaustiveZone, testing::kTxtGuardZone));
  return *text;
}

class CatalogRulesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<testing::RbldnsdServer>> server =
        testing::RbldnsdServer::Start({
            // An open relay that is also an open proxy: bits 4 and 8.
            {"mask.test", "ip4set",
             "192.0.2.12 :127.0.0.12:RSS+OPS\n192.0.2.1 :127.0.0.1:RBL\n"},
            {"rats.test", "ip4set",
             "192.0.2.36 :127.0.0.36:dyna\n192.0.2.99 :127.0.0.99:what\n"},
            // The operator's own reason names it; a parked domain's does not.
            {"cop.test", "ip4set",
             "192.0.2.2 :127.0.0.2:Blocked - see "
             "https://www.spamcop.net/bl.shtml?$\n"
             "192.0.2.66 :127.0.0.2:This domain may be for sale\n"},
        });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    catalog_path_ = new std::string(
        absl::StrCat(std::getenv("TEST_TMPDIR"), "/rules.textproto"));
    std::ofstream(*catalog_path_) << Catalog();
  }

  static void TearDownTestSuite() {
    delete server_;
    delete catalog_path_;
  }

  static v1::Report Check(absl::string_view address, bool fetch_txt = true) {
    CheckerOptions options;
    options.catalog =
        std::make_shared<const v1::Catalog>(*ParseCatalog(Catalog(), "rules"));
    options.nameservers = {server_->endpoint()};
    options.fetch_txt = fetch_txt;
    absl::StatusOr<std::unique_ptr<Checker>> checker = Checker::Create(options);
    EXPECT_TRUE(checker.ok()) << checker.status();
    absl::StatusOr<v1::Report> report = (*checker)->Check(address);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : v1::Report();
  }

  static testing::RbldnsdServer* server_;
  static std::string* catalog_path_;
};

testing::RbldnsdServer* CatalogRulesTest::server_ = nullptr;
std::string* CatalogRulesTest::catalog_path_ = nullptr;

TEST_F(CatalogRulesTest, BitmaskAnswerNamesEveryCategory) {
  v1::Report report = Check("192.0.2.12");
  const v1::ZoneResult& r = ResultFor(report, "mask.test");
  EXPECT_EQ(r.status(), v1::LISTED);
  EXPECT_THAT(r.categories(), ElementsAre(v1::OPEN_RELAY, v1::OPEN_PROXY));
  EXPECT_THAT(r.meanings(), ElementsAre("RSS + OPS"));
  EXPECT_THAT(report.summary().open_relay_by(), ElementsAre("mask.test"));
  EXPECT_THAT(report.summary().open_proxy_by(), ElementsAre("mask.test"));
  EXPECT_THAT(ResultFor(Check("192.0.2.1"), "mask.test").categories(),
              ElementsAre(v1::SPAM_SOURCE));
}

TEST_F(CatalogRulesTest, UndocumentedAnswerIsAnErrorNotAListing) {
  v1::Report report = Check("192.0.2.99");
  const v1::ZoneResult& r = ResultFor(report, "rats.test");
  EXPECT_EQ(r.status(), v1::ERROR);
  EXPECT_EQ(r.error(), v1::UNDOCUMENTED_ANSWER);
  EXPECT_THAT(r.codes(), ElementsAre("127.0.0.99"));
  EXPECT_FALSE(report.summary().listed());
  EXPECT_EQ(VerdictOf(report.summary()), Verdict::kIncomplete);
  EXPECT_EQ(ResultFor(Check("192.0.2.36"), "rats.test").status(), v1::LISTED);
}

TEST_F(CatalogRulesTest, TxtGuardConfirmsListingsEvenWithoutTxt) {
  for (bool fetch_txt : {true, false}) {
    SCOPED_TRACE(fetch_txt ? "with TXT" : "--notxt");
    v1::Report listed = Check("192.0.2.2", fetch_txt);
    const v1::ZoneResult& real = ResultFor(listed, "cop.test");
    EXPECT_EQ(real.status(), v1::LISTED);
    EXPECT_THAT(real.txt(), ElementsAre(HasSubstr("spamcop.net")));

    v1::Report parked = Check("192.0.2.66", fetch_txt);
    const v1::ZoneResult& r = ResultFor(parked, "cop.test");
    EXPECT_EQ(r.status(), v1::ERROR);
    EXPECT_EQ(r.error(), v1::UNVERIFIED_LISTING);
    EXPECT_THAT(r.txt(), ElementsAre("This domain may be for sale"));
    EXPECT_FALSE(parked.summary().listed());
  }
}

TEST_F(CatalogRulesTest, CheckAndZonesShowTheRules) {
  absl::StatusOr<testing::CommandResult> check = testing::RunCommand(
      {testing::RunfilePath("cli/dnsbl"), "check",
       "--contact_sources=cymru,abusix", "--nameserver=" + server_->endpoint(),
       "--catalog=" + *catalog_path_, "192.0.2.12", "192.0.2.66"});
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_EQ(check->exit_code, 1) << check->err;
  EXPECT_THAT(check->out, HasSubstr("as an open relay by mask.test; as an "
                                    "open proxy by mask.test"));
  EXPECT_THAT(check->out,
              HasSubstr("open relay, open proxy: 127.0.0.12 (RSS + OPS)"));
  EXPECT_THAT(check->out, HasSubstr("listing not confirmed"));

  absl::StatusOr<testing::CommandResult> zones =
      testing::RunCommand({testing::RunfilePath("cli/dnsbl"), "zones",
                           "--catalog=" + *catalog_path_});
  ASSERT_TRUE(zones.ok()) << zones.status();
  EXPECT_EQ(zones->exit_code, 0) << zones->err;
  EXPECT_THAT(zones->out, HasSubstr("answers: a bit mask"));
  EXPECT_THAT(zones->out, HasSubstr("answers: only its documented codes"));
  EXPECT_THAT(zones->out, HasSubstr("TXT guard: a listing counts only when its "
                                    "reason contains \"spamcop\""));
}

}  // namespace
}  // namespace dnsbl

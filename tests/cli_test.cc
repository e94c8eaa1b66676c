// The dnsbl binary as a person or script runs it, against rbldnsd.

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "dnsbl/version.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "proto/dnsbl.pb.h"
#include "tests/rbldnsd_server.h"
#include "tests/subprocess.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kCatalog[] = R"pb(
  zone {
    name: "proxy.test"
    ipv4: true
    ipv6: true
    code { value: "127.0.0.9" category: OPEN_PROXY meaning: "open HTTP proxy" }
    lookup_url: "https://proxy.test/?ip={ip}"
  }
  zone {
    name: "relay.test"
    ipv4: true
    code { value: "127.0.0.2" category: OPEN_RELAY meaning: "open relay" }
  }
  zone { name: "unserved.test" ipv4: true disabled: true }
  zone { name: "wild.test" ipv4: true disabled: true }
  zone {
    name: "keyed.test"
    ipv4: true
    disabled: true
    needs_key: true
    key_name: "testkey"
    code { value: "127.0.0.4" category: EXPLOITED meaning: "exploited" }
  }
)pb";

class CliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<testing::RbldnsdServer>> server =
        testing::RbldnsdServer::Start({
            {"proxy.test", "ip4set",
             "192.0.2.1 :127.0.0.9:Open proxy, see https://proxy.test/$\n"},
            {"proxy.test", "ip6trie", "2001:db8::1 :127.0.0.9:v6 proxy\n"},
            {"relay.test", "ip4set",
             "192.0.2.1 :127.0.0.2:relay \x1b[31mred\x07\n"
             "192.0.2.2 :127.0.0.2:relay\n"},
            {"wild.test", "ip4trie", "0.0.0.0/0\n"},
            {"k3yk3yk3y0.keyed.test", "ip4set", "192.0.2.1 :127.0.0.4:x\n"},
        });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    catalog_path_ = new std::string(
        absl::StrCat(std::getenv("TEST_TMPDIR"), "/catalog.textproto"));
    std::ofstream(*catalog_path_) << kCatalog;
  }

  static void TearDownTestSuite() {
    delete server_;
    delete catalog_path_;
  }

  // Runs `dnsbl check` against the test server and catalog.
  static testing::CommandResult Check(std::vector<std::string> args) {
    std::vector<std::string> argv = {testing::RunfilePath("cli/dnsbl"), "check",
                                     "--contact_sources=cymru,abusix",
                                     "--nameserver=" + server_->endpoint(),
                                     "--catalog=" + *catalog_path_};
    argv.insert(argv.end(), args.begin(), args.end());
    absl::StatusOr<testing::CommandResult> result = testing::RunCommand(argv);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : testing::CommandResult();
  }

  static testing::RbldnsdServer* server_;
  static std::string* catalog_path_;
};

testing::RbldnsdServer* CliTest::server_ = nullptr;
std::string* CliTest::catalog_path_ = nullptr;

TEST_F(CliTest, ListedExitsOneWithVerdictAndEvidence) {
  testing::CommandResult r = Check({"192.0.2.1"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out,
              StartsWith("192.0.2.1 is LISTED by 2 of 2 blocklists: as an "
                         "open relay by relay.test; as an open proxy by "
                         "proxy.test\n"));
  EXPECT_THAT(r.out, HasSubstr("127.0.0.9 (open HTTP proxy)"));
  EXPECT_THAT(r.out, HasSubstr("reason: \"Open proxy, see "
                               "https://proxy.test/192.0.2.1\""));
  EXPECT_THAT(r.out, HasSubstr("lookup: https://proxy.test/?ip=192.0.2.1"));
  // Disabled zones are left out unless named.
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("unserved.test")));
  // The TXT's escape sequence and bell are shown, not obeyed.
  EXPECT_THAT(r.out, HasSubstr("relay \\x1b[31mred\\x07"));
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
}

TEST_F(CliTest, NotListedExitsZero) {
  testing::CommandResult r = Check({"192.0.2.99", "2001:db8::2"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("192.0.2.99 is not listed by any of 2"));
  EXPECT_THAT(r.out, HasSubstr("2001:db8::2 is not listed by any of 1"));
}

TEST_F(CliTest, UnansweredZoneMakesVerdictIncompleteExitThree) {
  testing::CommandResult r =
      Check({"--zones=proxy.test,unserved.test", "192.0.2.99"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_THAT(r.out, HasSubstr("the verdict is INCOMPLETE"));
  EXPECT_THAT(r.out, HasSubstr("unserved.test  ERROR"));
}

TEST_F(CliTest, ListedWinsOverIncomplete) {
  testing::CommandResult r =
      Check({"--zones", "proxy.test", "--zones=unserved.test", "192.0.2.1"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
}

TEST_F(CliTest, JsonIsOneReportPerLineInTheSchemasNames) {
  testing::CommandResult r =
      Check({"--format=json", "192.0.2.1", "192.0.2.99"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  std::vector<std::string> lines =
      absl::StrSplit(r.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u);
  v1::Report first;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(lines[0], &first).ok());
  EXPECT_EQ(first.address(), "192.0.2.1");
  EXPECT_TRUE(first.summary().listed());
  EXPECT_THAT(first.summary().open_proxy_by(),
              ::testing::ElementsAre("proxy.test"));
  EXPECT_THAT(lines[0], HasSubstr("\"status\":\"LISTED\""));
  EXPECT_THAT(lines[0], HasSubstr("\"open_relay_by\":[\"relay.test\"]"));
  EXPECT_THAT(lines[0], HasSubstr("\"started\":\""));
  v1::Report second;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(lines[1], &second).ok());
  EXPECT_FALSE(second.summary().listed());
  // Lean, as protobuf prints: "not listed" is the field's absence.
  EXPECT_THAT(lines[1], HasSubstr("\"status\":\"NOT_LISTED\""));
  EXPECT_THAT(lines[1], ::testing::Not(HasSubstr("\"listed\":")));
  EXPECT_THAT(lines[1], ::testing::Not(HasSubstr("UNSPECIFIED")));
}

TEST_F(CliTest, TextprotoParsesBack) {
  testing::CommandResult r = Check({"--format=textproto", "2001:db8::1"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  v1::Report report;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(r.out, &report));
  EXPECT_EQ(report.address(), "2001:db8::1");
  EXPECT_EQ(report.results(0).status(), v1::LISTED);
}

TEST_F(CliTest, CsvHasHeaderAndOneRowPerZone) {
  testing::CommandResult r = Check(
      {"--format=csv", "--notxt", "--nocontacts", "192.0.2.2", "192.0.2.99"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out,
            "address,zone,status,codes,categories,txt,detail,network,notify,"
            "resolution,server\n"
            "192.0.2.2,proxy.test,NOT_LISTED,,,,,,,RECURSIVE,\n"
            "192.0.2.2,relay.test,LISTED,127.0.0.2,OPEN_RELAY,,,,,RECURSIVE,\n"
            "192.0.2.99,proxy.test,NOT_LISTED,,,,,,,RECURSIVE,\n"
            "192.0.2.99,relay.test,NOT_LISTED,,,,,,,RECURSIVE,\n");
}

TEST_F(CliTest, BadInputExitsTwoAndQueriesNothing) {
  absl::StatusOr<std::unique_ptr<testing::BlackHoleServer>> hole =
      testing::BlackHoleServer::Start();
  ASSERT_TRUE(hole.ok());
  struct Case {
    std::vector<std::string> args;
    const char* message;
  };
  const Case cases[] = {
      {{"192.0.2.1", "1.2.3"}, "'1.2.3' is not a valid IPv4 address"},
      {{"256.1.1.1"}, "'256' is over 255"},
      {{"1.2.3.4.5"}, "found 5"},
      {{"1.2.3.4/33"}, "network range"},
      {{"::g"}, "not a valid IPv6 address"},
      {{""}, "empty address"},
      {{std::string(100 * 1024, 'a')}, "(102400 bytes)"},
      {{"\xff\xfe.example"}, "invalid label '\\xff\\xfe'"},
      {{}, "at least one ADDRESS_OR_HOST"},
      {{"--format=xml", "192.0.2.1"}, "unknown format 'xml'"},
      {{"--bogus", "192.0.2.1"}, "unknown flag '--bogus'"},
      {{"--tries=many", "192.0.2.1"}, "flag --tries"},
      {{"--timeout=soon", "192.0.2.1"}, "flag --timeout"},
      {{"--zones=nope.test", "192.0.2.1"}, "'nope.test' is not in the catalog"},
      {{"--nameserver=resolver.example", "192.0.2.1"}, "must be an IP address"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> argv = {testing::RunfilePath("cli/dnsbl"), "check",
                                     "--contact_sources=cymru,abusix",
                                     "--nameserver=" + (*hole)->endpoint(),
                                     "--catalog=" + *catalog_path_};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    absl::StatusOr<testing::CommandResult> r = testing::RunCommand(argv);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->exit_code, 2) << c.message << "\n" << r->err;
    EXPECT_THAT(r->err, HasSubstr(c.message));
    EXPECT_THAT(r->err, StartsWith("dnsbl: "));
    EXPECT_LT(r->err.size(), 1000u);
    EXPECT_TRUE(r->out.empty()) << r->out;
  }
  EXPECT_EQ((*hole)->Received(), 0);
}

TEST_F(CliTest, BadCatalogNamesFileZoneAndField) {
  std::string path = absl::StrCat(std::getenv("TEST_TMPDIR"), "/bad.textproto");
  std::ofstream(path) << "zone { name: \"ok.test\" ipv4: true }\n"
                         "zone { name: \"x.test\" ipv4: true\n"
                         "  code { value: \"10.0.0.2\" category: OTHER } }\n";
  absl::StatusOr<testing::CommandResult> r = testing::RunCommand(
      {testing::RunfilePath("cli/dnsbl"), "check",
       "--contact_sources=cymru,abusix", "--catalog=" + path, "192.0.2.1"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 2);
  EXPECT_THAT(r->err, HasSubstr(path));
  EXPECT_THAT(r->err, HasSubstr("zone 'x.test' (#2): code[0].value "
                                "'10.0.0.2' is outside 127.0.0.0/8"));
  std::ofstream(path) << "zone { name: \"x.test\" ipv4: true\n";
  r = testing::RunCommand({testing::RunfilePath("cli/dnsbl"), "check",
                           "--contact_sources=cymru,abusix",
                           "--catalog=" + path, "192.0.2.1"});
  EXPECT_EQ(r->exit_code, 2);
  EXPECT_THAT(r->err, HasSubstr("does not parse"));
  r = testing::RunCommand({testing::RunfilePath("cli/dnsbl"), "check",
                           "--contact_sources=cymru,abusix",
                           "--catalog=/nonexistent.textproto", "192.0.2.1"});
  EXPECT_EQ(r->exit_code, 2);
  EXPECT_THAT(r->err, HasSubstr("cannot read catalog file"));
}

TEST_F(CliTest, HelpExplainsEveryFlag) {
  absl::StatusOr<testing::CommandResult> r = testing::RunCommand(
      {testing::RunfilePath("cli/dnsbl"), "check", "--help"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 0);
  for (const char* flag : {"--nameserver", "--catalog", "--zones", "--format",
                           "--timeout", "--tries", "--txt"}) {
    EXPECT_THAT(r->out, HasSubstr(flag));
  }
  EXPECT_THAT(r->out, HasSubstr("Exit status"));
  r = testing::RunCommand({testing::RunfilePath("cli/dnsbl"), "frobnicate"});
  EXPECT_EQ(r->exit_code, 2);
  EXPECT_THAT(r->err, HasSubstr("unknown command 'frobnicate'"));
  r = testing::RunCommand({testing::RunfilePath("cli/dnsbl"), "--version"});
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_EQ(r->out, "dnsbl " DNSBL_VERSION_STRING "\n");
}

TEST_F(CliTest, WildcardZoneIsSkippedNotListed) {
  testing::CommandResult r =
      Check({"--zones=wild.test,proxy.test", "192.0.2.99"});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("wild.test   skipped     answer not used: "
                               "zone health is WILDCARD"));
  EXPECT_THAT(r.out, HasSubstr("the verdict is INCOMPLETE"));
}

TEST_F(CliTest, HealthCommandClassifiesZones) {
  absl::StatusOr<testing::CommandResult> r = testing::RunCommand(
      {testing::RunfilePath("cli/dnsbl"), "health",
       "--nameserver=" + server_->endpoint(), "--catalog=" + *catalog_path_,
       "--zones=proxy.test,wild.test,unserved.test"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 3) << r->err;
  EXPECT_THAT(r->out, HasSubstr("proxy.test     NO_TEST_ENTRY"));
  EXPECT_THAT(r->out, HasSubstr("wild.test      WILDCARD"));
  EXPECT_THAT(r->out, HasSubstr("unserved.test  DEAD"));

  r = testing::RunCommand({testing::RunfilePath("cli/dnsbl"), "health",
                           "--nameserver=" + server_->endpoint(),
                           "--catalog=" + *catalog_path_, "--format=json",
                           "--zones=proxy.test"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 0) << r->err;
  v1::HealthReport report;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(r->out, &report).ok())
      << r->out;
  ASSERT_EQ(report.zones_size(), 1);
  EXPECT_EQ(report.zones(0).state(), v1::NO_TEST_ENTRY);
  EXPECT_THAT(r->out, HasSubstr("\"state\":\"NO_TEST_ENTRY\""));
}

TEST_F(CliTest, KeyFromEnvironmentOrFlagIsUsedAndNeverPrinted) {
  std::vector<std::string> argv = {testing::RunfilePath("cli/dnsbl"),
                                   "check",
                                   "--contact_sources=cymru,abusix",
                                   "--nameserver=" + server_->endpoint(),
                                   "--catalog=" + *catalog_path_,
                                   "--zones=keyed.test",
                                   "--format=json",
                                   "192.0.2.1"};
  absl::StatusOr<testing::CommandResult> r =
      testing::RunCommand(argv, {"DNSBL_KEY_TESTKEY=k3yk3yk3y0"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 1) << r->out << r->err;
  EXPECT_THAT(r->out, HasSubstr("1.2.0.192.k3yk****.keyed.test"));
  EXPECT_THAT(r->out + r->err, ::testing::Not(HasSubstr("k3yk3yk3y0")));

  argv.push_back("--key=testkey=k3yk3yk3y0");
  r = testing::RunCommand(argv);
  EXPECT_EQ(r->exit_code, 1) << r->out << r->err;

  argv.pop_back();
  r = testing::RunCommand(argv);
  EXPECT_EQ(r->exit_code, 0) << r->out << r->err;
  EXPECT_THAT(r->out, HasSubstr("needs a key: give --key=testkey=KEY or set "
                                "DNSBL_KEY_TESTKEY"));

  argv.push_back("--key=no-equals-sign-secret");
  r = testing::RunCommand(argv);
  EXPECT_EQ(r->exit_code, 2);
  EXPECT_THAT(r->err, ::testing::Not(HasSubstr("secret")));
}

TEST_F(CliTest, RetiredZoneTellsItsStoryAndIsNotAsked) {
  absl::StatusOr<std::unique_ptr<testing::BlackHoleServer>> hole =
      testing::BlackHoleServer::Start();
  ASSERT_TRUE(hole.ok());
  absl::StatusOr<testing::CommandResult> r = testing::RunCommand(
      {testing::RunfilePath("cli/dnsbl"), "check",
       "--contact_sources=cymru,abusix", "--nameserver=" + (*hole)->endpoint(),
       "--nocontacts", "--zones=relays.ordb.org,dnsbl.sorbs.net", "192.0.2.1"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 0) << r->out << r->err;
  EXPECT_THAT(r->out, HasSubstr("relays.ordb.org  skipped     retired: Shut "
                                "down 2006-12-18"));
  EXPECT_THAT(r->out, HasSubstr("2024-06-05"));
  EXPECT_EQ((*hole)->Received(), 0);
}

TEST_F(CliTest, ZonesListsTheCatalogAndRoundTrips) {
  std::string dnsbl = testing::RunfilePath("cli/dnsbl");
  absl::StatusOr<testing::CommandResult> r =
      testing::RunCommand({dnsbl, "zones"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_THAT(r->out, HasSubstr("relays.ordb.org"));
  EXPECT_THAT(r->out, HasSubstr("    retired: Shut down 2006-12-18"));
  EXPECT_THAT(r->out, HasSubstr("zen.dq.spamhaus.net            needs key"));

  r = testing::RunCommand({dnsbl, "zones", "--category=open_relay"});
  EXPECT_THAT(r->out, HasSubstr("relays.nether.net"));
  EXPECT_THAT(r->out, ::testing::Not(HasSubstr("bl.spamcop.net")));

  r = testing::RunCommand({dnsbl, "zones", "--format=textproto"});
  ASSERT_EQ(r->exit_code, 0);
  v1::Catalog catalog;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(r->out, &catalog));
  EXPECT_GE(catalog.zone_size(), 50);
  std::string path =
      absl::StrCat(std::getenv("TEST_TMPDIR"), "/exported.textproto");
  std::ofstream(path) << r->out;
  absl::StatusOr<testing::CommandResult> again =
      testing::RunCommand({dnsbl, "zones", "--catalog=" + path});
  absl::StatusOr<testing::CommandResult> builtin =
      testing::RunCommand({dnsbl, "zones"});
  EXPECT_EQ(again->out, builtin->out);

  r = testing::RunCommand({dnsbl, "zones", "--format=json"});
  v1::Catalog from_json;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(r->out, &from_json).ok());
  EXPECT_EQ(from_json.zone_size(), catalog.zone_size());

  r = testing::RunCommand({dnsbl, "zones", "--category=relays"});
  EXPECT_EQ(r->exit_code, 2);
  EXPECT_THAT(r->err, HasSubstr("unknown category 'relays'"));
}

TEST_F(CliTest, RefusingZoneGetsAPlainWarning) {
  absl::StatusOr<std::unique_ptr<testing::RbldnsdServer>> refusing =
      testing::RbldnsdServer::Start(
          {{"zen.spamhaus.org", "ip4trie", "0.0.0.0/0 :127.255.255.254:no\n"}});
  ASSERT_TRUE(refusing.ok()) << refusing.status();
  absl::StatusOr<testing::CommandResult> r =
      testing::RunCommand({testing::RunfilePath("cli/dnsbl"), "check",
                           "--contact_sources=cymru,abusix",
                           "--nameserver=" + (*refusing)->endpoint(),
                           "--zones=zen.spamhaus.org", "192.0.2.1"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 3) << r->out << r->err;
  EXPECT_THAT(r->out, HasSubstr("REFUSED"));
  EXPECT_THAT(r->err, HasSubstr("warning: zen.spamhaus.org refuses to answer "
                                "through this resolver"));
}

}  // namespace
}  // namespace dnsbl

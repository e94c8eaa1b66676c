// Who to notify, against rbldnsd serving zones shaped like Team Cymru's
// (origin.asn.cymru.com, origin6.asn.cymru.com, asn.cymru.com) and the
// Abusix Abuse Contact DB (abuse-contacts.abusix.zone), beside a
// blocklist: through the library and through `dnsbl check` and `bulk`.
// Every contact must be one the zones really hold; every source that could
// not answer must say so.

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "dnsbl/dnsbl.h"
#include "dnsbl/internal/checker_setup.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/fault_proxy.h"
#include "tests/rbldnsd_server.h"
#include "tests/subprocess.h"

namespace dnsbl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kCatalog[] = R"pb(
  zone { name: "bl.test" ipv4: true ipv6: true }
)pb";

// Records every name asked, passing the questions on.
class RecordingResolver : public Resolver {
 public:
  explicit RecordingResolver(std::shared_ptr<Resolver> inner)
      : inner_(std::move(inner)) {}
  void Lookup(absl::string_view name, RecordType type, Callback done) override {
    asked_.push_back(std::string(name));
    inner_->Lookup(name, type, std::move(done));
  }
  size_t Poll(absl::Duration max_wait) override {
    return inner_->Poll(max_wait);
  }
  size_t pending() const override { return inner_->pending(); }
  std::string Describe() const override { return inner_->Describe(); }
  int Count(absl::string_view name) const {
    return static_cast<int>(std::count(asked_.begin(), asked_.end(), name));
  }

 private:
  std::shared_ptr<Resolver> inner_;
  std::vector<std::string> asked_;
};

class ContactsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<testing::RbldnsdServer>> server =
        testing::RbldnsdServer::Start({
            {"bl.test", "ip4set", "192.0.2.7\n"},
            {"bl.test", "ip6trie", "2001:db8::7\n"},
            {"origin.asn.cymru.com", "ip4trie",
             "192.0.2.0/24 :127.0.0.2:64500 | 192.0.2.0/24 | ZZ | ripencc | "
             "2004-01-01\n"
             "198.51.100.0/24 :127.0.0.2:64501 64502 | 198.51.100.0/24 | ZZ "
             "| arin | 2010-05-05\n"},
            {"origin6.asn.cymru.com", "ip6trie",
             "2001:db8::/32 :127.0.0.2:64500 | 2001:db8::/32 | ZZ | ripencc | "
             "2004-01-01\n"},
            {"asn.cymru.com", "generic",
             "AS64500 TXT \"64500 | ZZ | ripencc | 2004-01-01 | EXAMPLE-AS "
             "Example Org, ZZ\"\n"},
            {"abuse-contacts.abusix.zone", "ip4trie",
             "192.0.2.0/24 :127.0.0.2:abuse@example.net\n"
             "198.51.100.0/24 :127.0.0.2:not an address\n"},
            {"abuse-contacts.abusix.zone", "ip6trie",
             "2001:db8::/32 :127.0.0.2:noc@example.org\n"},
        });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    catalog_path_ = new std::string(
        absl::StrCat(std::getenv("TEST_TMPDIR"), "/contacts.textproto"));
    std::ofstream(*catalog_path_) << kCatalog;
  }

  static void TearDownTestSuite() {
    delete server_;
    delete catalog_path_;
  }

  static CheckerOptions Options(const std::string& nameserver) {
    CheckerOptions options;
    options.catalog =
        std::make_shared<const v1::Catalog>(*ParseCatalog(kCatalog, "t"));
    options.nameservers = {nameserver};
    options.contacts = true;
    // The DNS sources; RDAP has its own test (rdap_integration_test).
    options.contact_sources = {"cymru", "abusix"};
    options.timeout = absl::Milliseconds(500);
    return options;
  }

  static v1::Report Check(absl::string_view address) {
    absl::StatusOr<std::unique_ptr<Checker>> checker =
        Checker::Create(Options(server_->endpoint()));
    EXPECT_TRUE(checker.ok()) << checker.status();
    absl::StatusOr<v1::Report> report = (*checker)->Check(address);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : v1::Report();
  }

  static const v1::ContactSource& Source(const v1::Report& report,
                                         absl::string_view name) {
    for (const v1::ContactSource& s : report.contact_sources()) {
      if (s.source() == name) return s;
    }
    ADD_FAILURE() << "no source " << name;
    static const v1::ContactSource* none = new v1::ContactSource();
    return *none;
  }

  static testing::RbldnsdServer* server_;
  static std::string* catalog_path_;
};

testing::RbldnsdServer* ContactsTest::server_ = nullptr;
std::string* ContactsTest::catalog_path_ = nullptr;

TEST_F(ContactsTest, NetworkAndAbuseMailboxOfAnAddress) {
  v1::Report report = Check("192.0.2.7");
  EXPECT_TRUE(report.summary().listed());
  ASSERT_EQ(report.networks_size(), 1);
  const v1::Network& n = report.networks(0);
  EXPECT_EQ(n.source(), "cymru");
  EXPECT_EQ(n.asn(), 64500u);
  EXPECT_EQ(n.as_name(), "EXAMPLE-AS Example Org, ZZ");
  EXPECT_EQ(n.prefix(), "192.0.2.0/24");
  EXPECT_EQ(n.registry(), "ripencc");
  EXPECT_EQ(n.allocated(), "2004-01-01");
  ASSERT_EQ(report.contacts_size(), 1);
  EXPECT_EQ(report.contacts(0).email(), "abuse@example.net");
  EXPECT_EQ(report.contacts(0).source(), "abusix");
  ASSERT_EQ(report.contact_sources_size(), 2);
  EXPECT_EQ(report.contact_sources(0).source(), "cymru");
  EXPECT_TRUE(report.contact_sources(0).answered());
  EXPECT_EQ(report.contact_sources(0).query(),
            "7.2.0.192.origin.asn.cymru.com");
  EXPECT_TRUE(report.contact_sources(1).answered());
}

TEST_F(ContactsTest, Ipv6UsesNibbleNames) {
  v1::Report report = Check("2001:db8::7");
  ASSERT_EQ(report.networks_size(), 1);
  EXPECT_EQ(report.networks(0).prefix(), "2001:db8::/32");
  EXPECT_EQ(report.networks(0).as_name(), "EXAMPLE-AS Example Org, ZZ");
  ASSERT_EQ(report.contacts_size(), 1);
  EXPECT_EQ(report.contacts(0).email(), "noc@example.org");
}

// Garbage in a contact record is never a contact, and the source says why;
// an AS without a name still places the address.
TEST_F(ContactsTest, GarbageIsAnExplainedGapNotAContact) {
  v1::Report report = Check("198.51.100.7");
  ASSERT_EQ(report.networks_size(), 1);
  EXPECT_EQ(report.networks(0).asn(), 64501u);
  EXPECT_THAT(report.networks(0).other_asns(), ElementsAre(64502u));
  EXPECT_EQ(report.networks(0).as_name(), "");
  EXPECT_EQ(report.contacts_size(), 0);
  const v1::ContactSource& abusix = Source(report, "abusix");
  EXPECT_FALSE(abusix.answered());
  EXPECT_EQ(abusix.error(), v1::MALFORMED);
  EXPECT_THAT(abusix.detail(), HasSubstr("not a mail address"));
}

TEST_F(ContactsTest, UnknownAddressIsAnsweredWithNothingKnown) {
  v1::Report report = Check("203.0.113.7");
  EXPECT_EQ(report.networks_size(), 0);
  EXPECT_EQ(report.contacts_size(), 0);
  EXPECT_TRUE(Source(report, "cymru").answered());
  EXPECT_THAT(Source(report, "cymru").detail(),
              HasSubstr("no announced network known"));
  EXPECT_TRUE(Source(report, "abusix").answered());
}

// A DNS firewall answering for the contact DB is a failed source, not "no
// contact".
TEST_F(ContactsTest, FilteredSourceIsNotNoContact) {
  testing::FaultProxyOptions proxy_options;
  proxy_options.upstream_port = server_->port();
  proxy_options.lie_zones = {"abuse-contacts.abusix.zone"};
  proxy_options.lie_soa = "rpz.local";
  absl::StatusOr<std::unique_ptr<testing::FaultProxy>> proxy =
      testing::FaultProxy::Start(proxy_options);
  ASSERT_TRUE(proxy.ok()) << proxy.status();
  absl::StatusOr<std::unique_ptr<Checker>> checker =
      Checker::Create(Options((*proxy)->endpoint()));
  ASSERT_TRUE(checker.ok()) << checker.status();
  absl::StatusOr<v1::Report> report = (*checker)->Check("192.0.2.7");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->contacts_size(), 0);
  EXPECT_FALSE(Source(*report, "abusix").answered());
  EXPECT_EQ(Source(*report, "abusix").error(), v1::POLICY_ANSWER);
  EXPECT_EQ(report->networks_size(), 1);  // Cymru was not filtered.
}

// An AS name is asked once per Checker, however many addresses share it.
TEST_F(ContactsTest, AsNameIsAskedOncePerRun) {
  TransportOptions transport;
  transport.nameservers = {server_->endpoint()};
  auto recording = std::make_shared<RecordingResolver>(
      std::move(CreateResolverStack(transport, AdaptiveOptions())->resolver));
  absl::StatusOr<std::unique_ptr<Checker>> checker =
      CreateCheckerOver(Options(server_->endpoint()), recording);
  ASSERT_TRUE(checker.ok());
  for (int i = 1; i <= 20; ++i) {
    (*checker)->CheckAsync(
        IpAddress::FromIpv4(0xc0000200 + i), [](v1::Report r) {
          EXPECT_EQ(r.networks(0).as_name(), "EXAMPLE-AS Example Org, ZZ");
        });
  }
  while ((*checker)->pending() > 0) (*checker)->Poll(absl::Seconds(1));
  EXPECT_EQ(recording->Count("AS64500.asn.cymru.com"), 1);
  EXPECT_EQ(recording->Count("1.2.0.192.origin.asn.cymru.com"), 1);
}

TEST_F(ContactsTest, CheckShowsThemAndBulkOnlyWhenAsked) {
  const std::string dnsbl = testing::RunfilePath("cli/dnsbl");
  absl::StatusOr<testing::CommandResult> check =
      testing::RunCommand({dnsbl, "check", "--contact_sources=cymru,abusix",
                           "--nameserver=" + server_->endpoint(),
                           "--catalog=" + *catalog_path_, "192.0.2.7"});
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(check->exit_code, 1) << check->err;
  EXPECT_THAT(check->out,
              HasSubstr("  network: AS64500 (EXAMPLE-AS Example Org, ZZ), "
                        "192.0.2.0/24, ZZ, ripencc, allocated 2004-01-01 "
                        "[cymru]\n"));
  EXPECT_THAT(check->out, HasSubstr("  notify: abuse@example.net [abusix]\n"));

  const std::string input =
      absl::StrCat(std::getenv("TEST_TMPDIR"), "/contacts-input.txt");
  std::ofstream(input) << "192.0.2.7\n198.51.100.7\n";
  for (bool contacts : {false, true}) {
    std::vector<std::string> argv = {dnsbl,
                                     "bulk",
                                     "--progress=never",
                                     "--nameserver=" + server_->endpoint(),
                                     "--catalog=" + *catalog_path_,
                                     input};
    if (contacts) {
      argv.push_back("--contacts");
      argv.push_back("--contact_sources=cymru,abusix");
    }
    absl::StatusOr<testing::CommandResult> bulk = testing::RunCommand(argv);
    ASSERT_TRUE(bulk.ok());
    EXPECT_EQ(bulk->exit_code, 1) << bulk->err;
    std::vector<std::string> lines =
        absl::StrSplit(bulk->out, '\n', absl::SkipEmpty());
    ASSERT_EQ(lines.size(), 2u);
    for (const std::string& line : lines) {
      v1::Report report;
      ASSERT_TRUE(
          google::protobuf::util::JsonStringToMessage(line, &report).ok());
      EXPECT_EQ(report.contact_sources_size(), contacts ? 2 : 0) << line;
      if (contacts && report.address() == "192.0.2.7") {
        ASSERT_EQ(report.contacts_size(), 1);
        EXPECT_EQ(report.contacts(0).email(), "abuse@example.net");
      }
    }
  }
}

}  // namespace
}  // namespace dnsbl

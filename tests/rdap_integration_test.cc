// Who to notify from the registry, over real HTTPS on loopback: a Python
// RDAP server (tests/rdap_server.py) with a test CA made by openssl at
// start, serving answers shaped like each RIR's
// (dnsbl/contacts/testdata/README.md) and every failure the client must
// explain (redirects, 404, 429, a slow answer, a redirect loop, bodies that
// are not JSON, truncated, huge or hostile), beside rbldnsd serving a
// blocklist and the Cymru/Abusix zones. Ground truth for every case, through
// the library and through `dnsbl check` and `dnsbl bulk --contacts`, where
// the server's own log proves one RDAP question per network.

#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "dnsbl/dnsbl.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/rbldnsd_server.h"
#include "tests/subprocess.h"

namespace dnsbl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kCatalog[] = R"pb(
  zone { name: "bl.test" ipv4: true ipv6: true }
)pb";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class RdapTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<testing::RbldnsdServer>> dns =
        testing::RbldnsdServer::Start({
            {"bl.test", "ip4set", "192.0.2.7\n"},
            {"origin.asn.cymru.com", "ip4trie",
             "192.0.2.0/24 :127.0.0.2:64500 | 192.0.2.0/24 | ZZ | arin | "
             "2004-01-01\n"},
            {"abuse-contacts.abusix.zone", "ip4trie",
             "192.0.2.0/24 :127.0.0.2:abuse@example.net\n"},
            // The RDAP server's names, known to this server alone.
            {"lab.example", "generic", "rdap A 127.0.0.1\nrdap2 A 127.0.0.1\n"},
        });
    ASSERT_TRUE(dns.ok()) << dns.status();
    dns_ = dns->release();
    dir_ = new std::string(absl::StrCat(std::getenv("TEST_TMPDIR"), "/rdap"));
    mkdir(dir_->c_str(), 0700);
    absl::StatusOr<testing::RunningCommand> server =
        testing::RunningCommand::Start(
            {"/usr/bin/python3", testing::RunfilePath("tests/rdap_server.py"),
             *dir_, testing::RunfilePath("dnsbl/contacts/testdata")});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = new testing::RunningCommand(*std::move(server));
    for (int i = 0; i < 300 && access((*dir_ + "/port").c_str(), R_OK) != 0;
         ++i) {
      usleep(50'000);
    }
    const std::string port = ReadFile(*dir_ + "/port");
    ASSERT_FALSE(port.empty()) << "the RDAP server did not start";
    url_ = new std::string(absl::StrCat("https://127.0.0.1:", port, "/rdap/"));
    catalog_path_ = new std::string(*dir_ + "/catalog.textproto");
    std::ofstream(*catalog_path_) << kCatalog;
  }

  static void TearDownTestSuite() {
    server_->Signal(SIGTERM);
    server_->Wait();
    delete server_;
    delete dns_;
    delete dir_;
    delete url_;
    delete catalog_path_;
  }

  static CheckerOptions Options() {
    CheckerOptions options;
    options.catalog =
        std::make_shared<const v1::Catalog>(*ParseCatalog(kCatalog, "t"));
    options.nameservers = {dns_->endpoint()};
    options.contacts = true;
    options.contact_sources = {"rdap"};
    options.rdap_url = *url_;
    options.rdap_ca_file = *dir_ + "/ca.pem";
    options.rdap_timeout = absl::Seconds(2);
    options.rdap_queries_per_second = 1000;
    options.timeout = absl::Milliseconds(500);
    return options;
  }

  static v1::Report CheckOne(const CheckerOptions& options,
                             const std::string& address) {
    absl::StatusOr<std::unique_ptr<Checker>> checker = Checker::Create(options);
    EXPECT_TRUE(checker.ok()) << checker.status();
    absl::StatusOr<v1::Report> report = (*checker)->Check(address);
    EXPECT_TRUE(report.ok()) << report.status();
    EXPECT_EQ(report->contact_sources_size(), 1);
    return *report;
  }

  // How often the server was asked for `path_prefix`..., from its log.
  static int Requests(absl::string_view path_prefix) {
    int n = 0;
    for (absl::string_view line :
         absl::StrSplit(ReadFile(*dir_ + "/requests.log"), '\n')) {
      if (absl::StartsWith(line, path_prefix)) ++n;
    }
    return n;
  }

  static testing::RbldnsdServer* dns_;
  static testing::RunningCommand* server_;
  static std::string* dir_;
  static std::string* url_;
  static std::string* catalog_path_;
};

testing::RbldnsdServer* RdapTest::dns_ = nullptr;
testing::RunningCommand* RdapTest::server_ = nullptr;
std::string* RdapTest::dir_ = nullptr;
std::string* RdapTest::url_ = nullptr;
std::string* RdapTest::catalog_path_ = nullptr;

std::vector<std::string> Emails(const v1::Report& report) {
  std::vector<std::string> out;
  for (const v1::Contact& c : report.contacts()) out.push_back(c.email());
  return out;
}

// Each RIR's shape, ground truth from the sample files.
TEST_F(RdapTest, NetworkAndAbuseContactOfEachRegistryShape) {
  struct Case {
    std::string address, handle, prefix, country, email;
  };
  const Case cases[] = {
      {"192.0.2.7", "NET-192-0-2-0-1", "192.0.2.0/24", "", "abuse@example.net"},
      {"198.51.100.200", "198.51.100.128/25", "198.51.100.128/25", "BR",
       "abuse@exemplo.com.br"},
      {"203.0.113.9", "203.0.113.0 - 203.0.113.255", "203.0.113.0/24", "AU",
       "abuse@example.com.au"},
      {"2001:db8:a::25", "2001:db8:a::/48", "2001:db8:a::/48", "ZA",
       "abuse@example.co.za"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.address);
    v1::Report report = CheckOne(Options(), c.address);
    const v1::ContactSource& source = report.contact_sources(0);
    EXPECT_TRUE(source.answered()) << source.detail();
    EXPECT_EQ(source.query(), absl::StrCat(*url_, "ip/", c.address));
    ASSERT_EQ(report.networks_size(), 1);
    EXPECT_EQ(report.networks(0).source(), "rdap");
    EXPECT_EQ(report.networks(0).rdap_handle(), c.handle);
    EXPECT_EQ(report.networks(0).prefix(), c.prefix);
    EXPECT_EQ(report.networks(0).country(), c.country);
    EXPECT_THAT(Emails(report), ::testing::Contains(c.email));
    for (const v1::Contact& contact : report.contacts()) {
      EXPECT_EQ(contact.source(), "rdap");
      EXPECT_EQ(contact.network(), c.prefix);
    }
  }
}

TEST_F(RdapTest, RedirectToAnotherRegistryIsFollowed) {
  v1::Report report = CheckOne(Options(), "198.51.100.7");
  ASSERT_EQ(report.networks_size(), 1);
  EXPECT_EQ(report.networks(0).rdap_handle(), "198.51.100.0 - 198.51.100.127");
  EXPECT_EQ(report.networks(0).country(), "NL");
  EXPECT_THAT(Emails(report), ElementsAre("abuse@example.nl"));
  EXPECT_THAT(report.contact_sources(0).detail(), HasSubstr("redirect"));
}

// RDAP servers' host names are resolved by dnsbl's own resolver (here the
// test's rbldnsd, which alone knows them: the system's resolver would say
// NXDOMAIN), also after a redirect to another host; a name that does not
// resolve is an explained gap.
TEST_F(RdapTest, HostNamesAreResolvedByDnsblsOwnResolver) {
  const std::string port = url_->substr(url_->rfind(':') + 1);
  CheckerOptions options = Options();
  options.rdap_url = absl::StrCat("https://rdap.lab.example:", port);
  v1::Report report = CheckOne(options, "192.0.2.7");
  EXPECT_TRUE(report.contact_sources(0).answered())
      << report.contact_sources(0).detail();
  ASSERT_EQ(report.networks_size(), 1);
  EXPECT_EQ(report.networks(0).rdap_handle(), "NET-192-0-2-0-1");

  report = CheckOne(options, "198.51.100.70");
  ASSERT_EQ(report.networks_size(), 1) << report.contact_sources(0).detail();
  EXPECT_EQ(report.networks(0).country(), "NL");
  EXPECT_THAT(report.contact_sources(0).detail(),
              HasSubstr("rdap2.lab.example"));

  options.rdap_url = absl::StrCat("https://nowhere.lab.example:", port);
  report = CheckOne(options, "192.0.2.7");
  EXPECT_FALSE(report.contact_sources(0).answered());
  EXPECT_THAT(report.contact_sources(0).detail(),
              HasSubstr("cannot resolve nowhere.lab.example"));
  EXPECT_THAT(report.networks(), IsEmpty());
}

TEST_F(RdapTest, EveryFailureIsAnExplainedGapNeverAContact) {
  struct Case {
    std::string address;
    bool answered;
    v1::ErrorKind error;
    std::string detail;
  };
  const Case cases[] = {
      {"2001:db8:404::1", true, v1::ERROR_KIND_UNSPECIFIED, "holds no network"},
      {"2001:db8:429::1", false, v1::RATE_LIMITED, "retry after 1s"},
      {"2001:db8:5::1", false, v1::TIMEOUT, "timed out"},
      {"2001:db8:100::1", false, v1::OTHER_ERROR, "redirects"},
      {"2001:db8:bad::1", false, v1::MALFORMED, "not an RDAP answer"},
      {"2001:db8:7e::1", false, v1::MALFORMED, "not an RDAP answer"},
      {"2001:db8:b16::1", false, v1::MALFORMED, "larger than"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.address);
    v1::Report report = CheckOne(Options(), c.address);
    const v1::ContactSource& source = report.contact_sources(0);
    EXPECT_EQ(source.answered(), c.answered) << source.detail();
    EXPECT_EQ(source.error(), c.error) << source.detail();
    EXPECT_THAT(source.detail(), HasSubstr(c.detail));
    EXPECT_THAT(report.contacts(), IsEmpty());
    EXPECT_THAT(report.networks(), IsEmpty());
  }
}

TEST_F(RdapTest, HostileAnswerYieldsOnlyValidMailboxesAndEscapedText) {
  v1::Report report = CheckOne(Options(), "2001:db8:e1::1");
  EXPECT_THAT(Emails(report), ElementsAre("abuse@example.org"));
  ASSERT_EQ(report.networks_size(), 1);
  EXPECT_EQ(report.networks(0).rdap_handle(), "EVIL\\x1b[2J");
  EXPECT_EQ(report.networks(0).rdap_name(), "Line\\x0d\\x0aX-Injected: 1");
  EXPECT_THAT(report.contact_sources(0).detail(), HasSubstr("ignored"));
}

TEST_F(RdapTest, UntrustedCertificateIsRefused) {
  CheckerOptions options = Options();
  options.rdap_ca_file = "";  // The system's CAs do not know the test CA.
  v1::Report report = CheckOne(options, "192.0.2.7");
  EXPECT_FALSE(report.contact_sources(0).answered());
  EXPECT_EQ(report.contact_sources(0).error(), v1::UNREACHABLE);
  EXPECT_THAT(report.contact_sources(0).detail(),
              ::testing::AnyOf(HasSubstr("certificate"), HasSubstr("SSL")));
  EXPECT_THAT(report.contacts(), IsEmpty());
}

TEST_F(RdapTest, SourcesThatDisagreeAreBothKept) {
  CheckerOptions options = Options();
  options.contact_sources = {"cymru", "abusix", "rdap"};
  absl::StatusOr<std::unique_ptr<Checker>> checker = Checker::Create(options);
  ASSERT_TRUE(checker.ok());
  absl::StatusOr<v1::Report> report = (*checker)->Check("192.0.2.7");
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->networks_size(), 2);
  EXPECT_EQ(report->networks(0).source(), "cymru");
  EXPECT_EQ(report->networks(0).registry(), "arin");
  EXPECT_EQ(report->networks(1).source(), "rdap");
  ASSERT_EQ(report->contacts_size(), 2);
  EXPECT_EQ(report->contacts(0).source(), "abusix");
  EXPECT_EQ(report->contacts(1).source(), "rdap");
}

TEST_F(RdapTest, CheckPrintsNetworkAndNotifyLines) {
  absl::StatusOr<testing::CommandResult> r = testing::RunCommand(
      {testing::RunfilePath("cli/dnsbl"), "check",
       "--nameserver=" + dns_->endpoint(), "--catalog=" + *catalog_path_,
       "--contact_sources=rdap", "--rdap_url=" + *url_,
       "--rdap_ca_file=" + *dir_ + "/ca.pem", "192.0.2.7"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 1) << r->err;
  EXPECT_THAT(r->out, HasSubstr("  network: NET-192-0-2-0-1 (EXAMPLE-NET-1), "
                                "192.0.2.0/24, 127.0.0.1, allocated 2004-01-01 "
                                "[rdap]\n"));
  EXPECT_THAT(r->out, HasSubstr("  notify: abuse@example.net [rdap]\n"));

  // A bad --rdap_url is an input error naming it, before any question.
  r = testing::RunCommand({testing::RunfilePath("cli/dnsbl"), "check",
                           "--nameserver=" + dns_->endpoint(),
                           "--rdap_url=http://x/", "192.0.2.7"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 2);
  EXPECT_THAT(r->err, HasSubstr("http://x/"));
}

TEST_F(RdapTest, BulkAsksOncePerNetwork) {
  const std::string input = *dir_ + "/bulk-input.txt";
  // 64 + 256 + 16 addresses in four networks (198.51.100.0/24 is two:
  // /25 redirected to "RIPE" and /25 at "LACNIC").
  std::ofstream(input) << "192.0.2.0/26\n198.51.100.0/24\n203.0.113.16/28\n";
  const int before_arin = Requests("/rdap/ip/192.0.2.");
  const int before_198 = Requests("/rdap/ip/198.51.100.");
  const int before_apnic = Requests("/rdap/ip/203.0.113.");
  absl::StatusOr<testing::CommandResult> r = testing::RunCommand(
      {testing::RunfilePath("cli/dnsbl"), "bulk", "--progress=never",
       "--nameserver=" + dns_->endpoint(), "--catalog=" + *catalog_path_,
       "--contacts", "--contact_sources=rdap", "--rdap_url=" + *url_,
       "--rdap_ca_file=" + *dir_ + "/ca.pem", "--rdap_qps=50", input});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 1) << r->err;
  EXPECT_EQ(Requests("/rdap/ip/192.0.2.") - before_arin, 1);
  EXPECT_EQ(Requests("/rdap/ip/198.51.100.") - before_198, 2);
  EXPECT_EQ(Requests("/rdap/ip/203.0.113.") - before_apnic, 1);

  std::map<std::string, std::string> expected_by_prefix = {
      {"192.0.2.0/24", "abuse@example.net"},
      {"198.51.100.0/25", "abuse@example.nl"},
      {"198.51.100.128/25", "abuse@exemplo.com.br"},
      {"203.0.113.0/24", "abuse@example.com.au"},
  };
  int reports = 0;
  for (absl::string_view line : absl::StrSplit(r->out, '\n')) {
    if (line.empty()) continue;
    v1::Report report;
    ASSERT_TRUE(
        google::protobuf::util::JsonStringToMessage(std::string(line), &report)
            .ok());
    ++reports;
    ASSERT_EQ(report.networks_size(), 1) << report.address();
    const IpAddress ip = *IpAddress::Parse(report.address());
    const IpRange range = *IpRange::Parse(report.networks(0).prefix());
    EXPECT_FALSE(ip < range.first || range.last < ip) << report.address();
    EXPECT_THAT(
        Emails(report),
        ::testing::Contains(expected_by_prefix[report.networks(0).prefix()]))
        << report.address();
  }
  EXPECT_EQ(reports, 64 + 256 + 16);
}

TEST_F(RdapTest, CsvCarriesNetworkAndNotifyOnEveryRow) {
  absl::StatusOr<testing::CommandResult> r = testing::RunCommand(
      {testing::RunfilePath("cli/dnsbl"), "check", "--format=csv",
       "--nameserver=" + dns_->endpoint(), "--catalog=" + *catalog_path_,
       "--contact_sources=rdap", "--rdap_url=" + *url_,
       "--rdap_ca_file=" + *dir_ + "/ca.pem", "192.0.2.7", "2001:db8:429::1"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->out,
            "address,zone,status,codes,categories,txt,detail,network,notify,"
            "resolution,server\n"
            "192.0.2.7,bl.test,LISTED,127.0.0.2,OTHER,,,\"NET-192-0-2-0-1 "
            "(EXAMPLE-NET-1), 192.0.2.0/24, 127.0.0.1, allocated 2004-01-01 "
            "[rdap]\",abuse@example.net [rdap],RECURSIVE,\n"
            "2001:db8:429::1,bl.test,NOT_LISTED,,,,,,\"unknown: rdap: HTTP 429 "
            "(rate limited), retry after 1s\",RECURSIVE,\n")
      << r->err;
}

}  // namespace
}  // namespace dnsbl

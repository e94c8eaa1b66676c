// `dnsbl serve` end to end, with real clients on loopback: rbldnsd as the
// blocklists (192.0.2.7 and 2001:db8::7 listed as open relays; dead.test
// not served at all, so every answer about it is an error), the service
// as a process, Debian's Prometheus scraping /probe (blackbox-exporter
// style) and /metrics, its series read back through its HTTP API and held
// to that ground truth, promtool linting what the service exposes, and the
// JSON API giving the command line's own error messages.

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/http_get.h"
#include "tests/rbldnsd_server.h"
#include "tests/serve_process.h"
#include "tests/subprocess.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;

constexpr char kCatalog[] = R"pb(
  zone {
    name: "relays.test"
    ipv4: true
    ipv6: true
    code { value: "127.0.0.2" category: OPEN_RELAY meaning: "open relay" }
  }
  zone {
    name: "dead.test"
    ipv4: true
    ipv6: true
    code { value: "127.0.0.2" category: OPEN_PROXY }
  }
)pb";

// Percent-encodes a PromQL query for a URL.
std::string UrlEncode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (isalnum(c) || c == '_' || c == '.' || c == '-') {
      out += static_cast<char>(c);
    } else {
      out += absl::StrFormat("%%%02X", c);
    }
  }
  return out;
}

class ServeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<testing::RbldnsdServer>> dns =
        testing::RbldnsdServer::Start({
            // With an SOA, as real blocklists have: negative answers
            // may be kept for its negative TTL.
            // A TXT reason that is hostile markup, as any text off the
            // network may be.
            {"relays.test", "ip4set",
             "$SOA 0 ns.relays.test. hostmaster.relays.test. 1 600 300 "
             "86400 300\n:127.0.0.2:<script>alert(1)</script> relay\n"
             "192.0.2.7\n"},
            {"abuse-contacts.abusix.zone", "ip4trie",
             "192.0.2.0/24 :127.0.0.2:abuse@a.example\n"},
            {"relays.test", "ip6trie", "2001:db8::7\n"},
        });
    ASSERT_TRUE(dns.ok()) << dns.status();
    dns_ = dns->release();
    dir_ = new std::string(absl::StrCat(std::getenv("TEST_TMPDIR"), "/serve"));
    mkdir(dir_->c_str(), 0700);
    std::ofstream(*dir_ + "/catalog.textproto") << kCatalog;
    absl::StatusOr<std::unique_ptr<testing::ServeProcess>> serve =
        testing::ServeProcess::Start(
            {"--nameserver=" + dns_->endpoint(),
             "--catalog=" + *dir_ + "/catalog.textproto",
             "--contact_sources=abusix", "--from=desk@example.org",
             "--client_qps=0", "--timeout=1s", "--tries=1"});
    ASSERT_TRUE(serve.ok()) << serve.status();
    serve_ = serve->release();
    port_ = serve_->port();
  }

  static void TearDownTestSuite() {
    // SIGTERM: every request answered, then a clean exit.
    if (serve_ != nullptr) EXPECT_EQ(serve_->Stop().exit_code, 0);
    delete serve_;
    delete dns_;
    delete dir_;
    serve_ = nullptr;
    dns_ = nullptr;
    dir_ = nullptr;
  }

  static testing::HttpResult Get(const std::string& path) {
    return testing::HttpGet(absl::StrCat("http://127.0.0.1:", port_, path));
  }

  static testing::RbldnsdServer* dns_;
  static testing::ServeProcess* serve_;
  static std::string* dir_;
  static int port_;
};

testing::RbldnsdServer* ServeTest::dns_ = nullptr;
testing::ServeProcess* ServeTest::serve_ = nullptr;
std::string* ServeTest::dir_ = nullptr;
int ServeTest::port_ = 0;

TEST_F(ServeTest, JsonApiAnswersWithReportsAndTheCommandLinesErrors) {
  testing::HttpResult r = Get("/v1/check?address=192.0.2.7");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_THAT(r.body, HasSubstr("{\"zone\":\"relays.test\",\"status\":"
                                "\"LISTED\""));
  EXPECT_THAT(r.body,
              HasSubstr("{\"zone\":\"dead.test\",\"status\":\"ERROR\""));
  r = Get("/v1/check?address=2001:db8::7");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_THAT(r.body, HasSubstr("\"open_relay_by\":[\"relays.test\"]"));

  // The same words as `dnsbl check` prints for the same bad input.
  r = Get("/v1/check?address=192.0.2.256");
  EXPECT_EQ(r.status, 400);
  absl::StatusOr<testing::CommandResult> cli = testing::RunCommand(
      {testing::RunfilePath("cli/dnsbl"), "check", "192.0.2.256"});
  ASSERT_TRUE(cli.ok());
  EXPECT_EQ(cli->exit_code, 2);
  const std::string message = r.body.substr(r.body.find("\"message\":\"") + 11);
  EXPECT_THAT(cli->err, HasSubstr(message.substr(0, message.find("\"}}"))));
  EXPECT_EQ(Get("/v1/zones").status, 200);
  EXPECT_EQ(Get("/nowhere").status, 404);
}

// The value of the unlabelled series `name` in /metrics.
double MetricValue(const std::string& metrics, const std::string& name) {
  const std::regex line("\n" + name + " ([0-9.e+]+)\n");
  std::smatch m;
  return std::regex_search(metrics, m, line) ? std::stod(m[1]) : -1;
}

TEST_F(ServeTest, RepeatedProbesAskTheBlocklistOncePerTtl) {
  ASSERT_EQ(Get("/probe?target=192.0.2.9").status, 200);  // Warm.
  const std::string before = Get("/metrics").body;
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(Get("/probe?target=192.0.2.9").status, 200);
    ASSERT_EQ(Get("/v1/check?address=192.0.2.7").status, 200);
  }
  const std::string after = Get("/metrics").body;
  const double hits = MetricValue(after, "dnsbl_cache_hits_total") -
                      MetricValue(before, "dnsbl_cache_hits_total");
  const double misses = MetricValue(after, "dnsbl_cache_misses_total") -
                        MetricValue(before, "dnsbl_cache_misses_total");
  // relays.test's answers (the listing, its TXT, the negative answer) came
  // from the cache every time; only dead.test, whose failures are never
  // kept, was asked again: one question per check.
  EXPECT_GE(hits, 10) << after;
  EXPECT_LE(misses, 10) << after;
  EXPECT_GT(MetricValue(after, "dnsbl_cache_entries"), 0);
}

TEST_F(ServeTest, ManyAddressesByPostAsNdjsonInOrder) {
  std::string body = "192.0.2.7\n192.0.2.8\n2001:db8::7\n";
  testing::HttpResult r = testing::HttpGet(
      absl::StrCat("http://127.0.0.1:", port_, "/v1/check"), {}, &body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/x-ndjson");
  std::vector<std::string> lines =
      absl::StrSplit(r.body, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_THAT(lines[0], HasSubstr("\"address\":\"192.0.2.7\""));
  EXPECT_THAT(lines[1], HasSubstr("\"address\":\"192.0.2.8\""));
  EXPECT_THAT(lines[2], HasSubstr("\"address\":\"2001:db8::7\""));
  // One bad item fails the request whole, naming it; too many are refused.
  body = "192.0.2.7\nexample.com\n";
  r = testing::HttpGet(absl::StrCat("http://127.0.0.1:", port_, "/v1/check"),
                       {}, &body);
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("item 2: "));
  body.clear();
  for (int i = 0; i < 101; ++i) absl::StrAppend(&body, "192.0.2.", i, "\n");
  r = testing::HttpGet(absl::StrCat("http://127.0.0.1:", port_, "/v1/check"),
                       {}, &body);
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("give 1 to 100 addresses"));
}

TEST_F(ServeTest, TheNoticeAsAMessageNothingSent) {
  testing::HttpResult r = Get("/v1/notice?address=192.0.2.7&lang=pt");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "message/rfc822");
  EXPECT_THAT(r.headers, HasSubstr("Content-Disposition: attachment; "
                                   "filename=\"notice-192.0.2.7.eml\""));
  EXPECT_THAT(r.body, HasSubstr("From: desk@example.org\r\n"));
  EXPECT_THAT(r.body, HasSubstr("To: abuse@a.example\r\n"));
  EXPECT_THAT(r.body, HasSubstr("Auto-Submitted: auto-generated\r\n"));
  // No listing, no letter, said why as the command line says it: with
  // dead.test unanswered, not even "not listed".
  r = Get("/v1/notice?address=192.0.2.8");
  EXPECT_EQ(r.status, 422);
  EXPECT_THAT(r.body, HasSubstr("no notice for 192.0.2.8: nothing listed, but "
                                "1 of 2 blocklists gave no usable answer"));
}

TEST_F(ServeTest, ThePageInChromium) {
  // Strict policy and no framing on every page.
  testing::HttpResult home = Get("/");
  ASSERT_EQ(home.status, 200);
  EXPECT_THAT(home.headers,
              HasSubstr("Content-Security-Policy: default-src 'none'; "
                        "style-src 'self'"));
  EXPECT_THAT(home.headers, HasSubstr("X-Frame-Options: DENY"));
  const char* outputs = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR");
  const std::string shots =
      outputs != nullptr ? outputs : *dir_ + "/screenshots";
  absl::StatusOr<testing::CommandResult> r = testing::RunCommand(
      {"/usr/bin/python3", testing::RunfilePath("tests/page_driver.py"),
       absl::StrCat("http://127.0.0.1:", port_, "/"), shots, "192.0.2.7",
       "da"});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->exit_code, 0) << r->err;
  // What a person sees (innerText, JSON-escaped by the driver).
  EXPECT_THAT(r->out, HasSubstr("192.0.2.7 is LISTED by 1 of 2 blocklists"));
  EXPECT_THAT(r->out,
              HasSubstr("IP-adressen 192.0.2.7 kan v\\u00e6re et \\u00e5bent "
                        "mail relay"));
  EXPECT_THAT(r->out, HasSubstr("abuse@a.example"));
  // The hostile reason is shown as text, and ran nothing.
  EXPECT_THAT(r->out, HasSubstr("<script>alert(1)</script> relay"));
  EXPECT_THAT(r->out, HasSubstr("\"scripts\": 0"));
  EXPECT_THAT(r->out, HasSubstr("\"overflow\": false"));
  EXPECT_THAT(r->out, HasSubstr("\"csp_violations\": []"));
  EXPECT_THAT(r->out, HasSubstr("\"download\": \"/v1/notice?address=192.0.2.7"
                                "&lang=da&from=desk@example.org\""));
  EXPECT_EQ(access((shots + "/page-phone.png").c_str(), R_OK), 0);
}

TEST_F(ServeTest, PromtoolAcceptsWhatItExposes) {
  for (const std::string path : {"/metrics", "/probe?target=192.0.2.7"}) {
    testing::HttpResult r = Get(path);
    ASSERT_EQ(r.status, 200) << path;
    const std::string file = *dir_ + "/exposed.txt";
    std::ofstream(file) << r.body;
    absl::StatusOr<testing::CommandResult> lint = testing::RunCommand(
        {"/usr/bin/promtool", "check", "metrics"}, {}, file);
    ASSERT_TRUE(lint.ok());
    EXPECT_EQ(lint->exit_code, 0) << path << "\n" << lint->out << lint->err;
  }
}

// Prometheus, scraping the service as the docs show, read back through its
// HTTP API.
class PrometheusTest : public ServeTest {
 protected:
  static void SetUpTestSuite() {
    ServeTest::SetUpTestSuite();
    prometheus_port_ = testing::FreeTcpPort();
    const std::string config = *dir_ + "/prometheus.yml";
    std::ofstream(config) << absl::StrReplaceAll(
        R"(global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: dnsbl_probe
    metrics_path: /probe
    static_configs:
      - targets: ["192.0.2.7", "192.0.2.8", "2001:db8::7"]
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: 127.0.0.1:PORT
  - job_name: dnsbl
    static_configs:
      - targets: ["127.0.0.1:PORT"]
)",
        {{"PORT", absl::StrCat(port_)}});
    absl::StatusOr<testing::RunningCommand> prometheus =
        testing::RunningCommand::Start(
            {"/usr/bin/prometheus", "--config.file=" + config,
             "--storage.tsdb.path=" + *dir_ + "/tsdb",
             absl::StrCat("--web.listen-address=127.0.0.1:",
                          prometheus_port_)});
    ASSERT_TRUE(prometheus.ok()) << prometheus.status();
    prometheus_ = new testing::RunningCommand(*std::move(prometheus));
  }

  static void TearDownTestSuite() {
    if (prometheus_ != nullptr) {
      prometheus_->Signal(SIGTERM);
      prometheus_->Wait();
    }
    delete prometheus_;
    prometheus_ = nullptr;
    ServeTest::TearDownTestSuite();
  }

  // Returns the values of the instant vector `query` (waiting up to 60 s
  // for at least `at_least` series).
  static std::vector<std::string> Query(const std::string& query,
                                        size_t at_least = 1) {
    std::vector<std::string> values;
    for (int i = 0; i < 240; ++i) {
      testing::HttpResult r = testing::HttpGet(
          absl::StrCat("http://127.0.0.1:", prometheus_port_,
                       "/api/v1/query?query=", UrlEncode(query)));
      values.clear();
      static const std::regex kValue("\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]");
      for (std::sregex_iterator it(r.body.begin(), r.body.end(), kValue), end;
           it != end; ++it) {
        values.push_back((*it)[1]);
      }
      if (values.size() >= at_least) break;
      absl::SleepFor(absl::Milliseconds(250));
    }
    return values;
  }

  static testing::RunningCommand* prometheus_;
  static int prometheus_port_;
};

testing::RunningCommand* PrometheusTest::prometheus_ = nullptr;
int PrometheusTest::prometheus_port_ = 0;

TEST_F(PrometheusTest, SeriesMatchTheBlocklistsGroundTruth) {
  using ::testing::ElementsAre;
  EXPECT_THAT(
      Query(R"(dnsbl_zone_listed{zone="relays.test",instance="192.0.2.7"})"),
      ElementsAre("1"));
  EXPECT_THAT(
      Query(R"(dnsbl_zone_listed{zone="relays.test",instance="192.0.2.8"})"),
      ElementsAre("0"));
  EXPECT_THAT(
      Query(R"(dnsbl_zone_listed{zone="relays.test",instance="2001:db8::7"})"),
      ElementsAre("1"));
  EXPECT_THAT(Query(R"(dnsbl_zone_listed_category{zone="relays.test",)"
                    R"(category="open_relay",instance="192.0.2.7"})"),
              ElementsAre("1"));
  // The dead zone is an error for every target, and never a listing.
  EXPECT_THAT(Query(R"(dnsbl_zone_error{zone="dead.test"})", 3),
              ElementsAre("1", "1", "1"));
  EXPECT_THAT(
      Query(R"(count(dnsbl_zone_listed{zone="dead.test"}) or vector(0))"),
      ElementsAre("0"));
  EXPECT_THAT(Query(R"(dnsbl_probe_success{instance="192.0.2.7"})"),
              ElementsAre("0"));
  // The service's own metrics saw the probes (every target scraped at
  // least once by the time /metrics is scraped again).
  double probes = 0;
  for (int i = 0; i < 120 && probes < 3; ++i) {
    std::vector<std::string> v = Query(
        R"(dnsbl_http_requests_total{job="dnsbl",route="/probe",code="200"})");
    probes = v.size() == 1 ? std::stod(v[0]) : 0;
    if (probes < 3) absl::SleepFor(absl::Milliseconds(250));
  }
  EXPECT_GE(probes, 3);
}

TEST(ServeStartTest, BeyondLoopbackOnlyWithAToken) {
  absl::StatusOr<testing::CommandResult> r = testing::RunCommand(
      {testing::RunfilePath("cli/dnsbl"), "serve", "--listen=0.0.0.0:0"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 2);
  EXPECT_THAT(r->err, HasSubstr("needs a token (--token_file)"));
  r = testing::RunCommand(
      {testing::RunfilePath("cli/dnsbl"), "serve", "--listen=localhost:80"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 2);
  EXPECT_THAT(r->err, HasSubstr("is not ADDRESS:PORT"));
}

}  // namespace
}  // namespace dnsbl

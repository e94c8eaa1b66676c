#include "dnsbl/serve/internal/service.h"

#include <fstream>
#include <optional>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fakes.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A Checker over local zone data only: nothing is asked over the network.
std::unique_ptr<Checker> LocalChecker() {
  const std::string dir = std::getenv("TEST_TMPDIR");
  std::ofstream(dir + "/relays.txt") << "192.0.2.7\n";
  CheckerOptions options;
  auto catalog = std::make_shared<v1::Catalog>();
  v1::Zone* zone = catalog->add_zone();
  zone->set_name("relays.test");
  zone->set_ipv4(true);
  v1::ReturnCode* code = zone->add_code();
  code->set_value("127.0.0.2");
  code->set_category(v1::OPEN_RELAY);
  options.catalog = catalog;
  options.zone_data = {"relays.test:ip4set:" + dir + "/relays.txt"};
  options.nameservers = {"127.0.0.1:9"};  // Never asked.
  absl::StatusOr<std::unique_ptr<Checker>> checker = Checker::Create(options);
  EXPECT_TRUE(checker.ok()) << checker.status();
  return checker.ok() ? *std::move(checker) : nullptr;
}

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { checker_ = LocalChecker(); }

  // Handles a GET of `path` with `query` from `client`; polls the checker
  // until it is answered.
  ServerResponse Get(Service& service, const std::string& path,
                     std::map<std::string, std::string> query = {},
                     std::map<std::string, std::string> headers = {},
                     const std::string& client = "127.0.0.1") {
    ServerRequest request;
    request.method = "GET";
    request.path = path;
    request.query = std::move(query);
    request.headers = std::move(headers);
    request.client = client;
    std::optional<ServerResponse> answer;
    service.Handle(request, [&](ServerResponse r) { answer = std::move(r); });
    for (int i = 0; i < 100 && !answer.has_value(); ++i) {
      checker_->Poll(absl::Milliseconds(10));
    }
    EXPECT_TRUE(answer.has_value()) << path;
    return answer.value_or(ServerResponse{});
  }

  std::unique_ptr<Checker> checker_;
};

TEST_F(ServiceTest, ChecksAnAddressAsJson) {
  Service service(*checker_, {});
  ServerResponse r = Get(service, "/v1/check", {{"address", "192.0.2.7"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_THAT(r.body, HasSubstr("\"address\":\"192.0.2.7\""));
  EXPECT_THAT(r.body, HasSubstr("\"status\":\"LISTED\""));
}

TEST_F(ServiceTest, BadInputIsA400NamingIt) {
  Service service(*checker_, {});
  ServerResponse r = Get(service, "/v1/check", {{"address", "1.2.3"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("{\"error\":{\"code\":\"INVALID_ARGUMENT\","
                                "\"message\":\"'1.2.3' is not"));
  // A host name is not an address: the service never resolves names.
  EXPECT_EQ(Get(service, "/v1/check", {{"address", "example.com"}}).status,
            400);
  EXPECT_EQ(Get(service, "/v1/check").status, 400);
  EXPECT_EQ(Get(service, "/probe", {{"target", "x"}}).status, 400);
  EXPECT_EQ(Get(service, "/nothing").status, 404);
}

TEST_F(ServiceTest, TokenIsRequiredButNotForHealthz) {
  ServiceOptions options;
  options.token = "s3cret";
  Service service(*checker_, options);
  EXPECT_EQ(Get(service, "/healthz").status, 200);
  ServerResponse r = Get(service, "/v1/zones");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(
      Get(service, "/v1/zones", {}, {{"authorization", "Bearer nope"}}).status,
      401);
  EXPECT_EQ(Get(service, "/v1/zones", {}, {{"authorization", "Bearer s3cret"}})
                .status,
            200);
}

TEST_F(ServiceTest, ClientsOverTheirRateGet429) {
  testing::FakeClock clock(absl::FromUnixSeconds(1796140800));
  ServiceOptions options;
  options.client_qps = 2;  // Burst of 4.
  options.clock = &clock;
  Service service(*checker_, options);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(Get(service, "/v1/zones", {}, {}, "192.0.2.1").status, 200);
  }
  ServerResponse over = Get(service, "/v1/zones", {}, {}, "192.0.2.1");
  EXPECT_EQ(over.status, 429);
  // Another client is not affected; half a second later one more fits.
  EXPECT_EQ(Get(service, "/v1/zones", {}, {}, "192.0.2.2").status, 200);
  clock.Set(absl::FromUnixSeconds(1796140800) + absl::Milliseconds(500));
  EXPECT_EQ(Get(service, "/v1/zones", {}, {}, "192.0.2.1").status, 200);
  EXPECT_EQ(Get(service, "/v1/zones", {}, {}, "192.0.2.1").status, 429);
}

TEST_F(ServiceTest, MetricsCountRequestsByRouteAndCode) {
  Service service(*checker_, {});
  Get(service, "/v1/check", {{"address", "192.0.2.7"}});
  Get(service, "/v1/check", {{"address", "bad"}});
  Get(service, "/whatever/a/client/makes/up");
  ServerResponse m = Get(service, "/metrics");
  EXPECT_EQ(m.status, 200);
  EXPECT_THAT(m.body, HasSubstr("dnsbl_http_requests_total{route=\"/v1/check\","
                                "code=\"200\"} 1\n"));
  EXPECT_THAT(m.body, HasSubstr("dnsbl_http_requests_total{route=\"/v1/check\","
                                "code=\"400\"} 1\n"));
  // Unknown paths share one label value.
  EXPECT_THAT(m.body, HasSubstr("{route=\"other\",code=\"404\"} 1\n"));
  EXPECT_THAT(m.body, Not(HasSubstr("made/up")));
  EXPECT_THAT(m.body, HasSubstr("dnsbl_zone_results_total{zone=\"relays.test\","
                                "status=\"listed\"} 1\n"));
}

TEST(ProbeTextTest, AnErrorIsAnErrorSeriesNeverAListing) {
  v1::Report report;
  v1::ZoneResult* listed = report.add_results();
  listed->set_zone("relays.test");
  listed->set_status(v1::LISTED);
  listed->add_categories(v1::OPEN_RELAY);
  listed->set_latency_ms(12);
  v1::ZoneResult* refused = report.add_results();
  refused->set_zone("spamhaus.test");
  refused->set_status(v1::REFUSED);
  refused->set_error(v1::ERROR_KIND_UNSPECIFIED);
  v1::ZoneResult* clean = report.add_results();
  clean->set_zone("clean.test");
  clean->set_status(v1::NOT_LISTED);
  v1::ZoneResult* skipped = report.add_results();
  skipped->set_zone("v6only.test");
  skipped->set_status(v1::SKIPPED);
  const std::string text = ProbeText(report, absl::Milliseconds(250));
  EXPECT_THAT(text, HasSubstr("dnsbl_probe_success 0\n"));
  EXPECT_THAT(text, HasSubstr("dnsbl_probe_duration_seconds 0.25\n"));
  EXPECT_THAT(text, HasSubstr("dnsbl_probe_listed_zones 1\n"));
  EXPECT_THAT(text, HasSubstr("dnsbl_zone_listed{zone=\"relays.test\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("dnsbl_zone_listed{zone=\"clean.test\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("dnsbl_zone_listed_category{zone=\"relays.test\","
                              "category=\"open_relay\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("dnsbl_zone_error{zone=\"spamhaus.test\","
                              "status=\"refused\""));
  EXPECT_THAT(text, Not(HasSubstr("dnsbl_zone_listed{zone=\"spamhaus.test\"")));
  EXPECT_THAT(text, Not(HasSubstr("v6only.test")));
  EXPECT_THAT(text, HasSubstr("dnsbl_zone_answer_seconds{zone=\"relays.test\"} "
                              "0.012\n"));
}

}  // namespace
}  // namespace dnsbl

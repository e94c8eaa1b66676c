// No wrong verdict through the API on a bad path: dnsbl serve asking
// rbldnsd through the fault proxy (loss, delay and jitter, SERVFAIL and
// REFUSED rewrites, garbage and spoofed answers). Every report /v1/check
// gives is held to rbldnsd's data: "listed" only for a listed address,
// "not listed" only for one that is not; anything else must be an error.

#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fault_proxy.h"
#include "tests/http_get.h"
#include "tests/rbldnsd_server.h"
#include "tests/serve_process.h"

namespace dnsbl {
namespace {

TEST(ServeFaultTest, NoWrongVerdictThroughTheApi) {
  // The truth: 192.0.2.0/26 listed, the rest of 192.0.2.0/24 not.
  std::string data;
  std::set<std::string> listed;
  for (int i = 0; i < 64; ++i) {
    absl::StrAppend(&data, "192.0.2.", i, "\n");
    listed.insert(absl::StrCat("192.0.2.", i));
  }
  absl::StatusOr<std::unique_ptr<testing::RbldnsdServer>> dns =
      testing::RbldnsdServer::Start({{"relays.test", "ip4set", data}});
  ASSERT_TRUE(dns.ok()) << dns.status();
  testing::FaultProxyOptions faults;
  faults.upstream_port = (*dns)->port();
  faults.loss = 0.15;
  faults.delay = absl::Milliseconds(3);
  faults.jitter = absl::Milliseconds(5);
  faults.servfail = 0.05;
  faults.refused = 0.03;
  faults.garbage = 0.03;
  faults.wrong_id = 0.03;
  faults.duplicate = 0.03;
  absl::StatusOr<std::unique_ptr<testing::FaultProxy>> proxy =
      testing::FaultProxy::Start(faults);
  ASSERT_TRUE(proxy.ok()) << proxy.status();
  const std::string catalog =
      absl::StrCat(std::getenv("TEST_TMPDIR"), "/catalog.textproto");
  std::ofstream(catalog) << "zone { name: \"relays.test\" ipv4: true code { "
                            "value: \"127.0.0.2\" category: OPEN_RELAY } }\n";
  // No cache: every request goes through the faults again. No health
  // probes: on this path they may judge the zone dead (rightly), and then
  // no answer would be used at all; here every answer must stand on the
  // per-answer rules alone.
  absl::StatusOr<std::unique_ptr<testing::ServeProcess>> serve =
      testing::ServeProcess::Start(
          {"--nameserver=" + (*proxy)->endpoint(), "--catalog=" + catalog,
           "--nocontacts", "--cache_size=0", "--client_qps=0",
           "--nohealth_check", "--timeout=300ms", "--tries=3"});
  ASSERT_TRUE(serve.ok()) << serve.status();

  int right = 0;
  int unanswered = 0;
  int wrong = 0;
  const std::regex kLine(
      "\"address\":\"([0-9.]+)\".*?\"zone\":\"relays.test\",\"status\":"
      "\"([A-Z_]+)\"");
  for (int round = 0; round < 4; ++round) {
    std::string body;
    for (int i = 0; i < 100; ++i) absl::StrAppend(&body, "192.0.2.", i, "\n");
    testing::HttpResult r =
        testing::HttpGet((*serve)->url("/v1/check"), {}, &body);
    ASSERT_EQ(r.status, 200) << r.body;
    for (absl::string_view line : absl::StrSplit(r.body, '\n')) {
      if (line.empty()) continue;
      const std::string text(line);
      std::smatch sm;
      ASSERT_TRUE(std::regex_search(text, sm, kLine)) << text;
      const bool truth = listed.count(sm[1]) > 0;
      if (sm[2] == "LISTED" || sm[2] == "NOT_LISTED") {
        if ((sm[2] == "LISTED") == truth) {
          ++right;
        } else {
          ++wrong;
          ADD_FAILURE() << "wrong verdict: " << text;
        }
      } else {
        ++unanswered;  // ERROR or REFUSED: said, never guessed.
      }
    }
  }
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(right + unanswered, 400);
  // The path was bad and the service still answered most: the test is not
  // vacuous either way.
  EXPECT_GT(right, 200);
  EXPECT_GT((*proxy)->counters().dropped_queries +
                (*proxy)->counters().dropped_answers,
            0);
  RecordProperty("right", right);
  RecordProperty("unanswered", unanswered);
}

// A nameserver that never answers: every check takes its full timeout,
// and every zone ends up unusable.
class SilentPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<testing::BlackHoleServer>> hole =
        testing::BlackHoleServer::Start();
    ASSERT_TRUE(hole.ok()) << hole.status();
    hole_ = *std::move(hole);
    const std::string catalog =
        absl::StrCat(std::getenv("TEST_TMPDIR"), "/silent.textproto");
    std::ofstream(catalog) << "zone { name: \"relays.test\" ipv4: true code "
                              "{ value: \"127.0.0.2\" category: OPEN_RELAY "
                              "} }\n";
    absl::StatusOr<std::unique_ptr<testing::ServeProcess>> serve =
        testing::ServeProcess::Start(
            {"--nameserver=" + hole_->endpoint(), "--catalog=" + catalog,
             "--nocontacts", "--client_qps=0", "--timeout=1s", "--tries=1"});
    ASSERT_TRUE(serve.ok()) << serve.status();
    serve_ = *std::move(serve);
  }

  std::unique_ptr<testing::BlackHoleServer> hole_;
  std::unique_ptr<testing::ServeProcess> serve_;
};

TEST_F(SilentPathTest, SigtermLetsTheRequestInFlightFinish) {
  testing::HttpResult in_flight;
  std::thread client([&] {
    in_flight = testing::HttpGet(serve_->url("/v1/check?address=192.0.2.7"));
  });
  // Told to stop once the check is in flight (counted, not answered).
  for (int i = 0; i < 200; ++i) {
    if (absl::StrContains(testing::HttpGet(serve_->url("/metrics")).body,
                          "\ndnsbl_checks_total 1\n")) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  testing::CommandResult stopped = serve_->Stop();
  client.join();
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  ASSERT_EQ(in_flight.status, 503) << in_flight.body;
  // Answered whole (503: nothing usable), and unanswered zones are
  // errors, never "not listed".
  EXPECT_THAT(in_flight.body,
              ::testing::HasSubstr("\"zone\":\"relays.test\",\"status\":"
                                   "\"ERROR\""));
  // Nothing listens any more.
  EXPECT_EQ(testing::HttpGet(serve_->url("/healthz")).status, 0);
}

TEST_F(SilentPathTest, NoUsableAnswerIs503WithTheReport) {
  // No zone answers: no verdict would be honest. The report says why.
  for (const char* address : {"192.0.2.7", "192.0.2.8"}) {
    testing::HttpResult r = testing::HttpGet(
        serve_->url(absl::StrCat("/v1/check?address=", address)));
    EXPECT_EQ(r.status, 503) << r.body;
    EXPECT_THAT(r.body, ::testing::HasSubstr(absl::StrCat(
                            "no zone gave a usable answer for ", address)));
    EXPECT_THAT(r.body, ::testing::HasSubstr("\"status\":\"ERROR\""));
  }
  // The service itself is fine, and the probe reports errors, not listings.
  EXPECT_EQ(testing::HttpGet(serve_->url("/healthz")).status, 200);
  testing::HttpResult probe =
      testing::HttpGet(serve_->url("/probe?target=192.0.2.7"));
  EXPECT_EQ(probe.status, 200);
  EXPECT_THAT(probe.body, ::testing::HasSubstr("dnsbl_probe_success 0\n"));
  EXPECT_THAT(probe.body,
              ::testing::Not(::testing::HasSubstr("dnsbl_zone_listed{")));
}

}  // namespace
}  // namespace dnsbl

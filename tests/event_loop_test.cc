// The event-loop interface (Checker::Descriptors/NextTimeout/Process), as
// examples/epoll_check.cc drives it from a plain epoll loop: against
// rbldnsd directly, and through a lossy, slow path where only timeouts and
// resends get every answer home. Every report must match the ground truth.

#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "proto/dnsbl.pb.h"
#include "tests/fault_proxy.h"
#include "tests/rbldnsd_server.h"
#include "tests/subprocess.h"

namespace dnsbl {
namespace {

constexpr char kCatalog[] = R"pb(
  zone { name: "a.test" ipv4: true }
  zone { name: "b.test" ipv4: true }
)pb";

class EventLoopTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    listed_ = new std::set<std::string>();
    std::string data = "127.0.0.2\n";
    for (int i = 0; i < 64; i += 5) {
      listed_->insert(absl::StrCat("192.0.2.", i));
      absl::StrAppend(&data, "192.0.2.", i, " :127.0.0.2:listed\n");
    }
    absl::StatusOr<std::unique_ptr<testing::RbldnsdServer>> server =
        testing::RbldnsdServer::Start(
            {{"a.test", "ip4set", data}, {"b.test", "ip4set", data}});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    catalog_path_ = new std::string(
        absl::StrCat(std::getenv("TEST_TMPDIR"), "/loop.textproto"));
    std::ofstream(*catalog_path_) << kCatalog;
  }

  static void TearDownTestSuite() {
    delete server_;
    delete listed_;
    delete catalog_path_;
  }

  // Runs the example over 192.0.2.0-63 through `nameserver` and checks
  // every report against the ground truth.
  static void ExpectTruthThrough(const std::string& nameserver) {
    std::vector<std::string> argv = {
        testing::RunfilePath("examples/epoll_check"), nameserver,
        *catalog_path_};
    for (int i = 0; i < 64; ++i) argv.push_back(absl::StrCat("192.0.2.", i));
    absl::StatusOr<testing::CommandResult> result = testing::RunCommand(argv);
    ASSERT_TRUE(result.ok()) << result.status();
    ASSERT_EQ(result->exit_code, 0) << result->err;
    std::set<std::string> seen;
    for (absl::string_view line :
         absl::StrSplit(result->out, '\n', absl::SkipEmpty())) {
      v1::Report report;
      ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(std::string(line),
                                                              &report)
                      .ok())
          << line;
      seen.insert(report.address());
      const bool truly = listed_->count(report.address()) > 0;
      ASSERT_EQ(report.results_size(), 2);
      for (const v1::ZoneResult& r : report.results()) {
        EXPECT_EQ(r.status(), truly ? v1::LISTED : v1::NOT_LISTED)
            << report.address() << " in " << r.zone() << ": " << r.detail();
      }
    }
    EXPECT_EQ(seen.size(), 64u);
    // The tool's own timer ran in the same loop.
    EXPECT_THAT(result->err, ::testing::HasSubstr("64 reports"));
  }

  static testing::RbldnsdServer* server_;
  static std::set<std::string>* listed_;
  static std::string* catalog_path_;
};

testing::RbldnsdServer* EventLoopTest::server_ = nullptr;
std::set<std::string>* EventLoopTest::listed_ = nullptr;
std::string* EventLoopTest::catalog_path_ = nullptr;

TEST_F(EventLoopTest, EpollLoopGetsEveryAnswer) {
  ExpectTruthThrough(server_->endpoint());
}

// 20 ms each way and 5% loss each way: the answers that come home only
// because the loop honoured NextTimeout() (resent copies, c-ares timeouts).
// With 6 copies a question is lost for good about once in a million.
TEST_F(EventLoopTest, EpollLoopRidesOutALossyPath) {
  testing::FaultProxyOptions options;
  options.upstream_port = server_->port();
  options.delay = absl::Milliseconds(20);
  options.loss = 0.05;
  absl::StatusOr<std::unique_ptr<testing::FaultProxy>> proxy =
      testing::FaultProxy::Start(options);
  ASSERT_TRUE(proxy.ok()) << proxy.status();
  ExpectTruthThrough((*proxy)->endpoint());
  EXPECT_GT((*proxy)->counters().dropped_queries +
                (*proxy)->counters().dropped_answers,
            0);
}

}  // namespace
}  // namespace dnsbl

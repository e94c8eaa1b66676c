// No wrong verdicts under injected faults: rbldnsd behind the fault proxy,
// one fault kind at a time, every answer checked against ground truth. A
// true LISTED may come back LISTED or unusable (ERROR, SKIPPED), never
// NOT_LISTED; a true NOT_LISTED never LISTED.

#include <dirent.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "dnsbl/dnsbl.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fault_proxy.h"
#include "tests/rbldnsd_server.h"

namespace dnsbl {
namespace {

// What a fault may do to results besides never making a verdict wrong,
// which holds for every fault.
enum class Unusable {
  // Faults the client must see through (spoofs, duplicates, reordering,
  // truncation): every result must still come back right.
  kNone,
  // Faults that only ever turn an answer into a copy lost: a result is
  // unusable (ERROR) only when every one of its 6 copies is hit, which
  // happens by chance (0.15^6 per question: about one run in a hundred).
  // Counted, never a failure, but bounded: more than 1% unusable would
  // mean the client gives up on answers it should retry.
  kByChanceOnly,
  // Faults that must show as unusable results (SERVFAIL, REFUSED, answers
  // outside 127/8): some result must be unusable, with its reason.
  kSome,
};

struct Fault {
  const char* name;
  double testing::FaultProxyOptions::*chance;
  int64_t testing::FaultProxy::Counters::*counter;
  Unusable unusable;
};

const Fault kFaults[] = {
    {"duplicate", &testing::FaultProxyOptions::duplicate,
     &testing::FaultProxy::Counters::duplicated, Unusable::kNone},
    {"reorder", &testing::FaultProxyOptions::reorder,
     &testing::FaultProxy::Counters::reordered, Unusable::kNone},
    {"servfail", &testing::FaultProxyOptions::servfail,
     &testing::FaultProxy::Counters::servfails, Unusable::kSome},
    {"refused", &testing::FaultProxyOptions::refused,
     &testing::FaultProxy::Counters::refusals, Unusable::kSome},
    {"truncate", &testing::FaultProxyOptions::truncate,
     &testing::FaultProxy::Counters::truncated, Unusable::kNone},
    // Random bytes fail c-ares's question check and are dropped like a
    // spoof, so the next copy gets the real answer; all 6 copies of one
    // question garbled is rare but possible (it failed about one CI run in
    // twenty when this was kNone).
    {"garbage", &testing::FaultProxyOptions::garbage,
     &testing::FaultProxy::Counters::garbled, Unusable::kByChanceOnly},
    {"wrong_id", &testing::FaultProxyOptions::wrong_id,
     &testing::FaultProxy::Counters::wrong_ids, Unusable::kNone},
    {"wrong_name", &testing::FaultProxyOptions::wrong_name,
     &testing::FaultProxy::Counters::wrong_names, Unusable::kNone},
    {"outside_a", &testing::FaultProxyOptions::outside_a,
     &testing::FaultProxy::Counters::outside_as, Unusable::kSome},
};

class FaultTest : public ::testing::TestWithParam<Fault> {
 protected:
  static void SetUpTestSuite() {
    listed_ = new std::set<std::string>();
    std::string data = ":127.0.0.2:listed $\n127.0.0.2\n";
    for (int i = 0; i < 256; i += 3) {
      std::string ip = absl::StrCat("192.0.2.", i);
      listed_->insert(ip);
      absl::StrAppend(&data, ip, "\n");
    }
    absl::StatusOr<std::unique_ptr<testing::RbldnsdServer>> server =
        testing::RbldnsdServer::Start(
            {{"f0.test", "ip4set", data}, {"f1.test", "ip4set", data}});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete listed_;
  }

  static testing::RbldnsdServer* server_;
  static std::set<std::string>* listed_;
};

testing::RbldnsdServer* FaultTest::server_ = nullptr;
std::set<std::string>* FaultTest::listed_ = nullptr;

TEST_P(FaultTest, NoWrongVerdicts) {
  const Fault& fault = GetParam();
  testing::FaultProxyOptions proxy_options;
  proxy_options.upstream_port = server_->port();
  proxy_options.*fault.chance = 0.15;
  absl::StatusOr<std::unique_ptr<testing::FaultProxy>> proxy =
      testing::FaultProxy::Start(proxy_options);
  ASSERT_TRUE(proxy.ok()) << proxy.status();

  CheckerOptions options;
  options.catalog = std::make_shared<const v1::Catalog>(
      *ParseCatalog("zone { name: \"f0.test\" ipv4: true }\n"
                    "zone { name: \"f1.test\" ipv4: true }\n",
                    "t"));
  options.nameservers = {(*proxy)->endpoint()};
  options.timeout = absl::Milliseconds(150);
  options.tries = 6;
  absl::StatusOr<std::unique_ptr<Checker>> checker = Checker::Create(options);
  ASSERT_TRUE(checker.ok());
  std::vector<v1::Report> reports;
  for (int i = 0; i < 256; ++i) {
    (*checker)->CheckAsync(
        IpAddress::FromIpv4(0xc0000200 + i),
        [&](v1::Report r) { reports.push_back(std::move(r)); });
  }
  absl::Time deadline = absl::Now() + absl::Seconds(60);
  while ((*checker)->pending() > 0 && absl::Now() < deadline) {
    (*checker)->Poll(absl::Milliseconds(100));
  }
  ASSERT_EQ(reports.size(), 256u) << "checks did not finish";
  int right = 0;
  int unusable = 0;
  std::string first_unusable;
  for (const v1::Report& report : reports) {
    const bool truly = listed_->count(report.address()) > 0;
    for (const v1::ZoneResult& r : report.results()) {
      if (r.status() == v1::LISTED || r.status() == v1::NOT_LISTED) {
        ASSERT_EQ(r.status() == v1::LISTED, truly)
            << fault.name << ": " << report.address() << " in " << r.zone();
        ++right;
      } else {
        EXPECT_FALSE(r.detail().empty());
        if (unusable++ == 0) {
          first_unusable = absl::StrCat(report.address(), " in ", r.zone(),
                                        ": ", r.detail());
        }
      }
    }
  }
  testing::FaultProxy::Counters counters = (*proxy)->counters();
  EXPECT_GT(counters.*fault.counter, 5) << fault.name << " never happened";
  switch (fault.unusable) {
    case Unusable::kNone:
      EXPECT_EQ(unusable, 0) << fault.name << ", first: " << first_unusable;
      break;
    case Unusable::kByChanceOnly:
      EXPECT_LE(unusable, right / 100)
          << fault.name << ", first: " << first_unusable;
      break;
    case Unusable::kSome:
      EXPECT_GT(unusable, 0) << fault.name << " made no result unusable";
      break;
  }
  if (fault.chance == &testing::FaultProxyOptions::truncate) {
    EXPECT_GT(counters.tcp_queries, 0);
  }
  RecordProperty("right", right);
  RecordProperty("unusable", unusable);
}

INSTANTIATE_TEST_SUITE_P(Faults, FaultTest, ::testing::ValuesIn(kFaults),
                         [](const ::testing::TestParamInfo<Fault>& info) {
                           return std::string(info.param.name);
                         });

int OpenDescriptors() {
  int count = 0;
  DIR* dir = opendir("/proc/self/fd");
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count;
}

// A thousand checks, through a hundred checkers made and destroyed, leave
// no descriptor behind.
// The proxy's capacity cap (a slower server) queues what it can and drops
// the rest; a window within the queue loses nothing. Never a wrong verdict.
TEST_F(FaultTest, CapacityCapDropsOnlyBeyondItsQueue) {
  for (int window : {400, 10}) {
    SCOPED_TRACE(absl::StrCat("window ", window));
    testing::FaultProxyOptions proxy_options;
    proxy_options.upstream_port = server_->port();
    proxy_options.max_qps = 5000;
    proxy_options.queue_limit = 20;
    absl::StatusOr<std::unique_ptr<testing::FaultProxy>> proxy =
        testing::FaultProxy::Start(proxy_options);
    ASSERT_TRUE(proxy.ok());
    CheckerOptions options;
    options.catalog = std::make_shared<const v1::Catalog>(
        *ParseCatalog("zone { name: \"f0.test\" ipv4: true }\n"
                      "zone { name: \"f1.test\" ipv4: true }\n",
                      "t"));
    options.nameservers = {(*proxy)->endpoint()};
    options.fetch_txt = false;
    options.health_check = false;
    options.tries = 1;
    options.timeout = absl::Milliseconds(300);
    options.max_inflight = window;
    absl::StatusOr<std::unique_ptr<Checker>> checker = Checker::Create(options);
    ASSERT_TRUE(checker.ok()) << checker.status();
    int errors = 0;
    for (int i = 0; i < 256; ++i) {
      const std::string ip = absl::StrCat("192.0.2.", i);
      (*checker)->CheckAsync(*IpAddress::Parse(ip), [&, ip](v1::Report r) {
        for (const v1::ZoneResult& z : r.results()) {
          if (z.status() == v1::ERROR) {
            ++errors;
            continue;
          }
          EXPECT_EQ(z.status() == v1::LISTED, listed_->count(ip) > 0) << ip;
        }
      });
    }
    while ((*checker)->pending() > 0) {
      (*checker)->Poll(absl::Milliseconds(50));
    }
    const testing::FaultProxy::Counters c = (*proxy)->counters();
    if (window > 20) {
      EXPECT_GT(c.overflowed, 100);
      EXPECT_EQ(errors, c.overflowed);
    } else {
      EXPECT_EQ(c.overflowed, 0);
      EXPECT_EQ(errors, 0);
    }
  }
}

TEST(ResourceTest, NoDescriptorLeaks) {
  absl::StatusOr<std::unique_ptr<testing::RbldnsdServer>> server =
      testing::RbldnsdServer::Start({{"a.test", "ip4set", "192.0.2.1\n"}});
  ASSERT_TRUE(server.ok()) << server.status();
  CheckerOptions options;
  options.catalog = std::make_shared<const v1::Catalog>(
      *ParseCatalog("zone { name: \"a.test\" ipv4: true }\n", "t"));
  options.nameservers = {(*server)->endpoint()};
  const int before = OpenDescriptors();
  for (int c = 0; c < 100; ++c) {
    absl::StatusOr<std::unique_ptr<Checker>> checker = Checker::Create(options);
    ASSERT_TRUE(checker.ok());
    for (int i = 0; i < 10; ++i) {
      absl::StatusOr<v1::Report> report =
          (*checker)->Check(absl::StrCat("192.0.2.", i));
      ASSERT_TRUE(report.ok());
      EXPECT_EQ(report->summary().listed(), i == 1);
    }
  }
  EXPECT_EQ(OpenDescriptors(), before);
}

// Whatever the server does (here: nothing), a check returns within
// timeout x tries and a small margin.
TEST(ResourceTest, DeadlinesHoldWhenNothingAnswers) {
  absl::StatusOr<std::unique_ptr<testing::BlackHoleServer>> hole =
      testing::BlackHoleServer::Start();
  ASSERT_TRUE(hole.ok());
  CheckerOptions options;
  options.catalog = std::make_shared<const v1::Catalog>(
      *ParseCatalog("zone { name: \"a.test\" ipv4: true }\n"
                    "zone { name: \"b.test\" ipv4: true }\n",
                    "t"));
  options.nameservers = {(*hole)->endpoint()};
  options.timeout = absl::Milliseconds(50);
  options.tries = 3;
  absl::StatusOr<std::unique_ptr<Checker>> checker = Checker::Create(options);
  ASSERT_TRUE(checker.ok());
  for (int i = 0; i < 10; ++i) {
    absl::Time start = absl::Now();
    absl::StatusOr<v1::Report> report =
        (*checker)->Check(absl::StrCat("192.0.2.", i));
    absl::Duration took = absl::Now() - start;
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(VerdictOf(report->summary()), Verdict::kIncomplete);
    EXPECT_LT(took, absl::Milliseconds(50 * 3 + 250)) << i;
  }
}

}  // namespace
}  // namespace dnsbl

// Soak: about 260,000 questions through the fault proxy with 5% loss each
// way and jitter. Every result must be right or an ERROR, and memory must
// stay flat: RSS at the end within 10% of RSS after warm-up.

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "dnsbl/dnsbl.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fault_proxy.h"
#include "tests/rbldnsd_server.h"

namespace dnsbl {
namespace {

int64_t RssKiB() {
  std::ifstream statm("/proc/self/statm");
  int64_t size = 0;
  int64_t resident = 0;
  statm >> size >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

TEST(SoakTest, TwoHundredThousandQuestionsThroughLossAndJitter) {
  std::mt19937 rng(11);
  std::vector<std::set<uint32_t>> listed(2);
  std::vector<testing::ZoneData> data;
  const uint32_t base = 0x0a020000;  // 10.2.0.0/15
  const uint32_t count = 1 << 17;
  for (int z = 0; z < 2; ++z) {
    std::string text = "127.0.0.2\n";
    for (uint32_t i = 0; i < count; ++i) {
      if (rng() % 10 != 0) continue;
      listed[z].insert(base + i);
      absl::StrAppend(&text, IpAddress::FromIpv4(base + i).ToString(), "\n");
    }
    data.push_back({absl::StrCat("s", z, ".test"), "ip4set", text});
  }
  absl::StatusOr<std::unique_ptr<testing::RbldnsdServer>> server =
      testing::RbldnsdServer::Start(data);
  ASSERT_TRUE(server.ok()) << server.status();
  testing::FaultProxyOptions proxy_options;
  proxy_options.upstream_port = (*server)->port();
  proxy_options.loss = 0.05;
  proxy_options.delay = absl::Milliseconds(1);
  proxy_options.jitter = absl::Milliseconds(4);
  absl::StatusOr<std::unique_ptr<testing::FaultProxy>> proxy =
      testing::FaultProxy::Start(proxy_options);
  ASSERT_TRUE(proxy.ok());

  const std::string out = absl::StrCat(std::getenv("TEST_TMPDIR"), "/soak.bin");
  BulkOptions options;
  options.checker.catalog = std::make_shared<const v1::Catalog>(
      *ParseCatalog("zone { name: \"s0.test\" ipv4: true }\n"
                    "zone { name: \"s1.test\" ipv4: true }\n",
                    "t"));
  options.checker.nameservers = {(*proxy)->endpoint()};
  options.checker.fetch_txt = false;
  options.checker.timeout = absl::Milliseconds(300);
  options.checker.tries = 6;
  options.output = out;
  options.format = OutputFormat::kBinary;
  options.input.max_range_size = count;
  options.progress_interval = absl::Milliseconds(250);
  // A cap the window reaches early, so the working set measured as "warm"
  // is already the largest the run can need; growth after it is a leak.
  options.max_inflight = 1000;
  int max_window_warm = 0;
  int max_window_late = 0;
  int64_t warm_rss = 0;
  int64_t peak_rss = 0;
  options.on_progress = [&](const BulkSummary& s) {
    const int64_t rss = RssKiB();
    // Warm: the most seen between a fifth and half of the way, once the
    // window has found its size and every buffer and table has grown to
    // it. A leak would keep growing through the second half.
    if (s.verdicts.reports > count / 5 && s.verdicts.reports <= count / 2) {
      warm_rss = std::max(warm_rss, rss);
    }
    int& max_window =
        s.verdicts.reports <= count / 2 ? max_window_warm : max_window_late;
    max_window = std::max(max_window, s.dns.window);
    peak_rss = std::max(peak_rss, rss);
  };
  absl::StatusOr<std::unique_ptr<BulkRunner>> runner =
      BulkRunner::Create(std::move(options));
  ASSERT_TRUE(runner.ok()) << runner.status();
  std::istringstream in("10.2.0.0/15\n");
  absl::StatusOr<BulkSummary> summary = (*runner)->Run(&in);
  ASSERT_TRUE(summary.ok()) << summary.status();
  const int64_t end_rss = RssKiB();
  EXPECT_EQ(summary->verdicts.reports, count);
  EXPECT_GE(summary->dns.sent, 2 * count);
  ASSERT_GT(warm_rss, 0);
  EXPECT_LE(end_rss, warm_rss * 11 / 10)
      << "warm " << warm_rss << " KiB, end " << end_rss << " KiB, peak "
      << peak_rss << " KiB";

  absl::StatusOr<std::vector<v1::Report>> reports =
      ReadReports(out, OutputFormat::kBinary);
  ASSERT_TRUE(reports.ok()) << reports.status();
  ASSERT_EQ(reports->size(), count);
  std::set<std::string> seen;
  int64_t errors = 0;
  for (const v1::Report& report : *reports) {
    ASSERT_TRUE(seen.insert(report.address()).second) << report.address();
    const uint32_t ip = IpAddress::Parse(report.address())->ipv4();
    for (int z = 0; z < 2; ++z) {
      const v1::ZoneResult& r = report.results(z);
      if (r.status() == v1::ERROR) {
        ++errors;
        continue;
      }
      ASSERT_EQ(r.status() == v1::LISTED, listed[z].count(ip) > 0)
          << report.address() << " in " << r.zone() << ": " << r.status();
    }
  }
  testing::FaultProxy::Counters c = (*proxy)->counters();
  EXPECT_GT(c.dropped_queries + c.dropped_answers, 10000);
  RecordProperty("errors", static_cast<int>(errors));
  RecordProperty("warm_rss_kib", static_cast<int>(warm_rss));
  RecordProperty("end_rss_kib", static_cast<int>(end_rss));
  std::cerr << "soak: " << summary->verdicts.reports << " addresses, "
            << summary->dns.sent << " questions, " << errors
            << " errors, RSS warm " << warm_rss << " KiB end " << end_rss
            << " KiB peak " << peak_rss << " KiB, window (first half, second) "
            << max_window_warm << ", " << max_window_late << ", "
            << absl::FormatDuration(summary->elapsed) << "\n";
}

}  // namespace
}  // namespace dnsbl

#include "dnsbl/notice/internal/renotify.h"

#include <fstream>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

absl::Time Day(int n) { return absl::UnixEpoch() + absl::Hours(24 * n); }

NotifiedEntry Entry(int day, std::vector<std::string> categories,
                    std::string address = "192.0.2.7") {
  return {Day(day), "abuse@example.net", std::move(address),
          std::move(categories), "<id@example.org>"};
}

TEST(NotifiedLogTest, SameClaimWithinTheWindowIsCovered) {
  NotifiedLog log;
  log.Add(Entry(10, {"OPEN_RELAY"}));
  EXPECT_EQ(log.CoveredSince("abuse@example.net", "192.0.2.7", {"OPEN_RELAY"},
                             Day(5)),
            Day(10));
  // Outside the window: not covered any more.
  EXPECT_EQ(log.CoveredSince("abuse@example.net", "192.0.2.7", {"OPEN_RELAY"},
                             Day(11)),
            std::nullopt);
  // Another mailbox, another address: never told.
  EXPECT_EQ(
      log.CoveredSince("noc@example.net", "192.0.2.7", {"OPEN_RELAY"}, Day(5)),
      std::nullopt);
  EXPECT_EQ(log.CoveredSince("abuse@example.net", "192.0.2.8", {"OPEN_RELAY"},
                             Day(5)),
            std::nullopt);
}

TEST(NotifiedLogTest, AStrongerClaimIsNews) {
  NotifiedLog log;
  log.Add(Entry(10, {"OPEN_RELAY"}));
  EXPECT_EQ(log.CoveredSince("abuse@example.net", "192.0.2.7",
                             {"OPEN_RELAY", "OPEN_PROXY"}, Day(5)),
            std::nullopt);
  // After the stronger notice, both kinds are covered, and a weaker claim
  // (the proxy closed) is no news either.
  log.Add(Entry(11, {"OPEN_RELAY", "OPEN_PROXY"}));
  EXPECT_EQ(log.CoveredSince("abuse@example.net", "192.0.2.7",
                             {"OPEN_RELAY", "OPEN_PROXY"}, Day(5)),
            Day(10));
  EXPECT_EQ(log.CoveredSince("abuse@example.net", "192.0.2.7", {"OPEN_RELAY"},
                             Day(5)),
            Day(10));
}

TEST(NotifiedLogTest, RoundTripsThroughItsFileAndSkipsTornLines) {
  const std::string path =
      absl::StrCat(std::getenv("TEST_TMPDIR"), "/notified.tsv");
  {
    std::ofstream out(path);
    out << NotifiedLog::FormatLine(Entry(10, {"OPEN_RELAY", "SPAM_SOURCE"}))
        << NotifiedLog::FormatLine(Entry(12, {"OPEN_PROXY"}, "192.0.2.8"))
        << "2026-12-0";  // A crash in the middle of a line.
  }
  absl::StatusOr<NotifiedLog> log = NotifiedLog::Read(path);
  ASSERT_TRUE(log.ok()) << log.status();
  EXPECT_EQ(log->CoveredSince("abuse@example.net", "192.0.2.7", {"SPAM_SOURCE"},
                              Day(1)),
            Day(10));
  EXPECT_EQ(log->CoveredSince("abuse@example.net", "192.0.2.8", {"OPEN_PROXY"},
                              Day(1)),
            Day(12));
  absl::StatusOr<NotifiedLog> none = NotifiedLog::Read(path + ".missing");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->CoveredSince("abuse@example.net", "192.0.2.7", {}, Day(1)),
            std::nullopt);
}

TEST(ClaimCategoryNamesTest, RelayProxyThenOthers) {
  v1::Report r;
  r.set_address("192.0.2.7");
  v1::ZoneResult* spam = r.add_results();
  spam->set_status(v1::LISTED);
  spam->add_categories(v1::SPAM_SOURCE);
  v1::ZoneResult* relay = r.add_results();
  relay->set_status(v1::LISTED);
  relay->add_categories(v1::OPEN_RELAY);
  r.mutable_summary()->set_answered(2);
  r.mutable_summary()->set_asked(2);
  EXPECT_EQ(ClaimCategoryNames(r),
            (std::vector<std::string>{"OPEN_RELAY", "SPAM_SOURCE"}));
}

}  // namespace
}  // namespace dnsbl

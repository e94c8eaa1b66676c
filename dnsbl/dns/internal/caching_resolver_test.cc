#include "dnsbl/dns/internal/caching_resolver.h"

#include <optional>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fakes.h"

namespace dnsbl {
namespace {

using ::testing::ElementsAre;

DnsResponse Answer(int ttl) {
  DnsResponse r;
  r.outcome = DnsOutcome::kAnswer;
  r.records = {"127.0.0.2"};
  r.ttl = ttl;
  return r;
}

DnsResponse Negative(int negative_ttl) {
  DnsResponse r;
  r.outcome = DnsOutcome::kNxDomain;
  r.negative_ttl = negative_ttl;
  return r;
}

class CachingResolverTest : public ::testing::Test {
 protected:
  CachingResolverTest()
      : clock_(absl::FromUnixSeconds(1000)),
        fake_(std::make_shared<testing::FakeResolver>()) {
    AnswerCacheOptions options;
    options.clock = &clock_;
    options.max_ttl = absl::Seconds(600);
    options.max_entries = 3;
    cache_ = std::make_unique<CachingResolver>(fake_, options);
  }

  // Asks `name` and polls until answered.
  DnsResponse Ask(const std::string& name, RecordType type = RecordType::kA) {
    std::optional<DnsResponse> got;
    cache_->Lookup(name, type, [&](DnsResponse r) { got = std::move(r); });
    // Never answered inside Lookup().
    EXPECT_FALSE(got.has_value());
    for (int i = 0; i < 10 && !got.has_value(); ++i)
      cache_->Poll(absl::ZeroDuration());
    EXPECT_TRUE(got.has_value());
    return got.value_or(DnsResponse());
  }

  testing::FakeClock clock_;
  std::shared_ptr<testing::FakeResolver> fake_;
  std::unique_ptr<CachingResolver> cache_;
};

TEST_F(CachingResolverTest, AnswersAreKeptForTheirTtl) {
  fake_->Set("7.2.0.192.bl.test", RecordType::kA, Answer(300));
  EXPECT_EQ(Ask("7.2.0.192.bl.test").ttl, 300);
  clock_.Set(absl::FromUnixSeconds(1100));
  DnsResponse again = Ask("7.2.0.192.BL.test");  // Names are case-blind.
  EXPECT_EQ(again.records, std::vector<std::string>{"127.0.0.2"});
  EXPECT_EQ(again.ttl, 200);  // The time left.
  EXPECT_EQ(fake_->asked().size(), 1u);
  clock_.Set(absl::FromUnixSeconds(1301));
  Ask("7.2.0.192.bl.test");
  EXPECT_EQ(fake_->asked().size(), 2u);
  EXPECT_EQ(cache_->stats().hits, 1);
  EXPECT_EQ(cache_->stats().misses, 2);
}

TEST_F(CachingResolverTest, NegativeAnswersForTheirSoaAndFailuresNever) {
  fake_->Set("8.2.0.192.bl.test", RecordType::kA, Negative(60));
  DnsResponse timeout;
  timeout.outcome = DnsOutcome::kTimeout;
  fake_->Set("9.2.0.192.bl.test", RecordType::kA, timeout);
  fake_->Set("1.2.0.192.bl.test", RecordType::kA, Negative(0));  // No SOA.
  for (int i = 0; i < 3; ++i) {
    Ask("8.2.0.192.bl.test");
    EXPECT_EQ(Ask("9.2.0.192.bl.test").outcome, DnsOutcome::kTimeout);
    Ask("1.2.0.192.bl.test");
  }
  // The negative answer once; the timeout and the SOA-less answer each time.
  EXPECT_EQ(std::count(fake_->asked().begin(), fake_->asked().end(),
                       "8.2.0.192.bl.test/A"),
            1);
  EXPECT_EQ(std::count(fake_->asked().begin(), fake_->asked().end(),
                       "9.2.0.192.bl.test/A"),
            3);
  EXPECT_EQ(std::count(fake_->asked().begin(), fake_->asked().end(),
                       "1.2.0.192.bl.test/A"),
            3);
}

TEST_F(CachingResolverTest, TtlsAreCappedAndTheSoonestToExpireGoFirst) {
  fake_->Set("a.bl.test", RecordType::kA, Answer(86400));
  Ask("a.bl.test");
  clock_.Set(absl::FromUnixSeconds(1601));  // Past the 600 s cap.
  Ask("a.bl.test");
  EXPECT_EQ(fake_->asked().size(), 2u);
  for (const char* n : {"b.bl.test", "c.bl.test", "d.bl.test"}) {
    fake_->Set(n, RecordType::kA, Answer(100));
  }
  Ask("b.bl.test");
  Ask("c.bl.test");
  Ask("d.bl.test");  // Four entries, at most three: b (soonest) goes.
  EXPECT_EQ(cache_->stats().entries, 3);
  const size_t before = fake_->asked().size();
  Ask("a.bl.test");
  Ask("b.bl.test");
  EXPECT_EQ(fake_->asked().size(), before + 1);
  EXPECT_EQ(fake_->asked().back(), "b.bl.test/A");
}

TEST_F(CachingResolverTest, OneQuestionInFlightServesEveryoneWhoAsks) {
  fake_->Set("7.2.0.192.bl.test", RecordType::kTxt, Answer(300));
  std::vector<int> got;
  for (int i = 0; i < 3; ++i) {
    cache_->Lookup("7.2.0.192.bl.test", RecordType::kTxt,
                   [&got, i](DnsResponse) { got.push_back(i); });
  }
  while (cache_->pending() > 0) cache_->Poll(absl::ZeroDuration());
  EXPECT_THAT(got, ElementsAre(0, 1, 2));
  EXPECT_THAT(fake_->asked(), ElementsAre("7.2.0.192.bl.test/TXT"));
}

}  // namespace
}  // namespace dnsbl

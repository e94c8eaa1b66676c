#include "dnsbl/dns/internal/adaptive_resolver.h"

#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fakes.h"

namespace dnsbl {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1795000000);

DnsResponse Nx(int attempts = 1) {
  DnsResponse r;
  r.outcome = DnsOutcome::kNxDomain;
  r.attempts = attempts;
  return r;
}

TEST(AdaptiveResolverTest, KeepsAtMostTheWindowInFlight) {
  auto fake = std::make_unique<testing::FakeResolver>();
  testing::FakeResolver* inner = fake.get();
  inner->SetZone("bl.test", RecordType::kA, Nx());
  testing::FakeClock clock(kStart);
  AdaptiveOptions options;
  options.initial_window = 4;
  options.min_window = 2;
  options.max_inflight = 16;
  options.clock = &clock;
  AdaptiveResolver resolver(std::move(fake), options);
  int answered = 0;
  for (int i = 0; i < 100; ++i) {
    resolver.Lookup(absl::StrCat(i, ".bl.test"), RecordType::kA,
                    [&](DnsResponse) { ++answered; });
  }
  EXPECT_EQ(inner->pending(), 4u);
  EXPECT_EQ(resolver.pending(), 100u);
  while (resolver.pending() > 0) resolver.Poll(absl::Seconds(1));
  EXPECT_EQ(answered, 100);
  EXPECT_LE(inner->max_pending(), 16u);  // never beyond the cap
  EXPECT_EQ(resolver.stats().sent, 100);
  EXPECT_EQ(resolver.stats().lost, 0);
}

// A one-off check asks ~200 questions at once; a server's default socket
// buffer holds ~170. Before any round trip is measured, a first burst goes
// at once and the rest are paced at initial_qps.
TEST(AdaptiveResolverTest, PacesTheFirstBurst) {
  for (double initial_qps : {20000.0, 0.0}) {
    auto fake = std::make_unique<testing::FakeResolver>();
    testing::FakeResolver* inner = fake.get();
    inner->SetZone("bl.test", RecordType::kA, Nx());
    testing::FakeClock clock(kStart);  // Time stands still.
    AdaptiveOptions options;
    options.initial_window = 256;
    options.min_window = 256;
    options.max_inflight = 256;
    options.initial_qps = initial_qps;
    options.clock = &clock;
    AdaptiveResolver resolver(std::move(fake), options);
    for (int i = 0; i < 200; ++i) {
      resolver.Lookup(absl::StrCat(i, ".bl.test"), RecordType::kA,
                      [](DnsResponse) {});
    }
    EXPECT_EQ(inner->pending(), initial_qps > 0 ? 64u : 200u) << initial_qps;
    // Answers with no measurable round trip end the initial pacing.
    while (resolver.pending() > 0) resolver.Poll(absl::Seconds(1));
    EXPECT_EQ(resolver.stats().sent, 200);
  }
}

TEST(AdaptiveResolverTest, RetriesAndTimeoutsShrinkTheWindow) {
  auto fake = std::make_unique<testing::FakeResolver>();
  testing::FakeResolver* inner = fake.get();
  inner->SetZone("bl.test", RecordType::kA, Nx(/*attempts=*/2));
  testing::FakeClock clock(kStart, absl::Milliseconds(100));
  AdaptiveOptions options;
  options.initial_window = 16;
  options.min_window = 2;
  options.max_inflight = 16;
  options.clock = &clock;
  AdaptiveResolver resolver(std::move(fake), options);
  for (int i = 0; i < 64; ++i) {
    resolver.Lookup(absl::StrCat(i, ".bl.test"), RecordType::kA,
                    [](DnsResponse) {});
  }
  while (resolver.pending() > 0) resolver.Poll(absl::Seconds(1));
  EXPECT_EQ(resolver.stats().lost, 64);
  EXPECT_GE(resolver.stats().decreases, 3);
  EXPECT_EQ(resolver.stats().window, 2);
}

TEST(AdaptiveResolverTest, ZoneRateLimitHoldsOnlyThatZone) {
  auto fake = std::make_unique<testing::FakeResolver>();
  testing::FakeResolver* inner = fake.get();
  inner->SetZone("slow.test", RecordType::kA, Nx());
  inner->SetZone("fast.test", RecordType::kA, Nx());
  inner->SetZone("notslow.test", RecordType::kA, Nx());
  testing::FakeClock clock(kStart);
  AdaptiveOptions options;
  options.zone_qps = {{"slow.test", 10}};
  options.clock = &clock;
  AdaptiveResolver resolver(std::move(fake), options);
  for (int i = 0; i < 5; ++i) {
    resolver.Lookup(absl::StrCat(i, ".slow.test"), RecordType::kA,
                    [](DnsResponse) {});
    resolver.Lookup(absl::StrCat(i, ".fast.test"), RecordType::kA,
                    [](DnsResponse) {});
    // Ends in "slow.test", but is not in that zone.
    resolver.Lookup(absl::StrCat(i, ".notslow.test"), RecordType::kA,
                    [](DnsResponse) {});
  }
  // Burst of 1 for the slow zone (10 qps / 10); all others went.
  EXPECT_EQ(inner->asked().size(), 11u);
  EXPECT_EQ(resolver.queued(), 4u);
}

// Answers only the second copy of each question, as a network that drops
// every first packet would.
class SecondCopyResolver : public Resolver {
 public:
  void Lookup(absl::string_view name, RecordType, Callback done) override {
    int copy = ++copies_[std::string(name)];
    DnsResponse r;
    r.attempts = 1;
    r.outcome = copy >= 2 ? DnsOutcome::kNxDomain : DnsOutcome::kTimeout;
    // The lost first copy times out only at the very end.
    (copy >= 2 ? answers_ : timeouts_).emplace_back(r, std::move(done));
  }
  size_t Poll(absl::Duration) override {
    auto run = [](std::vector<std::pair<DnsResponse, Callback>>& list) {
      auto batch = std::move(list);
      list.clear();
      for (auto& [r, done] : batch) done(r);
    };
    // A timeout takes much longer than an answer: many polls.
    if (!answers_.empty()) {
      run(answers_);
    } else if (++idle_polls_ > 200) {
      run(timeouts_);
    }
    return pending();
  }
  size_t pending() const override { return answers_.size() + timeouts_.size(); }
  std::string Describe() const override { return "second-copy"; }

 private:
  std::map<std::string, int> copies_;
  int idle_polls_ = 0;
  std::vector<std::pair<DnsResponse, Callback>> answers_;
  std::vector<std::pair<DnsResponse, Callback>> timeouts_;
};

TEST(AdaptiveResolverTest, OverdueQuestionsAreSentAgainAndTheAnswerWins) {
  testing::FakeClock clock(kStart, absl::Milliseconds(20));
  AdaptiveOptions options;
  options.retransmits = 1;
  options.clock = &clock;
  AdaptiveResolver resolver(std::make_unique<SecondCopyResolver>(), options);
  std::vector<DnsResponse> results;
  for (int i = 0; i < 10; ++i) {
    resolver.Lookup(absl::StrCat(i, ".bl.test"), RecordType::kA,
                    [&](DnsResponse r) { results.push_back(r); });
  }
  while (resolver.pending() > 0) resolver.Poll(absl::Seconds(1));
  ASSERT_EQ(results.size(), 10u);
  for (const DnsResponse& r : results) {
    // The timeout of the first copy did not win over the second's answer.
    EXPECT_EQ(r.outcome, DnsOutcome::kNxDomain);
    EXPECT_EQ(r.attempts, 2);
  }
  EXPECT_EQ(resolver.stats().resent, 10);
}

TEST(AdaptiveResolverTest, WithoutCopiesLeftTheTimeoutStands) {
  testing::FakeClock clock(kStart, absl::Milliseconds(20));
  AdaptiveOptions options;
  options.retransmits = 0;
  options.clock = &clock;
  AdaptiveResolver resolver(std::make_unique<SecondCopyResolver>(), options);
  DnsResponse result;
  resolver.Lookup("x.bl.test", RecordType::kA,
                  [&](DnsResponse r) { result = r; });
  while (resolver.pending() > 0) resolver.Poll(absl::Seconds(1));
  EXPECT_EQ(result.outcome, DnsOutcome::kTimeout);
}

// A path that answers every question with `answer`, `delay` after it was
// asked (a timeout, for a server that never answers). Poll() sets the
// clock (one that does not step) to the next answer, or to the end of its wait.
// Records when each question went out.
class DelayedResolver : public Resolver {
 public:
  DelayedResolver(testing::FakeClock* clock, absl::Duration delay,
                  DnsResponse answer, std::vector<absl::Time>* sent)
      : clock_(clock), delay_(delay), answer_(answer), sent_(sent) {}
  void Lookup(absl::string_view, RecordType, Callback done) override {
    sent_->push_back(clock_->Now());
    waiting_.emplace_back(clock_->Now() + delay_, std::move(done));
  }
  size_t Poll(absl::Duration max_wait) override {
    absl::Time until = clock_->Now() + max_wait;
    if (!waiting_.empty()) until = std::min(until, waiting_.front().first);
    clock_->Set(std::max(clock_->Now(), until));
    while (!waiting_.empty() && waiting_.front().first <= clock_->Now()) {
      Callback done = std::move(waiting_.front().second);
      waiting_.pop_front();
      done(answer_);
    }
    return pending();
  }
  size_t pending() const override { return waiting_.size(); }
  std::string Describe() const override { return "delayed"; }

 private:
  testing::FakeClock* const clock_;
  const absl::Duration delay_;
  const DnsResponse answer_;
  std::vector<absl::Time>* const sent_;
  std::deque<std::pair<absl::Time, Callback>> waiting_;
};

// Copies of an unanswered question back off: the first goes out one
// overdue interval after the question (1 s before any round trip is
// measured), the second one interval later, and each later one twice the
// wait of the one before, randomized by a quarter either way.
TEST(AdaptiveResolverTest, CopiesBackOff) {
  testing::FakeClock clock(kStart);  // Moved by DelayedResolver::Poll().
  std::vector<absl::Time> sent;
  AdaptiveOptions options;
  options.retransmits = 4;
  options.clock = &clock;
  DnsResponse timeout;
  timeout.outcome = DnsOutcome::kTimeout;
  timeout.attempts = 1;
  AdaptiveResolver resolver(std::make_unique<DelayedResolver>(
                                &clock, absl::Seconds(30), timeout, &sent),
                            options);
  DnsResponse result;
  resolver.Lookup("x.bl.test", RecordType::kA,
                  [&](DnsResponse r) { result = r; });
  while (resolver.pending() > 0) resolver.Poll(absl::Seconds(1));
  EXPECT_EQ(result.outcome, DnsOutcome::kTimeout);
  EXPECT_EQ(result.attempts, 5);
  ASSERT_EQ(sent.size(), 5u);
  // Question to first copy: one interval, unrandomized; then 1, 2 and 4
  // intervals, each within a quarter.
  const double intervals[] = {1, 1, 2, 4};
  for (size_t i = 1; i < sent.size(); ++i) {
    const absl::Duration gap = sent[i] - sent[i - 1];
    const double spread = i == 1 ? 0 : 0.25;
    EXPECT_GE(gap, absl::Seconds(intervals[i - 1] * (1 - spread))) << i;
    EXPECT_LE(gap, absl::Seconds(intervals[i - 1] * (1 + spread))) << i;
  }
}

// On a long path, answers come back in the clumps they were sent in and
// free the window in clumps; the sends they release are paced so that no
// more than a quarter millisecond's worth leaves at once (a server's socket
// buffer holds ~170 questions), while the window still fills the path.
TEST(AdaptiveResolverTest, PacesALongPathInSmallBursts) {
  testing::FakeClock clock(kStart);  // Moved by DelayedResolver::Poll().
  std::vector<absl::Time> sent;
  AdaptiveOptions options;
  options.clock = &clock;
  AdaptiveResolver resolver(std::make_unique<DelayedResolver>(
                                &clock, absl::Milliseconds(40), Nx(), &sent),
                            options);
  constexpr int kQuestions = 40000;
  for (int i = 0; i < kQuestions; ++i) {
    resolver.Lookup(absl::StrCat(i, ".bl.test"), RecordType::kA,
                    [](DnsResponse) {});
  }
  while (resolver.pending() > 0) resolver.Poll(absl::Seconds(1));
  ASSERT_EQ(sent.size(), static_cast<size_t>(kQuestions));
  // The pace allows 1.5 windows per round trip: 150,000 a second at the
  // 4,000 cap, 37 in a quarter millisecond. The first burst (before any
  // round trip is measured) is 64.
  size_t clump = 1, largest = 0;
  for (size_t i = 1; i < sent.size(); ++i) {
    clump = sent[i] == sent[i - 1] ? clump + 1 : 1;
    if (sent[i] >= kStart + absl::Milliseconds(40)) {
      largest = std::max(largest, clump);
    }
  }
  EXPECT_LE(largest, 38u);
  EXPECT_GE(largest, 8u);
  // The window grows to its cap: 40,000 questions at up to 4,000 per 40 ms
  // round trip, after about 200 ms of slow start.
  EXPECT_EQ(resolver.stats().window, 4000);
  EXPECT_LT(sent.back() - kStart, absl::Milliseconds(700));
}

}  // namespace
}  // namespace dnsbl

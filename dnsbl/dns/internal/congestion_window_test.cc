#include "dnsbl/dns/internal/congestion_window.h"

#include "gtest/gtest.h"

namespace dnsbl {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1795000000);

TEST(CongestionWindowTest, SlowStartThenHalvingThenSlowerGrowth) {
  const absl::Duration epoch = absl::Milliseconds(50);
  CongestionWindow w(10, 2, 1000);
  absl::Time t = kStart;
  w.Tick(t, epoch);  // starts the first epoch
  auto run_epoch = [&](int answers, int losses, int in_flight) {
    for (int i = 0; i < answers; ++i) w.OnAnswer();
    for (int i = 0; i < losses; ++i) w.OnLoss();
    w.OnInFlight(in_flight);
    w.Tick(t += absl::Milliseconds(10), epoch);  // too soon: no change
    w.Tick(t += epoch, epoch);
  };
  run_epoch(100, 0, 10);
  EXPECT_EQ(w.limit(), 20);  // slow start doubles
  run_epoch(1000, 2, 20);    // 0.2% lost: chance, not congestion
  EXPECT_EQ(w.limit(), 40);
  EXPECT_TRUE(w.slow_start());
  run_epoch(100, 30, 40);  // a burst of drops
  EXPECT_EQ(w.limit(), 28);
  EXPECT_EQ(w.decreases(), 1);
  EXPECT_FALSE(w.slow_start());
  // The same burst, seen an epoch late: one congestion event, one cut.
  run_epoch(100, 30, 28);
  EXPECT_EQ(w.limit(), 28);
  EXPECT_EQ(w.decreases(), 1);
  // After a loss: half way back to 90% of the window that overflowed (36).
  run_epoch(100, 0, 28);
  EXPECT_EQ(w.limit(), 32);
  run_epoch(100, 0, 5);  // an unused window does not grow
  EXPECT_EQ(w.limit(), 32);
  run_epoch(100, 0, 32);
  EXPECT_EQ(w.limit(), 34);
  for (int i = 0; i < 20; ++i) run_epoch(100, 90, 35);
  EXPECT_EQ(w.limit(), 2);  // never below the minimum
  for (int i = 0; i < 400; ++i) run_epoch(1000, 0, 1000);
  EXPECT_EQ(w.limit(), 1000);  // nor above the maximum
}

// A server that overflows above 40 questions and loses nothing below: its
// drops are never learned as the path's loss, so the window stays below
// the overflow instead of settling into it.
TEST(CongestionWindowTest, OverflowIsNeverLearnedAsBackgroundLoss) {
  const absl::Duration epoch = absl::Milliseconds(50);
  CongestionWindow w(32, 2, 4000);
  absl::Time t = kStart;
  w.Tick(t, epoch);
  int64_t lost = 0;
  for (int i = 0; i < 2000; ++i) {
    const int window = w.limit();
    const int losses = window > 40 ? (window - 40) * 20 : 0;
    lost += losses;
    for (int k = 0; k < 2000; ++k) w.OnAnswer();
    for (int k = 0; k < losses; ++k) w.OnLoss();
    w.OnInFlight(window);
    w.Tick(t += epoch, epoch);
  }
  EXPECT_LE(w.limit(), 44);
  EXPECT_GE(w.limit(), 28);  // and uses most of what the server holds
  // Its drops are not the path's loss (an average of every epoch learned
  // them: 0.2% here, and more the longer it overflowed).
  EXPECT_EQ(w.background_loss(), 0);
  // Probes an epoch long, one every few epochs: under 1% of 4,000,000
  // questions. (This model has no queueing signal, which keeps real
  // servers from overflowing at all: dnsbl/dns/ADAPTIVE.md.)
  EXPECT_LT(lost, 40000) << w.decreases() << " cuts";
}

// A path that loses 10% of everything at any window is learned as such:
// the window grows on.
TEST(CongestionWindowTest, SteadyPathLossIsLearned) {
  const absl::Duration epoch = absl::Milliseconds(50);
  CongestionWindow w(32, 2, 4000);
  absl::Time t = kStart;
  w.Tick(t, epoch);
  for (int i = 0; i < 100; ++i) {
    for (int k = 0; k < 900; ++k) w.OnAnswer();
    for (int k = 0; k < 100; ++k) w.OnLoss();
    w.OnInFlight(w.limit());
    w.Tick(t += epoch, epoch);
  }
  EXPECT_NEAR(w.background_loss(), 0.1, 0.01);
  EXPECT_EQ(w.limit(), 4000);
}

}  // namespace
}  // namespace dnsbl

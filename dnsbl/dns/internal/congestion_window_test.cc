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
  run_epoch(100, 2, 20);     // 2% lost: background loss, not congestion
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
  run_epoch(100, 0, 28);  // after the first loss: +1/4
  EXPECT_EQ(w.limit(), 35);
  run_epoch(100, 0, 5);  // an unused window does not grow
  EXPECT_EQ(w.limit(), 35);
  for (int i = 0; i < 20; ++i) run_epoch(100, 90, 35);
  EXPECT_EQ(w.limit(), 2);  // never below the minimum
  for (int i = 0; i < 200; ++i) run_epoch(1000, 0, 1000);
  EXPECT_EQ(w.limit(), 1000);  // nor above the maximum
}

}  // namespace
}  // namespace dnsbl

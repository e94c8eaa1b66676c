// dnsbl/dns/internal/congestion_window.h
//
// How many questions may be in flight, adjusted like TCP congestion
// control from what came back: the window AdaptiveResolver keeps. Pure:
// the caller feeds it answers, losses and time. dnsbl/dns/ADAPTIVE.md tells
// how its constants were measured.
//
// Example:
//
//   dnsbl::CongestionWindow window(/*initial=*/128, /*min=*/8, /*max=*/4000);
//   window.OnAnswer();
//   window.Tick(now, /*epoch=*/absl::Milliseconds(80));
//   if (in_flight < window.limit()) Send();

#ifndef DNSBL_DNSBL_DNS_INTERNAL_CONGESTION_WINDOW_H_
#define DNSBL_DNSBL_DNS_INTERNAL_CONGESTION_WINDOW_H_

#include <algorithm>
#include <cstdint>

#include "absl/time/time.h"

namespace dnsbl {

// A congestion window counted in questions, adjusted once per epoch (the
// caller's choice: a round trip in slow start, else the time it takes to
// notice a loss, so it cannot outgrow its own feedback). An epoch that lost
// more than the path usually loses, beyond chance and by a share of its
// questions (`loss_threshold` until the path's loss is known, a third of
// it after), cuts the window to 70%: an overflowing server drops in
// bursts, while a lossy path loses steadily. The path's own loss is the
// second least of the last eight epochs' (corrected for noise), so a
// server's overflow is never learned as the path's. The epoch after a cut
// neither cuts nor grows: its losses were mostly sent before the cut. A
// cleaner epoch that used the window grows it: doubling at first (slow
// start); after a cut back toward 90% of the window that overflowed, then
// by 2% an epoch for four epochs, then by a quarter. Pure;
// thread-compatible. dnsbl/dns/ADAPTIVE.md has the measurements.
class CongestionWindow {
 public:
  // REQUIRES: 1 <= min <= initial <= max; 0 < loss_threshold < 1.
  CongestionWindow(double initial, double min, double max,
                   double loss_threshold = 0.03);

  void OnAnswer() { ++answers_; }
  void OnLoss() { ++losses_; }
  // Records how many questions are in flight, for "was the window used".
  void OnInFlight(int n) { most_in_flight_ = std::max(most_in_flight_, n); }

  // Ends the current epoch when `epoch` has passed since it began, and
  // adjusts the window. `queueing` says round trips have grown well past
  // their minimum: the server's queue is filling, and drops will follow,
  // so the window eases off by an eighth instead of growing.
  void Tick(absl::Time now, absl::Duration epoch, bool queueing = false);

  // Returns how many questions may be in flight.
  int limit() const { return static_cast<int>(window_); }

  int decreases() const { return decreases_; }

  // Returns the loss taken as the path's own (not congestion), 0 to 0.25.
  double background_loss() const { return background_loss_; }

  // Returns whether the window is still doubling (no loss seen yet).
  bool slow_start() const { return slow_start_; }

 private:
  double window_;
  const double min_;
  const double max_;
  const double loss_threshold_;
  bool slow_start_ = true;
  bool recovering_ = false;     // The epoch after a cut.
  double background_loss_ = 0;  // Average loss of epochs not cut.
  absl::Time epoch_start_ = absl::InfinitePast();
  int64_t answers_ = 0;
  int64_t losses_ = 0;
  int most_in_flight_ = 0;
  int decreases_ = 0;

  // Returns the window after a clean epoch that used it.
  double Grown();

  // The window before the last cut (max_ until one), and the clean
  // epochs since the window grew past kPlateau of it.
  double last_cut_from_ = max_;
  int clean_beyond_ = 0;
  // The loss rates of the last kLossMemory epochs, for background_loss_.
  static constexpr int kLossMemory = 8;
  double recent_loss_[kLossMemory] = {};
  int64_t recent_questions_[kLossMemory] = {};
  int recent_next_ = 0;
  int recent_count_ = 0;
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_DNS_INTERNAL_CONGESTION_WINDOW_H_

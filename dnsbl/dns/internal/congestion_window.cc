#include "dnsbl/dns/internal/congestion_window.h"

#include <algorithm>
#include <cmath>

namespace dnsbl {
namespace {

// Per epoch after slow start: growth on a clean epoch, and the cut on a
// lossy one (gentler than halving, as in CUBIC: a server that dropped a
// burst usually coped with most of the window).
constexpr double kGrowth = 1.25;
constexpr double kDecrease = 0.7;
// Growth after a cut: back to this share of the window that overflowed,
// then by kGentleGrowth an epoch for kGentleEpochs epochs, then kGrowth.
constexpr double kPlateau = 0.9;
constexpr double kGentleGrowth = 0.02;
constexpr int kGentleEpochs = 4;
// Of loss_threshold: the share of an epoch's questions lost (beyond the
// background and chance) that is congestion.
constexpr double kThresholdShare = 1.0 / 3;
// The most loss taken as a path's own.
constexpr double kMaxBackground = 0.25;
// An epoch with fewer questions says too little about the path's loss.
constexpr int64_t kMinEpochQuestions = 20;

}  // namespace

CongestionWindow::CongestionWindow(double initial, double min, double max,
                                   double loss_threshold)
    : window_(initial), min_(min), max_(max), loss_threshold_(loss_threshold) {}

void CongestionWindow::Tick(absl::Time now, absl::Duration epoch,
                            bool queueing) {
  if (epoch_start_ == absl::InfinitePast()) {
    epoch_start_ = now;
    return;
  }
  if (now - epoch_start_ < epoch) return;
  const int64_t total = answers_ + losses_;
  const double rate = total > 0 ? static_cast<double>(losses_) / total : 0;
  // A path that always loses some packets is not congested: only losses
  // well beyond what it usually loses count, beyond chance (three standard
  // deviations of that many questions) and beyond a share of the
  // epoch's questions: `loss_threshold_` while the path's loss is not yet
  // known (a lossy path must not end slow start at once), a third of it
  // after.
  const bool learned = recent_count_ == kLossMemory;
  const double expected = background_loss_ * static_cast<double>(total);
  const bool congested =
      total > 0 &&
      static_cast<double>(losses_) > expected + 3 * std::sqrt(expected) &&
      rate > background_loss_ + (learned ? loss_threshold_ * kThresholdShare
                                         : loss_threshold_);
  // Background loss: the second least among the last epochs. A lossy path
  // loses at every window; an overflowing server stops losing once the
  // window is cut below what it holds, so its drops are never learned as
  // the path's (the second least: the least of eight noisy epochs is well
  // below a lossy path's usual). Until kLossMemory epochs are seen it is
  // taken as none, and a loss beyond kMaxBackground is never the path's: a
  // server that answers nothing must drive the window to its floor.
  // Not from slow start's epochs: they are a round trip long, shorter than
  // it takes to find a question lost, so their losses show only later.
  if (total >= kMinEpochQuestions && (!slow_start_ || window_ >= max_)) {
    recent_questions_[recent_next_ % kLossMemory] = total;
    recent_loss_[recent_next_++ % kLossMemory] = rate;
    recent_count_ = std::min(recent_count_ + 1, kLossMemory);
    if (recent_count_ == kLossMemory) {
      double sorted[kLossMemory];
      std::copy(recent_loss_, recent_loss_ + kLossMemory, sorted);
      std::nth_element(sorted, sorted + 1, sorted + kLossMemory);
      // The second least of eight noisy epochs lies about 0.85 standard
      // deviations below their mean: added back, so a lossy path's own
      // loss is not taken for less than it is.
      double questions = 0;
      for (int64_t n : recent_questions_) questions += static_cast<double>(n);
      const double low = sorted[1];
      const double deviation =
          std::sqrt(low * (1 - low) / (questions / kLossMemory));
      background_loss_ = std::min(kMaxBackground, low + 0.85 * deviation);
    }
  }
  if (recovering_) {
    // Most losses seen in the epoch after a cut were sent before it: they
    // are the same congestion event, not a new one (TCP, too, cuts once
    // per window of data), so the window neither shrinks nor grows.
    recovering_ = false;
  } else if (congested) {
    last_cut_from_ = window_;
    window_ = std::max(min_, window_ * kDecrease);
    slow_start_ = false;
    recovering_ = true;
    clean_beyond_ = 0;
    ++decreases_;
  } else if (queueing) {
    // The queue is filling: drops would follow. Ease off, and remember
    // where, so growth slows down below it as it does below a loss.
    last_cut_from_ = std::max(window_ * 0.875, min_);
    window_ = std::max(min_, window_ * 0.875);
    slow_start_ = false;
    clean_beyond_ = 0;
  } else if (total > 0 && most_in_flight_ >= window_ / 2) {
    // Grows only a window that was used: an idle one says nothing.
    window_ = std::min(max_, Grown());
  }
  epoch_start_ = now;
  answers_ = 0;
  losses_ = 0;
  most_in_flight_ = 0;
}

double CongestionWindow::Grown() {
  if (slow_start_) return window_ * 2;
  // Below the window that last overflowed: back toward just under it, half
  // the way each epoch (the server held less than that, but probably not
  // much less).
  const double plateau = last_cut_from_ * kPlateau;
  if (window_ < plateau) {
    // Half-way, and the rest once within a twentieth of it.
    const double next = window_ + (plateau - window_) / 2;
    return next >= plateau * 0.95 ? plateau : std::max(window_ + 1, next);
  }
  // Past it: probe gently at first, faster the longer nothing is lost (the
  // server may have more room now), as CUBIC does around its last maximum.
  ++clean_beyond_;
  const double step = clean_beyond_ <= kGentleEpochs ? window_ * kGentleGrowth
                                                     : window_ * (kGrowth - 1);
  return window_ + std::max(1.0, step);
}

}  // namespace dnsbl

#include "dnsbl/dns/internal/congestion_window.h"

namespace dnsbl {
namespace {

// Per epoch after slow start: growth on a clean epoch, and the cut on a
// lossy one (gentler than halving, as in CUBIC: a server that dropped a
// burst usually coped with most of the window).
constexpr double kGrowth = 1.25;
constexpr double kDecrease = 0.7;

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
  // A path that always loses some packets is not congested: only loss well
  // beyond the usual counts.
  const bool congested = total > 0 && rate > background_loss_ + loss_threshold_;
  // Learned from every epoch, so a path that loses a tenth of its packets
  // stops counting as congested after a second or so; a burst moves it
  // only a little.
  if (total > 0) background_loss_ = 0.9 * background_loss_ + 0.1 * rate;
  if (recovering_) {
    // Most losses seen in the epoch after a cut were sent before it: they
    // are the same congestion event, not a new one (TCP, too, cuts once
    // per window of data), so the window neither shrinks nor grows.
    recovering_ = false;
  } else if (congested) {
    window_ = std::max(min_, window_ * kDecrease);
    slow_start_ = false;
    recovering_ = true;
    ++decreases_;
  } else if (queueing) {
    window_ = std::max(min_, window_ * 0.875);
    slow_start_ = false;
  } else if (total > 0 && most_in_flight_ >= window_ / 2) {
    // Grows only a window that was used: an idle one says nothing.
    window_ =
        std::min(max_, slow_start_ ? window_ * 2
                                   : std::max(window_ + 1, window_ * kGrowth));
  }
  epoch_start_ = now;
  answers_ = 0;
  losses_ = 0;
  most_in_flight_ = 0;
}

}  // namespace dnsbl

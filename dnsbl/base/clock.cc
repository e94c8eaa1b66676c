#include "dnsbl/base/clock.h"

#include <chrono>

#include "absl/time/clock.h"

namespace dnsbl {
namespace {

class RealClock : public Clock {
 public:
  absl::Time Now() override { return absl::Now(); }
};

class MonotonicClock : public Clock {
 public:
  absl::Time Now() override {
    return absl::UnixEpoch() +
           absl::FromChrono(
               std::chrono::steady_clock::now().time_since_epoch());
  }
};

}  // namespace

Clock* Clock::Monotonic() {
  static MonotonicClock* clock = new MonotonicClock();
  return clock;
}

Clock* Clock::Real() {
  static RealClock* clock = new RealClock();
  return clock;
}

}  // namespace dnsbl

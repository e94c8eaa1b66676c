#include "dnsbl/base/clock.h"

#include "absl/time/clock.h"

namespace dnsbl {
namespace {

class RealClock : public Clock {
 public:
  absl::Time Now() override { return absl::Now(); }
};

}  // namespace

Clock* Clock::Real() {
  static RealClock* clock = new RealClock();
  return clock;
}

}  // namespace dnsbl

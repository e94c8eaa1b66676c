// dnsbl/base/clock.h
//
// The source of time for reports, latencies and timers, injected so that
// tests can fix it. (Abseil 20220623 has no absl::Clock.) Every time the
// library reads goes through a Clock: Real() for what reports show,
// Monotonic() for timers that must keep step with a library's own
// monotonic clock (c-ares's, libcurl's).
//
// Example:
//
//   dnsbl::CheckerOptions options;
//   options.clock = &my_fake_clock;  // must outlive the Checker

#ifndef DNSBL_DNSBL_BASE_CLOCK_H_
#define DNSBL_DNSBL_BASE_CLOCK_H_

#include "absl/time/time.h"

namespace dnsbl {

// Tells the time. Implementations must be thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;

  // Returns the current time.
  virtual absl::Time Now() = 0;

  // Returns the process-wide real-time clock; never deleted.
  static Clock* Real();

  // Returns a process-wide clock that never goes back (the system's steady
  // clock, its epoch arbitrary): for deadlines, not for timestamps. Never
  // deleted.
  static Clock* Monotonic();
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_BASE_CLOCK_H_

// dnsbl/base/fd_events.h
//
// The event-loop contract shared by the DNS resolver
// (dnsbl/dns/internal/resolver.h) and the HTTPS fetcher
// (dnsbl/http/internal/http_fetcher.h), so one caller's loop drives both: what
// a component waits for, what became ready, and a ppoll(2) wait over any set of
// descriptors.
//
// Example:
//
//   std::vector<dnsbl::FdEvents> ready = dnsbl::WaitForEvents(
//       source->Descriptors(), source->NextTimeout());
//   source->Process(ready);

#ifndef DNSBL_DNSBL_BASE_FD_EVENTS_H_
#define DNSBL_DNSBL_BASE_FD_EVENTS_H_

#include <cstddef>
#include <vector>

#include "absl/time/time.h"
#include "absl/types/span.h"

namespace dnsbl {

// A descriptor and the events on it: what a component waits for
// (Descriptors()), or what became ready (Process()).
struct FdEvents {
  int fd = -1;
  bool readable = false;
  bool writable = false;
};

// Waits at most `timeout` (to the microsecond; infinite waits forever) for
// any of `watch` with ppoll(2), and returns those that
// became ready with the events they are ready for (empty after a timeout
// or an interrupted wait). An error or hang-up on a descriptor reports it
// readable, so its owner sees the failure when it reads.
std::vector<FdEvents> WaitForEvents(absl::Span<const FdEvents> watch,
                                    absl::Duration timeout);

// Something asynchronous driven by its owner's loop: a resolver, a
// fetcher. Not thread-safe: one thread calls every method; callbacks of the
// work it finishes run on that thread, inside Poll() or Process().
class EventSource {
 public:
  virtual ~EventSource() = default;

  // Waits at most `max_wait` for network activity, processes it and any
  // timeouts, and runs the callbacks of finished work. Returns early when
  // something finished. Returns the amount of work still pending.
  virtual size_t Poll(absl::Duration max_wait) = 0;

  // Returns the amount of work started and not yet called back.
  virtual size_t pending() const = 0;

  // The event-loop interface, in place of Poll() for callers that run a
  // loop of their own (epoll, libevent, asio, an Envoy-style dispatcher):
  // watch Descriptors() for the events each names, wait at most
  // NextTimeout(), then call Process() with the descriptors that became
  // ready (none when the wait timed out). Both change after every new
  // piece of work and every Process(): ask again before each wait. The
  // defaults suit a source without descriptors of its own (tests' fakes):
  // nothing to watch, always due, and Process() polls without waiting.

  // Returns the descriptors to watch now and the events each waits for.
  // The source owns them; never close or read them.
  virtual std::vector<FdEvents> Descriptors() const { return {}; }

  // Returns how long the caller may wait before calling Process() even if
  // no descriptor is ready (timeouts, paced sends): infinite when nothing
  // is pending.
  virtual absl::Duration NextTimeout() {
    return pending() == 0 ? absl::InfiniteDuration() : absl::ZeroDuration();
  }

  // Handles `ready` (descriptors from Descriptors() and the events they are
  // ready for; empty after a timeout), sends what is due and runs the
  // callbacks of finished work. Returns the amount still pending.
  virtual size_t Process(absl::Span<const FdEvents> ready) {
    (void)ready;
    return Poll(absl::ZeroDuration());
  }
};

// Poll() for a source with descriptors of its own: waits at most
// `max_wait` (and no longer than its NextTimeout()) for its descriptors,
// then Process()es what became ready. Returns the work still pending.
size_t WaitAndProcess(EventSource& source, absl::Duration max_wait);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_BASE_FD_EVENTS_H_

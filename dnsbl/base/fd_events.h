// dnsbl/base/fd_events.h
//
// What an event-loop component waits for and what became ready, shared by
// the DNS resolver (dnsbl/dns/resolver.h) and the HTTP fetcher
// (dnsbl/http/http_fetcher.h) so one caller's loop can drive both.
//
// Example:
//
//   std::vector<dnsbl::FdEvents> watch = resolver->Descriptors();
//   // ... poll() them, then hand back the ready ones:
//   resolver->Process({{fd, /*readable=*/true, /*writable=*/false}});

#ifndef DNSBL_DNSBL_BASE_FD_EVENTS_H_
#define DNSBL_DNSBL_BASE_FD_EVENTS_H_

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

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_BASE_FD_EVENTS_H_

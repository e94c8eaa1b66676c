#include "dnsbl/base/fd_events.h"

#include <poll.h>

#include <algorithm>
#include <ctime>

namespace dnsbl {

std::vector<FdEvents> WaitForEvents(absl::Span<const FdEvents> watch,
                                    absl::Duration timeout) {
  std::vector<pollfd> fds;
  fds.reserve(watch.size());
  for (const FdEvents& w : watch) {
    fds.push_back(pollfd{w.fd,
                         static_cast<short>((w.readable ? POLLIN : 0) |
                                            (w.writable ? POLLOUT : 0)),
                         0});
  }
  timespec wait_ts;
  const timespec* wait = nullptr;
  if (timeout != absl::InfiniteDuration()) {
    wait_ts = absl::ToTimespec(std::max(absl::ZeroDuration(), timeout));
    wait = &wait_ts;
  }
  std::vector<FdEvents> ready;
  if (ppoll(fds.data(), fds.size(), wait, nullptr) <= 0) return ready;
  for (const pollfd& p : fds) {
    if (p.revents == 0) continue;
    ready.push_back(FdEvents{p.fd,
                             (p.revents & (POLLIN | POLLERR | POLLHUP)) != 0,
                             (p.revents & POLLOUT) != 0});
  }
  return ready;
}

size_t WaitAndProcess(EventSource& source, absl::Duration max_wait) {
  if (source.pending() == 0) return 0;
  return source.Process(WaitForEvents(
      source.Descriptors(), std::min(max_wait, source.NextTimeout())));
}

}  // namespace dnsbl

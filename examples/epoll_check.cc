// Drives a dnsbl::Checker from a plain epoll loop, as a tool with an event
// loop of its own (libevent, asio, an Envoy-style dispatcher) would: the
// loop watches the Checker's descriptors, sleeps until one is ready or the
// Checker's next timeout, and hands back what became ready. Other work of
// the tool (here: a timer that counts wakeups) shares the same loop.
//
// usage: epoll_check NAMESERVER CATALOG.textproto ADDRESS...
// Prints one JSON report per address, in the order they finish.

#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <vector>

#include "dnsbl/dnsbl.h"

namespace {

uint32_t EpollEvents(const dnsbl::FdEvents& e) {
  return (e.readable ? EPOLLIN : 0u) | (e.writable ? EPOLLOUT : 0u);
}

// Brings the epoll set in line with what the Checker wants watched now:
// descriptors come and go as c-ares opens and closes sockets.
void SyncWatches(int epoll_fd, const std::vector<dnsbl::FdEvents>& want,
                 std::map<int, uint32_t>& watched) {
  std::map<int, uint32_t> next;
  for (const dnsbl::FdEvents& e : want) next[e.fd] = EpollEvents(e);
  for (const auto& [fd, events] : watched) {
    if (next.count(fd) == 0) epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, nullptr);
  }
  for (const auto& [fd, events] : next) {
    epoll_event ev{};
    ev.events = events;
    ev.data.fd = fd;
    auto it = watched.find(fd);
    if (it == watched.end()) {
      epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev);
    } else if (it->second != events) {
      epoll_ctl(epoll_fd, EPOLL_CTL_MOD, fd, &ev);
    }
  }
  watched = std::move(next);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: epoll_check NAMESERVER CATALOG ADDRESS...\n";
    return 2;
  }
  dnsbl::CheckerOptions options;
  options.nameservers = {argv[1]};
  // As `dnsbl bulk` does: a lost question is sent again as soon as it is a
  // few round trips overdue, up to six copies, so a lossy path costs time,
  // not answers.
  options.tries = 6;
  absl::StatusOr<dnsbl::v1::Catalog> catalog = dnsbl::LoadCatalogFile(argv[2]);
  if (!catalog.ok()) {
    std::cerr << catalog.status().message() << "\n";
    return 2;
  }
  options.catalog =
      std::make_shared<const dnsbl::v1::Catalog>(*std::move(catalog));
  absl::StatusOr<std::unique_ptr<dnsbl::Checker>> checker =
      dnsbl::Checker::Create(options);
  if (!checker.ok()) {
    std::cerr << checker.status().message() << "\n";
    return 2;
  }
  std::vector<dnsbl::IpAddress> addresses;
  for (int i = 3; i < argc; ++i) {
    absl::StatusOr<dnsbl::IpAddress> ip = dnsbl::IpAddress::Parse(argv[i]);
    if (!ip.ok()) {
      std::cerr << ip.status().message() << "\n";
      return 2;
    }
    addresses.push_back(*ip);
  }

  const int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  // The tool's own work in the same loop: a 10 ms ticker.
  const int timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
  itimerspec tick{{0, 10'000'000}, {0, 10'000'000}};
  timerfd_settime(timer_fd, 0, &tick, nullptr);
  epoll_event timer_event{};
  timer_event.events = EPOLLIN;
  timer_event.data.fd = timer_fd;
  epoll_ctl(epoll_fd, EPOLL_CTL_ADD, timer_fd, &timer_event);

  size_t finished = 0;
  for (const dnsbl::IpAddress& ip : addresses) {
    (*checker)->CheckAsync(ip, [&finished](dnsbl::v1::Report report) {
      std::cout << dnsbl::FormatJson(report) << "\n";
      ++finished;
    });
  }
  std::map<int, uint32_t> watched;
  int64_t ticks = 0;
  std::vector<epoll_event> events(16);
  std::vector<dnsbl::FdEvents> ready;
  while (finished < addresses.size()) {
    SyncWatches(epoll_fd, (*checker)->Descriptors(), watched);
    const absl::Duration timeout = (*checker)->NextTimeout();
    // epoll_wait takes whole milliseconds: round up, never busy-wait.
    const int wait_ms = timeout == absl::InfiniteDuration()
                            ? -1
                            : static_cast<int>(absl::ToInt64Milliseconds(
                                  absl::Ceil(timeout, absl::Milliseconds(1))));
    const int n = epoll_wait(epoll_fd, events.data(),
                             static_cast<int>(events.size()), wait_ms);
    if (n < 0 && errno != EINTR) {
      std::cerr << "epoll_wait failed\n";
      return 3;
    }
    ready.clear();
    for (int i = 0; i < n; ++i) {
      if (events[i].data.fd == timer_fd) {
        uint64_t expirations = 0;
        if (read(timer_fd, &expirations, sizeof(expirations)) > 0) {
          ticks += static_cast<int64_t>(expirations);
        }
        continue;
      }
      const uint32_t e = events[i].events;
      ready.push_back(dnsbl::FdEvents{
          events[i].data.fd, (e & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0,
          (e & EPOLLOUT) != 0});
    }
    // Only after a Checker descriptor became ready or its timeout came.
    if (!ready.empty() || n == 0 ||
        (*checker)->NextTimeout() == absl::ZeroDuration()) {
      (*checker)->Process(ready);
    }
  }
  std::cerr << "epoll_check: " << finished << " reports, " << ticks
            << " ticks of the tool's own timer\n";
  close(timer_fd);
  close(epoll_fd);
  return 0;
}

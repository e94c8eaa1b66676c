#include "tests/fault_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <queue>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace dnsbl::testing {
namespace {

sockaddr_in Loopback(const std::string& address, int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, address.c_str(), &addr.sin_addr);
  return addr;
}

// Only loopback: this tool must never send to another host.
bool IsLoopback(const std::string& address) {
  in_addr a{};
  return inet_pton(AF_INET, address.c_str(), &a) == 1 &&
         (ntohl(a.s_addr) >> 24) == 127;
}

absl::StatusOr<int> UdpSocket(const std::string& address, int port) {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError(strerror(errno));
  // Room for bursts: the proxy must not be the one dropping packets.
  int size = 4 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
  setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size));
  sockaddr_in addr = Loopback(address, port);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    int err = errno;
    close(fd);
    return absl::InternalError(absl::StrCat("bind: ", strerror(err)));
  }
  return fd;
}

int LocalPort(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

}  // namespace

// The proxy's event loop, on its own thread.
class FaultProxy::Loop {
 public:
  Loop(const FaultProxyOptions& options, int listen_fd)
      : options_(options), listen_fd_(listen_fd), rng_(options.seed) {
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    Watch(listen_fd_, 0);
    Watch(wake_fd_, 1);
  }

  ~Loop() {
    for (const auto& [port, fd] : upstream_by_client_) close(fd);
    close(listen_fd_);
    close(wake_fd_);
    close(epoll_fd_);
  }

  void Stop() {
    stop_.store(true);
    uint64_t one = 1;
    (void)write(wake_fd_, &one, sizeof(one));
  }

  void Run() {
    std::vector<epoll_event> events(64);
    while (!stop_.load()) {
      int timeout_ms = -1;
      if (!scheduled_.empty()) {
        absl::Duration until = scheduled_.top().due - absl::Now();
        timeout_ms = static_cast<int>(std::max<int64_t>(
            0, absl::ToInt64Milliseconds(until + absl::Microseconds(999))));
      }
      int n = epoll_wait(epoll_fd_, events.data(),
                         static_cast<int>(events.size()), timeout_ms);
      for (int i = 0; i < n; ++i) {
        uint64_t tag = events[i].data.u64;
        if (tag == 0) {
          DrainClients();
        } else if (tag >= 2) {
          DrainUpstream(static_cast<int>(tag - 2));
        }
      }
      SendDue();
    }
  }

  Counters counters() const {
    Counters c;
    c.queries = queries_.load();
    c.answers = answers_.load();
    c.dropped_queries = dropped_queries_.load();
    c.dropped_answers = dropped_answers_.load();
    return c;
  }

 private:
  struct Packet {
    absl::Time due;
    uint64_t order;  // Keeps equal-time packets in arrival order.
    int fd;          // Socket to send from.
    int port;        // Destination port on 127.0.0.1.
    std::string data;
    bool operator>(const Packet& other) const {
      return due != other.due ? due > other.due : order > other.order;
    }
  };

  void Watch(int fd, uint64_t tag) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = tag;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event);
  }

  bool Drop() {
    return options_.loss > 0 &&
           std::uniform_real_distribution<double>(0, 1)(rng_) < options_.loss;
  }

  absl::Time DueTime() {
    absl::Duration delay = options_.delay;
    if (options_.jitter > absl::ZeroDuration()) {
      delay += absl::Nanoseconds(std::uniform_int_distribution<int64_t>(
          0, absl::ToInt64Nanoseconds(options_.jitter) - 1)(rng_));
    }
    return absl::Now() + delay;
  }

  void Schedule(int fd, int port, std::string data) {
    Packet packet{DueTime(), next_order_++, fd, port, std::move(data)};
    if (packet.due <= absl::Now() && scheduled_.empty()) {
      Send(packet);
      return;
    }
    scheduled_.push(std::move(packet));
  }

  void Send(const Packet& packet) {
    sockaddr_in to = Loopback(
        packet.fd == listen_fd_ ? client_address_ : options_.upstream_address,
        packet.port);
    sendto(packet.fd, packet.data.data(), packet.data.size(), 0,
           reinterpret_cast<sockaddr*>(&to), sizeof(to));
  }

  void SendDue() {
    absl::Time now = absl::Now();
    while (!scheduled_.empty() && scheduled_.top().due <= now) {
      Send(scheduled_.top());
      scheduled_.pop();
    }
  }

  // Returns the socket that talks to the server for one client port.
  int UpstreamFor(int client_port) {
    auto it = upstream_by_client_.find(client_port);
    if (it != upstream_by_client_.end()) return it->second;
    absl::StatusOr<int> fd = UdpSocket("127.0.0.1", 0);
    if (!fd.ok()) return -1;
    upstream_by_client_[client_port] = *fd;
    client_by_upstream_[*fd] = client_port;
    Watch(*fd, static_cast<uint64_t>(*fd) + 2);
    return *fd;
  }

  void DrainClients() {
    char buffer[65536];
    while (true) {
      sockaddr_in from{};
      socklen_t len = sizeof(from);
      ssize_t n = recvfrom(listen_fd_, buffer, sizeof(buffer), 0,
                           reinterpret_cast<sockaddr*>(&from), &len);
      if (n < 0) return;
      ++queries_;
      if (Drop()) {
        ++dropped_queries_;
        continue;
      }
      char from_text[INET_ADDRSTRLEN];
      inet_ntop(AF_INET, &from.sin_addr, from_text, sizeof(from_text));
      client_address_ = from_text;
      int upstream = UpstreamFor(ntohs(from.sin_port));
      if (upstream < 0) continue;
      Schedule(upstream, options_.upstream_port, std::string(buffer, n));
    }
  }

  void DrainUpstream(int fd) {
    char buffer[65536];
    int client_port = client_by_upstream_[fd];
    while (true) {
      ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
      if (n < 0) return;
      ++answers_;
      if (Drop()) {
        ++dropped_answers_;
        continue;
      }
      Schedule(listen_fd_, client_port, std::string(buffer, n));
    }
  }

  const FaultProxyOptions options_;
  const int listen_fd_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::mt19937_64 rng_;
  std::atomic<bool> stop_{false};
  std::priority_queue<Packet, std::vector<Packet>, std::greater<Packet>>
      scheduled_;
  uint64_t next_order_ = 0;
  // Clients are told apart by port; all come from one loopback address.
  std::string client_address_ = "127.0.0.1";
  std::unordered_map<int, int> upstream_by_client_;
  std::unordered_map<int, int> client_by_upstream_;
  std::atomic<int64_t> queries_{0};
  std::atomic<int64_t> answers_{0};
  std::atomic<int64_t> dropped_queries_{0};
  std::atomic<int64_t> dropped_answers_{0};
};

absl::StatusOr<std::unique_ptr<FaultProxy>> FaultProxy::Start(
    const FaultProxyOptions& options) {
  if (options.upstream_port <= 0 || options.upstream_port > 65535) {
    return absl::InvalidArgumentError("upstream_port must be set");
  }
  if (options.loss < 0 || options.loss > 1) {
    return absl::InvalidArgumentError("loss must be between 0 and 1");
  }
  if (!IsLoopback(options.listen_address) ||
      !IsLoopback(options.upstream_address)) {
    return absl::InvalidArgumentError(
        "the proxy only listens on and forwards to 127.0.0.0/8");
  }
  absl::StatusOr<int> fd =
      UdpSocket(options.listen_address, options.listen_port);
  if (!fd.ok()) return fd.status();
  auto proxy = std::unique_ptr<FaultProxy>(new FaultProxy());
  proxy->port_ = LocalPort(*fd);
  proxy->address_ = options.listen_address;
  proxy->loop_ = std::make_unique<Loop>(options, *fd);
  proxy->thread_ = std::thread([loop = proxy->loop_.get()] { loop->Run(); });
  return proxy;
}

FaultProxy::~FaultProxy() {
  if (loop_ != nullptr) {
    loop_->Stop();
    thread_.join();
  }
}

std::string FaultProxy::endpoint() const {
  return absl::StrCat(address_, ":", port_);
}

FaultProxy::Counters FaultProxy::counters() const { return loop_->counters(); }

}  // namespace dnsbl::testing

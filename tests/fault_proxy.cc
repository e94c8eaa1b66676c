#include "tests/fault_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <queue>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "tests/dns_packet.h"
#include "tests/udp_util.h"

namespace dnsbl::testing {
namespace {

// Only loopback: this tool must never send to another host.
bool IsSocketAddress(const std::string& address) {
  in_addr a{};
  return inet_pton(AF_INET, address.c_str(), &a) == 1 &&
         (ntohl(a.s_addr) >> 24) == 127;
}

absl::StatusOr<int> UdpSocket(const std::string& address, int port) {
  absl::StatusOr<int> fd = BindUdp(address, port, /*nonblocking=*/true);
  if (!fd.ok()) return fd;
  // Room for bursts: the proxy must not be the one dropping packets.
  int size = 4 << 20;
  setsockopt(*fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
  setsockopt(*fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size));
  return fd;
}

}  // namespace

// The proxy's event loop, on its own thread.
class FaultProxy::Loop {
 public:
  Loop(const FaultProxyOptions& options, int listen_fd, int tcp_fd)
      : options_(options),
        listen_fd_(listen_fd),
        tcp_fd_(tcp_fd),
        rng_(options.seed) {
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (options_.receive_buffer > 0) {
      int size = options_.receive_buffer;
      setsockopt(listen_fd_, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
    }
    Watch(listen_fd_, 0);
    Watch(wake_fd_, 1);
    if (tcp_fd_ >= 0) Watch(tcp_fd_, kTcpTag);
  }

  ~Loop() {
    for (const auto& [port, fd] : upstream_by_client_) close(fd);
    for (const auto& [conn, buffer] : tcp_buffers_) close(conn);
    if (tcp_fd_ >= 0) close(tcp_fd_);
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
      // Waits to the microsecond, so a delayed packet leaves when it is due
      // and packets keep the spacing they arrived with, as on a wire;
      // waking once a millisecond would release them in bursts.
      timespec timeout{};
      timespec* wait = nullptr;
      if (!fifo_.empty() || !scheduled_.empty()) {
        absl::Duration until =
            std::max(absl::ZeroDuration(), NextDue() - absl::Now());
        timeout = absl::ToTimespec(until);
        wait = &timeout;
      }
      int n = epoll_pwait2(epoll_fd_, events.data(),
                           static_cast<int>(events.size()), wait, nullptr);
      for (int i = 0; i < n; ++i) {
        uint64_t tag = events[i].data.u64;
        if (tag == 0) {
          DrainClients();
        } else if (tag == kTcpTag) {
          AcceptTcp();
        } else if ((tag & kTcpConnTag) != 0) {
          ServeTcp(static_cast<int>(tag & ~kTcpConnTag));
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
    c.duplicated = duplicated_.load();
    c.reordered = reordered_.load();
    c.servfails = servfails_.load();
    c.refusals = refusals_.load();
    c.truncated = truncated_.load();
    c.garbled = garbled_.load();
    c.wrong_ids = wrong_ids_.load();
    c.wrong_names = wrong_names_.load();
    c.outside_as = outside_as_.load();
    c.tcp_queries = tcp_queries_.load();
    c.lies = lies_.load();
    c.overflowed = overflowed_.load();
    return c;
  }

 private:
  struct Packet {
    absl::Time due;
    uint64_t order;  // Keeps equal-time packets in arrival order.
    int fd;          // Socket to send from.
    sockaddr_in to;  // Destination.
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

  void Schedule(int fd, const sockaddr_in& to, std::string data,
                absl::Duration extra = absl::ZeroDuration()) {
    Packet packet{DueTime() + extra, next_order_++, fd, to, std::move(data)};
    // With a fixed delay, packets fall due in arrival order: a queue does.
    // Jitter and held-back answers go to the heap.
    if (fifo_.empty() || fifo_.back().due <= packet.due) {
      fifo_.push_back(std::move(packet));
    } else {
      scheduled_.push(std::move(packet));
    }
  }

  absl::Time NextDue() const {
    absl::Time due = absl::InfiniteFuture();
    if (!fifo_.empty()) due = fifo_.front().due;
    if (!scheduled_.empty()) due = std::min(due, scheduled_.top().due);
    return due;
  }

  // Sends every packet that is due, in due order, batching consecutive
  // packets from one socket into one sendmmsg(2).
  void SendDue() {
    const absl::Time now = absl::Now();
    while (true) {
      const bool fifo_due = !fifo_.empty() && fifo_.front().due <= now;
      const bool heap_due = !scheduled_.empty() && scheduled_.top().due <= now;
      if (!fifo_due && !heap_due) break;
      const bool from_fifo =
          fifo_due && (!heap_due || !(fifo_.front() > scheduled_.top()));
      Packet packet;
      if (from_fifo) {
        packet = std::move(fifo_.front());
        fifo_.pop_front();
      } else {
        packet = scheduled_.top();
        scheduled_.pop();
      }
      if (!out_.empty() && out_.front().fd != packet.fd) Flush();
      out_.push_back(std::move(packet));
      if (out_.size() == kBatch) Flush();
    }
    Flush();
  }

  void Flush() {
    if (out_.empty()) return;
    mmsghdr messages[kBatch];
    iovec iovs[kBatch];
    size_t count = out_.size();
    for (size_t i = 0; i < count; ++i) {
      iovs[i] = {out_[i].data.data(), out_[i].data.size()};
      messages[i] = {};
      messages[i].msg_hdr.msg_name = &out_[i].to;
      messages[i].msg_hdr.msg_namelen = sizeof(out_[i].to);
      messages[i].msg_hdr.msg_iov = &iovs[i];
      messages[i].msg_hdr.msg_iovlen = 1;
    }
    size_t sent = 0;
    while (sent < count) {
      int n = sendmmsg(out_.front().fd, messages + sent,
                       static_cast<unsigned>(count - sent), 0);
      // A full send buffer or an unreachable port loses the packet, as a
      // network would; skip it and go on.
      sent += n > 0 ? static_cast<size_t>(n) : 1;
    }
    out_.clear();
  }

  // Returns the socket that talks to the server for one client (address
  // and port): each client gets its own, so answers find their way back.
  int UpstreamFor(const sockaddr_in& client) {
    const uint64_t key =
        (static_cast<uint64_t>(client.sin_addr.s_addr) << 16) | client.sin_port;
    auto it = upstream_by_client_.find(key);
    if (it != upstream_by_client_.end()) return it->second;
    absl::StatusOr<int> fd = UdpSocket("127.0.0.1", 0);
    if (!fd.ok()) return -1;
    upstream_by_client_[key] = *fd;
    client_by_upstream_[*fd] = client;
    Watch(*fd, static_cast<uint64_t>(*fd) + 2);
    return *fd;
  }

  // Receives up to kBatch datagrams from `fd` with one recvmmsg(2); calls
  // `each(data, from)` for every one. Returns false once `fd` is drained.
  template <typename Each>
  bool ReceiveBatch(int fd, Each each) {
    mmsghdr messages[kBatch];
    iovec iovs[kBatch];
    sockaddr_in from[kBatch];
    for (size_t i = 0; i < kBatch; ++i) {
      iovs[i] = {&receive_buffer_[i * kMaxDatagram], kMaxDatagram};
      messages[i] = {};
      messages[i].msg_hdr.msg_name = &from[i];
      messages[i].msg_hdr.msg_namelen = sizeof(from[i]);
      messages[i].msg_hdr.msg_iov = &iovs[i];
      messages[i].msg_hdr.msg_iovlen = 1;
    }
    int n = recvmmsg(fd, messages, kBatch, MSG_DONTWAIT, nullptr);
    if (n <= 0) return false;
    for (int i = 0; i < n; ++i) {
      each(absl::string_view(&receive_buffer_[i * kMaxDatagram],
                             messages[i].msg_len),
           from[i]);
    }
    return static_cast<size_t>(n) == kBatch;
  }

  void DrainClients() {
    while (ReceiveBatch(
        listen_fd_, [this](absl::string_view data, const sockaddr_in& from) {
          ++queries_;
          if (Drop()) {
            ++dropped_queries_;
            return;
          }
          if (std::string lie = Lie(data); !lie.empty()) {
            ++lies_;
            if (!Drop()) Schedule(listen_fd_, from, std::move(lie));
            return;
          }
          int upstream = UpstreamFor(from);
          if (upstream < 0) return;
          absl::Duration wait = absl::ZeroDuration();
          if (options_.max_qps > 0) {
            // The capacity's queue: a question leaves one interval after
            // the one before it; the wait ahead, in questions, is the
            // queue's length.
            const absl::Time now = absl::Now();
            const absl::Time release = std::max(
                now, last_release_ + absl::Seconds(1.0 / options_.max_qps));
            if (absl::ToDoubleSeconds(release - now) * options_.max_qps >
                options_.queue_limit) {
              ++overflowed_;
              return;
            }
            last_release_ = release;
            wait = release - now;
          }
          Schedule(upstream, upstream_address_, std::string(data), wait);
        })) {
    }
  }

  void DrainUpstream(int fd) {
    auto client = client_by_upstream_.find(fd);
    if (client == client_by_upstream_.end()) return;
    const sockaddr_in to = client->second;
    while (ReceiveBatch(
        fd, [this, &to](absl::string_view data, const sockaddr_in&) {
          ++answers_;
          if (Drop()) {
            ++dropped_answers_;
            return;
          }
          std::string answer(data);
          absl::Duration extra = absl::ZeroDuration();
          bool twice = false;
          Tamper(answer, &extra, &twice);
          if (twice) Schedule(listen_fd_, to, answer);
          Schedule(listen_fd_, to, std::move(answer), extra);
        })) {
    }
  }

  // Returns the NXDOMAIN the proxy answers `query` with itself, or "" when
  // the question's name is not in a zone it lies about.
  std::string Lie(absl::string_view query) const {
    if (options_.lie_zones.empty()) return "";
    const std::string name = QuestionName(query);
    for (const std::string& zone : options_.lie_zones) {
      const bool apex = name == zone;
      const bool below = absl::EndsWith(name, "." + zone);
      if (below || (apex && options_.lie_about_apex)) {
        return NxDomainAnswer(query, options_.lie_soa);
      }
    }
    return "";
  }

  // Applies at most one fault to an answer, as the options' chances say.
  void Tamper(std::string& answer, absl::Duration* extra, bool* twice) {
    if (answer.size() < 12) return;
    const double faults[] = {
        options_.duplicate, options_.reorder,    options_.servfail,
        options_.refused,   options_.truncate,   options_.garbage,
        options_.wrong_id,  options_.wrong_name, options_.outside_a};
    double draw = std::uniform_real_distribution<double>(0, 1)(rng_);
    int fault = -1;
    for (int i = 0; i < 9; ++i) {
      if (draw < faults[i]) {
        fault = i;
        break;
      }
      draw -= faults[i];
    }
    switch (fault) {
      case 0:
        *twice = true;
        ++duplicated_;
        break;
      case 1:
        *extra = absl::Milliseconds(5);
        ++reordered_;
        break;
      case 2:
        answer[3] = static_cast<char>((answer[3] & 0xf0) | 2);
        ++servfails_;
        break;
      case 3:
        answer[3] = static_cast<char>((answer[3] & 0xf0) | 5);
        ++refusals_;
        break;
      case 4:
        answer[2] = static_cast<char>(answer[2] | 0x02);
        ++truncated_;
        break;
      case 5:
        for (size_t i = 2; i < answer.size(); ++i) {
          answer[i] = static_cast<char>(rng_());
        }
        ++garbled_;
        break;
      case 6:
        answer[0] = static_cast<char>(answer[0] ^ 0x5a);
        ++wrong_ids_;
        break;
      case 7:
        // The first letter of the question name: another name now.
        if (answer.size() > 13) {
          answer[13] = static_cast<char>(answer[13] == 'x' ? 'y' : 'x');
          ++wrong_names_;
        }
        break;
      case 8:
        if (RewriteAValues(answer)) ++outside_as_;
        break;
      default:
        break;
    }
  }

  // Replaces every A record's address with 198.51.100.1. Returns whether
  // there was one.
  static bool RewriteAValues(std::string& packet) {
    auto u8 = [&](size_t i) { return static_cast<uint8_t>(packet[i]); };
    auto skip_name = [&](size_t pos) -> size_t {
      while (pos < packet.size()) {
        uint8_t len = u8(pos);
        if ((len & 0xc0) == 0xc0) return pos + 2;
        if (len == 0) return pos + 1;
        pos += 1 + len;
      }
      return packet.size();
    };
    int questions = (u8(4) << 8) | u8(5);
    int answers = (u8(6) << 8) | u8(7);
    size_t pos = 12;
    for (int q = 0; q < questions; ++q) pos = skip_name(pos) + 4;
    bool any = false;
    for (int a = 0; a < answers && pos < packet.size(); ++a) {
      pos = skip_name(pos);
      if (pos + 10 > packet.size()) break;
      int type = (u8(pos) << 8) | u8(pos + 1);
      int length = (u8(pos + 8) << 8) | u8(pos + 9);
      pos += 10;
      if (type == 1 && length == 4 && pos + 4 <= packet.size()) {
        packet[pos] = static_cast<char>(198);
        packet[pos + 1] = 51;
        packet[pos + 2] = 100;
        packet[pos + 3] = 1;
        any = true;
      }
      pos += length;
    }
    return any;
  }

  // Accepts a TCP connection (a client retrying a truncated answer) and
  // watches it: c-ares sends every such query of a server on one
  // connection, so it stays open until the client closes it.
  void AcceptTcp() {
    int conn = accept4(tcp_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (conn < 0) return;
    tcp_buffers_[conn].clear();
    Watch(conn, kTcpConnTag | static_cast<uint64_t>(conn));
  }

  // Reads what a TCP connection has sent, without waiting for more, and
  // answers every whole query in it: forwards each upstream over UDP and
  // returns the answer untouched. Closes the connection at its end.
  void ServeTcp(int conn) {
    std::string& buffer = tcp_buffers_[conn];
    char chunk[4096];
    ssize_t n = recv(conn, chunk, sizeof(chunk), 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
      CloseTcp(conn);
      return;
    }
    if (n > 0) buffer.append(chunk, static_cast<size_t>(n));
    while (buffer.size() >= 2) {
      const size_t length = (static_cast<uint8_t>(buffer[0]) << 8) |
                            static_cast<uint8_t>(buffer[1]);
      if (buffer.size() < 2 + length) break;
      std::string answer = AskUpstream(buffer.substr(2, length));
      buffer.erase(0, 2 + length);
      if (answer.empty()) continue;  // Lost upstream: the client retries.
      std::string reply(2, '\0');
      reply[0] = static_cast<char>(answer.size() >> 8);
      reply[1] = static_cast<char>(answer.size() & 0xff);
      reply += answer;
      // Small enough for the socket buffer: one send does.
      if (send(conn, reply.data(), reply.size(), MSG_NOSIGNAL) !=
          static_cast<ssize_t>(reply.size())) {
        CloseTcp(conn);
        return;
      }
      ++tcp_queries_;
    }
  }

  void CloseTcp(int conn) {
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, conn, nullptr);
    tcp_buffers_.erase(conn);
    close(conn);
  }

  // Sends `query` to the server over UDP and waits for its answer, asking
  // up to three times 100 ms apart (the server may drop under load; the
  // proxy's loop must not stall long). Returns "" if none came.
  std::string AskUpstream(const std::string& query) {
    absl::StatusOr<int> udp = UdpSocket("127.0.0.1", 0);
    if (!udp.ok()) return "";
    timeval tv{0, 100000};
    setsockopt(*udp, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    int flags = fcntl(*udp, F_GETFL);
    fcntl(*udp, F_SETFL, flags & ~O_NONBLOCK);
    std::string answer(65536, '\0');
    ssize_t n = -1;
    for (int attempt = 0; attempt < 3 && n <= 0; ++attempt) {
      sendto(*udp, query.data(), query.size(), 0,
             reinterpret_cast<const sockaddr*>(&upstream_address_),
             sizeof(upstream_address_));
      n = recv(*udp, answer.data(), answer.size(), 0);
    }
    close(*udp);
    answer.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return answer;
  }

  static constexpr uint64_t kTcpTag = 1ull << 40;
  static constexpr uint64_t kTcpConnTag = 1ull << 41;

  const FaultProxyOptions options_;
  const int listen_fd_;
  const int tcp_fd_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::mt19937_64 rng_;
  std::atomic<bool> stop_{false};
  static constexpr size_t kBatch = 64;
  static constexpr size_t kMaxDatagram = 65536;
  std::deque<Packet> fifo_;  // Due times never decrease along it.
  std::priority_queue<Packet, std::vector<Packet>, std::greater<Packet>>
      scheduled_;
  std::vector<Packet> out_;  // Due, waiting for one sendmmsg.
  std::vector<char> receive_buffer_ = std::vector<char>(kBatch * kMaxDatagram);
  uint64_t next_order_ = 0;
  const sockaddr_in upstream_address_ =
      SocketAddress(options_.upstream_address, options_.upstream_port);
  // One upstream socket per client, keyed by the client's address and port.
  std::unordered_map<uint64_t, int> upstream_by_client_;
  std::unordered_map<int, sockaddr_in> client_by_upstream_;
  // Open TCP connections from clients, and what each sent that is not
  // yet a whole query.
  std::unordered_map<int, std::string> tcp_buffers_;
  std::atomic<int64_t> queries_{0};
  std::atomic<int64_t> answers_{0};
  std::atomic<int64_t> dropped_queries_{0};
  std::atomic<int64_t> dropped_answers_{0};
  std::atomic<int64_t> duplicated_{0};
  std::atomic<int64_t> reordered_{0};
  std::atomic<int64_t> servfails_{0};
  std::atomic<int64_t> refusals_{0};
  std::atomic<int64_t> truncated_{0};
  std::atomic<int64_t> garbled_{0};
  std::atomic<int64_t> wrong_ids_{0};
  std::atomic<int64_t> wrong_names_{0};
  std::atomic<int64_t> outside_as_{0};
  std::atomic<int64_t> tcp_queries_{0};
  std::atomic<int64_t> lies_{0};
  std::atomic<int64_t> overflowed_{0};
  // With max_qps: when the last question queued goes on to the server.
  absl::Time last_release_ = absl::InfinitePast();
};

absl::StatusOr<std::unique_ptr<FaultProxy>> FaultProxy::Start(
    const FaultProxyOptions& options) {
  if (options.upstream_port <= 0 || options.upstream_port > 65535) {
    return absl::InvalidArgumentError("upstream_port must be set");
  }
  if (options.loss < 0 || options.loss > 1) {
    return absl::InvalidArgumentError("loss must be between 0 and 1");
  }
  if (!IsSocketAddress(options.listen_address) ||
      !IsSocketAddress(options.upstream_address)) {
    return absl::InvalidArgumentError(
        "the proxy only listens on and forwards to 127.0.0.0/8");
  }
  absl::StatusOr<int> fd =
      UdpSocket(options.listen_address, options.listen_port);
  if (!fd.ok()) return fd.status();
  auto proxy = std::unique_ptr<FaultProxy>(new FaultProxy());
  proxy->port_ = LocalPort(*fd);
  proxy->address_ = options.listen_address;
  // TCP on the same port, for clients retrying truncated answers.
  int tcp = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr = SocketAddress(options.listen_address, proxy->port_);
  if (tcp < 0 ||
      bind(tcp, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(tcp, 64) != 0) {
    if (tcp >= 0) close(tcp);
    tcp = -1;
  }
  proxy->loop_ = std::make_unique<Loop>(options, *fd, tcp);
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

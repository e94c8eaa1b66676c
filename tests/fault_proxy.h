// tests/fault_proxy.h
//
// A UDP proxy on loopback that plays a bad network between a DNS client
// and a real server: it delays packets (fixed plus jitter) and drops a
// share of them, each way, tampers with answers, or lies about whole zones
// as a filtering resolver does, and counts what it did so tests can assert
// against it. The kernel's netem is not available here; this is the same
// in user space. It only ever talks to 127.0.0.1.
//
// Example:
//
//   dnsbl::testing::FaultProxyOptions options;
//   options.upstream_port = server->port();
//   options.delay = absl::Milliseconds(20);
//   options.loss = 0.01;
//   auto proxy = dnsbl::testing::FaultProxy::Start(options);
//   checker_options.nameservers = {(*proxy)->endpoint()};

#ifndef DNSBL_TESTS_FAULT_PROXY_H_
#define DNSBL_TESTS_FAULT_PROXY_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace dnsbl::testing {

struct FaultProxyOptions {
  // The server's address and UDP port. REQUIRES: port set; the address in
  // 127.0.0.0/8.
  std::string upstream_address = "127.0.0.1";
  int upstream_port = 0;
  // Where to listen. REQUIRES: the address in 127.0.0.0/8. Default:
  // 127.0.0.1 and any free port.
  std::string listen_address = "127.0.0.1";
  int listen_port = 0;
  // Added to every packet, each way. Default: none.
  absl::Duration delay = absl::ZeroDuration();
  // A further uniform random delay in [0, jitter), each way; packets can
  // overtake each other. Default: none.
  absl::Duration jitter = absl::ZeroDuration();
  // Chance that a packet is dropped, each way. Default: 0.
  double loss = 0;
  // Seeds the random choices, for repeatable runs. Default: 1.
  uint64_t seed = 1;

  // A server of limited capacity: at most `max_qps` questions a second go
  // on to the server; faster ones wait in a queue of at most
  // `queue_limit` questions and are dropped beyond it, as a busy server's
  // full socket buffer drops them. 0: no cap. Default: 0, 256.
  double max_qps = 0;
  int queue_limit = 256;
  // The listening socket's receive buffer in bytes, e.g. 16384 for a
  // server with a small one (bursts overflow it); 0 keeps 4 MiB.
  // Default: 0.
  int receive_buffer = 0;

  // Chances that an answer (server -> client) is tampered with, one fault
  // at most per answer. Default: 0 each.
  double duplicate = 0;   // Sent twice.
  double reorder = 0;     // Held back 5 ms, so later ones overtake it.
  double servfail = 0;    // Rcode rewritten to SERVFAIL.
  double refused = 0;     // Rcode rewritten to REFUSED.
  double truncate = 0;    // TC bit set: the client must retry over TCP,
                          // which the proxy accepts on the same port and
                          // forwards upstream over UDP.
  double garbage = 0;     // Replaced by random bytes (the ID kept).
  double wrong_id = 0;    // Query ID changed: a spoof to be ignored.
  double wrong_name = 0;  // Answer for another name: to be ignored.
  double outside_a = 0;   // A values replaced by 198.51.100.1.

  // A lying path: the proxy answers every question for a name at or below
  // one of these zones itself, NXDOMAIN, never asking the server, as a DNS
  // firewall (RPZ) or a resolver cut off from the internet does. Delay and
  // loss still apply. Default: none.
  std::vector<std::string> lie_zones;
  // Whether the zones' own names are lied about too (a whole domain
  // blocked, or no internet); false lies only below them (an RPZ rule for
  // "*.zone"). Default: true.
  bool lie_about_apex = true;
  // The owner of the SOA put in a lie's authority section, e.g.
  // "rpz.local"; empty for none (unbound's always_nxdomain, many
  // captive portals). Default: empty.
  std::string lie_soa;
};

// A running proxy. Start() spawns its thread; the destructor stops it.
// counters() may be read from any thread.
class FaultProxy {
 public:
  struct Counters {
    int64_t queries = 0;  // Client -> server packets received.
    int64_t answers = 0;  // Server -> client packets received.
    int64_t dropped_queries = 0;
    int64_t dropped_answers = 0;
    int64_t duplicated = 0;
    int64_t reordered = 0;
    int64_t servfails = 0;
    int64_t refusals = 0;
    int64_t truncated = 0;
    int64_t garbled = 0;
    int64_t wrong_ids = 0;
    int64_t wrong_names = 0;
    int64_t outside_as = 0;
    int64_t tcp_queries = 0;  // Queries retried over TCP and answered.
    int64_t lies = 0;         // Questions answered NXDOMAIN by the proxy.
    int64_t overflowed = 0;   // Dropped: the max_qps queue was full.
  };

  static absl::StatusOr<std::unique_ptr<FaultProxy>> Start(
      const FaultProxyOptions& options);
  ~FaultProxy();

  int port() const { return port_; }
  std::string endpoint() const;
  Counters counters() const;

 private:
  class Loop;
  FaultProxy() = default;

  int port_ = 0;
  std::string address_;
  std::unique_ptr<Loop> loop_;
  std::thread thread_;
};

}  // namespace dnsbl::testing

#endif  // DNSBL_TESTS_FAULT_PROXY_H_

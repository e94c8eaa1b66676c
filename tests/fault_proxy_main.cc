// fault_proxy: a delay/loss UDP proxy on loopback for benchmarks.
//
//   fault_proxy --upstream_port=5353 --delay=20ms --loss=0.01
//   fault_proxy --upstream_port=5353 --lie_zones=bl.test  (a lying path)
//
// Prints "127.0.0.1:PORT" (where it listens) on the first line of stdout,
// runs until SIGINT/SIGTERM or --max_runtime, then prints its counters.

#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/clock.h"
#include "tests/fault_proxy.h"

ABSL_FLAG(std::string, upstream_address, "127.0.0.1",
          "The server's address (127.0.0.0/8 only).");
ABSL_FLAG(int, upstream_port, 0, "The server's UDP port.");
ABSL_FLAG(std::string, listen_address, "127.0.0.1",
          "The address to listen on (127.0.0.0/8 only).");
ABSL_FLAG(int, listen_port, 0, "The port to listen on; 0 for any.");
ABSL_FLAG(absl::Duration, delay, absl::ZeroDuration(), "Delay each way.");
ABSL_FLAG(absl::Duration, jitter, absl::ZeroDuration(),
          "Extra uniform random delay in [0, jitter) each way.");
ABSL_FLAG(double, loss, 0, "Chance a packet is dropped, each way.");
ABSL_FLAG(uint64_t, seed, 1, "Random seed.");
ABSL_FLAG(std::vector<std::string>, lie_zones, {},
          "Zones the proxy answers NXDOMAIN for itself (a lying path).");
ABSL_FLAG(double, max_qps, 0,
          "A server of limited capacity: at most this many questions a "
          "second go on; 0 for no cap.");
ABSL_FLAG(int, queue_limit, 256,
          "With --max_qps: questions waiting beyond this are dropped.");
ABSL_FLAG(int, receive_buffer, 0,
          "The listening socket's receive buffer in bytes; 0 for 4 MiB.");
ABSL_FLAG(absl::Duration, max_runtime, absl::Minutes(10),
          "Stop by itself after this long.");

namespace {
volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }
}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  dnsbl::testing::FaultProxyOptions options;
  options.upstream_address = absl::GetFlag(FLAGS_upstream_address);
  options.upstream_port = absl::GetFlag(FLAGS_upstream_port);
  options.listen_address = absl::GetFlag(FLAGS_listen_address);
  options.listen_port = absl::GetFlag(FLAGS_listen_port);
  options.delay = absl::GetFlag(FLAGS_delay);
  options.jitter = absl::GetFlag(FLAGS_jitter);
  options.loss = absl::GetFlag(FLAGS_loss);
  options.seed = absl::GetFlag(FLAGS_seed);
  options.lie_zones = absl::GetFlag(FLAGS_lie_zones);
  options.max_qps = absl::GetFlag(FLAGS_max_qps);
  options.queue_limit = absl::GetFlag(FLAGS_queue_limit);
  options.receive_buffer = absl::GetFlag(FLAGS_receive_buffer);
  auto proxy = dnsbl::testing::FaultProxy::Start(options);
  if (!proxy.ok()) {
    std::cerr << "fault_proxy: " << proxy.status().message() << "\n";
    return 2;
  }
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::cout << (*proxy)->endpoint() << std::endl;
  absl::Time deadline = absl::Now() + absl::GetFlag(FLAGS_max_runtime);
  while (!g_stop && absl::Now() < deadline)
    absl::SleepFor(absl::Milliseconds(50));
  auto c = (*proxy)->counters();
  std::cout << "queries " << c.queries << " answers " << c.answers
            << " dropped_queries " << c.dropped_queries << " dropped_answers "
            << c.dropped_answers << " overflowed " << c.overflowed << std::endl;
  return 0;
}

// tests/serve_process.h
//
// `dnsbl serve` as a process for tests: started on a free loopback port
// with the flags a test gives, waited for until /healthz answers, stopped
// with SIGTERM (as an init system stops it) when destroyed.
//
// Example:
//
//   absl::StatusOr<std::unique_ptr<dnsbl::testing::ServeProcess>> serve =
//       dnsbl::testing::ServeProcess::Start({"--nameserver=" + dns});
//   HttpGet((*serve)->url("/v1/check?address=192.0.2.7"));

#ifndef DNSBL_TESTS_SERVE_PROCESS_H_
#define DNSBL_TESTS_SERVE_PROCESS_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tests/subprocess.h"

namespace dnsbl::testing {

// Returns a TCP port on 127.0.0.1 free at the time of asking.
int FreeTcpPort();

class ServeProcess {
 public:
  static absl::StatusOr<std::unique_ptr<ServeProcess>> Start(
      const std::vector<std::string>& flags);
  ~ServeProcess();

  int port() const { return port_; }
  // Returns "http://127.0.0.1:PORT" + `path`.
  std::string url(const std::string& path) const;

  // Sends SIGTERM and returns how the process ended.
  CommandResult Stop();

 private:
  ServeProcess() = default;
  std::optional<RunningCommand> process_;
  int port_ = 0;
  bool stopped_ = false;
};

}  // namespace dnsbl::testing

#endif  // DNSBL_TESTS_SERVE_PROCESS_H_

#include "tests/serve_process.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/http_get.h"

namespace dnsbl::testing {

int FreeTcpPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  socklen_t n = sizeof(a);
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);
  close(fd);
  return ntohs(a.sin_port);
}

absl::StatusOr<std::unique_ptr<ServeProcess>> ServeProcess::Start(
    const std::vector<std::string>& flags) {
  std::unique_ptr<ServeProcess> serve(new ServeProcess());
  serve->port_ = FreeTcpPort();
  std::vector<std::string> argv = {
      RunfilePath("cli/dnsbl"), "serve",
      absl::StrCat("--listen=127.0.0.1:", serve->port_)};
  argv.insert(argv.end(), flags.begin(), flags.end());
  absl::StatusOr<RunningCommand> process = RunningCommand::Start(argv);
  if (!process.ok()) return process.status();
  serve->process_ = *std::move(process);
  for (int i = 0; i < 400; ++i) {
    if (HttpGet(serve->url("/healthz")).status == 200) return serve;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return absl::DeadlineExceededError("dnsbl serve did not answer /healthz");
}

std::string ServeProcess::url(const std::string& path) const {
  return absl::StrCat("http://127.0.0.1:", port_, path);
}

CommandResult ServeProcess::Stop() {
  stopped_ = true;
  process_->Signal(SIGTERM);
  return process_->Wait();
}

ServeProcess::~ServeProcess() {
  if (process_.has_value() && !stopped_) Stop();
}

}  // namespace dnsbl::testing

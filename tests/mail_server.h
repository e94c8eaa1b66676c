// tests/mail_server.h
//
// Real SMTP servers on loopback for notice tests (Debian's aiosmtpd:
// tests/smtp_sink.py, tests/smtp_tls_server.py), and reading what they
// stored.
//
// Example:
//
//   absl::StatusOr<dnsbl::testing::MailServer> smtp =
//       dnsbl::testing::MailServer::Start(dir, {"tests/smtp_sink.py"});
//   ... "--smtp=smtp://127.0.0.1:" + smtp->port() ...
//   EXPECT_EQ(dnsbl::testing::FilesIn(dir, ".eml").size(), 1u);

#ifndef DNSBL_TESTS_MAIL_SERVER_H_
#define DNSBL_TESTS_MAIL_SERVER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tests/subprocess.h"

namespace dnsbl::testing {

// A mail server process storing messages in a directory; stopped (SIGINT)
// when destroyed. Not thread-safe.
class MailServer {
 public:
  // Makes `dir`, starts the runfile `script` with `dir` and `args` and the
  // environment `env`, and waits until it has written DIR/port.
  static absl::StatusOr<std::unique_ptr<MailServer>> Start(
      const std::string& dir, const std::string& script,
      const std::vector<std::string>& args = {},
      const std::vector<std::string>& env = {});
  ~MailServer();

  const std::string& port() const { return port_; }

 private:
  MailServer() = default;
  std::optional<RunningCommand> process_;
  std::string port_;
};

// Returns the whole file at `path`, or "" when it cannot be read.
std::string ReadFile(const std::string& path);

// Returns the names in `dir` that end in `suffix`, sorted.
std::vector<std::string> FilesIn(const std::string& dir,
                                 absl::string_view suffix);

}  // namespace dnsbl::testing

#endif  // DNSBL_TESTS_MAIL_SERVER_H_

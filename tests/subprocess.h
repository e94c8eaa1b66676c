// tests/subprocess.h
//
// Running the dnsbl binary from tests, the way a person or script would.
//
// Example:
//
//   absl::StatusOr<dnsbl::testing::CommandResult> r =
//       dnsbl::testing::RunCommand({DnsblBinary(), "check", "1.2.3"});
//   EXPECT_EQ(r->exit_code, 2);

#ifndef DNSBL_TESTS_SUBPROCESS_H_
#define DNSBL_TESTS_SUBPROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace dnsbl::testing {

struct CommandResult {
  int exit_code = -1;  // 128 + signal number if killed by a signal.
  std::string out;
  std::string err;
};

// Runs `argv` (argv[0] is a path) to completion with stdin from
// `stdin_path` (default: empty), this process's environment plus
// `extra_env` ("NAME=VALUE" entries), and returns its exit code and output.
absl::StatusOr<CommandResult> RunCommand(
    const std::vector<std::string>& argv,
    const std::vector<std::string>& extra_env = {},
    const std::string& stdin_path = "");

// A command started in the background, for tests that signal it.
class RunningCommand {
 public:
  // Starts `argv` as RunCommand() does, without waiting.
  static absl::StatusOr<RunningCommand> Start(
      const std::vector<std::string>& argv,
      const std::vector<std::string>& extra_env = {},
      const std::string& stdin_path = "");

  // Sends `signal` to the command.
  void Signal(int signal);

  // Waits for the command to end and returns what it did.
  CommandResult Wait();

 private:
  pid_t pid_ = -1;
  std::string out_path_;
  std::string err_path_;
};

// Returns the path of the data dependency `path` (e.g. "cli/dnsbl") in the
// test's runfiles.
std::string RunfilePath(const std::string& path);

}  // namespace dnsbl::testing

#endif  // DNSBL_TESTS_SUBPROCESS_H_

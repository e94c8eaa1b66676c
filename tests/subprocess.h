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

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace dnsbl::testing {

struct CommandResult {
  int exit_code = -1;  // 128 + signal number if killed by a signal.
  std::string out;
  std::string err;
};

// Runs `argv` (argv[0] is a path) to completion with empty stdin, this
// process's environment plus `extra_env` ("NAME=VALUE" entries), and returns
// its exit code and output.
absl::StatusOr<CommandResult> RunCommand(
    const std::vector<std::string>& argv,
    const std::vector<std::string>& extra_env = {});

// Returns the path of the data dependency `path` (e.g. "cli/dnsbl") in the
// test's runfiles.
std::string RunfilePath(const std::string& path);

}  // namespace dnsbl::testing

#endif  // DNSBL_TESTS_SUBPROCESS_H_

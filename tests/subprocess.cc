#include "tests/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

extern char** environ;

namespace dnsbl::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string TempDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

}  // namespace

absl::StatusOr<RunningCommand> RunningCommand::Start(
    const std::vector<std::string>& argv,
    const std::vector<std::string>& extra_env, const std::string& stdin_path) {
  static int counter = 0;
  RunningCommand command;
  std::string base = absl::StrCat(TempDir(), "/cmd-", getpid(), "-", ++counter);
  command.out_path_ = base + ".out";
  command.err_path_ = base + ".err";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(
      &actions, 0, stdin_path.empty() ? "/dev/null" : stdin_path.c_str(),
      O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, command.out_path_.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, command.err_path_.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> copy = argv;
  std::vector<char*> args;
  for (std::string& s : copy) args.push_back(s.data());
  args.push_back(nullptr);
  std::vector<std::string> env_copy = extra_env;
  std::vector<char*> env;
  for (char** e = environ; *e != nullptr; ++e) env.push_back(*e);
  for (std::string& e : env_copy) env.push_back(e.data());
  env.push_back(nullptr);
  int rc = posix_spawn(&command.pid_, args[0], &actions, nullptr, args.data(),
                       env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return absl::InternalError(
        absl::StrCat("cannot run ", argv[0], ": ", strerror(rc)));
  }
  return command;
}

void RunningCommand::Signal(int signal) { kill(pid_, signal); }

CommandResult RunningCommand::Wait() {
  int status = 0;
  waitpid(pid_, &status, 0);
  CommandResult result;
  result.exit_code =
      WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = ReadFile(out_path_);
  result.err = ReadFile(err_path_);
  unlink(out_path_.c_str());
  unlink(err_path_.c_str());
  return result;
}

absl::StatusOr<CommandResult> RunCommand(
    const std::vector<std::string>& argv,
    const std::vector<std::string>& extra_env, const std::string& stdin_path) {
  absl::StatusOr<RunningCommand> command =
      RunningCommand::Start(argv, extra_env, stdin_path);
  if (!command.ok()) return command.status();
  return command->Wait();
}

std::string RunfilePath(const std::string& path) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  return absl::StrCat(srcdir != nullptr ? srcdir : ".", "/",
                      workspace != nullptr ? workspace : "dnsbl", "/", path);
}

}  // namespace dnsbl::testing

#include "tests/mail_server.h"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace dnsbl::testing {

absl::StatusOr<std::unique_ptr<MailServer>> MailServer::Start(
    const std::string& dir, const std::string& script,
    const std::vector<std::string>& args, const std::vector<std::string>& env) {
  mkdir(dir.c_str(), 0700);
  std::vector<std::string> argv = {"/usr/bin/python3", RunfilePath(script),
                                   dir};
  argv.insert(argv.end(), args.begin(), args.end());
  absl::StatusOr<RunningCommand> process = RunningCommand::Start(argv, env);
  if (!process.ok()) return process.status();
  std::unique_ptr<MailServer> server(new MailServer());
  server->process_ = *std::move(process);
  // Making a test CA takes openssl a moment: up to 20 s.
  for (int i = 0; i < 400 && access((dir + "/port").c_str(), R_OK) != 0; ++i) {
    usleep(50'000);
  }
  server->port_ = ReadFile(dir + "/port");
  if (server->port_.empty()) {
    return absl::DeadlineExceededError(
        absl::StrCat(script, " did not start in ", dir));
  }
  return server;
}

MailServer::~MailServer() {
  if (process_.has_value()) {
    process_->Signal(SIGINT);
    process_->Wait();
  }
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> FilesIn(const std::string& dir,
                                 absl::string_view suffix) {
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      if (absl::EndsWith(e->d_name, suffix)) names.push_back(e->d_name);
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace dnsbl::testing

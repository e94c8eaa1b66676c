#include "tests/dns_servers.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/rbldnsd_server.h"

extern char** environ;

namespace dnsbl::testing {
namespace {

absl::StatusOr<std::string> MakeDir(const char* prefix) {
  std::string path = absl::StrCat("/tmp/dnsbl-", prefix, "-XXXXXX");
  if (mkdtemp(path.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp: ", strerror(errno)));
  }
  chmod(path.c_str(), 0755);
  return path;
}

std::string ReadLog(const std::string& path) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  return text.substr(0, 3000);
}

// Starts `argv` with output to `log`, then waits until `address`:53
// answers a question for `probe`. Returns its pid.
absl::StatusOr<pid_t> SpawnServer(std::vector<std::string> argv,
                                  const std::string& log,
                                  const std::string& address, int port,
                                  const std::string& probe) {
  if (access(argv[0].c_str(), X_OK) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(argv[0], " not found: run tools/install-deps.sh"));
  }
  std::vector<char*> args;
  for (std::string& s : argv) args.push_back(s.data());
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return absl::InternalError(
        absl::StrCat("spawn ", argv[0], ": ", strerror(rc)));
  }
  const absl::Time deadline = absl::Now() + absl::Seconds(15);
  while (absl::Now() < deadline) {
    if (waitpid(pid, nullptr, WNOHANG) == pid) {
      return absl::UnavailableError(
          absl::StrCat(argv[0], " exited at start; its log:\n", ReadLog(log)));
    }
    if (AnswersDns(address, port, probe, absl::Milliseconds(100))) return pid;
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return absl::DeadlineExceededError(absl::StrCat(
      argv[0], " did not answer within 15s; its log:\n", ReadLog(log)));
}

void Stop(pid_t pid, const std::string& dir) {
  if (pid > 0) {
    kill(pid, SIGTERM);
    waitpid(pid, nullptr, 0);
  }
  if (!dir.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
}

}  // namespace

std::string ZoneHeader(const std::string& zone, int ttl, int negative_ttl) {
  return absl::StrCat("$TTL ", ttl, "\n", zone, " IN SOA ns.invalid. ",
                      "hostmaster.invalid. 1 3600 600 86400 ", negative_ttl,
                      "\n");
}

absl::StatusOr<std::unique_ptr<NsdServer>> NsdServer::Start(
    const std::string& address, const std::vector<AuthZone>& zones, int port) {
  if (zones.empty()) return absl::InvalidArgumentError("NSD needs a zone");
  absl::StatusOr<std::string> dir = MakeDir("nsd");
  if (!dir.ok()) return dir.status();
  auto server = std::unique_ptr<NsdServer>(new NsdServer());
  server->dir_ = *dir;
  server->address_ = address;
  std::string config = absl::StrCat(
      "server:\n  ip-address: ", address, "\n  port: ", port, "\n",
      "  username: \"\"\n  zonesdir: \"", *dir, "\"\n  database: \"\"\n",
      "  pidfile: \"\"\n  xfrdfile: \"", *dir, "/xfrd.state\"\n",
      "  zonelistfile: \"", *dir, "/zone.list\"\n  server-count: 1\n",
      "  verbosity: 1\n  hide-version: yes\n",
      "remote-control:\n  control-enable: no\n");
  for (size_t i = 0; i < zones.size(); ++i) {
    const std::string file = absl::StrCat("zone", i);
    std::ofstream(absl::StrCat(*dir, "/", file)) << zones[i].text;
    absl::StrAppend(&config, "zone:\n  name: \"", zones[i].name,
                    "\"\n  zonefile: \"", file, "\"\n");
  }
  const std::string conf_path = absl::StrCat(*dir, "/nsd.conf");
  std::ofstream(conf_path) << config;
  absl::StatusOr<pid_t> pid = SpawnServer(
      {"/usr/sbin/nsd", "-d", "-c", conf_path}, absl::StrCat(*dir, "/nsd.log"),
      address, port, zones[0].name == "." ? "" : zones[0].name);
  if (!pid.ok()) return pid.status();
  server->pid_ = *pid;
  return server;
}

NsdServer::~NsdServer() { Stop(pid_, dir_); }

absl::StatusOr<std::unique_ptr<UnboundServer>> UnboundServer::Start(
    const std::string& address, const std::string& root_hints, int port) {
  absl::StatusOr<std::string> dir = MakeDir("unbound");
  if (!dir.ok()) return dir.status();
  auto server = std::unique_ptr<UnboundServer>(new UnboundServer());
  server->dir_ = *dir;
  server->address_ = address;
  server->port_ = port;
  std::ofstream(absl::StrCat(*dir, "/root.hints")) << root_hints;
  const std::string conf_path = absl::StrCat(*dir, "/unbound.conf");
  std::ofstream(conf_path) << absl::StrCat(
      "server:\n  interface: ", address, "\n  port: ", port, "\n",
      "  username: \"\"\n  chroot: \"\"\n  directory: \"", *dir, "\"\n",
      "  pidfile: \"\"\n  root-hints: \"", *dir, "/root.hints\"\n",
      "  do-not-query-localhost: no\n  qname-minimisation: no\n",
      "  module-config: \"iterator\"\n  use-syslog: no\n",
      "  logfile: \"\"\n  verbosity: 0\n  num-threads: 1\n",
      "  access-control: 127.0.0.0/8 allow\n",
      "remote-control:\n  control-enable: no\n");
  // The probe asks a name unbound answers itself (a default local zone),
  // so its cache starts empty: a cold resolver.
  absl::StatusOr<pid_t> pid = SpawnServer(
      {"/usr/sbin/unbound", "-d", "-c", conf_path},
      absl::StrCat(*dir, "/unbound.log"), address, port, "localhost");
  if (!pid.ok()) return pid.status();
  server->pid_ = *pid;
  return server;
}

UnboundServer::~UnboundServer() { Stop(pid_, dir_); }

std::string UnboundServer::endpoint() const {
  return absl::StrCat(address_, ":", port_);
}

}  // namespace dnsbl::testing

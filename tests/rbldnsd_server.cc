#include "tests/rbldnsd_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/udp_util.h"

extern char** environ;

namespace dnsbl::testing {
namespace {

constexpr char kRbldnsd[] = "/usr/sbin/rbldnsd";

absl::StatusOr<int> BindLoopbackUdp(int port) {
  return BindUdp("127.0.0.1", port, /*nonblocking=*/false);
}

}  // namespace

bool AnswersDns(const std::string& address, int port, const std::string& name,
                absl::Duration wait) {
  absl::StatusOr<int> fd = BindLoopbackUdp(0);
  if (!fd.ok()) return false;
  sockaddr_in to = SocketAddress(address, port);
  std::string query = BuildDnsQuery(name, 1, 0x4242);
  sendto(*fd, query.data(), query.size(), 0, reinterpret_cast<sockaddr*>(&to),
         sizeof(to));
  pollfd p{*fd, POLLIN, 0};
  bool ok = poll(&p, 1, static_cast<int>(absl::ToInt64Milliseconds(wait))) == 1;
  if (ok) {
    char buffer[512];
    ok = recv(*fd, buffer, sizeof(buffer), 0) > 0;
  }
  close(*fd);
  return ok;
}

std::string BuildDnsQuery(const std::string& name, int qtype, uint16_t id) {
  std::string packet;
  packet.push_back(static_cast<char>(id >> 8));
  packet.push_back(static_cast<char>(id & 0xff));
  packet.append("\x01\x00", 2);         // RD
  packet.append("\x00\x01", 2);         // QDCOUNT
  packet.append(std::string(6, '\0'));  // AN, NS, AR counts
  for (absl::string_view label : absl::StrSplit(name, '.', absl::SkipEmpty())) {
    packet.push_back(static_cast<char>(label.size()));
    packet.append(label.data(), label.size());
  }
  packet.push_back('\0');
  packet.push_back(static_cast<char>(qtype >> 8));
  packet.push_back(static_cast<char>(qtype & 0xff));
  packet.append("\x00\x01", 2);  // class IN
  return packet;
}

absl::StatusOr<int> PickUnusedUdpPort() {
  absl::StatusOr<int> fd = BindLoopbackUdp(0);
  if (!fd.ok()) return fd.status();
  int port = LocalPort(*fd);
  close(*fd);
  return port;
}

absl::StatusOr<std::unique_ptr<RbldnsdServer>> RbldnsdServer::Start(
    const std::vector<ZoneData>& datasets, int default_ttl) {
  return StartAt("127.0.0.1", 0, datasets, default_ttl);
}

absl::StatusOr<std::unique_ptr<RbldnsdServer>> RbldnsdServer::StartAt(
    const std::string& address, int fixed_port,
    const std::vector<ZoneData>& datasets, int default_ttl) {
  if (access(kRbldnsd, X_OK) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(kRbldnsd, " not found: run tools/install-deps.sh"));
  }
  if (datasets.empty()) {
    return absl::InvalidArgumentError("rbldnsd needs at least one dataset");
  }
  auto server = std::unique_ptr<RbldnsdServer>(new RbldnsdServer());
  // Under /tmp, not the test's private directory: rbldnsd drops root to the
  // rbldns user, who cannot enter Bazel's output tree.
  char dir_template[] = "/tmp/dnsbl-rbldnsd-XXXXXX";
  if (mkdtemp(dir_template) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp: ", strerror(errno)));
  }
  server->dir_ = dir_template;
  chmod(server->dir_.c_str(), 0755);

  std::vector<std::string> args = {kRbldnsd, "-n"};
  if (default_ttl > 0) {
    args.push_back("-t");
    args.push_back(absl::StrCat(default_ttl));
  }
  if (geteuid() == 0) {
    args.push_back("-u");
    args.push_back("rbldns");
  }
  args.push_back("-w");
  args.push_back(server->dir_);
  for (size_t i = 0; i < datasets.size(); ++i) {
    std::string file = absl::StrCat("data", i);
    std::string path = absl::StrCat(server->dir_, "/", file);
    std::ofstream(path) << datasets[i].contents;
    chmod(path.c_str(), 0644);
    args.push_back(
        absl::StrCat(datasets[i].zone, ":", datasets[i].type, ":", file));
  }

  // A port picked now may be taken by a parallel test before rbldnsd binds
  // it; then rbldnsd exits and we try another.
  // A fixed port gets one attempt.
  server->address_ = address;
  const int attempts = fixed_port != 0 ? 1 : 10;
  for (int attempt = 0; attempt < attempts; ++attempt) {
    absl::StatusOr<int> port =
        fixed_port != 0 ? absl::StatusOr<int>(fixed_port) : PickUnusedUdpPort();
    if (!port.ok()) return port.status();
    std::vector<std::string> argv_strings = args;
    argv_strings.insert(argv_strings.begin() + 1,
                        {"-b", absl::StrCat(address, "/", *port)});
    std::vector<char*> argv;
    for (std::string& s : argv_strings) argv.push_back(s.data());
    argv.push_back(nullptr);
    std::string log = absl::StrCat(server->dir_, "/rbldnsd.log");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    pid_t pid = -1;
    int rc =
        posix_spawn(&pid, kRbldnsd, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      return absl::InternalError(absl::StrCat("spawn rbldnsd: ", strerror(rc)));
    }
    std::string probe = absl::StrCat("2.0.0.127.", datasets[0].zone);
    absl::Time deadline = absl::Now() + absl::Seconds(10);
    bool up = false;
    bool exited = false;
    while (absl::Now() < deadline) {
      if (waitpid(pid, nullptr, WNOHANG) == pid) {
        exited = true;
        break;
      }
      if (AnswersDns(address, *port, probe, absl::Milliseconds(100))) {
        up = true;
        break;
      }
    }
    if (up) {
      server->pid_ = pid;
      server->port_ = *port;
      return server;
    }
    if (!exited) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
      return absl::DeadlineExceededError(
          absl::StrCat("rbldnsd did not answer within 10s; see ", log));
    }
  }
  std::ifstream log(absl::StrCat(server->dir_, "/rbldnsd.log"));
  std::string text((std::istreambuf_iterator<char>(log)),
                   std::istreambuf_iterator<char>());
  return absl::UnavailableError(absl::StrCat("rbldnsd failed to start ",
                                             attempts, " times; its log:\n",
                                             text.substr(0, 2000)));
}

RbldnsdServer::~RbldnsdServer() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

std::string RbldnsdServer::endpoint() const {
  return absl::StrCat(address_, ":", port_);
}

absl::StatusOr<std::unique_ptr<BlackHoleServer>> BlackHoleServer::Start() {
  return StartAt("127.0.0.1", 0);
}

absl::StatusOr<std::unique_ptr<BlackHoleServer>> BlackHoleServer::StartAt(
    const std::string& address, int port) {
  absl::StatusOr<int> fd = BindUdp(address, port, /*nonblocking=*/false);
  if (!fd.ok()) return fd.status();
  auto server = std::unique_ptr<BlackHoleServer>(new BlackHoleServer());
  server->fd_ = *fd;
  server->port_ = LocalPort(*fd);
  server->address_ = address;
  return server;
}

BlackHoleServer::~BlackHoleServer() {
  if (fd_ >= 0) close(fd_);
}

int BlackHoleServer::Received() {
  char buffer[2048];
  while (recv(fd_, buffer, sizeof(buffer), MSG_DONTWAIT) >= 0) ++received_;
  return received_;
}

std::string BlackHoleServer::endpoint() const {
  return absl::StrCat(address_, ":", port_);
}

}  // namespace dnsbl::testing

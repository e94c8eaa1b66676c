#include "tests/netns.h"

#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "absl/strings/str_cat.h"

namespace dnsbl::testing {
namespace {

bool entered = false;

absl::Status Errno(absl::string_view what) {
  return absl::FailedPreconditionError(
      absl::StrCat(what, ": ", strerror(errno),
                   " (this test needs root to make a private network "
                   "namespace; CI runs as root)"));
}

}  // namespace

absl::Status EnterPrivateNetwork() {
  if (entered) return absl::OkStatus();
  if (unshare(CLONE_NEWNET | CLONE_NEWNS) != 0) return Errno("unshare");
  // Mounts made here stay here.
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    return Errno("mount --make-rprivate /");
  }
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) return Errno("socket");
  ifreq request{};
  std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
  const bool up = ioctl(fd, SIOCGIFFLAGS, &request) == 0 &&
                  ((request.ifr_flags |= IFF_UP | IFF_RUNNING),
                   ioctl(fd, SIOCSIFFLAGS, &request) == 0);
  close(fd);
  if (!up) return Errno("bringing up lo");
  // Nothing but loopback may carry an address here.
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return Errno("getifaddrs");
  std::string others;
  for (ifaddrs* a = list; a != nullptr; a = a->ifa_next) {
    if (std::strcmp(a->ifa_name, "lo") != 0) {
      absl::StrAppend(&others, " ", a->ifa_name);
    }
  }
  freeifaddrs(list);
  if (!others.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the new network namespace has interfaces besides lo:", others));
  }
  entered = true;
  return absl::OkStatus();
}

bool InPrivateNetwork() { return entered; }

absl::Status ReplaceResolvConf(const std::string& text) {
  if (!entered) {
    return absl::FailedPreconditionError(
        "ReplaceResolvConf() needs EnterPrivateNetwork() first");
  }
  static int counter = 0;
  const std::string path =
      absl::StrCat("/tmp/dnsbl-resolv-", getpid(), "-", ++counter, ".conf");
  std::ofstream(path) << text;
  // Undo an earlier replacement; fails harmlessly when there is none.
  umount2("/etc/resolv.conf", MNT_DETACH);
  if (mount(path.c_str(), "/etc/resolv.conf", nullptr, MS_BIND, nullptr) != 0) {
    return Errno("bind-mounting /etc/resolv.conf");
  }
  return absl::OkStatus();
}

}  // namespace dnsbl::testing

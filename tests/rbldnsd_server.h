// tests/rbldnsd_server.h
//
// Real DNS servers on loopback for tests: rbldnsd (the server many public
// blocklists run) serving zone files a test writes, and a "black hole" that
// receives queries and never answers. Nothing here talks to any address
// outside 127.0.0.0/8.
//
// Example:
//
//   absl::StatusOr<std::unique_ptr<dnsbl::testing::RbldnsdServer>> server =
//       dnsbl::testing::RbldnsdServer::Start(
//           {{"bl.test", "ip4set", "192.0.2.1 :127.0.0.2:listed\n"}});
//   ASSERT_TRUE(server.ok()) << server.status();
//   options.nameservers = {(*server)->endpoint()};

#ifndef DNSBL_TESTS_RBLDNSD_SERVER_H_
#define DNSBL_TESTS_RBLDNSD_SERVER_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace dnsbl::testing {

// One dataset of a zone: rbldnsd's `zone:type:file`.
struct ZoneData {
  std::string zone;      // e.g. "bl.test"
  std::string type;      // e.g. "ip4set", "ip6trie", "ip4trie"
  std::string contents;  // the data file's text
};

// An rbldnsd process on 127.0.0.1 and a free UDP port, stopped when this
// object is destroyed. Not thread-safe.
class RbldnsdServer {
 public:
  // Writes `datasets` to a fresh directory, starts rbldnsd on them (with
  // `default_ttl` as -t; 0 keeps rbldnsd's own default of 35 minutes) and
  // waits until it answers. Several datasets of one zone are combined by
  // rbldnsd (an address in two of them gets both A values).
  static absl::StatusOr<std::unique_ptr<RbldnsdServer>> Start(
      const std::vector<ZoneData>& datasets, int default_ttl = 300);

  // As Start(), on `address`:`port` (in 127.0.0.0/8; port 53 needs root
  // and, for tests, a private network namespace: tests/netns.h).
  static absl::StatusOr<std::unique_ptr<RbldnsdServer>> StartAt(
      const std::string& address, int port,
      const std::vector<ZoneData>& datasets, int default_ttl = 300);

  ~RbldnsdServer();

  int port() const { return port_; }
  const std::string& address() const { return address_; }

  // Returns "ADDRESS:PORT", for CheckerOptions::nameservers.
  std::string endpoint() const;

 private:
  RbldnsdServer() = default;

  pid_t pid_ = -1;
  int port_ = 0;
  std::string address_ = "127.0.0.1";
  std::string dir_;
};

// A UDP socket on 127.0.0.1 that takes queries and never answers: a
// nameserver that is down without saying so. Not thread-safe.
class BlackHoleServer {
 public:
  static absl::StatusOr<std::unique_ptr<BlackHoleServer>> Start();
  // On `address`:`port` instead (in 127.0.0.0/8).
  static absl::StatusOr<std::unique_ptr<BlackHoleServer>> StartAt(
      const std::string& address, int port);
  ~BlackHoleServer();

  int port() const { return port_; }
  std::string endpoint() const;

  // Returns how many datagrams have arrived so far.
  int Received();

 private:
  BlackHoleServer() = default;
  int received_ = 0;
  int fd_ = -1;
  int port_ = 0;
  std::string address_ = "127.0.0.1";
};

// Sends an A question for `name` to `address`:`port` and returns whether
// any reply came within `wait`.
bool AnswersDns(const std::string& address, int port, const std::string& name,
                absl::Duration wait);

// Returns a UDP port on 127.0.0.1 that was free a moment ago.
absl::StatusOr<int> PickUnusedUdpPort();

// Returns a minimal DNS query packet for `name` and `qtype`, with ID `id`.
std::string BuildDnsQuery(const std::string& name, int qtype, uint16_t id);

}  // namespace dnsbl::testing

#endif  // DNSBL_TESTS_RBLDNSD_SERVER_H_

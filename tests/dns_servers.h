// tests/dns_servers.h
//
// Real authoritative and recursive DNS servers for tests of direct
// resolution: NSD (NLnet Labs' authoritative server) serving a test root
// and TLDs from zone files a test writes, and unbound as the reference
// recursive resolver, each on port 53 of a loopback address of a private
// network namespace (tests/netns.h). Blocklist zones are served by rbldnsd
// (tests/rbldnsd_server.h).
//
// Example:
//
//   auto root = dnsbl::testing::NsdServer::Start(
//       "127.0.0.10", {{".", dnsbl::testing::Soa(".") + "..."}});
//   auto unbound = dnsbl::testing::UnboundServer::Start(
//       "127.0.0.53", ". NS a.root.example.\na.root.example. A 127.0.0.10\n");

#ifndef DNSBL_TESTS_DNS_SERVERS_H_
#define DNSBL_TESTS_DNS_SERVERS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace dnsbl::testing {

// A zone for NSD: its name ("." for the root) and zone file text.
struct AuthZone {
  std::string name;
  std::string text;
};

// Returns the first lines of a zone file for `zone` ("." or "example."):
// $TTL, and an SOA whose negative TTL is `negative_ttl`.
std::string ZoneHeader(const std::string& zone, int ttl = 3600,
                       int negative_ttl = 300);

// An NSD process serving `zones` on `address`:`port`, stopped when this
// object is destroyed. Not thread-safe.
class NsdServer {
 public:
  static absl::StatusOr<std::unique_ptr<NsdServer>> Start(
      const std::string& address, const std::vector<AuthZone>& zones,
      int port = 53);
  ~NsdServer();

  const std::string& address() const { return address_; }

 private:
  NsdServer() = default;
  pid_t pid_ = -1;
  std::string address_;
  std::string dir_;
};

// An unbound process recursing from `root_hints` (named.root text), on
// `address`:53, with QNAME minimisation off (as dnsbl's own recursion),
// stopped when this object is destroyed. Not thread-safe.
class UnboundServer {
 public:
  static absl::StatusOr<std::unique_ptr<UnboundServer>> Start(
      const std::string& address, const std::string& root_hints, int port = 53);
  ~UnboundServer();

  // Returns "ADDRESS:PORT", for CheckerOptions::nameservers.
  std::string endpoint() const;

 private:
  UnboundServer() = default;
  pid_t pid_ = -1;
  int port_ = 53;
  std::string address_;
  std::string dir_;
};

}  // namespace dnsbl::testing

#endif  // DNSBL_TESTS_DNS_SERVERS_H_

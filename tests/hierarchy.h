// tests/hierarchy.h
//
// A small internet's DNS for tests and benchmarks of direct resolution,
// inside a private network namespace (tests/netns.h): a root (NSD on
// 127.0.0.10), the TLDs example., com. and zone. (NSD on 127.0.0.11), and
// blocklist zones served by rbldnsd on two servers, ns1.servers.example
// (127.0.0.20) and ns2.servers.example (127.0.0.21), as operators run
// them. Each blocklist zone is delegated from its TLD to both servers, so
// direct resolution must walk root -> TLD -> blocklist, and unbound (the
// reference recursive resolver, on 127.0.0.53 when asked for) walks the
// same way. Optionally every server sits behind a fault proxy that delays
// each packet (user-space latency: each round trip costs twice the delay).
//
// Example:
//
//   dnsbl::testing::HierarchyOptions options;
//   options.blocklists = {{"bl.example", "ip4set", "192.0.2.25\n"}};
//   auto world = dnsbl::testing::Hierarchy::Start(options);
//   // dnsbl check --resolution=direct --root_hints=(*world)->hints_path()

#ifndef DNSBL_TESTS_HIERARCHY_H_
#define DNSBL_TESTS_HIERARCHY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/dns_servers.h"
#include "tests/fault_proxy.h"
#include "tests/rbldnsd_server.h"

namespace dnsbl::testing {

// The addresses of the hierarchy's servers.
inline constexpr char kRootAddress[] = "127.0.0.10";
inline constexpr char kTldAddress[] = "127.0.0.11";
inline constexpr char kLameTldAddress[] = "127.0.0.12";
inline constexpr char kBlocklistAddress1[] = "127.0.0.20";
inline constexpr char kBlocklistAddress2[] = "127.0.0.21";
inline constexpr char kUnboundAddress[] = "127.0.0.53";

struct HierarchyOptions {
  // Blocklist zones served by both rbldnsd servers: under example., or a
  // contact source's (asn.cymru.com and below, abuse-contacts.abusix.zone).
  // $SOA and $NS lines are added to each dataset ($NS only when it has
  // none of its own).
  std::vector<ZoneData> blocklists;

  // The TTL of every delegation, NS set and server address. Default: 1 h.
  int ttl = 3600;

  // Further lines of the example. zone file (delegations for odd cases).
  // A blocklist zone delegated here is not delegated again.
  std::string extra_example_records;

  // Blocklist zones served (by both rbldnsd servers) but delegated by no
  // one here: a test's own server delegates them.
  std::vector<std::string> undelegated;

  // Further zones for the TLD server (e.g. "evil." with a lying referral
  // is not possible with NSD; see CraftedServer in the test).
  std::vector<AuthZone> extra_tld_zones;

  // Further lines of the root zone (delegations of extra TLDs).
  std::string extra_root_records;

  // Whether the root lists a second server for the TLDs that is lame: it
  // answers REFUSED for them (NSD on 127.0.0.12 serving another zone).
  bool lame_tld_server = false;

  // Whether unbound runs on 127.0.0.53 with the same root hints.
  bool unbound = false;

  // When above zero, every server listens on port 5300 of its address and
  // a fault proxy on port 53 delays each packet by this much, each way.
  absl::Duration delay = absl::ZeroDuration();
};

// The running hierarchy; stopped when destroyed. Not thread-safe.
// REQUIRES: InPrivateNetwork() (tests/netns.h).
class Hierarchy {
 public:
  static absl::StatusOr<std::unique_ptr<Hierarchy>> Start(
      const HierarchyOptions& options);
  ~Hierarchy();

  // Returns the root hints (named.root text) and a file holding them.
  static std::string RootHintsText();
  const std::string& hints_path() const { return hints_path_; }

  // Returns "127.0.0.53:53" (unbound), for --nameserver.
  std::string unbound_endpoint() const;

  // Stops blocklist server 1 or 2 (as a crash would: no answers, and
  // ICMP port unreachable for what is sent to it).
  void StopBlocklistServer(int which);

  // Stops the root server.
  void StopRoot();

  // Restarts unbound with an empty cache.
  absl::Status RestartUnbound();

  // Returns how many questions the delay proxies have passed to the
  // servers so far (0 without a delay).
  int64_t ProxiedQueries() const;

  // Replaces the TLD zones (the server restarts with them): for a
  // delegation that moves.
  absl::Status RestartTld(const std::string& extra_example_records);

  // Returns the file text of a blocklist dataset as served: $SOA and $NS
  // lines (unless `data` has its own $NS), then `data`.
  static std::string WithSoaAndNs(const std::string& zone,
                                  const std::string& data, int ttl);

 private:
  Hierarchy() = default;
  absl::Status StartTld();
  // The address a server binds (its own, or port 5300 behind a proxy).
  int ServerPort() const;
  absl::Status Proxy(const std::string& address);

  HierarchyOptions options_;
  std::string dir_;
  std::string hints_path_;
  std::vector<std::unique_ptr<FaultProxy>> proxies_;
  std::unique_ptr<NsdServer> root_;
  std::unique_ptr<NsdServer> tld_;
  std::unique_ptr<NsdServer> lame_;
  std::unique_ptr<RbldnsdServer> blocklist1_;
  std::unique_ptr<RbldnsdServer> blocklist2_;
  std::unique_ptr<UnboundServer> unbound_;
};

}  // namespace dnsbl::testing

#endif  // DNSBL_TESTS_HIERARCHY_H_

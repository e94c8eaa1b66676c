#include "tests/hierarchy.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "dnsbl/base/address.h"
#include "tests/netns.h"

namespace dnsbl::testing {
namespace {

constexpr int kProxiedPort = 5300;

// The zone a name is delegated from: its TLD ("example.", "com.", ...).
std::string TldOf(const std::string& zone) {
  return absl::StrCat(zone.substr(zone.rfind('.') + 1), ".");
}

}  // namespace

std::string Hierarchy::RootHintsText() {
  return absl::StrCat(".  3600000  NS  a.root-lab.\na.root-lab.  3600000  A  ",
                      kRootAddress, "\n");
}

std::string Hierarchy::WithSoaAndNs(const std::string& zone,
                                    const std::string& data, int ttl) {
  std::string text =
      absl::StrCat("$SOA ", ttl, " ns1.servers.example. ", "hostmaster.", zone,
                   ". 1 600 300 86400 60\n");
  // Data that names its own servers keeps them.
  if (!absl::StrContains(data, "$NS")) {
    absl::StrAppend(&text, "$NS ", ttl,
                    " ns1.servers.example. ns2.servers.example.\n");
  }
  return text + data;
}

int Hierarchy::ServerPort() const {
  return options_.delay > absl::ZeroDuration() ? kProxiedPort : 53;
}

absl::Status Hierarchy::Proxy(const std::string& address) {
  if (options_.delay <= absl::ZeroDuration()) return absl::OkStatus();
  FaultProxyOptions proxy;
  proxy.upstream_address = address;
  proxy.upstream_port = kProxiedPort;
  proxy.listen_address = address;
  proxy.listen_port = 53;
  proxy.delay = options_.delay;
  absl::StatusOr<std::unique_ptr<FaultProxy>> started =
      FaultProxy::Start(proxy);
  if (!started.ok()) return started.status();
  proxies_.push_back(*std::move(started));
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Hierarchy>> Hierarchy::Start(
    const HierarchyOptions& options) {
  if (!InPrivateNetwork()) {
    return absl::FailedPreconditionError(
        "the hierarchy runs only in a private network namespace "
        "(tests/netns.h), never beside the machine's own DNS");
  }
  auto world = std::unique_ptr<Hierarchy>(new Hierarchy());
  world->options_ = options;
  char dir[] = "/tmp/dnsbl-hierarchy-XXXXXX";
  if (mkdtemp(dir) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp: ", strerror(errno)));
  }
  world->dir_ = dir;
  world->hints_path_ = absl::StrCat(dir, "/root.hints");
  std::ofstream(world->hints_path_) << RootHintsText();

  std::string root = absl::StrCat(
      ZoneHeader("."), ". NS a.root-lab.\na.root-lab. A ", kRootAddress, "\n",
      "ns.nic.example. A ", kTldAddress, "\nns2.nic.example. A ",
      kLameTldAddress, "\n", options.extra_root_records);
  for (const char* tld : {"example.", "com.", "zone."}) {
    absl::StrAppend(&root, tld, " NS ns.nic.example.\n");
    if (options.lame_tld_server) {
      absl::StrAppend(&root, tld, " NS ns2.nic.example.\n");
    }
  }
  const int port = world->ServerPort();
  absl::StatusOr<std::unique_ptr<NsdServer>> root_server =
      NsdServer::Start(kRootAddress, {{".", root}}, port);
  if (!root_server.ok()) return root_server.status();
  world->root_ = *std::move(root_server);
  if (absl::Status s = world->Proxy(kRootAddress); !s.ok()) return s;

  if (absl::Status s = world->StartTld(); !s.ok()) return s;
  if (absl::Status s = world->Proxy(kTldAddress); !s.ok()) return s;
  if (options.lame_tld_server) {
    absl::StatusOr<std::unique_ptr<NsdServer>> lame = NsdServer::Start(
        kLameTldAddress,
        {{"elsewhere.",
          ZoneHeader("elsewhere.") + "elsewhere. NS ns.nic.example.\n"}},
        port);
    if (!lame.ok()) return lame.status();
    world->lame_ = *std::move(lame);
    if (absl::Status s = world->Proxy(kLameTldAddress); !s.ok()) return s;
  }

  std::vector<ZoneData> served;
  for (const ZoneData& z : options.blocklists) {
    served.push_back(
        {z.zone, z.type, WithSoaAndNs(z.zone, z.contents, options.ttl)});
  }
  if (!served.empty()) {
    for (const char* address : {kBlocklistAddress1, kBlocklistAddress2}) {
      absl::StatusOr<std::unique_ptr<RbldnsdServer>> server =
          RbldnsdServer::StartAt(address, port, served, options.ttl);
      if (!server.ok()) return server.status();
      (address == kBlocklistAddress1 ? world->blocklist1_
                                     : world->blocklist2_) = *std::move(server);
      if (absl::Status s = world->Proxy(address); !s.ok()) return s;
    }
  }
  if (options.unbound) {
    absl::StatusOr<std::unique_ptr<UnboundServer>> unbound =
        UnboundServer::Start(kUnboundAddress, RootHintsText());
    if (!unbound.ok()) return unbound.status();
    world->unbound_ = *std::move(unbound);
  }
  return world;
}

absl::Status Hierarchy::StartTld() {
  const int ttl = options_.ttl;
  std::map<std::string, std::string> zones = {
      {"example.",
       absl::StrCat(ZoneHeader("example."), "example. NS ns.nic.example.\n",
                    "ns.nic.example. A ", kTldAddress, "\n",
                    "ns2.nic.example. A ", kLameTldAddress, "\n",
                    "ns1.servers.example. ", ttl, " A ", kBlocklistAddress1,
                    "\nns2.servers.example. ", ttl, " A ", kBlocklistAddress2,
                    "\n", options_.extra_example_records)},
      {"com.", absl::StrCat(ZoneHeader("com."), "com. NS ns.nic.example.\n")},
      {"zone.",
       absl::StrCat(ZoneHeader("zone."), "zone. NS ns.nic.example.\n")},
  };
  // Each blocklist zone is delegated from its TLD, unless a zone above it
  // is (origin.asn.cymru.com is served with asn.cymru.com).
  std::vector<std::string> names;
  for (const ZoneData& z : options_.blocklists) names.push_back(z.zone);
  std::sort(names.begin(), names.end(),
            [](const std::string& a, const std::string& b) {
              return a.size() < b.size();
            });
  std::vector<std::string> delegated = options_.undelegated;
  for (const std::string& name : names) {
    if (absl::StrContains(absl::StrCat("\n", options_.extra_example_records),
                          absl::StrCat("\n", name, ". "))) {
      delegated.push_back(name);  // The test delegates it itself.
    }
    const bool covered = std::any_of(
        delegated.begin(), delegated.end(),
        [&](const std::string& d) { return NameAtOrBelow(name, d); });
    if (covered) continue;
    delegated.push_back(name);
    auto it = zones.find(TldOf(name));
    if (it == zones.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("blocklist ", name, " is under no TLD of the lab"));
    }
    absl::StrAppend(&it->second, name, ". ", ttl, " NS ns1.servers.example.\n",
                    name, ". ", ttl, " NS ns2.servers.example.\n");
  }
  std::vector<AuthZone> auth;
  for (auto& [name, text] : zones) auth.push_back({name, text});
  for (const AuthZone& z : options_.extra_tld_zones) auth.push_back(z);
  tld_.reset();
  absl::StatusOr<std::unique_ptr<NsdServer>> tld =
      NsdServer::Start(kTldAddress, auth, ServerPort());
  if (!tld.ok()) return tld.status();
  tld_ = *std::move(tld);
  return absl::OkStatus();
}

absl::Status Hierarchy::RestartTld(const std::string& extra_example_records) {
  options_.extra_example_records = extra_example_records;
  return StartTld();
}

void Hierarchy::StopBlocklistServer(int which) {
  (which == 1 ? blocklist1_ : blocklist2_).reset();
}

void Hierarchy::StopRoot() { root_.reset(); }

absl::Status Hierarchy::RestartUnbound() {
  unbound_.reset();
  absl::StatusOr<std::unique_ptr<UnboundServer>> unbound =
      UnboundServer::Start(kUnboundAddress, RootHintsText());
  if (!unbound.ok()) return unbound.status();
  unbound_ = *std::move(unbound);
  return absl::OkStatus();
}

int64_t Hierarchy::ProxiedQueries() const {
  int64_t n = 0;
  for (const auto& proxy : proxies_) n += proxy->counters().queries;
  return n;
}

std::string Hierarchy::unbound_endpoint() const {
  return unbound_ != nullptr ? unbound_->endpoint() : "";
}

Hierarchy::~Hierarchy() {
  // Proxies first: nothing is forwarded to servers that are going.
  proxies_.clear();
  unbound_.reset();
  blocklist1_.reset();
  blocklist2_.reset();
  lame_.reset();
  tld_.reset();
  root_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

}  // namespace dnsbl::testing

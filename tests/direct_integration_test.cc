// Direct resolution against a real hierarchy (tests/hierarchy.h: NSD for a
// root and TLDs, rbldnsd for the blocklists, unbound as the reference) in a
// private network namespace, through the dnsbl command as a person runs
// it. Every case asserts the verdicts: listings found whatever the system
// resolver does, reports equal to unbound's, lame, dead, looping, lying and
// glueless servers, moving delegations, a damaged cache, a root that does
// not answer.

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "dnsbl/dns/internal/delegation_cache.h"
#include "dnsbl/dns/internal/dns_message.h"
#include "dnsbl/dns/internal/root_hints.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "proto/dnsbl.pb.h"
#include "tests/dns_packet.h"
#include "tests/fault_proxy.h"
#include "tests/hierarchy.h"
#include "tests/netns.h"
#include "tests/subprocess.h"
#include "tests/udp_util.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// bl.example lists 192.0.2.0/25 (a spam source); proxies.example lists
// 192.0.2.64/26 (open proxies). Both list their test point 127.0.0.2.
constexpr char kBl[] =
    ":127.0.0.2:Listed: see http://bl.example/$\n127.0.0.2\n192.0.2.0/25\n";
constexpr char kProxies[] =
    ":127.0.0.9:Open proxy at $\n127.0.0.2\n192.0.2.64/26\n";

std::string Catalog(const std::vector<std::string>& zones) {
  std::string text;
  for (const std::string& zone : zones) {
    absl::StrAppend(&text, "zone { name: \"", zone,
                    "\" ipv4: true default_category: SPAM_SOURCE }\n");
  }
  return text;
}

bool TrulyListed(const std::string& zone, uint32_t address) {
  if (zone == "proxies.example") {
    return (address & 0xffffffc0u) == 0xc0000240u;  // 192.0.2.64/26
  }
  return (address & 0xffffff80u) == 0xc0000200u;  // 192.0.2.0/25
}

std::string TempPath(const std::string& name) {
  return absl::StrCat(std::getenv("TEST_TMPDIR"), "/", name);
}

std::vector<v1::Report> ParseReports(const std::string& out) {
  std::vector<v1::Report> reports;
  for (absl::string_view line : absl::StrSplit(out, '\n', absl::SkipEmpty())) {
    v1::Report r;
    EXPECT_TRUE(
        google::protobuf::util::JsonStringToMessage(std::string(line), &r).ok())
        << line;
    reports.push_back(std::move(r));
  }
  return reports;
}

const v1::ZoneResult* Result(const v1::Report& report,
                             const std::string& zone) {
  for (const v1::ZoneResult& r : report.results()) {
    if (r.zone() == zone) return &r;
  }
  return nullptr;
}

class DirectTest : public ::testing::Test {
 protected:
  void StartWorld(testing::HierarchyOptions options) {
    if (options.blocklists.empty()) {
      options.blocklists = {{"bl.example", "ip4set", kBl},
                            {"proxies.example", "ip4set", kProxies}};
    }
    absl::StatusOr<std::unique_ptr<testing::Hierarchy>> world =
        testing::Hierarchy::Start(options);
    ASSERT_TRUE(world.ok()) << world.status();
    world_ = *std::move(world);
    catalog_ = TempPath("catalog.textproto");
    std::ofstream(catalog_) << Catalog({"bl.example", "proxies.example"});
    // A dead system resolver unless a test says otherwise.
    ASSERT_TRUE(testing::ReplaceResolvConf("nameserver 127.0.0.99\n").ok());
  }

  // Runs `dnsbl COMMAND --catalog=... ARGS` and returns what it did.
  testing::CommandResult Dnsbl(const std::string& command,
                               std::vector<std::string> args) {
    std::vector<std::string> argv = {testing::RunfilePath("cli/dnsbl"), command,
                                     "--catalog=" + catalog_};
    argv.insert(argv.end(), args.begin(), args.end());
    absl::StatusOr<testing::CommandResult> r = testing::RunCommand(argv);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.value_or(testing::CommandResult());
  }

  std::vector<std::string> Direct(std::vector<std::string> more = {}) {
    std::vector<std::string> args = {
        "--resolution=direct", "--root_hints=" + world_->hints_path(),
        "--delegation_cache=none", "--format=json", "--nocontacts"};
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }

  // Checks that `report` says what the data says of its address, with the
  // evidence of a blocklist's own server.
  void ExpectTrue(const v1::Report& report) {
    const uint32_t ip = IpAddress::Parse(report.address())->ipv4();
    EXPECT_EQ(report.resolution(), v1::DIRECT);
    for (const char* zone : {"bl.example", "proxies.example"}) {
      const v1::ZoneResult* r = Result(report, zone);
      ASSERT_NE(r, nullptr) << zone;
      EXPECT_EQ(r->status(),
                TrulyListed(zone, ip) ? v1::LISTED : v1::NOT_LISTED)
          << report.address() << " " << zone << ": " << r->detail();
      EXPECT_THAT(r->server_name(), ::testing::EndsWith(".servers.example"));
      EXPECT_THAT(r->server_address(),
                  ::testing::AnyOf(testing::kBlocklistAddress1,
                                   testing::kBlocklistAddress2));
    }
  }

  std::unique_ptr<testing::Hierarchy> world_;
  std::string catalog_;
};

TEST_F(DirectTest, FindsListingsWithADeadSystemResolver) {
  StartWorld({});
  testing::CommandResult r =
      Dnsbl("check", Direct({"192.0.2.25", "192.0.2.70", "192.0.2.200"}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  std::vector<v1::Report> reports = ParseReports(r.out);
  ASSERT_EQ(reports.size(), 3u) << r.err;
  for (const v1::Report& report : reports) ExpectTrue(report);
  const v1::ZoneResult* listed = Result(reports[0], "bl.example");
  EXPECT_THAT(listed->txt(), ::testing::ElementsAre(
                                 "Listed: see http://bl.example/192.0.2.25"));
  EXPECT_EQ(reports[0].resolver(), "direct from " + world_->hints_path());

  // The text says who answered.
  r = Dnsbl("check", Direct({"--format=text", "192.0.2.25"}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("from each blocklist's own servers"));
  EXPECT_THAT(r.out, HasSubstr("answered by ns"));

  // Automatic resolution cannot tell a dead resolver from a cut-off
  // machine: it stays with the resolver, says so, and claims nothing.
  r = Dnsbl("check",
            {"--root_hints=" + world_->hints_path(), "--delegation_cache=none",
             "--format=json", "--nocontacts", "--timeout=300ms", "192.0.2.25"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_THAT(r.err, HasSubstr("for the root zone itself"));
  for (const v1::Report& report : ParseReports(r.out)) {
    EXPECT_EQ(report.resolution(), v1::RECURSIVE);
    for (const v1::ZoneResult& z : report.results()) {
      EXPECT_NE(z.status(), v1::NOT_LISTED) << z.zone();
      EXPECT_NE(z.status(), v1::LISTED) << z.zone();
    }
  }
}

TEST_F(DirectTest, AutomaticResolutionGoesDirectPastALyingResolver) {
  testing::HierarchyOptions options;
  options.unbound = true;
  StartWorld(options);
  // The system resolver sees the root but lies about the blocklists, as a
  // DNS firewall does.
  testing::FaultProxyOptions lie;
  lie.upstream_address = testing::kUnboundAddress;
  lie.upstream_port = 53;
  lie.listen_address = "127.0.0.54";
  lie.listen_port = 53;
  lie.lie_zones = {"bl.example", "proxies.example"};
  absl::StatusOr<std::unique_ptr<testing::FaultProxy>> liar =
      testing::FaultProxy::Start(lie);
  ASSERT_TRUE(liar.ok()) << liar.status();
  ASSERT_TRUE(testing::ReplaceResolvConf("nameserver 127.0.0.54\n").ok());

  // Through it, nothing can be seen (and nothing is called clean).
  testing::CommandResult through =
      Dnsbl("check", {"--resolution=recursive", "--format=json", "--nocontacts",
                      "192.0.2.25"});
  EXPECT_EQ(through.exit_code, 3) << through.err;
  for (const v1::Report& report : ParseReports(through.out)) {
    for (const v1::ZoneResult& z : report.results()) {
      EXPECT_EQ(z.health(), v1::NO_SUCH_ZONE) << z.zone();
    }
  }
  // Without flags but the lab's root: direct, and the truth.
  testing::CommandResult r =
      Dnsbl("check",
            {"--root_hints=" + world_->hints_path(), "--delegation_cache=none",
             "--format=json", "--nocontacts", "192.0.2.25", "192.0.2.90"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err, "");
  std::vector<v1::Report> reports = ParseReports(r.out);
  ASSERT_EQ(reports.size(), 2u);
  for (const v1::Report& report : reports) ExpectTrue(report);
}

// Thousands of addresses, direct and through unbound from the same root:
// the same verdicts, codes, reasons and health.
TEST_F(DirectTest, SameReportsAsThroughUnbound) {
  testing::HierarchyOptions options;
  options.unbound = true;
  StartWorld(options);
  const std::string input = TempPath("addresses.txt");
  std::ofstream(input) << "192.0.0.0/22\n";
  testing::CommandResult direct =
      Dnsbl("bulk", Direct({"--progress=never", "--txt", input}));
  ASSERT_EQ(direct.exit_code, 1) << direct.err;
  testing::CommandResult recursive =
      Dnsbl("bulk", {"--nameserver=" + world_->unbound_endpoint(),
                     "--progress=never", "--txt", input});
  ASSERT_EQ(recursive.exit_code, 1) << recursive.err;
  auto by_address = [](const std::string& out) {
    std::map<std::string, v1::Report> reports;
    for (v1::Report r : ParseReports(out)) {
      // What differs by path: time, the path itself, TTLs counted down
      // in unbound's cache.
      r.clear_started();
      r.clear_finished();
      r.clear_resolver();
      r.clear_resolution();
      for (v1::ZoneResult& z : *r.mutable_results()) {
        z.clear_latency_ms();
        z.clear_attempts();
        z.clear_ttl();
        z.clear_server_name();
        z.clear_server_address();
      }
      reports[r.address()] = r;
    }
    return reports;
  };
  std::map<std::string, v1::Report> a = by_address(direct.out);
  std::map<std::string, v1::Report> b = by_address(recursive.out);
  ASSERT_EQ(a.size(), 1024u);
  ASSERT_EQ(b.size(), 1024u);
  int differing = 0;
  int listed = 0;
  for (const auto& [address, report] : a) {
    std::string diff;
    google::protobuf::util::MessageDifferencer differ;
    differ.ReportDifferencesToString(&diff);
    if (!differ.Compare(report, b[address]) && ++differing <= 5) {
      ADD_FAILURE() << address << ":\n" << diff;
    }
    listed += report.summary().listed();
  }
  EXPECT_EQ(differing, 0);
  EXPECT_EQ(listed, 128);
}

TEST_F(DirectTest, ALameServerInTheTldsNsSetIsWalkedPast) {
  testing::HierarchyOptions options;
  options.lame_tld_server = true;
  StartWorld(options);
  for (int i = 0; i < 3; ++i) {
    testing::CommandResult r =
        Dnsbl("check", Direct({"192.0.2.25", "192.0.2.200"}));
    EXPECT_EQ(r.exit_code, 1) << r.err;
    for (const v1::Report& report : ParseReports(r.out)) ExpectTrue(report);
  }
}

TEST_F(DirectTest, ABlocklistServerDyingMidRunLosesNothing) {
  StartWorld({});
  const std::string input = TempPath("bulk.txt");
  std::ofstream(input) << "192.0.0.0/21\n";
  std::vector<std::string> argv = {testing::RunfilePath("cli/dnsbl"), "bulk",
                                   "--catalog=" + catalog_};
  for (const std::string& a :
       Direct({"--progress=never", "--max_qps=1500", input})) {
    argv.push_back(a);
  }
  // About 3 seconds of questions; the server dies after one.
  absl::StatusOr<testing::RunningCommand> run =
      testing::RunningCommand::Start(argv);
  ASSERT_TRUE(run.ok()) << run.status();
  absl::SleepFor(absl::Seconds(1));
  world_->StopBlocklistServer(1);
  testing::CommandResult r = run->Wait();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  std::vector<v1::Report> reports = ParseReports(r.out);
  ASSERT_EQ(reports.size(), 2048u);
  std::set<std::string> late_servers;
  for (size_t i = 0; i < reports.size(); ++i) {
    ExpectTrue(reports[i]);
    if (i + 200 >= reports.size()) {
      for (const v1::ZoneResult& z : reports[i].results()) {
        late_servers.insert(z.server_address());
      }
    }
  }
  // The last reports all came from the server still up.
  EXPECT_EQ(late_servers, std::set<std::string>{testing::kBlocklistAddress2});
}

TEST_F(DirectTest, WithNoRootAnsweringNothingIsCalledClean) {
  testing::HierarchyOptions options;
  options.unbound = true;
  StartWorld(options);
  const std::string dead_hints = TempPath("dead.hints");
  std::ofstream(dead_hints) << ". NS a.root-lab.\na.root-lab. A 127.0.0.98\n";
  // Direct, asked for: every zone unusable, exit 3.
  testing::CommandResult r =
      Dnsbl("check", {"--resolution=direct", "--root_hints=" + dead_hints,
                      "--delegation_cache=none", "--format=json",
                      "--nocontacts", "--timeout=500ms", "192.0.2.25"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  std::vector<v1::Report> reports = ParseReports(r.out);
  ASSERT_EQ(reports.size(), 1u);
  for (const v1::ZoneResult& z : reports[0].results()) {
    EXPECT_NE(z.status(), v1::NOT_LISTED) << z.zone();
    EXPECT_NE(z.status(), v1::LISTED) << z.zone();
    EXPECT_THAT(z.detail(), HasSubstr("own servers were not found"));
  }
  // Automatic: the system resolver (unbound) sees the internet, the
  // blocklists' root does not answer: one warning, then through the
  // resolver, which finds the listing.
  ASSERT_TRUE(testing::ReplaceResolvConf(
                  absl::StrCat("nameserver ", testing::kUnboundAddress, "\n"))
                  .ok());
  const std::string cache = TempPath("root-unreachable.cache");
  r = Dnsbl("check",
            {"--root_hints=" + dead_hints, "--delegation_cache=" + cache,
             "--format=json", "--nocontacts", "--timeout=500ms", "192.0.2.25"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  std::vector<std::string> warnings =
      absl::StrSplit(r.err, '\n', absl::SkipEmpty());
  ASSERT_EQ(warnings.size(), 1u) << r.err;
  EXPECT_THAT(warnings[0], HasSubstr("no root server"));
  reports = ParseReports(r.out);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].resolution(), v1::RECURSIVE);
  EXPECT_EQ(Result(reports[0], "bl.example")->status(), v1::LISTED);
  // Remembered: the next run does not wait on the root again.
  const absl::Time start = absl::Now();
  r = Dnsbl("check",
            {"--root_hints=" + dead_hints, "--delegation_cache=" + cache,
             "--format=json", "--nocontacts", "--timeout=500ms", "192.0.2.25"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("not tried again until"));
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
}

// A DNS server that answers every question with a referral for bl.evil to
// ns1.servers.example, with glue that points at a liar: out of bailiwick
// (servers.example is not under evil.), so it must not be used.
class LyingReferralServer {
 public:
  static std::unique_ptr<LyingReferralServer> Start(const std::string& address,
                                                    const std::string& liar) {
    absl::StatusOr<int> fd = testing::BindUdp(address, 53, false);
    if (!fd.ok()) return nullptr;
    auto server = std::make_unique<LyingReferralServer>();
    server->fd_ = *fd;
    timeval tv{0, 100000};
    setsockopt(*fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    server->thread_ = std::thread(
        [s = server.get(), address, liar] { s->Serve(address, liar); });
    return server;
  }
  ~LyingReferralServer() {
    stop_ = true;
    thread_.join();
    close(fd_);
  }

 private:
  void Serve(const std::string& address, const std::string& liar) {
    while (!stop_) {
      uint8_t buffer[1500];
      sockaddr_storage from{};
      socklen_t from_len = sizeof(from);
      ssize_t n = recvfrom(fd_, buffer, sizeof(buffer), 0,
                           reinterpret_cast<sockaddr*>(&from), &from_len);
      if (n <= 0) continue;
      absl::StatusOr<DnsMessage> query =
          ParseDnsMessage(absl::MakeConstSpan(buffer, static_cast<size_t>(n)));
      if (!query.ok() || query->questions.empty()) continue;
      DnsMessage answer;
      answer.id = query->id;
      answer.response = true;
      answer.questions = query->questions;
      const std::string& name = query->questions[0].name;
      if (NameAtOrBelow(name, "bl.evil")) {
        answer.authority = {
            testing::Record("bl.evil", kDnsNs, 3600, "ns1.servers.example")};
        answer.additional = {
            testing::Record("ns1.servers.example", kDnsA, 3600, liar)};
      } else if (name == "ns.evil" && query->questions[0].type == kDnsA) {
        answer.authoritative = true;
        answer.answers = {testing::Record("ns.evil", kDnsA, 3600, address)};
      } else if (name == "evil" && query->questions[0].type == kDnsNs) {
        answer.authoritative = true;
        answer.answers = {testing::Record("evil", kDnsNs, 3600, "ns.evil")};
      } else {
        answer.authoritative = true;
        answer.rcode = kRcodeNxDomain;
        answer.authority = {testing::Record("evil", kDnsSoa, 300, "ns.evil")};
      }
      std::vector<uint8_t> bytes = testing::EncodeDnsMessage(answer);
      sendto(fd_, bytes.data(), bytes.size(), 0,
             reinterpret_cast<sockaddr*>(&from), from_len);
    }
  }

  int fd_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST_F(DirectTest, OutOfBailiwickGlueIsNotUsed) {
  testing::HierarchyOptions options;
  options.blocklists = {{"bl.example", "ip4set", kBl},
                        {"proxies.example", "ip4set", kProxies},
                        {"bl.evil", "ip4set", kBl}};
  options.undelegated = {"bl.evil"};
  options.extra_root_records = "evil. NS ns.evil.\nns.evil. A 127.0.0.14\n";
  StartWorld(options);
  std::unique_ptr<LyingReferralServer> evil =
      LyingReferralServer::Start("127.0.0.14", "127.0.0.66");
  ASSERT_NE(evil, nullptr);
  // The liar lists everything but the health probes' addresses.
  absl::StatusOr<std::unique_ptr<testing::RbldnsdServer>> liar =
      testing::RbldnsdServer::StartAt(
          "127.0.0.66", 53,
          {{"bl.evil", "ip4set",
            testing::Hierarchy::WithSoaAndNs("bl.evil",
                                             ":127.0.0.2:Lie\n0.0.0.0/1\n"
                                             "128.0.0.0/1\n!127.0.0.1\n"
                                             "!192.0.2.0/24\n!198.51.100.0/"
                                             "24\n!203.0.113.0/24\n",
                                             3600)}});
  ASSERT_TRUE(liar.ok()) << liar.status();
  std::ofstream(catalog_) << Catalog({"bl.evil"});
  testing::CommandResult r = Dnsbl("check", Direct({"192.0.2.25", "10.1.2.3"}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  std::vector<v1::Report> reports = ParseReports(r.out);
  ASSERT_EQ(reports.size(), 2u) << r.err;
  const v1::ZoneResult* listed = Result(reports[0], "bl.evil");
  EXPECT_EQ(listed->status(), v1::LISTED) << listed->detail();
  EXPECT_NE(listed->server_address(), "127.0.0.66");
  const v1::ZoneResult* clean = Result(reports[1], "bl.evil");
  EXPECT_EQ(clean->status(), v1::NOT_LISTED) << clean->detail();
  EXPECT_NE(clean->server_address(), "127.0.0.66");
  EXPECT_THAT(clean->server_address(),
              ::testing::AnyOf(testing::kBlocklistAddress1,
                               testing::kBlocklistAddress2));
}

TEST_F(DirectTest, GluelessLoopingAndMissingZones) {
  testing::HierarchyOptions options;
  options.blocklists = {{"bl.example", "ip4set", kBl},
                        {"proxies.example", "ip4set", kProxies},
                        {"noglue.example", "ip4set",
                         absl::StrCat("$NS 3600 ns.helper.example.\n", kBl)}};
  // noglue.example's server is named in another zone, which must be asked
  // for its address; loopa/loopb name each other's servers.
  options.extra_example_records =
      "noglue.example. NS ns.helper.example.\n"
      "helper.example. NS ns.nic.example.\n"
      "loopa.example. NS ns.loopb.example.\n"
      "loopb.example. NS ns.loopa.example.\n";
  options.extra_tld_zones = {
      {"helper.example.", testing::ZoneHeader("helper.example.") +
                              "helper.example. NS ns.nic.example.\n"
                              "ns.helper.example. A " +
                              testing::kBlocklistAddress2 + "\n"}};
  StartWorld(options);
  std::ofstream(catalog_) << Catalog(
      {"noglue.example", "loopa.example", "gone.example"});
  const absl::Time start = absl::Now();
  testing::CommandResult r =
      Dnsbl("check", Direct({"--timeout=1s", "192.0.2.25"}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_LT(absl::Now() - start, absl::Seconds(30));
  std::vector<v1::Report> reports = ParseReports(r.out);
  ASSERT_EQ(reports.size(), 1u) << r.err;
  const v1::ZoneResult* noglue = Result(reports[0], "noglue.example");
  EXPECT_EQ(noglue->status(), v1::LISTED) << noglue->detail();
  EXPECT_EQ(noglue->server_name(), "ns.helper.example");
  EXPECT_EQ(noglue->server_address(), testing::kBlocklistAddress2);
  // A referral loop: the zone's servers cannot be found. An error.
  const v1::ZoneResult* loop = Result(reports[0], "loopa.example");
  EXPECT_NE(loop->status(), v1::NOT_LISTED);
  EXPECT_NE(loop->status(), v1::LISTED);
  // A zone that does not exist: as its TLD says, NXDOMAIN.
  const v1::ZoneResult* gone = Result(reports[0], "gone.example");
  EXPECT_EQ(gone->health(), v1::NO_SUCH_ZONE) << gone->detail();
  EXPECT_EQ(gone->status(), v1::SKIPPED);
}

TEST_F(DirectTest, ADelegationThatMovesIsFollowedWhenItsTtlRunsOut) {
  testing::HierarchyOptions options;
  options.blocklists = {{"bl.example", "ip4set", kBl},
                        {"proxies.example", "ip4set", kProxies}};
  options.ttl = 3;
  StartWorld(options);
  // Two more servers of bl.example's data; the TLD first sends askers to
  // 127.0.0.30, later to 127.0.0.31.
  std::vector<std::unique_ptr<testing::RbldnsdServer>> movers;
  for (const char* address : {"127.0.0.30", "127.0.0.31"}) {
    absl::StatusOr<std::unique_ptr<testing::RbldnsdServer>> s =
        testing::RbldnsdServer::StartAt(
            address, 53,
            {{"moving.example", "ip4set",
              absl::StrCat("$SOA 3 ns.movers.example. h.moving.example. 1 "
                           "600 300 86400 3\n$NS 3 ns.movers.example.\n",
                           kBl)}},
            3);
    ASSERT_TRUE(s.ok()) << s.status();
    movers.push_back(*std::move(s));
  }
  auto delegation = [](const char* address) {
    return absl::StrCat("moving.example. 3 NS ns.movers.example.\n",
                        "ns.movers.example. 3 A ", address, "\n");
  };
  ASSERT_TRUE(world_->RestartTld(delegation("127.0.0.30")).ok());
  std::ofstream(catalog_) << Catalog({"moving.example"});
  const std::string input = TempPath("moving.txt");
  std::ofstream(input) << "192.0.2.0/24\n10.0.0.0/24\n";
  std::vector<std::string> argv = {testing::RunfilePath("cli/dnsbl"), "bulk",
                                   "--catalog=" + catalog_};
  // About 10 seconds at 60 questions a second.
  for (const std::string& a :
       Direct({"--progress=never", "--max_qps=60", "--notxt", input})) {
    argv.push_back(a);
  }
  absl::StatusOr<testing::RunningCommand> run =
      testing::RunningCommand::Start(argv);
  ASSERT_TRUE(run.ok());
  absl::SleepFor(absl::Seconds(3));
  ASSERT_TRUE(world_->RestartTld(delegation("127.0.0.31")).ok());
  // Once every TTL has run out, the old server goes.
  absl::SleepFor(absl::Seconds(5));
  movers[0].reset();
  testing::CommandResult r = run->Wait();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  std::vector<v1::Report> reports = ParseReports(r.out);
  ASSERT_EQ(reports.size(), 512u);
  std::map<std::string, int> servers;
  for (const v1::Report& report : reports) {
    const uint32_t ip = IpAddress::Parse(report.address())->ipv4();
    const v1::ZoneResult* z = Result(report, "moving.example");
    EXPECT_EQ(z->status(),
              TrulyListed("bl.example", ip) ? v1::LISTED : v1::NOT_LISTED)
        << report.address() << ": " << z->detail();
    ++servers[z->server_address()];
  }
  EXPECT_GT(servers["127.0.0.30"], 0);
  EXPECT_GT(servers["127.0.0.31"], 0);
  EXPECT_EQ(servers.size(), 2u);
}

// Who to notify comes the same way: Team Cymru's and Abusix's zones from
// their own servers, found from the root.
TEST_F(DirectTest, ContactSourcesAreAskedDirectlyToo) {
  testing::HierarchyOptions options;
  options.blocklists = {
      {"bl.example", "ip4set", kBl},
      {"proxies.example", "ip4set", kProxies},
      {"asn.cymru.com", "generic",
       "AS64500 TXT \"64500 | ZZ | ripencc | 2004-01-01 | EXAMPLE-AS "
       "Example Hosting, ZZ\"\n"},
      {"origin.asn.cymru.com", "ip4trie",
       "192.0.2.0/24 :127.0.0.2:64500 | 192.0.2.0/24 | ZZ | ripencc | "
       "2004-01-01\n"},
      {"abuse-contacts.abusix.zone", "ip4trie",
       "192.0.2.0/24 :127.0.0.2:abuse@hosting.example\n"}};
  StartWorld(options);
  std::vector<std::string> args =
      Direct({"--contact_sources=cymru,abusix", "192.0.2.25"});
  args.erase(std::find(args.begin(), args.end(), "--nocontacts"));
  testing::CommandResult r = Dnsbl("check", args);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  std::vector<v1::Report> reports = ParseReports(r.out);
  ASSERT_EQ(reports.size(), 1u) << r.err;
  ExpectTrue(reports[0]);
  ASSERT_EQ(reports[0].networks_size(), 1);
  EXPECT_EQ(reports[0].networks(0).asn(), 64500u);
  EXPECT_EQ(reports[0].networks(0).as_name(), "EXAMPLE-AS Example Hosting, ZZ");
  ASSERT_EQ(reports[0].contacts_size(), 1);
  EXPECT_EQ(reports[0].contacts(0).email(), "abuse@hosting.example");
}

TEST_F(DirectTest, TheCacheSparesTheRootAndADamagedOneIsIgnored) {
  StartWorld({});
  const std::string cache = TempPath("delegations");
  std::ofstream(cache) << "format: \"dnsbl delegation cache 1\"\n{{{";
  std::vector<std::string> args = Direct({"192.0.2.25"});
  args.push_back("--delegation_cache=" + cache);  // The last one counts.
  testing::CommandResult r = Dnsbl("check", args);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("delegation cache is damaged"));
  EXPECT_THAT(r.err, HasSubstr("ignored"));
  ExpectTrue(ParseReports(r.out).at(0));
  absl::StatusOr<DelegationCacheContents> saved = ReadDelegationCache(
      cache,
      RootHints::Parse(testing::Hierarchy::RootHintsText(), "x")->Fingerprint(),
      absl::Now());
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_EQ(saved->delegations.size(), 2u);
  // With the root gone, the cache still knows every zone's servers.
  world_->StopRoot();
  r = Dnsbl("check", args);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err, "");
  ExpectTrue(ParseReports(r.out).at(0));
}

}  // namespace
}  // namespace dnsbl

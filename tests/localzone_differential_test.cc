// Local zone data against rbldnsd, the reference: for every dataset type,
// the same file is served by rbldnsd on loopback and read directly with
// --zone_data, and `dnsbl bulk` checks thousands of random and boundary
// addresses both ways. The reports must be identical except for timings
// and the field naming the data file: same status, codes, TXT, TTL and
// zone health. The files hold every edge case of `man rbldnsd` we could
// find (prefix and range forms, suffix ranges, overlaps, exclusions inside
// ranges, /8 and large ranges, IPv6 prefixes and "::", per-entry values,
// "$", "$n", "$$" and "$=" in TXT, empty TXT, comments, malformed lines),
// plus random entries.

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "dnsbl/dnsbl.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/differential.h"
#include "tests/rbldnsd_server.h"
#include "tests/subprocess.h"

namespace dnsbl {
namespace {

constexpr char kCatalog[] = R"pb(
  zone {
    name: "s4.test"
    ipv4: true
    code { value: "127.0.0.2" category: SPAM_SOURCE }
    code { value: "127.0.0.3" category: OPEN_RELAY }
    default_category: OTHER
  }
  zone { name: "t4.test" ipv4: true default_category: OPEN_PROXY }
  zone { name: "r4.test" ipv4: true default_category: EXPLOITED }
  zone { name: "r6.test" ipv6: true default_category: SPAM_SOURCE }
  zone { name: "t6.test" ipv6: true default_category: OPEN_PROXY }
  zone { name: "c46.test" ipv4: true ipv6: true default_category: OTHER }
  zone { name: "c44.test" ipv4: true default_category: OTHER }
)pb";

// The host bits of a /len (none for a /32: a shift by 32 is undefined).
uint32_t HostBits(int len) { return len >= 32 ? 0u : 0xffffffffu >> len; }

std::string Ip4(uint32_t a) {
  return absl::StrFormat("%d.%d.%d.%d", a >> 24, (a >> 16) & 255,
                         (a >> 8) & 255, a & 255);
}

std::string Ip6(uint64_t hi, uint64_t lo) {
  return IpAddress::FromValue(IpAddress::Family::kIpv6,
                              absl::MakeUint128(hi, lo))
      .ToString();
}

// The data files and the addresses worth asking about.
struct Bed {
  std::string s4, t4, r4, r6, t6;
  // With s4, a second IPv4 dataset of one zone: overlapping entries, its
  // own exclusions, values equal to s4's and not, another TTL.
  std::string o4;
  std::set<std::string> addresses;
};

Bed MakeBed() {
  Bed bed;
  // DNSBL_DIFF_SEED explores other beds; the default keeps CI repeatable.
  const char* seed = std::getenv("DNSBL_DIFF_SEED");
  std::mt19937 rng(seed != nullptr ? std::atoi(seed) : 20261201);
  auto rnd = [&](uint32_t n) {
    return std::uniform_int_distribution<uint32_t>(0, n - 1)(rng);
  };
  auto ask4 = [&](uint32_t a) {
    for (int64_t d : {-1, 0, 1}) {
      const int64_t v = static_cast<int64_t>(a) + d;
      if (v >= 0 && v <= 0xffffffffLL) bed.addresses.insert(Ip4(v));
    }
  };
  // ip4set: the manual's forms and values, then random ranges in 10/8.
  std::string s4 =
      "# comment\n; comment\n$TTL 30m\n$1 http://s4.test/why\n"
      ":127.0.0.2:Listed: $ see $1/$\n"
      "127.0.0.2\n"
      "10.0.0.0/24\n10.1.0 :3:relay at $, $$5 fee\n10/8 :4:\n"
      "10.2.0.1-255\n10.16-31 text only for $\n10.3.0.0-10.3.1.127\n"
      "!10.2.0.77\n!10.16.5.5 ignored value\n"
      "10.40.0.1 :127.0.0.5\n10.40.0.1 :127.0.0.6:two values\n"
      "10.41.0.0/16 :2:=no base here $\n"
      "10.42.1.1 $7 unset var\n"
      "bogus line\n10.50.0.1/24\n300.1.2.3\n10.51.0.1\r\n"
      "10.52.0.9 # comment: default\n";
  for (uint32_t a :
       {0x0a000000u, 0x0a0000ffu, 0x0a010000u, 0x0a0100ffu, 0x0a020001u,
        0x0a02004du, 0x0a100000u, 0x0a1fffffu, 0x0a030000u, 0x0a03017fu,
        0x0a280001u, 0x0a290000u, 0x0a2a0101u, 0x0a320001u, 0x0a330001u,
        0x0a340009u, 0x0a105505u, 0x7f000002u, 0x7f000001u}) {
    ask4(a);
  }
  for (int i = 0; i < 150; ++i) {
    const uint32_t base = 0x0a000000u | (rnd(1 << 16) << 8);
    switch (rnd(4)) {
      case 0: {
        const int len = 16 + static_cast<int>(rnd(17));
        const uint32_t net = base & ~HostBits(len);
        absl::StrAppend(&s4, Ip4(net), "/", len, i % 3 ? "" : " :3:r$", "\n");
        ask4(net);
        ask4(net | HostBits(len));
        break;
      }
      case 1: {
        const uint32_t a = base | rnd(256);
        const uint32_t b = a + rnd(2000);
        absl::StrAppend(&s4, Ip4(a), "-", Ip4(b), "\n");
        ask4(a);
        ask4(b);
        break;
      }
      case 2: {
        const uint32_t a = base | rnd(256);
        absl::StrAppend(&s4, "!", Ip4(a), "\n");
        ask4(a);
        break;
      }
      default: {
        const uint32_t a = base | rnd(256);
        absl::StrAppend(&s4, Ip4(a), " entry ", i, " for $\n");
        ask4(a);
      }
    }
  }
  bed.s4 = s4;

  std::string o4 =
      "$TTL 10m\n:127.0.0.2:Listed: $ see $1/$\n10.0.0.0/25\n"
      "!10.0.0.7\n10.1.0.0/24 :3:relay at $, $$5 fee\n10.2.0.77\n"
      "10.40.0.0/16 :127.0.0.6:two values\n10.16.5.5 :8:other\n";
  for (int i = 0; i < 100; ++i) {
    const uint32_t base = 0x0a000000u | (rnd(1 << 16) << 8);
    const int len = 20 + static_cast<int>(rnd(13));
    const uint32_t net = base & ~HostBits(len);
    absl::StrAppend(&o4, rnd(4) == 0 ? "!" : "", Ip4(net), "/", len,
                    rnd(2) ? absl::StrCat(" :", 2 + rnd(3), ":o", i) : "",
                    "\n");
    ask4(net);
    ask4(net | HostBits(len));
  }
  bed.o4 = o4;

  // ip4tset: full addresses only, the first default wins.
  std::string t4 = ":5:proxy $\n:6:second default ignored\n198.18.2\n";
  for (int i = 0; i < 200; ++i) {
    const uint32_t a = 0xc6120200u + rnd(512);  // 198.18.2.0/23
    absl::StrAppend(&t4, Ip4(a), i % 7 ? "" : " value ignored", "\n");
    ask4(a);
  }
  bed.t4 = t4;

  // ip4trie: CIDRs, longest prefix wins, exclusions, duplicates.
  std::string r4 =
      "$SOA 0 ns.r4.test. admin.r4.test. 0 2h 2h 1w 1h\n"
      ":127.0.0.9:trie $\n172.16.0.0/12\n172.16.0.0/16 :10:inner\n"
      "!172.16.5.0/24\n172.16.5.128/25 :11:\n172.16.0.0/16 :12:dup\n"
      "172.17.0.1/16\n172.18.0\n0.0.0.0/0 :13:everything\n"
      // The health probes' addresses stay unlisted: a /0 would otherwise
      // make the zone a wildcard.
      "!127.0.0.0/8\n!192.0.2.0/24\n!198.51.100.0/24\n!203.0.113.0/24\n";
  for (uint32_t a :
       {0xac100000u, 0xac10ffffu, 0xac100500u, 0xac100580u, 0xac1005ffu,
        0xac1fffffu, 0xac110001u, 0xac120001u, 0x01020304u}) {
    ask4(a);
  }
  for (int i = 0; i < 150; ++i) {
    const int len = 8 + static_cast<int>(rnd(25));
    const uint32_t a = 0xac000000u | (rnd(1u << 24) & ~HostBits(len));
    absl::StrAppend(&r4, rnd(5) == 0 ? "!" : "", Ip4(a), "/", len,
                    rnd(2) ? absl::StrCat(" :", 20 + rnd(20), ":n", i) : "",
                    "\n");
    ask4(a);
    ask4(a | HostBits(len));
  }
  bed.r4 = r4;

  // ip6trie: the manual's example and random prefixes in 2a02:db8::/32
  // (not the documentation prefix, where the health probes ask).
  std::string r6 =
      ":127.0.1.2: Listed, see http://example.com/lookup?$\n"
      "2001:21ab:c000/36\n"
      "2001:21ab:def7:4242 :127.0.1.3: This one smells funny\n"
      "2605:6001:42::/52\n::1\n!2605:6001:42::bead\n"
      "2a02:db8::/32 :127.0.1.4:\n2a02:db8:1::/48 :5:x$x\n";
  for (const char* a :
       {"2001:21ab:c000::", "2001:21ab:cfff:ffff:ffff:ffff:ffff:ffff",
        "2001:21ab:bfff:ffff:ffff:ffff:ffff:ffff", "2001:21ab:def7:4242::1",
        "2605:6001:42::bead", "2605:6001:42::beef", "::1", "::2",
        "2a02:db8::", "2a02:db8:1::1", "2a02:db9::1"}) {
    bed.addresses.insert(a);
  }
  for (int i = 0; i < 100; ++i) {
    const int len = 33 + static_cast<int>(rnd(96));
    uint64_t hi = 0x2a020db800000000ull | rnd(1u << 31);
    const absl::uint128 mask =
        len >= 128 ? ~absl::uint128(0) : ~(~absl::uint128(0) >> len);
    const absl::uint128 v =
        absl::MakeUint128(hi, (uint64_t{rnd(1u << 31)} << 32) | rnd(1u << 31)) &
        mask;
    const IpAddress net = IpAddress::FromValue(IpAddress::Family::kIpv6, v);
    absl::StrAppend(&r6, rnd(5) == 0 ? "!" : "", net.ToString(), "/", len,
                    rnd(2) ? absl::StrCat(" :", 30 + rnd(20), ":six $") : "",
                    "\n");
    bed.addresses.insert(net.ToString());
    bed.addresses.insert(
        IpAddress::FromValue(IpAddress::Family::kIpv6, v | ~mask).ToString());
  }
  bed.r6 = r6;

  // ip6tset: /64s as four words, /128 exclusions.
  std::string t6 =
      ":7:tset $\n2001:20fe:23:41ed\n!2001:20fe:23:41ed::2\n"
      "2001:db8::/64\n2001:20fe:23:41ee::1\n";
  bed.addresses.insert("2001:20fe:23:41ed::1");
  bed.addresses.insert("2001:20fe:23:41ed::2");
  bed.addresses.insert("2001:20fe:23:41ee::1");
  for (int i = 0; i < 100; ++i) {
    const uint64_t hi = 0x2a020db8ff000000ull | rnd(1u << 20);
    const std::string net = Ip6(hi, 0);
    std::vector<std::string> words = absl::StrSplit(
        absl::StrFormat("%x:%x:%x:%x", hi >> 48, (hi >> 32) & 0xffff,
                        (hi >> 16) & 0xffff, hi & 0xffff),
        ':');
    absl::StrAppend(&t6, absl::StrJoin(words, ":"), "\n");
    const uint64_t lo = (uint64_t{rnd(1u << 30)} << 32) | rnd(1u << 30);
    if (rnd(3) == 0) absl::StrAppend(&t6, "!", Ip6(hi, lo), "\n");
    bed.addresses.insert(Ip6(hi, lo));
    bed.addresses.insert(Ip6(hi, lo + 1));
    bed.addresses.insert(Ip6(hi + 1, 0));
  }
  bed.t6 = t6;
  return bed;
}

TEST(LocalZoneDifferentialTest, SameReportsAsRbldnsdForEveryDatasetType) {
  const Bed bed = MakeBed();
  // Every type, and two zones served from two datasets each (rbldnsd's
  // "zone:type:file" given twice for one zone): an IPv4 set with an IPv6
  // trie, and two overlapping IPv4 datasets.
  const std::vector<testing::ZoneData> datasets = {
      {"s4.test", "ip4set", bed.s4},   {"t4.test", "ip4tset", bed.t4},
      {"r4.test", "ip4trie", bed.r4},  {"r6.test", "ip6trie", bed.r6},
      {"t6.test", "ip6tset", bed.t6},  {"c46.test", "ip4set", bed.s4},
      {"c46.test", "ip6trie", bed.r6}, {"c44.test", "ip4set", bed.s4},
      {"c44.test", "ip4trie", bed.o4}};
  absl::StatusOr<std::unique_ptr<testing::RbldnsdServer>> server =
      testing::RbldnsdServer::Start(datasets, /*default_ttl=*/0);
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string dir = std::getenv("TEST_TMPDIR");
  std::vector<std::string> zone_data;
  for (size_t i = 0; i < datasets.size(); ++i) {
    const testing::ZoneData& d = datasets[i];
    const std::string path = absl::StrCat(dir, "/", d.zone, ".", i, ".data");
    std::ofstream(path, std::ios::binary) << d.contents;
    zone_data.push_back(
        absl::StrCat("--zone_data=", d.zone, ":", d.type, ":", path));
  }
  const std::string catalog = dir + "/differential.textproto";
  std::ofstream(catalog) << kCatalog;
  const std::string input = dir + "/differential-input.txt";
  {
    std::ofstream in(input);
    for (const std::string& a : bed.addresses) in << a << "\n";
  }
  const std::map<std::string, v1::Report> dns = testing::ComparableBulkReports(
      {"--catalog=" + catalog, "--nameserver=" + (*server)->endpoint()}, input);
  zone_data.push_back("--catalog=" + catalog);
  const std::map<std::string, v1::Report> local =
      testing::ComparableBulkReports(testing::LocalOnly(zone_data), input);

  ASSERT_EQ(dns.size(), bed.addresses.size());
  ASSERT_EQ(local.size(), bed.addresses.size());
  int listed = 0;
  int not_listed = 0;
  for (const auto& [address, want] : dns) {
    for (const v1::ZoneResult& z : want.results()) {
      if (z.status() == v1::LISTED) ++listed;
      if (z.status() == v1::NOT_LISTED) ++not_listed;
    }
  }
  const int differing = testing::CountDifferences(dns, local);
  EXPECT_EQ(differing, 0) << "of " << dns.size() << " addresses";
  // The combined zones answer from both their datasets: some addresses
  // carry two values, and IPv6 addresses are listed in c46.test.
  int combined_two_values = 0;
  int combined_v6 = 0;
  for (const auto& [address, report] : local) {
    for (const v1::ZoneResult& z : report.results()) {
      if (z.zone() == "c44.test" && z.codes_size() >= 2) ++combined_two_values;
      if (z.zone() == "c46.test" && z.status() == v1::LISTED &&
          absl::StrContains(address, ':')) {
        ++combined_v6;
      }
    }
  }
  EXPECT_GT(combined_two_values, 10);
  EXPECT_GT(combined_v6, 10);
  // The bed exercises both outcomes plentifully.
  EXPECT_GT(listed, 500);
  EXPECT_GT(not_listed, 500);
  std::cout << "compared " << dns.size() << " addresses: " << listed
            << " listings, " << not_listed << " not listed, " << differing
            << " differing\n";
}

}  // namespace
}  // namespace dnsbl

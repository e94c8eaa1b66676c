// Real blocklist data, as operators publish it for rbldnsd
// (../shared/real-data/rbldnsd: UCEPROTECT levels 1 and 2, whitelisted.org,
// backscatterer.org, PSBL, Team Cymru's full bogons, an ASN trie), served
// by rbldnsd and read directly with --zone_data: `dnsbl bulk` must give
// identical reports both ways for addresses taken from the files (each
// entry's ends and neighbours). Over DNS this holds only with EDNS: an
// address in nested UCEPROTECT level-2 networks has three long TXT
// reasons, and rbldnsd leaves out what does not fit in 512 bytes without
// setting TC.

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "dnsbl/dnsbl.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/differential.h"
#include "tests/rbldnsd_server.h"
#include "tests/subprocess.h"

namespace dnsbl {
namespace {

struct RealZone {
  const char* zone;
  const char* type;
  const char* file;  // Under real-data/rbldnsd/.
  bool ipv6;
};

constexpr RealZone kZones[] = {
    {"dnsbl-1.uceprotect.test", "ip4set", "uceprotect-dnsbl-1.ip4set", false},
    {"dnsbl-2.uceprotect.test", "ip4set", "uceprotect-dnsbl-2.ip4set", false},
    {"ips.whitelisted.test", "ip4set", "whitelisted-org.ip4set", false},
    {"ips.backscatterer.test", "ip4set", "backscatterer-org.ip4set", false},
    {"psbl.test", "ip4tset", "psbl.ip4tset", false},
    {"bogons4.test", "ip4trie", "cymru-fullbogons-ipv4.ip4trie", false},
    {"bogons6.test", "ip6trie", "cymru-fullbogons-ipv6-head.ip6trie", true},
    {"asn6.test", "ip6trie", "litetex-asn6-head.ip6trie", true},
};

// At most this many entries of each file give addresses to ask.
constexpr int kEntriesPerFile = 400;

std::string RealDataPath(const std::string& relative) {
  return absl::StrCat(std::getenv("TEST_SRCDIR"), "/dnsbl_real_data/",
                      relative);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void AddWithNeighbours(const IpAddress& ip, std::set<std::string>& out) {
  const absl::uint128 v = ip.value();
  out.insert(ip.ToString());
  if (v > 0) out.insert(IpAddress::FromValue(ip.family(), v - 1).ToString());
  out.insert(IpAddress::FromValue(ip.family(), v + 1).ToString());
}

// The addresses an entry of an rbldnsd data line names: both ends of a
// network or range, and the neighbours of each.
void AddressesOfEntry(absl::string_view entry, std::set<std::string>& out) {
  absl::ConsumePrefix(&entry, "!");
  std::vector<absl::string_view> ends = absl::StrSplit(entry, '-');
  for (absl::string_view end : ends) {
    std::string text(end);
    // rbldnsd's short forms: "10.1.2" is 10.1.2.0/24.
    if (text.find(':') == std::string::npos && text.find('/') == text.npos &&
        std::count(text.begin(), text.end(), '.') == 2) {
      text += ".0/24";
    }
    absl::StatusOr<IpRange> range = IpRange::Parse(text);
    if (!range.ok()) continue;
    AddWithNeighbours(range->first, out);
    AddWithNeighbours(range->last, out);
  }
}

std::set<std::string> SampleAddresses(const std::string& text) {
  std::vector<absl::string_view> entries;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripLeadingAsciiWhitespace(line);
    if (line.empty() || line[0] == '#' || line[0] == ';' || line[0] == '$' ||
        line[0] == ':') {
      continue;
    }
    entries.push_back(line.substr(0, line.find_first_of(" \t\r")));
  }
  std::set<std::string> out;
  const size_t step = std::max<size_t>(1, entries.size() / kEntriesPerFile);
  for (size_t i = 0; i < entries.size(); i += step) {
    AddressesOfEntry(entries[i], out);
  }
  return out;
}

TEST(RealDataDifferentialTest, DnsAndLocalPathsGiveIdenticalReports) {
  const std::string missing = ReadFile(RealDataPath("MISSING"));
  ASSERT_TRUE(missing.empty()) << missing;
  const std::string dir = std::getenv("TEST_TMPDIR");
  std::vector<testing::ZoneData> datasets;
  std::vector<std::string> zone_data;
  std::string catalog;
  std::set<std::string> addresses;
  for (const RealZone& z : kZones) {
    const std::string path = RealDataPath(absl::StrCat("rbldnsd/", z.file));
    const std::string text = ReadFile(path);
    ASSERT_FALSE(text.empty()) << path;
    datasets.push_back({z.zone, z.type, text});
    zone_data.push_back(
        absl::StrCat("--zone_data=", z.zone, ":", z.type, ":", path));
    absl::StrAppend(&catalog, "zone { name: \"", z.zone, "\" ",
                    z.ipv6 ? "ipv6: true" : "ipv4: true",
                    " default_category: OTHER }\n");
    std::set<std::string> sample = SampleAddresses(text);
    addresses.insert(sample.begin(), sample.end());
  }
  absl::StatusOr<std::unique_ptr<testing::RbldnsdServer>> server =
      testing::RbldnsdServer::Start(datasets, /*default_ttl=*/0);
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string catalog_path = dir + "/real.textproto";
  std::ofstream(catalog_path) << catalog;
  const std::string input = dir + "/real-input.txt";
  {
    std::ofstream in(input);
    for (const std::string& a : addresses) in << a << "\n";
  }
  // Whether the test points are listed is not what is compared.
  const std::vector<std::string> common = {"--nohealth_check",
                                           "--catalog=" + catalog_path};
  std::vector<std::string> dns_args = common;
  dns_args.push_back("--nameserver=" + (*server)->endpoint());
  std::vector<std::string> local_args = common;
  local_args.insert(local_args.end(), zone_data.begin(), zone_data.end());
  const std::map<std::string, v1::Report> dns =
      testing::ComparableBulkReports(dns_args, input);
  const std::map<std::string, v1::Report> local =
      testing::ComparableBulkReports(testing::LocalOnly(local_args), input);

  ASSERT_EQ(dns.size(), addresses.size());
  ASSERT_EQ(local.size(), addresses.size());
  int listed = 0;
  int three_reasons = 0;
  for (const auto& [address, want] : dns) {
    for (const v1::ZoneResult& z : want.results()) {
      if (z.status() == v1::LISTED) ++listed;
      if (z.txt_size() >= 3) ++three_reasons;
    }
  }
  const int differing = testing::CountDifferences(dns, local);
  EXPECT_EQ(differing, 0) << "of " << dns.size() << " addresses";
  EXPECT_GT(listed, 1000);
  // The answers that need more than 512 bytes came whole over DNS.
  EXPECT_GT(three_reasons, 0);
  std::cout << "compared " << dns.size() << " addresses over "
            << std::size(kZones) << " real zones: " << listed << " listings, "
            << three_reasons << " with three or more TXT reasons, " << differing
            << " differing\n";
}

}  // namespace
}  // namespace dnsbl

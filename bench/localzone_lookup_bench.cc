// Lookups per second against a loaded data file, on one core: the local
// zone path's raw speed, without DNS, report encoding or output.
//
//   bazel run -c opt //bench:localzone_lookup_bench -- TYPE FILE [QUERIES]
//
// Prints one table row: entries, load time, memory held, lookups/s, and the
// share of queries found listed (half of the queries are taken from the
// file's own addresses, half are random, so both paths are measured).

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "dnsbl/base/address.h"
#include "dnsbl/base/clock.h"
#include "dnsbl/localzone/internal/zone_data.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s TYPE FILE [QUERIES]\n", argv[0]);
    return 2;
  }
  absl::StatusOr<dnsbl::DatasetType> type = dnsbl::ParseDatasetType(argv[1]);
  if (!type.ok()) {
    std::fprintf(stderr, "%s\n", std::string(type.status().message()).c_str());
    return 2;
  }
  const size_t queries =
      argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 20000000;
  const auto t0 = std::chrono::steady_clock::now();
  absl::StatusOr<std::shared_ptr<const dnsbl::ZoneData>> data =
      dnsbl::LoadZoneData(*type, {argv[2]}, dnsbl::Clock::Real()->Now());
  if (!data.ok()) {
    std::fprintf(stderr, "%s\n", std::string(data.status().message()).c_str());
    return 1;
  }
  const double load_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  // Query addresses: every other one read from the file's own lines.
  std::vector<dnsbl::IpAddress> pool;
  {
    std::ifstream in(argv[2]);
    std::string line;
    while (std::getline(in, line) && pool.size() < 1000000) {
      absl::StatusOr<dnsbl::IpAddress> ip = dnsbl::IpAddress::Parse(line);
      if (ip.ok()) pool.push_back(*ip);
    }
  }
  std::mt19937 rng(1);
  std::vector<dnsbl::IpAddress> asked;
  asked.reserve(1 << 20);
  for (size_t i = 0; i < (1 << 20); ++i) {
    if (i % 2 == 0 && !pool.empty()) {
      asked.push_back(pool[rng() % pool.size()]);
    } else {
      asked.push_back(dnsbl::IpAddress::FromIpv4(rng()));
    }
  }
  size_t listed = 0;
  const auto t1 = std::chrono::steady_clock::now();
  for (size_t i = 0; i < queries; ++i) {
    listed += (*data)->LookupA(asked[i & ((1 << 20) - 1)]).empty() ? 0 : 1;
  }
  const double s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t1)
          .count();
  std::printf(
      "| %-8s | %9zu entries | load %5.2f s | %7.1f MiB held | "
      "%11.0f lookups/s | %4.1f%% listed |\n",
      argv[1], (*data)->entries(), load_s, (*data)->MemoryBytes() / 1048576.0,
      queries / s, 100.0 * listed / queries);
  return 0;
}

// Direct resolution against a recursive resolver, on a hierarchy of real
// servers (tests/hierarchy.h) in a private network namespace: a root, a
// TLD and 20 blocklist zones served by rbldnsd, with unbound as the
// recursive resolver. Prints a table.
//
//   1. One-off `dnsbl check` of an address against the 20 zones, every
//      server behind a proxy that delays each packet DELAY each way (one
//      round trip = 2 x DELAY): direct cold (no delegation cache), direct
//      warm (cache from an earlier run), through unbound cold (just
//      started) and warm (it has resolved the zones before; each run asks
//      about a new address, so answers are not cached, only delegations).
//      Medians of RUNS runs: wall time, round trips, and the questions the
//      servers received.
//   2. `dnsbl bulk --notxt` of ADDRESSES addresses x 20 zones without
//      delay: rbldnsd asked directly (the ceiling: no resolver, no
//      delegations), direct resolution, and through unbound. Medians of
//      RUNS runs interleaved, questions a second (median and best: the
//      machine is shared and noisy) and each against the ceiling.
//
// Needs root (a network namespace, port 53). Nothing leaves loopback.
//
//   bazel run -c opt //bench:direct_bench [-- --quick]

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/hierarchy.h"
#include "tests/netns.h"
#include "tests/subprocess.h"

namespace dnsbl {
namespace {

constexpr int kZones = 20;
constexpr absl::Duration kDelay = absl::Milliseconds(10);

struct Settings {
  int runs = 7;
  int addresses = 10000;
  bool one_off = true;
  bool bulk = true;
  // Keeps the bulk world up for a while, for profiling by hand.
  bool hold = false;
};

std::string Zone(int i) { return absl::StrFormat("z%02d.example", i); }

std::vector<testing::ZoneData> Blocklists() {
  std::vector<testing::ZoneData> zones;
  for (int i = 1; i <= kZones; ++i) {
    // Every zone lists its test point and a share of 10.0.0.0/16.
    std::string data =
        absl::StrCat(":127.0.0.2:Listed by ", Zone(i), ": $\n127.0.0.2\n");
    for (int n = i; n < 256; n += 10) absl::StrAppend(&data, "10.0.", n, "\n");
    zones.push_back({Zone(i), "ip4set", data});
  }
  return zones;
}

std::string WriteCatalog(const std::string& dir) {
  std::string text;
  for (int i = 1; i <= kZones; ++i) {
    absl::StrAppend(&text, "zone { name: \"", Zone(i),
                    "\" ipv4: true default_category: SPAM_SOURCE }\n");
  }
  const std::string path = dir + "/catalog.textproto";
  std::ofstream(path) << text;
  return path;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double ChildrenCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  return absl::ToDoubleSeconds(absl::DurationFromTimeval(usage.ru_utime) +
                               absl::DurationFromTimeval(usage.ru_stime));
}

// The CPU time of the last command Timed() ran.
double last_cpu_seconds = 0;

// Runs the dnsbl command; returns its wall time, dies on a failure.
absl::Duration Timed(const std::vector<std::string>& argv, int want_exit) {
  const double cpu = ChildrenCpuSeconds();
  const absl::Time start = absl::Now();
  absl::StatusOr<testing::CommandResult> r = testing::RunCommand(argv);
  const absl::Duration took = absl::Now() - start;
  last_cpu_seconds = ChildrenCpuSeconds() - cpu;
  if (!r.ok() || r->exit_code != want_exit) {
    std::fprintf(stderr, "direct_bench: %s exited %d: %s%s\n", argv[1].c_str(),
                 r.ok() ? r->exit_code : -1,
                 r.ok() ? r->err.c_str() : "cannot run",
                 r.ok() ? r->out.substr(0, 3000).c_str() : "");
    std::exit(1);
  }
  return took;
}

struct OneOffRow {
  std::string name;
  double ms = 0;
  double questions = 0;
};

// Starts the servers `options` describe, or ends the benchmark saying why.
std::unique_ptr<testing::Hierarchy> StartOrExit(
    const testing::HierarchyOptions& options) {
  absl::StatusOr<std::unique_ptr<testing::Hierarchy>> world =
      testing::Hierarchy::Start(options);
  if (!world.ok()) {
    std::fprintf(stderr, "direct_bench: %s\n",
                 std::string(world.status().message()).c_str());
    std::exit(1);
  }
  return *std::move(world);
}

void OneOff(const Settings& settings, const std::string& dir) {
  testing::HierarchyOptions options;
  options.blocklists = Blocklists();
  options.unbound = true;
  options.delay = kDelay;
  std::unique_ptr<testing::Hierarchy> world = StartOrExit(options);
  const std::string catalog = WriteCatalog(dir);
  const std::string cache = dir + "/delegations";
  int next_address = 1;
  auto check = [&](std::vector<std::string> how) {
    std::vector<std::string> argv = {"cli/dnsbl", "check", "--nocontacts",
                                     "--format=json", "--catalog=" + catalog};
    argv.insert(argv.end(), how.begin(), how.end());
    // A new listed address each time: no answer is in any cache.
    argv.push_back(absl::StrCat("10.0.1.", next_address++));
    return Timed(argv, 1);
  };
  const std::vector<std::string> direct = {
      "--resolution=direct", "--root_hints=" + world->hints_path(),
      "--delegation_cache=" + cache};
  const std::vector<std::string> recursive = {"--nameserver=" +
                                              world->unbound_endpoint()};
  std::vector<OneOffRow> rows;
  auto measure = [&](const std::string& name, auto before,
                     const std::vector<std::string>& how) {
    std::vector<double> ms, questions;
    for (int i = 0; i < settings.runs; ++i) {
      before();
      const int64_t asked = world->ProxiedQueries();
      ms.push_back(absl::ToDoubleMilliseconds(check(how)));
      questions.push_back(world->ProxiedQueries() - asked);
    }
    rows.push_back({name, Median(ms), Median(questions)});
  };
  measure(
      "direct, cold (no cache)", [&] { std::remove(cache.c_str()); }, direct);
  measure(
      "direct, warm (cache)", [] {}, direct);
  measure(
      "through unbound, cold",
      [&] {
        if (!world->RestartUnbound().ok()) std::exit(1);
      },
      recursive);
  measure(
      "through unbound, warm", [] {}, recursive);
  const double rtt = absl::ToDoubleMilliseconds(2 * kDelay);
  std::printf(
      "\nOne-off check, %d zones, %.0f ms round trip to every server "
      "(median of %d runs)\n\n",
      kZones, rtt, settings.runs);
  std::printf("| path | wall ms | round trips | questions to servers |\n");
  std::printf("|---|---|---|---|\n");
  for (const OneOffRow& row : rows) {
    std::printf("| %s | %.0f | %.1f | %.0f |\n", row.name.c_str(), row.ms,
                row.ms / rtt, row.questions);
  }
}

void Bulk(const Settings& settings, const std::string& dir) {
  testing::HierarchyOptions options;
  options.blocklists = Blocklists();
  options.unbound = true;
  std::unique_ptr<testing::Hierarchy> world = StartOrExit(options);
  const std::string catalog = WriteCatalog(dir);
  const std::string input = dir + "/addresses.txt";
  {
    std::ofstream out(input);
    for (int i = 0; i < settings.addresses; ++i) {
      out << "10." << (i >> 16) << "." << ((i >> 8) & 255) << "." << (i & 255)
          << "\n";
    }
  }
  const double questions = static_cast<double>(settings.addresses) * kZones;
  if (settings.hold) {
    std::printf(
        "holding: nsenter -t %d -n; --catalog=%s %s --root_hints=%s "
        "--nameserver=%s\n",
        getpid(), catalog.c_str(), input.c_str(), world->hints_path().c_str(),
        world->unbound_endpoint().c_str());
    std::fflush(stdout);
    absl::SleepFor(absl::Minutes(10));
    return;
  }
  const std::string cache = dir + "/bulk-delegations";
  struct Path {
    std::string name;
    std::vector<std::string> how;
  };
  const std::vector<Path> paths = {
      {"rbldnsd asked directly (ceiling)",
       {absl::StrCat("--nameserver=", testing::kBlocklistAddress1, ":53")}},
      {"direct resolution",
       {"--resolution=direct", "--root_hints=" + world->hints_path(),
        "--delegation_cache=" + cache}},
      {"through unbound", {"--nameserver=" + world->unbound_endpoint()}},
  };
  std::vector<std::vector<double>> runs(paths.size());
  std::vector<std::vector<double>> cpu(paths.size());
  // Interleaved, so a noisy moment hurts every path alike.
  for (int r = 0; r < settings.runs; ++r) {
    for (size_t p = 0; p < paths.size(); ++p) {
      std::vector<std::string> argv = {"cli/dnsbl",
                                       "bulk",
                                       "--notxt",
                                       "--progress=never",
                                       "--catalog=" + catalog,
                                       "--output=" + dir + "/out.json"};
      argv.insert(argv.end(), paths[p].how.begin(), paths[p].how.end());
      argv.push_back(input);
      runs[p].push_back(questions / absl::ToDoubleSeconds(Timed(argv, 1)));
      cpu[p].push_back(last_cpu_seconds);
    }
  }
  std::printf(
      "\nBulk, %d addresses x %d zones, --notxt, no added delay "
      "(%d runs of each, interleaved: median and best)\n\n",
      settings.addresses, kZones, settings.runs);
  std::printf(
      "| path | questions/s median | of the ceiling | questions/s best | "
      "of the ceiling | dnsbl CPU s (median) |\n"
      "|---|---|---|---|---|---|\n");
  const double ceiling = Median(runs[0]);
  const double ceiling_best = *std::max_element(runs[0].begin(), runs[0].end());
  for (size_t p = 0; p < paths.size(); ++p) {
    const double rate = Median(runs[p]);
    const double best = *std::max_element(runs[p].begin(), runs[p].end());
    std::printf("| %s | %.0f | %.2f | %.0f | %.2f | %.2f |\n",
                paths[p].name.c_str(), rate, rate / ceiling, best,
                best / ceiling_best, Median(cpu[p]));
  }
}

}  // namespace
}  // namespace dnsbl

int main(int argc, char** argv) {
  absl::Status entered = dnsbl::testing::EnterPrivateNetwork();
  if (!entered.ok()) {
    std::fprintf(stderr, "direct_bench: %s\n",
                 std::string(entered.message()).c_str());
    return 1;
  }
  dnsbl::Settings settings;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--quick") {
      settings.runs = 3;
      settings.addresses = 2000;
    } else if (arg == "--bulk_only") {
      settings.one_off = false;
    } else if (arg == "--one_off_only") {
      settings.bulk = false;
    } else if (arg == "--hold") {
      settings.one_off = false;
      settings.hold = true;
    } else {
      std::fprintf(stderr,
                   "usage: direct_bench [--quick] [--bulk_only | "
                   "--one_off_only]\n");
      return 2;
    }
  }
  char dir[] = "/tmp/dnsbl-direct-bench-XXXXXX";
  if (mkdtemp(dir) == nullptr) return 1;
  if (settings.one_off) dnsbl::OneOff(settings, dir);
  if (settings.bulk) dnsbl::Bulk(settings, dir);
  return 0;
}

// Resume memory: how much a `dnsbl bulk --resume` scan of an existing
// output costs, against the size of that output. Writes outputs of bulk
// reports (20 zones each, a tenth of them listed with a TXT reason, about
// 2.5 KB of JSON apiece) to a temporary directory, scans each with
// ScanOutput() as --resume does, and prints the peak resident memory the
// scan added, as a share of the file's size.
//
//   bazel run -c opt //bench:resume_bench                # 262,144 reports
//   bazel run -c opt //bench:resume_bench -- 1048576     # a /12
//
// Target (issue 11): peak memory independent of the output's size, well
// under 100 MiB for the 655 MiB JSON output of a /14.

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "dnsbl/base/address.h"
#include "dnsbl/output/internal/report_io.h"

namespace dnsbl {
namespace {

double PeakRssMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024;  // KiB on Linux.
}

v1::Report BulkReport(uint32_t ip) {
  v1::Report report;
  report.set_address(IpAddress::FromIpv4(ip).ToString());
  report.set_resolver("127.53.0.1:53");
  report.mutable_started()->set_seconds(1764600000);
  report.mutable_finished()->set_seconds(1764600000);
  for (int z = 0; z < 20; ++z) {
    v1::ZoneResult* r = report.add_results();
    r->set_zone(absl::StrCat("zone", z, ".bench.test"));
    r->set_query(absl::StrCat(IpAddress::FromIpv4(ip).ReverseName(), ".zone", z,
                              ".bench.test"));
    r->set_latency_ms(0.4);
    r->set_attempts(1);
    r->set_health(v1::HEALTHY);
    if ((ip + z) % 10 == 0) {
      r->set_status(v1::LISTED);
      r->add_codes("127.0.0.2");
      r->add_categories(v1::SPAM_SOURCE);
      r->add_meanings("spam source");
      r->add_txt(absl::StrCat("Listed: see https://bench.test/?ip=",
                              report.address()));
      r->set_ttl(2100);
    } else {
      r->set_status(v1::NOT_LISTED);
    }
  }
  return report;
}

int Run(int64_t reports) {
  char dir_template[] = "/tmp/dnsbl-resume-bench-XXXXXX";
  const char* dir = mkdtemp(dir_template);
  if (dir == nullptr) return 1;
  std::printf(
      "| output | reports | file MiB | scan s | peak RSS added MiB | "
      "added / file |\n|---|---|---|---|---|---|\n");
  for (OutputFormat format :
       {OutputFormat::kJson, OutputFormat::kBinary, OutputFormat::kCsv}) {
    const char* name = format == OutputFormat::kJson     ? "json"
                       : format == OutputFormat::kBinary ? "binary"
                                                         : "csv";
    const std::string path = absl::StrCat(dir, "/out.", name);
    {
      auto writer = ReportWriter::Open(path, format, false, 0);
      if (!writer.ok()) return 1;
      // 10.0.0.0 onwards, as a CIDR walk writes them.
      for (int64_t i = 0; i < reports; ++i) {
        if (!(*writer)->Write(BulkReport(0x0a000000 + i)).ok()) return 1;
      }
    }
    // Each scan in a child of its own: peak RSS only ever grows, so one
    // process could not tell the second scan's peak from the first's.
    std::fflush(stdout);
    const pid_t child = fork();
    if (child < 0) return 1;
    if (child == 0) {
      const double before = PeakRssMiB();
      const absl::Time start = absl::Now();
      absl::StatusOr<ResumeState> state = ScanOutput(path, format);
      const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
      const double added = PeakRssMiB() - before;
      if (!state.ok()) {
        std::fprintf(stderr, "%s\n",
                     std::string(state.status().message()).c_str());
        _exit(1);
      }
      const double file_mib =
          static_cast<double>(state->valid_bytes + state->torn_bytes) /
          (1 << 20);
      std::printf("| %s | %lld | %.0f | %.2f | %.1f | %.3f |\n", name,
                  static_cast<long long>(state->records), file_mib, seconds,
                  added, added / file_mib);
      std::fflush(stdout);
      _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    unlink(path.c_str());
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return 1;
  }
  rmdir(dir);
  return 0;
}

}  // namespace
}  // namespace dnsbl

int main(int argc, char** argv) {
  int64_t reports = 262144;
  if (argc > 1 && (!absl::SimpleAtoi(argv[1], &reports) || reports < 1)) {
    std::fprintf(stderr, "usage: resume_bench [REPORTS]\n");
    return 2;
  }
  return dnsbl::Run(reports);
}

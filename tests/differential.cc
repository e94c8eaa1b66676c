#include "tests/differential.h"

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/subprocess.h"

namespace dnsbl::testing {

std::map<std::string, v1::Report> ComparableBulkReports(
    const std::vector<std::string>& args, const std::string& input) {
  std::vector<std::string> argv = {RunfilePath("cli/dnsbl"), "bulk",
                                   "--progress=never"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back(input);
  absl::StatusOr<CommandResult> r = RunCommand(argv);
  std::map<std::string, v1::Report> reports;
  if (!r.ok()) {
    ADD_FAILURE() << r.status();
    return reports;
  }
  EXPECT_EQ(r->exit_code, 1) << r->err;
  for (absl::string_view line : absl::StrSplit(r->out, '\n')) {
    if (line.empty()) continue;
    v1::Report report;
    EXPECT_TRUE(
        google::protobuf::util::JsonStringToMessage(std::string(line), &report)
            .ok())
        << line;
    report.clear_started();
    report.clear_finished();
    // How the answers were reached (nameserver or files), not what they
    // said.
    report.clear_resolver();
    report.clear_resolution();
    for (v1::ZoneResult& z : *report.mutable_results()) {
      z.clear_latency_ms();
      z.clear_data_file();
      z.clear_data_mtime();
      z.clear_attempts();
    }
    reports[report.address()] = report;
  }
  return reports;
}

std::vector<std::string> LocalOnly(std::vector<std::string> args) {
  args.push_back("--nameserver=127.0.0.1:1");
  args.push_back("--tries=1");
  args.push_back("--timeout=100ms");
  return args;
}

int CountDifferences(const std::map<std::string, v1::Report>& want,
                     const std::map<std::string, v1::Report>& got) {
  int differing = 0;
  for (const auto& [address, report] : want) {
    auto it = got.find(address);
    std::string diff;
    google::protobuf::util::MessageDifferencer differ;
    differ.ReportDifferencesToString(&diff);
    if (it == got.end()) {
      diff = "no report";
    } else if (differ.Compare(report, it->second)) {
      continue;
    }
    if (++differing <= 10) ADD_FAILURE() << address << ":\n" << diff;
  }
  return differing;
}

}  // namespace dnsbl::testing

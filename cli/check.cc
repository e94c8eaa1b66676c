// dnsbl check: a verdict with its evidence for each address or host name.

#include <iostream>
#include <memory>

#include "cli/command.h"

namespace dnsbl::cli {
namespace {

int RunCheck(const Command& command, Invocation& call) {
  if (absl::Status s = ValidateInputs(call.args()); !s.ok()) {
    return UsageError(command, s.message());
  }
  absl::StatusOr<OutputFormat> format = FormatFor(command, call.options);
  if (!format.ok()) return UsageError(command, format.status().message());
  absl::StatusOr<std::unique_ptr<Checker>> checker = MakeChecker(call.options);
  if (!checker.ok()) return Fail(command, checker.status());

  std::cout << OutputPreamble(*format);
  VerdictTally tally;
  // A host name that could not be resolved leaves addresses unchecked.
  bool unresolved = false;
  for (const std::string& input : call.args()) {
    absl::StatusOr<std::vector<v1::Report>> reports =
        (*checker)->CheckHost(input);
    if (!reports.ok()) {
      PrintError(reports.status().message());
      unresolved = true;
      continue;
    }
    for (const v1::Report& report : *reports) {
      tally.Add(report);
      std::cout << EncodeReport(report, *format);
    }
    std::cout.flush();
  }
  const SettingNames& names = call.options.bulk.checker.setting_names;
  PrintWarnings(ResolverWarnings((*checker)->resolver_description(),
                                 tally.refusing_zones, names));
  PrintWarnings(PathWarnings((*checker)->resolver_description(),
                             (*checker)->ProbedHealth(), names));
  return ExitStatus(tally, unresolved);
}

}  // namespace

const Command kCheckCommand = {
    "check",
    "ADDRESS_OR_HOST...",
    "check addresses against DNS blocklists",
    "usage: dnsbl check [flags] ADDRESS_OR_HOST...\n"
    "\n"
    "Asks every blocklist of the catalog at once whether each address is\n"
    "listed (host names: each of their A and AAAA addresses), and prints a\n"
    "verdict with its evidence.\n"
    "\n"
    "Exit status: 0 listed nowhere; 1 listed somewhere; 2 usage or input\n"
    "error (nothing was queried); 3 nothing listed, but at least one\n"
    "blocklist gave no usable answer, so the verdict is incomplete.\n",
    ToolCommand::kCheck,
    {OutputFormat::kText, OutputFormat::kJson, OutputFormat::kTextproto,
     OutputFormat::kCsv},
    &RunCheck};

}  // namespace dnsbl::cli

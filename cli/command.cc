#include "cli/command.h"

#include <algorithm>
#include <iostream>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

extern char** environ;

namespace dnsbl::cli {
namespace {

// Keys from DNSBL_KEY_<NAME> variables.
std::map<std::string, std::string> KeysFromEnvironment() {
  std::map<std::string, std::string> keys;
  constexpr absl::string_view kPrefix = "DNSBL_KEY_";
  for (char** env = environ; env != nullptr && *env != nullptr; ++env) {
    absl::string_view var = *env;
    if (!absl::StartsWith(var, kPrefix)) continue;
    const size_t eq = var.find('=');
    if (eq == absl::string_view::npos) continue;
    keys[absl::AsciiStrToLower(
        var.substr(kPrefix.size(), eq - kPrefix.size()))] =
        std::string(var.substr(eq + 1));
  }
  return keys;
}

}  // namespace

absl::StatusOr<Invocation> ReadCommandLine(const Command& command,
                                           absl::Span<const std::string> args) {
  absl::StatusOr<ParsedFlags> flags = ParseFlags(args, command.id);
  if (!flags.ok()) return flags.status();
  Invocation call{DefaultToolOptions(command.id, Tool::kCli),
                  *std::move(flags)};
  const OptionSpec* keys = FindOption(Tool::kCli, "key");
  if (keys != nullptr && keys->UsedBy(command.id)) {
    // Flags win: they are applied after.
    if (absl::Status s = keys->set(KeysFromEnvironment(), call.options);
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = ApplyFlags(call.flags, call.options); !s.ok()) return s;
  if (absl::Status s = FinishToolOptions(call.options); !s.ok()) return s;
  return call;
}

int ExitCodeFor(const absl::Status& status) {
  if (status.ok()) return kExitOk;
  if (absl::IsInvalidArgument(status) || absl::IsNotFound(status) ||
      absl::IsDataLoss(status)) {
    return kExitUsage;
  }
  return kExitIncomplete;
}

int Fail(const Command& command, const absl::Status& status) {
  const int code = ExitCodeFor(status);
  if (code == kExitUsage) return UsageError(command, status.message());
  PrintError(status.message());
  return code;
}

int UsageError(const Command& command, absl::string_view message) {
  std::cerr << "dnsbl: " << message << "\n"
            << "Run 'dnsbl " << command.name << " --help' for usage.\n";
  return kExitUsage;
}

void PrintError(absl::string_view message) {
  std::cerr << "dnsbl: " << message << "\n";
}

void PrintWarnings(const std::vector<std::string>& warnings) {
  for (const std::string& w : warnings) {
    std::cerr << "dnsbl: warning: " << w << "\n";
  }
}

int ExitStatus(const VerdictTally& tally, bool unresolved) {
  switch (tally.overall()) {
    case Verdict::kListed:
      return kExitListed;
    case Verdict::kIncomplete:
      return kExitIncomplete;
    case Verdict::kNotListed:
      break;
  }
  return unresolved ? kExitIncomplete : kExitOk;
}

absl::StatusOr<OutputFormat> FormatFor(const Command& command,
                                       const ToolOptions& options) {
  const OutputFormat format = options.format.value_or(command.formats.front());
  if (std::find(command.formats.begin(), command.formats.end(), format) !=
      command.formats.end()) {
    return format;
  }
  std::vector<std::string> names;
  for (OutputFormat f : command.formats) {
    names.push_back(std::string(OutputFormatName(f)));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "flag --format: 'dnsbl ", command.name, "' does not write ",
      OutputFormatName(format), " (use ", absl::StrJoin(names, ", "), ")"));
}

absl::Status ExpectNoArguments(const Invocation& call) {
  if (call.args().empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("unexpected argument ", QuoteInput(call.args()[0])));
}

absl::Status ValidateInputs(const std::vector<std::string>& inputs) {
  if (inputs.empty()) {
    return absl::InvalidArgumentError(
        "check needs at least one ADDRESS_OR_HOST");
  }
  for (const std::string& input : inputs) {
    if (absl::Status s = ValidateAddressOrHost(input); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Checker>> MakeChecker(const ToolOptions& options,
                                                     bool quiet) {
  absl::StatusOr<std::unique_ptr<Checker>> checker =
      Checker::Create(options.bulk.checker);
  if (checker.ok() && !quiet) PrintWarnings((*checker)->warnings());
  return checker;
}

}  // namespace dnsbl::cli

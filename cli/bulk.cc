// dnsbl bulk: every address of a file or stdin, streamed, resumable.

#include <unistd.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "cli/command.h"

namespace dnsbl::cli {
namespace {

volatile std::sig_atomic_t g_stop = 0;

void OnStopSignal(int signal) {
  if (g_stop) {
    // A second signal: stop now, as the user insists.
    std::signal(signal, SIG_DFL);
    std::raise(signal);
  }
  g_stop = 1;
}

// Points `options` at the input: stdin for "-", else the file, counted
// first (for progress; and --strict rejects bad input before any
// question). `file` holds the opened file.
absl::Status OpenInput(const std::string& path, BulkOptions& options,
                       std::ifstream& file, std::istream*& input) {
  input = &std::cin;
  if (path == "-") return absl::OkStatus();
  absl::StatusOr<InputCount> count = CountInputAddresses(path, options.input);
  if (!count.ok()) return count.status();
  if (options.strict && count->first_error.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": line ", count->first_error->line, ": ",
                     count->first_error->text, ": ",
                     count->first_error->message, " (--strict)"));
  }
  options.total = count->addresses;
  file.open(path, std::ios::binary);
  input = &file;
  return absl::OkStatus();
}

int RunBulk(const Command& command, Invocation& call) {
  if (call.args().size() > 1) {
    return UsageError(command, absl::StrCat("bulk reads one INPUT; unexpected ",
                                            QuoteInput(call.args()[1])));
  }
  absl::StatusOr<OutputFormat> format = FormatFor(command, call.options);
  if (!format.ok()) return UsageError(command, format.status().message());
  BulkOptions& options = call.options.bulk;
  options.format = *format;
  if (!call.flags.Given("shard")) {
    // Not given: the shard of a Slurm job array, if this is one.
    const OptionSpec* shard = FindOption(Tool::kCli, "shard");
    if (absl::Status s = shard->set(std::string(), call.options); !s.ok()) {
      return UsageError(command, absl::StrCat("flag --shard: ", s.message()));
    }
  }
  const std::string path = call.args().empty() ? "-" : call.args()[0];
  std::ifstream file;
  std::istream* input = nullptr;
  if (absl::Status s = OpenInput(path, options, file, input); !s.ok()) {
    return UsageError(command, s.message());
  }
  options.on_input_error = [](const InputError& e) {
    std::cerr << "dnsbl: input line " << e.line << ": " << e.text << ": "
              << EscapeForTerminal(e.message) << "\n";
  };
  const ProgressMode progress = call.options.progress;
  const bool show_progress = progress == ProgressMode::kAlways ||
                             (progress == ProgressMode::kAuto && isatty(2));
  if (show_progress) {
    options.on_progress = [](const BulkSummary& s) {
      std::cerr << "\r" << FormatBulkProgress(s) << "\x1b[K" << std::flush;
    };
  }
  options.stop = &g_stop;
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);

  const SettingNames names = options.checker.setting_names;
  absl::StatusOr<std::unique_ptr<BulkRunner>> runner =
      BulkRunner::Create(std::move(options));
  if (!runner.ok()) return Fail(command, runner.status());
  PrintWarnings((*runner)->warnings());
  PrintWarnings(ResolverWarnings((*runner)->resolver_description(), {}, names));
  absl::StatusOr<BulkSummary> summary = (*runner)->Run(input);
  if (show_progress) std::cerr << "\n";
  if (!summary.ok()) return Fail(command, summary.status());
  std::cerr << "dnsbl bulk: " << FormatBulkSummary(*summary);
  PrintWarnings(ResolverWarnings("", summary->verdicts.refusing_zones, names));
  PrintWarnings(PathWarnings((*runner)->resolver_description(),
                             (*runner)->zone_health(), names));
  if (summary->interrupted) return kExitInterrupted;
  return ExitStatus(summary->verdicts, /*unresolved=*/false);
}

}  // namespace

const Command kBulkCommand = {
    "bulk",
    "[INPUT]",
    "check every address of a file or stdin, resumably",
    "usage: dnsbl bulk [flags] [INPUT]\n"
    "\n"
    "Checks every address of INPUT (a file; none or - reads stdin): one\n"
    "IPv4/IPv6 address or CIDR network per line, '#' comments and blank\n"
    "lines ignored, networks expanded to every address they hold, each\n"
    "distinct address checked once. Writes one record per address the\n"
    "moment its last zone has answered; the number of questions in flight\n"
    "adapts to what the servers answer. Bad lines are reported on stderr\n"
    "and skipped (--strict stops instead). SIGINT or SIGTERM stop taking\n"
    "new addresses, let the questions in flight finish and flush (a second\n"
    "one stops at once); --resume continues where a stopped or killed run\n"
    "left off.\n"
    "\n"
    "Exit status: 0 done; 1 done and some address is listed; 2 usage or\n"
    "input error; 3 done, nothing listed, some verdict incomplete; 130\n"
    "interrupted.\n",
    ToolCommand::kBulk,
    {OutputFormat::kJson, OutputFormat::kBinary, OutputFormat::kCsv},
    &RunBulk};

}  // namespace dnsbl::cli

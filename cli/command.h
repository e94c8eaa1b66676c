// cli/command.h
//
// What the dnsbl command's subcommands share: how a command is described,
// its options read from the command line (defaults, DNSBL_KEY_*
// variables, flags, the files they name), one map from a library error to
// an exit status, and the way errors and warnings are printed. Each
// subcommand lives in a file of its own (check.cc, bulk.cc, ...); main.cc
// only dispatches.
//
// Example (a subcommand's run function):
//
//   int RunHealth(const Command& command, Invocation& call) {
//     absl::StatusOr<std::unique_ptr<Checker>> checker = MakeChecker(call);
//     if (!checker.ok()) return Fail(command, checker.status());
//     ...
//     return kExitOk;
//   }

#ifndef DNSBL_CLI_COMMAND_H_
#define DNSBL_CLI_COMMAND_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cli/flags.h"
#include "dnsbl/dnsbl.h"

namespace dnsbl::cli {

// Exit statuses, as each command's help states them.
inline constexpr int kExitOk = 0;
inline constexpr int kExitListed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitIncomplete = 3;
inline constexpr int kExitInterrupted = 130;

// A command line read: the options set, and the words left.
struct Invocation {
  ToolOptions options;
  ParsedFlags flags;
  const std::vector<std::string>& args() const { return flags.positional; }
};

struct Command;
using Runner = int (*)(const Command& command, Invocation& call);

// A subcommand: its help, the output formats it writes (the first is its
// default), and what runs it. Its flags are the options the table
// (dnsbl/tool_options.h) gives `id`.
struct Command {
  const char* name;
  const char* synopsis;  // Its arguments, for 'dnsbl --help'.
  const char* summary;   // One line, for 'dnsbl --help'.
  const char* usage;
  ToolCommand id;
  std::vector<OutputFormat> formats;
  Runner run;
};

// The subcommands, each defined in its own file.
extern const Command kCheckCommand;
extern const Command kBulkCommand;
extern const Command kHealthCommand;
extern const Command kZonesCommand;
extern const Command kNoticeCommand;
extern const Command kServeCommand;

// Reads `args` (the words after the subcommand) into `command`'s options:
// its defaults, then DNSBL_KEY_<NAME> variables, then the flags, then the
// files they name (catalog, template). Returns the first error.
absl::StatusOr<Invocation> ReadCommandLine(const Command& command,
                                           absl::Span<const std::string> args);

// Returns the exit status for a library error: kExitUsage for what the
// user can fix in the command line or its files (InvalidArgument,
// NotFound, DataLoss), kExitIncomplete for everything else.
int ExitCodeFor(const absl::Status& status);

// Prints `status` ("dnsbl: ..." and, for a usage error, where to find the
// usage) and returns ExitCodeFor(status).
int Fail(const Command& command, const absl::Status& status);

// Prints "dnsbl: `message`" and the usage hint; returns kExitUsage.
int UsageError(const Command& command, absl::string_view message);

// Prints "dnsbl: `message`" (an error that does not end the command).
void PrintError(absl::string_view message);

// Prints each warning, "dnsbl: warning: ...".
void PrintWarnings(const std::vector<std::string>& warnings);

// Returns the exit status a set of verdicts calls for; `unresolved` when
// some input could not be checked at all.
int ExitStatus(const VerdictTally& tally, bool unresolved);

// Returns the output format the options ask for, or `command`'s default;
// InvalidArgument when `command` does not write it.
absl::StatusOr<OutputFormat> FormatFor(const Command& command,
                                       const ToolOptions& options);

// Returns InvalidArgument naming the first argument of a command that takes
// none.
absl::Status ExpectNoArguments(const Invocation& call);

// Returns InvalidArgument for the first of `inputs` that is not an address
// or host name, or when there are none: checked before anything is asked.
absl::Status ValidateInputs(const std::vector<std::string>& inputs);

// Returns a Checker built from the options, its resolver's warnings
// printed (unless `quiet`: health reports them with its findings).
absl::StatusOr<std::unique_ptr<Checker>> MakeChecker(const ToolOptions& options,
                                                     bool quiet = false);

}  // namespace dnsbl::cli

#endif  // DNSBL_CLI_COMMAND_H_

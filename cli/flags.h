// cli/flags.h
//
// The dnsbl command's flags, read against the library's table of options
// (dnsbl/tool_options.h): each subcommand accepts the options the table
// gives it, and nothing is declared twice. Errors are values, so every
// usage error can exit with status 2 (absl::ParseCommandLine exits 1).
//
// Example:
//
//   absl::StatusOr<dnsbl::cli::ParsedFlags> flags =
//       dnsbl::cli::ParseFlags(argv_tail, dnsbl::ToolCommand::kCheck);
//   if (!flags.ok()) { std::cerr << flags.status().message(); return 2; }
//   dnsbl::ToolOptions options = dnsbl::DefaultToolOptions(
//       dnsbl::ToolCommand::kCheck, dnsbl::Tool::kCli);
//   absl::Status s = dnsbl::cli::ApplyFlags(*flags, options);

#ifndef DNSBL_CLI_FLAGS_H_
#define DNSBL_CLI_FLAGS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "dnsbl/dnsbl.h"

namespace dnsbl::cli {

// What a command line said.
struct ParsedFlags {
  // The words that are not flags, in order.
  std::vector<std::string> positional;
  // Each option given, once, in the order first given: a list's values
  // (and a key's pairs) from every time it was given, a scalar's last.
  std::vector<std::pair<const OptionSpec*, OptionValue>> given;

  // Returns whether the option `name` was given.
  bool Given(absl::string_view name) const;
};

// Reads `args` (the words after the subcommand) as flags of `command`.
// Accepts "--name=value", "--name value", "-name=value", "--name" and
// "--noname" for booleans, and "--" to end flags. Returns InvalidArgument
// naming the flag for unknown flags, flags `command` does not take,
// missing values and values that do not parse.
absl::StatusOr<ParsedFlags> ParseFlags(absl::Span<const std::string> args,
                                       ToolCommand command);

// Sets the options of `flags` in `options`, in the table's order; returns
// InvalidArgument "flag --NAME: why" for the first value its option
// refuses.
absl::Status ApplyFlags(const ParsedFlags& flags, ToolOptions& options);

// Returns the help text of `command`'s flags: each with its value, help
// and default.
std::string FlagsHelp(ToolCommand command);

}  // namespace dnsbl::cli

#endif  // DNSBL_CLI_FLAGS_H_

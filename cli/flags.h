// cli/flags.h
//
// Command-line parsing for dnsbl's subcommands on top of Abseil's flag
// registry. absl::ParseCommandLine exits with status 1 on a bad flag; dnsbl
// promises exit status 2 for every usage error and accepts each
// subcommand's own flags only, so parsing returns errors as values instead.
//
// Example:
//
//   absl::StatusOr<std::vector<std::string>> args =
//       dnsbl::cli::ParseFlags(argv_tail, {"nameserver", "format"});
//   if (!args.ok()) { std::cerr << args.status().message(); return 2; }

#ifndef DNSBL_CLI_FLAGS_H_
#define DNSBL_CLI_FLAGS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace dnsbl::cli {

// Parses `args` (the words after the subcommand), setting the Abseil flags
// named in `allowed` and returning the other words in order. Accepts
// "--name=value", "--name value", "-name=value", "--name"/"--noname" for
// booleans (bool and std::optional<bool>), and "--" to end flags. A list flag (std::vector<std::string>)
// given several times collects every value. Returns InvalidArgument naming
// the flag for unknown flags, flags not in `allowed`, missing values and
// values that do not parse.
absl::StatusOr<std::vector<std::string>> ParseFlags(
    absl::Span<const std::string> args, absl::Span<const std::string> allowed);

// Returns a help text listing the flags in `allowed` with their help and
// default values.
std::string FlagsHelp(absl::Span<const std::string> allowed);

}  // namespace dnsbl::cli

#endif  // DNSBL_CLI_FLAGS_H_

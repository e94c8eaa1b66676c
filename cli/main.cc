// dnsbl: ask many DNS blocklists at once whether an address is listed.
// A thin shell over //dnsbl: the command table and dispatch. Each command
// lives in its own file (check.cc, bulk.cc, health.cc, zones.cc,
// notice.cc); what they share is in command.h.

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/command.h"

namespace dnsbl::cli {
namespace {

const Command* const kCommands[] = {&kCheckCommand,  &kBulkCommand,
                                    &kHealthCommand, &kZonesCommand,
                                    &kNoticeCommand, &kServeCommand};

bool WantsHelp(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    if (arg == "--") return false;
    if (arg == "--help" || arg == "-h" || arg == "--helpfull") return true;
  }
  return false;
}

void PrintUsage() {
  std::cout << "usage: dnsbl COMMAND [flags] ...\n\nCommands:\n";
  for (const Command* command : kCommands) {
    std::cout << absl::StrFormat(
        "  %-26s %s\n", absl::StrCat(command->name, " ", command->synopsis),
        command->summary);
  }
  std::cout << "\nRun 'dnsbl COMMAND --help' for the flags of a command, "
               "'dnsbl help options' for every option, 'dnsbl --version' for "
               "the version.\n";
}

void PrintHelp(const Command& command) {
  std::cout << command.usage << "\nFlags:\n" << FlagsHelp(command.id);
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    PrintUsage();
    return args.empty() ? kExitUsage : kExitOk;
  }
  if (args[0] == "--version" || args[0] == "version") {
    std::cout << "dnsbl " << DNSBL_VERSION_STRING << "\n";
    return kExitOk;
  }
  if (args[0] == "help") {
    if (args.size() > 1 && args[1] == "options") {
      std::cout << OptionsReference();
      return kExitOk;
    }
    for (const Command* command : kCommands) {
      if (args.size() > 1 && args[1] == command->name) {
        PrintHelp(*command);
        return kExitOk;
      }
    }
    PrintUsage();
    return kExitOk;
  }
  const std::string name = args[0];
  args.erase(args.begin());
  for (const Command* command : kCommands) {
    if (name != command->name) continue;
    if (WantsHelp(args)) {
      PrintHelp(*command);
      return kExitOk;
    }
    absl::StatusOr<Invocation> call = ReadCommandLine(*command, args);
    if (!call.ok()) return Fail(*command, call.status());
    return command->run(*command, *call);
  }
  std::cerr << "dnsbl: unknown command " << QuoteInput(name)
            << "\nRun 'dnsbl --help' for the commands.\n";
  return kExitUsage;
}

}  // namespace
}  // namespace dnsbl::cli

int main(int argc, char** argv) { return dnsbl::cli::Main(argc, argv); }

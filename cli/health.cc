// dnsbl health: whether each blocklist's answers can be trusted here.

#include <iostream>
#include <memory>

#include "cli/command.h"

namespace dnsbl::cli {
namespace {

int RunHealth(const Command& command, Invocation& call) {
  if (absl::Status s = ExpectNoArguments(call); !s.ok()) {
    return UsageError(command, s.message());
  }
  absl::StatusOr<OutputFormat> format = FormatFor(command, call.options);
  if (!format.ok()) return UsageError(command, format.status().message());
  // The resolver's warnings come with the findings.
  absl::StatusOr<std::unique_ptr<Checker>> checker =
      MakeChecker(call.options, /*quiet=*/true);
  if (!checker.ok()) return Fail(command, checker.status());
  v1::HealthReport report = (*checker)->ProbeHealth();
  std::cout << (*format == OutputFormat::kText
                    ? FormatHealthText(report)
                    : EncodeMessage(report, *format));
  PrintWarnings({report.warnings().begin(), report.warnings().end()});
  for (const v1::ZoneHealth& zone : report.zones()) {
    if (!HealthUsable(zone.state())) return kExitIncomplete;
  }
  return kExitOk;
}

}  // namespace

const Command kHealthCommand = {
    "health",
    "",
    "test whether each blocklist's answers can be trusted",
    "usage: dnsbl health [flags]\n"
    "\n"
    "Asks each zone about its RFC 5782 test points (127.0.0.2 must be\n"
    "listed, 127.0.0.1 must not; ::ffff:7f00:2 and ::ffff:7f00:1 for IPv6),\n"
    "a random documentation address and its own name, and says whether its\n"
    "answers can be trusted: HEALTHY, NO_TEST_ENTRY (usable), WILDCARD\n"
    "(lists everything), DEAD (no usable answer), REFUSING (refuses this\n"
    "resolver), NO_SUCH_ZONE (the resolver says the zone does not exist),\n"
    "FILTERED (a policy zone answers for it) or TEST_FAILED (its documented\n"
    "test entry is missing).\n"
    "\n"
    "Exit status: 0 every zone usable; 2 usage error; 3 some zone is not.\n",
    ToolCommand::kHealth,
    {OutputFormat::kText, OutputFormat::kJson, OutputFormat::kTextproto},
    &RunHealth};

}  // namespace dnsbl::cli

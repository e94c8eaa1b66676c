// dnsbl zones: the catalog of blocklists, for a person or as a catalog.

#include <iostream>

#include "cli/command.h"

namespace dnsbl::cli {
namespace {

int RunZones(const Command& command, Invocation& call) {
  if (absl::Status s = ExpectNoArguments(call); !s.ok()) {
    return UsageError(command, s.message());
  }
  absl::StatusOr<OutputFormat> format = FormatFor(command, call.options);
  if (!format.ok()) return UsageError(command, format.status().message());
  const CheckerOptions& options = call.options.bulk.checker;
  absl::StatusOr<v1::Catalog> catalog =
      options.catalog != nullptr ? absl::StatusOr<v1::Catalog>(*options.catalog)
                                 : BuiltinCatalog();
  if (!catalog.ok()) return Fail(command, catalog.status());
  const v1::Catalog shown =
      call.options.category.has_value()
          ? ZonesWithCategory(*catalog, *call.options.category)
          : *catalog;
  std::cout << (*format == OutputFormat::kText
                    ? FormatZonesText(shown, options.setting_names)
                    : EncodeMessage(shown, *format));
  return kExitOk;
}

}  // namespace

const Command kZonesCommand = {
    "zones",
    "",
    "list the catalog of blocklists",
    "usage: dnsbl zones [flags]\n"
    "\n"
    "Lists the catalog: each zone's status (live, disabled, retired, needs\n"
    "key), IPv6 support, what it lists, and for retired zones what\n"
    "happened. --format=json or textproto prints the Catalog itself, a\n"
    "starting point for a catalog of your own (--catalog).\n",
    ToolCommand::kZones,
    {OutputFormat::kText, OutputFormat::kJson, OutputFormat::kTextproto},
    &RunZones};

}  // namespace dnsbl::cli

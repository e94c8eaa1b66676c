// dnsbl/tool_options.h
//
// Every option of dnsbl's tools, each written once: its name, type, help,
// the commands that take it and the field of the library's options it sets.
// The dnsbl command's flags (--NAME), the Python keywords and
// docs/options.md are all made from this one table, so an option is added
// or renamed in one place, and a test holds the reference to the table.
// Defaults are not written here: they are the library's own (CheckerOptions,
// BulkOptions, DeliveryOptions), with the choices each command makes
// (DefaultToolOptions()).
//
// Example:
//
//   dnsbl::ToolOptions options =
//       dnsbl::DefaultToolOptions(dnsbl::ToolCommand::kCheck,
//                                 dnsbl::Tool::kCli);
//   const dnsbl::OptionSpec* qps =
//       dnsbl::FindOption(dnsbl::Tool::kCli, "rdap_qps");
//   absl::StatusOr<dnsbl::OptionValue> v = dnsbl::ParseOptionText(*qps, "2");
//   if (v.ok()) absl::Status s = qps->set(*std::move(v), options);
//   absl::Status s = dnsbl::FinishToolOptions(options);  // loads files
//   ... dnsbl::Checker::Create(options.bulk.checker) ...

#ifndef DNSBL_DNSBL_TOOL_OPTIONS_H_
#define DNSBL_DNSBL_TOOL_OPTIONS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "dnsbl/base/setting_names.h"
#include "dnsbl/bulk.h"
#include "dnsbl/notice/delivery.h"
#include "dnsbl/notice/freshness.h"
#include "dnsbl/output/encode.h"
#include "dnsbl/serve/serve_options.h"
#include "proto/dnsbl.pb.h"

namespace dnsbl {

// The tools that expose the options.
enum class Tool : uint8_t {
  kCli,     // The dnsbl command: --NAME flags.
  kPython,  // The Python package: keyword arguments.
};

// What an option is used for: the dnsbl command's commands. (The Python
// package's Checker and zones() take check's options, bulk() bulk's.)
enum class ToolCommand : uint8_t {
  kCheck,
  kBulk,
  kHealth,
  kZones,
  kNotice,
  kServe
};

// When `dnsbl bulk` shows its progress on stderr.
enum class ProgressMode { kAuto, kAlways, kNever };

// Everything the options set.
struct ToolOptions {
  // A bulk run's options. Their `checker` is the Checker's options of
  // every command.
  BulkOptions bulk;

  // The notice's: its letter, sender, recipients, files, SMTP.
  DeliveryOptions delivery;

  // The output format; unset: the command's own default.
  std::optional<OutputFormat> format;

  // zones: only the zones that can report this category; unset: all.
  std::optional<v1::Category> category;

  // notice: bulk output to make notices from, instead of checking.
  std::string reports;

  // notice --reports: how old evidence may be. `freshness.recheck` is
  // `recheck` when set, else whether the notices are sent.
  FreshnessOptions freshness;
  std::optional<bool> recheck;

  // serve: how it listens; its token is read from `token_file`.
  ServeOptions serve;
  std::string token_file;

  // bulk: when progress is shown.
  ProgressMode progress = ProgressMode::kAuto;

  // The catalog as given, loaded into bulk.checker.catalog by
  // FinishToolOptions(): a file, or (Python) the text itself.
  std::string catalog_file;
  std::string catalog_text;

  // notice: a letter template file, read by FinishToolOptions().
  std::string template_file;
};

// How an option's value is written.
enum class OptionType : uint8_t {
  kBool,       // true/false; flags also --NAME and --noNAME.
  kInt,        // A whole number.
  kDouble,     // A number.
  kDuration,   // Flags: "2s", "500ms"; Python: seconds.
  kText,       // A string (a file, a URL, a name).
  kList,       // Flags: comma-separated, repeatable; Python: str or list.
  kKeyValues,  // Flags: NAME=VALUE, repeatable; Python: dict.
};

using OptionValue =
    std::variant<bool, int64_t, double, absl::Duration, std::string,
                 std::vector<std::string>, std::map<std::string, std::string>>;

// One option.
struct OptionSpec {
  absl::string_view name;         // The flag (--name), snake_case.
  absl::string_view python_name;  // The keyword; empty: `name`.
  OptionType type;
  absl::string_view value_name;  // For help: "FILE", "N"; empty for kBool.
  absl::string_view help;
  // How the default is shown when its value would mislead (it depends on
  // the machine, or empty means something); empty: the value itself.
  absl::string_view shown_default;
  uint8_t commands;  // Bits: 1 << ToolCommand.
  uint8_t tools;     // Bits: 1 << Tool.
  // Reads the option's value from `options`.
  OptionValue (*get)(const ToolOptions& options);
  // Sets the option to `value` (of the option's type) in `options`, or
  // returns InvalidArgument saying why the value is bad (without naming
  // the option: callers name it as their tool spells it).
  absl::Status (*set)(OptionValue value, ToolOptions& options);

  bool UsedBy(ToolCommand command) const {
    return (commands >> static_cast<int>(command)) & 1;
  }
  bool In(Tool tool) const { return (tools >> static_cast<int>(tool)) & 1; }
  // The option's name in `tool`.
  absl::string_view NameIn(Tool tool) const {
    return tool == Tool::kPython && !python_name.empty() ? python_name : name;
  }
};

// Returns every option, in the order help and docs list them.
absl::Span<const OptionSpec> AllOptions();

// Returns the option `tool` calls `name`, or null.
const OptionSpec* FindOption(Tool tool, absl::string_view name);

// Returns the options' defaults for `command` in `tool`: the library's,
// with the command's choices (check and notice find contacts; bulk tries 6
// times with a window of 4,000; Python's Checker adapts its window and
// finds no contacts unless asked; both tools keep the user's delegation
// cache).
ToolOptions DefaultToolOptions(ToolCommand command, Tool tool);

// Parses `text` as a value of `spec`'s type (a flag's value, a query
// parameter); InvalidArgument naming the text otherwise.
absl::StatusOr<OptionValue> ParseOptionText(const OptionSpec& spec,
                                            absl::string_view text);

// Returns `value` as a flag would write it ("2s", "a,b", "true").
std::string FormatOptionValue(const OptionValue& value);

// Returns the default of `spec` for `command` in `tool`, as help shows it.
std::string DefaultText(const OptionSpec& spec, ToolCommand command, Tool tool);

// Loads what the options name: the catalog (file or text; not both) and
// the letter template. Returns InvalidArgument or NotFound naming the file
// or what is wrong in it.
absl::Status FinishToolOptions(ToolOptions& options);

// Returns how `tool` names the settings library messages point to (a
// missing key, a public resolver, --output for --resume).
SettingNames SettingNamesFor(Tool tool);

// Returns the Python entry points that take `spec`: "Checker" and "zones"
// (check's options), "bulk"; none when it is not a Python option.
std::vector<std::string> PythonEntryPoints(const OptionSpec& spec);

// Returns the reference of every option in Markdown (docs/options.md).
std::string OptionsReference();

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_TOOL_OPTIONS_H_

#include "cli/flags.h"

#include <algorithm>
#include <cctype>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace dnsbl::cli {
namespace {

// Returns the option `command` takes as `name`, or null.
const OptionSpec* CommandOption(absl::string_view name, ToolCommand command) {
  const OptionSpec* spec = FindOption(Tool::kCli, name);
  return spec != nullptr && spec->UsedBy(command) ? spec : nullptr;
}

// Adds `value` to what was given for `spec`.
void Merge(const OptionSpec* spec, OptionValue value, ParsedFlags& flags) {
  auto it = std::find_if(flags.given.begin(), flags.given.end(),
                         [spec](const auto& g) { return g.first == spec; });
  if (it == flags.given.end()) {
    flags.given.emplace_back(spec, std::move(value));
    return;
  }
  if (auto* list = std::get_if<std::vector<std::string>>(&it->second)) {
    for (std::string& v : std::get<std::vector<std::string>>(value)) {
      list->push_back(std::move(v));
    }
  } else if (auto* pairs =
                 std::get_if<std::map<std::string, std::string>>(&it->second)) {
    for (auto& [k, v] : std::get<std::map<std::string, std::string>>(value)) {
      (*pairs)[k] = std::move(v);
    }
  } else {
    it->second = std::move(value);
  }
}

// Returns `text` wrapped at 78 columns, each line indented by `indent`.
std::string Wrap(absl::string_view text, absl::string_view indent) {
  std::string out;
  size_t column = 0;
  for (absl::string_view word : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    if (column > 0 && column + 1 + word.size() > 78) {
      out += "\n";
      column = 0;
    }
    if (column == 0) {
      absl::StrAppend(&out, indent, word);
      column = indent.size() + word.size();
    } else {
      absl::StrAppend(&out, " ", word);
      column += 1 + word.size();
    }
  }
  return out;
}

}  // namespace

bool ParsedFlags::Given(absl::string_view name) const {
  return std::any_of(given.begin(), given.end(),
                     [name](const auto& g) { return g.first->name == name; });
}

absl::StatusOr<ParsedFlags> ParseFlags(absl::Span<const std::string> args,
                                       ToolCommand command) {
  ParsedFlags flags;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      flags.positional.insert(flags.positional.end(), args.begin() + i + 1,
                              args.end());
      break;
    }
    if (arg.size() < 2 || arg[0] != '-' ||
        // A negative number or an IPv6 address like "-1" is not a flag;
        // "::1" never starts with '-'.
        (arg[1] != '-' && !std::isalpha(static_cast<unsigned char>(arg[1])))) {
      flags.positional.push_back(arg);
      continue;
    }
    absl::string_view body = arg;
    body.remove_prefix(arg[1] == '-' ? 2 : 1);
    const size_t eq = body.find('=');
    const std::string name(body.substr(0, eq));
    bool has_value = eq != absl::string_view::npos;
    std::string text = has_value ? std::string(body.substr(eq + 1)) : "";
    const OptionSpec* spec = CommandOption(name, command);
    if (spec == nullptr && !has_value && absl::StartsWith(name, "no")) {
      const OptionSpec* negated = CommandOption(name.substr(2), command);
      if (negated != nullptr && negated->type == OptionType::kBool) {
        spec = negated;
        has_value = true;
        text = "false";
      }
    }
    if (spec == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag ", QuoteInput(arg)));
    }
    if (!has_value) {
      if (spec->type == OptionType::kBool) {
        text = "true";
      } else if (i + 1 < args.size()) {
        text = args[++i];
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("flag --", spec->name, " needs a value"));
      }
    }
    absl::StatusOr<OptionValue> value = ParseOptionText(*spec, text);
    if (!value.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("flag --", spec->name, ": ",
                       EscapeForTerminal(value.status().message())));
    }
    Merge(spec, *std::move(value), flags);
  }
  return flags;
}

absl::Status ApplyFlags(const ParsedFlags& flags, ToolOptions& options) {
  for (const OptionSpec& spec : AllOptions()) {
    for (const auto& [given, value] : flags.given) {
      if (given != &spec) continue;
      if (absl::Status s = spec.set(value, options); !s.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("flag --", spec.name, ": ", s.message()));
      }
    }
  }
  return absl::OkStatus();
}

std::string FlagsHelp(ToolCommand command) {
  std::string out;
  for (const OptionSpec& spec : AllOptions()) {
    if (!spec.In(Tool::kCli) || !spec.UsedBy(command)) continue;
    absl::StrAppend(
        &out, "  --", spec.name, spec.value_name.empty() ? "" : "=",
        spec.value_name, "\n", Wrap(spec.help, "      "), "\n",
        Wrap(absl::StrCat("default: ", DefaultText(spec, command, Tool::kCli)),
             "      "),
        "\n");
  }
  return out;
}

}  // namespace dnsbl::cli

#include "cli/flags.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "dnsbl/dnsbl.h"

namespace dnsbl::cli {

namespace {

// A flag that "--name" turns on and "--noname" off: a bool, or an optional
// bool whose unset state lets a command pick its own default.
bool IsBoolean(const absl::CommandLineFlag& flag) {
  return flag.IsOfType<bool>() || flag.IsOfType<std::optional<bool>>();
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ParseFlags(
    absl::Span<const std::string> args, absl::Span<const std::string> allowed) {
  std::vector<std::string> positional;
  absl::flat_hash_set<std::string> list_flags_seen;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      positional.insert(positional.end(), args.begin() + i + 1, args.end());
      break;
    }
    if (arg.size() < 2 || arg[0] != '-' ||
        // A negative number or an IPv6 address like "-1" is not a flag;
        // "::1" never starts with '-'.
        (arg[1] != '-' && !std::isalpha(static_cast<unsigned char>(arg[1])))) {
      positional.push_back(arg);
      continue;
    }
    absl::string_view body = arg;
    body.remove_prefix(arg[1] == '-' ? 2 : 1);
    std::string name(body.substr(0, body.find('=')));
    bool has_value = body.find('=') != absl::string_view::npos;
    std::string value =
        has_value ? std::string(body.substr(body.find('=') + 1)) : "";

    auto is_allowed = [&](const std::string& n) {
      return std::find(allowed.begin(), allowed.end(), n) != allowed.end();
    };
    absl::CommandLineFlag* flag =
        is_allowed(name) ? absl::FindCommandLineFlag(name) : nullptr;
    if (flag == nullptr && !has_value && absl::StartsWith(name, "no") &&
        is_allowed(name.substr(2))) {
      absl::CommandLineFlag* negated =
          absl::FindCommandLineFlag(name.substr(2));
      if (negated != nullptr && IsBoolean(*negated)) {
        flag = negated;
        has_value = true;
        value = "false";
      }
    }
    if (flag == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag ", QuoteInput(arg)));
    }
    if (!has_value) {
      if (IsBoolean(*flag)) {
        value = "true";
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("flag --", flag->Name(), " needs a value"));
      }
    }
    if (flag->IsOfType<std::vector<std::string>>()) {
      if (!list_flags_seen.insert(name).second && !value.empty()) {
        value = absl::StrCat(flag->CurrentValue(), ",", value);
      }
    }
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "flag --", flag->Name(), ": ", EscapeForTerminal(error)));
    }
  }
  return positional;
}

std::string FlagsHelp(absl::Span<const std::string> allowed) {
  std::string out;
  for (const std::string& name : allowed) {
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr) continue;
    absl::StrAppend(
        &out, "  --", name, "\n      ", flag->Help(), "\n      default: ",
        flag->DefaultValue().empty() ? "(none)" : flag->DefaultValue(), "\n");
  }
  return out;
}

}  // namespace dnsbl::cli

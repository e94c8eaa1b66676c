// dnsbl/base/setting_names.h
//
// How messages for a person name the settings that would fix what they
// report: a key that is missing, a public resolver to replace, a network
// too large for one input line. The library names its own options
// (CheckerOptions::keys, ...) by default; a tool that exposes them
// differently, such as the dnsbl command with its flags, passes its own
// names, so its users never read about settings their tool does not have.
//
// Example:
//
//   dnsbl::CheckerOptions options;
//   options.setting_names.key = "the [keys] section, entry {name}";
//   options.setting_names.nameserver = "the 'resolver' setting";

#ifndef DNSBL_DNSBL_BASE_SETTING_NAMES_H_
#define DNSBL_DNSBL_BASE_SETTING_NAMES_H_

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"

namespace dnsbl {

struct SettingNames {
  // Where a zone's key goes; "{name}" and "{NAME}" stand for its key name
  // (Zone.key_name) in lower and upper case.
  std::string key = "CheckerOptions::keys[\"{name}\"]";
  // Where keys go in general.
  std::string keys = "CheckerOptions::keys";
  // Where the nameservers to ask are set.
  std::string nameserver = "CheckerOptions::nameservers";
  // How to ask each blocklist's own servers (direct resolution).
  std::string resolution = "CheckerOptions::resolution = kDirect";
  // The bulk output file, and resuming into it.
  std::string output = "BulkOptions::output";
  std::string resume = "BulkOptions::resume";
  // Writing only the reports with findings.
  std::string listed_only = "BulkOptions::listed_only";
  // Stopping a bulk run at its first bad input line.
  std::string strict = "BulkOptions::strict";
  // The most addresses one input line may hold.
  std::string max_range_size = "BulkInputOptions::max_range_size";
  // How to see the zones a catalog has; empty for no hint.
  std::string list_zones;

  // Returns `key` for the key named `key_name`.
  std::string KeyFor(absl::string_view key_name) const {
    return absl::StrReplaceAll(
        key,
        {{"{name}", key_name}, {"{NAME}", absl::AsciiStrToUpper(key_name)}});
  }
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_BASE_SETTING_NAMES_H_

#include "dnsbl/catalog/catalog.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "dnsbl/base/address.h"
#include "dnsbl/base/escape.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

// Defined in the .cc file generated from builtin_catalog.textproto.
namespace dnsbl::internal {
extern const char kBuiltinCatalogText[];
}  // namespace dnsbl::internal

namespace dnsbl {
namespace {

// Collects text format errors with their position, instead of protobuf's
// default of logging them to stderr.
class ErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (first_.empty()) {
      // Lines and columns are zero-based in protobuf.
      first_ = absl::StrCat("line ", line + 1, " column ", column + 1, ": ",
                            message);
    }
  }
  void AddWarning(int, int, const std::string&) override {}
  const std::string& first() const { return first_; }

 private:
  std::string first_;
};

absl::Status ValidateCode(absl::string_view where, absl::string_view value,
                          bool allow_wildcard) {
  std::vector<std::string> octets = absl::StrSplit(value, '.');
  if (allow_wildcard) {
    // The first octet must stay concrete: it is what puts a code in 127/8.
    for (size_t i = 1; i < octets.size(); ++i) {
      if (octets[i] == "*") octets[i] = "0";
    }
  }
  absl::StatusOr<IpAddress> ip = IpAddress::Parse(absl::StrJoin(octets, "."));
  if (!ip.ok() || !ip->is_ipv4()) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, " ", QuoteInput(value), " is not an IPv4 address",
        allow_wildcard ? " (octets after the first may be '*')" : ""));
  }
  if ((ip->ipv4() >> 24) != 127) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, " ", QuoteInput(value),
                     " is outside 127.0.0.0/8, where blocklists answer"));
  }
  return absl::OkStatus();
}

absl::Status ValidateZone(const v1::Zone& zone, int index) {
  std::string where = zone.name().empty()
                          ? absl::StrCat("zone #", index + 1)
                          : absl::StrCat("zone ", QuoteInput(zone.name()),
                                         " (#", index + 1, ")");
  if (zone.name().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": field 'name' is missing"));
  }
  if (absl::Status s = ValidateDnsName(zone.name(), "field 'name'"); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": ", s.message()));
  }
  // Room for the longest query prefix (32 nibbles of an IPv6 address).
  constexpr size_t kMaxZoneName = 253 - 64;
  if (zone.name().size() > kMaxZoneName) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": field 'name' is ", zone.name().size(),
        " octets; query names would exceed 253 (limit ", kMaxZoneName, ")"));
  }
  if (!zone.ipv4() && !zone.ipv6()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": set 'ipv4: true', 'ipv6: true' or both"));
  }
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < zone.code_size(); ++i) {
    const v1::ReturnCode& code = zone.code(i);
    std::string field = absl::StrCat(where, ": code[", i, "].value");
    if (absl::Status s = ValidateCode(field, code.value(), false); !s.ok()) {
      return s;
    }
    if (!seen.insert(code.value()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, " ", code.value(), " appears more than once"));
    }
    if (code.category() == v1::CATEGORY_UNSPECIFIED) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": code[", i, "].category is missing for ", code.value()));
    }
    if (code.bitmask() && absl::EndsWith(code.value(), ".0.0.0")) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, " ", code.value(),
                       " is a bit mask with no bit below 127.0.0.0 set"));
    }
  }
  if (zone.exhaustive_codes() && zone.code_size() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": 'exhaustive_codes' needs the documented codes ('code')"));
  }
  for (int i = 0; i < zone.refused_code_size(); ++i) {
    std::string field = absl::StrCat(where, ": refused_code[", i, "]");
    if (absl::Status s = ValidateCode(field, zone.refused_code(i), true);
        !s.ok()) {
      return s;
    }
  }
  if (zone.needs_key()) {
    const std::string& key = zone.key_name();
    bool ok = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
      return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_';
    });
    if (!ok) {
      return absl::InvalidArgumentError(absl::StrCat(
          where,
          ": field 'key_name' must be set (lower-case letters, digits, "
          "'_') when 'needs_key' is true"));
    }
  }
  if (zone.retired() && zone.retired_note().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where,
                     ": field 'retired_note' must say what happened when "
                     "'retired' is true"));
  }
  if (!zone.lookup_url().empty()) {
    if (!absl::StartsWith(zone.lookup_url(), "https://") &&
        !absl::StartsWith(zone.lookup_url(), "http://")) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": field 'lookup_url' must start with https:// or http://"));
    }
    if (!absl::StrContains(zone.lookup_url(), "{ip}")) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": field 'lookup_url' must contain {ip}"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::Catalog> ParseCatalog(absl::string_view text,
                                         absl::string_view source) {
  google::protobuf::TextFormat::Parser parser;
  ErrorCollector errors;
  parser.RecordErrorsTo(&errors);
  v1::Catalog catalog;
  // ParseFromString takes std::string in protobuf 3.21.
  if (!parser.ParseFromString(std::string(text), &catalog)) {
    return absl::InvalidArgumentError(
        absl::StrCat("catalog ", source, " does not parse as a text-format ",
                     "dnsbl.v1.Catalog: ", errors.first()));
  }
  if (absl::Status s = ValidateCatalog(catalog); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("catalog ", source, ": ", s.message()));
  }
  return catalog;
}

absl::StatusOr<v1::Catalog> LoadCatalogFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read catalog file ", QuoteInput(path)));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseCatalog(buffer.str(), path);
}

absl::Status ValidateCatalog(const v1::Catalog& catalog) {
  absl::flat_hash_set<std::string> names;
  for (int i = 0; i < catalog.zone_size(); ++i) {
    const v1::Zone& zone = catalog.zone(i);
    if (absl::Status s = ValidateZone(zone, i); !s.ok()) return s;
    std::string key = absl::AsciiStrToLower(zone.name());
    if (!key.empty() && key.back() == '.') key.pop_back();
    if (!names.insert(key).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("zone ", QuoteInput(zone.name()), " (#", i + 1,
                       "): field 'name' duplicates an earlier zone"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Catalog> BuiltinCatalog() {
  return ParseCatalog(internal::kBuiltinCatalogText, "(built-in)");
}

absl::StatusOr<std::shared_ptr<const v1::Catalog>> CatalogOrBuiltin(
    std::shared_ptr<const v1::Catalog> catalog) {
  if (catalog != nullptr) {
    if (absl::Status s = ValidateCatalog(*catalog); !s.ok()) return s;
    return catalog;
  }
  absl::StatusOr<v1::Catalog> builtin = BuiltinCatalog();
  if (!builtin.ok()) return builtin.status();
  return std::make_shared<const v1::Catalog>(*std::move(builtin));
}

absl::StatusOr<std::vector<v1::Zone>> SelectZones(
    const v1::Catalog& catalog, absl::Span<const std::string> names,
    const SettingNames& settings) {
  std::vector<v1::Zone> zones;
  if (names.empty()) {
    for (const v1::Zone& zone : catalog.zone()) {
      if (!zone.disabled() && !zone.retired()) zones.push_back(zone);
    }
    return zones;
  }
  absl::flat_hash_set<std::string> wanted;
  for (const std::string& name : names) {
    std::string key = absl::AsciiStrToLower(name);
    bool found = false;
    for (const v1::Zone& zone : catalog.zone()) {
      if (absl::EqualsIgnoreCase(zone.name(), key)) found = true;
    }
    if (!found) {
      return absl::NotFoundError(
          absl::StrCat("zone ", QuoteInput(name), " is not in the catalog",
                       settings.list_zones.empty()
                           ? ""
                           : absl::StrCat(" (", settings.list_zones, ")")));
    }
    wanted.insert(key);
  }
  for (const v1::Zone& zone : catalog.zone()) {
    if (wanted.contains(absl::AsciiStrToLower(zone.name()))) {
      zones.push_back(zone);
    }
  }
  return zones;
}

std::vector<v1::Category> ZoneCategories(const v1::Zone& zone) {
  std::vector<v1::Category> categories;
  auto add = [&](v1::Category c) {
    if (c != v1::CATEGORY_UNSPECIFIED &&
        std::find(categories.begin(), categories.end(), c) ==
            categories.end()) {
      categories.push_back(c);
    }
  };
  for (const v1::ReturnCode& code : zone.code()) add(code.category());
  add(zone.default_category());
  std::sort(categories.begin(), categories.end());
  return categories;
}

absl::StatusOr<CatalogZones> SelectCatalogZones(
    std::shared_ptr<const v1::Catalog> catalog,
    absl::Span<const std::string> names, const SettingNames& settings) {
  absl::StatusOr<std::shared_ptr<const v1::Catalog>> chosen =
      CatalogOrBuiltin(std::move(catalog));
  if (!chosen.ok()) return chosen.status();
  absl::StatusOr<std::vector<v1::Zone>> zones =
      SelectZones(**chosen, names, settings);
  if (!zones.ok()) return zones.status();
  return CatalogZones{*std::move(chosen), *std::move(zones)};
}

std::vector<std::pair<std::string, double>> ZoneRateLimits(
    absl::Span<const v1::Zone> zones) {
  std::vector<std::pair<std::string, double>> limits;
  for (const v1::Zone& zone : zones) {
    if (zone.max_qps() > 0) limits.emplace_back(zone.name(), zone.max_qps());
  }
  return limits;
}

v1::Catalog ZonesWithCategory(const v1::Catalog& catalog,
                              v1::Category category) {
  v1::Catalog shown;
  for (const v1::Zone& zone : catalog.zone()) {
    std::vector<v1::Category> categories = ZoneCategories(zone);
    if (std::find(categories.begin(), categories.end(), category) !=
        categories.end()) {
      *shown.add_zone() = zone;
    }
  }
  return shown;
}

std::string MaskKey(absl::string_view key) {
  constexpr size_t kShown = 4;
  if (key.size() <= kShown * 2) return std::string(key.size(), '*');
  return absl::StrCat(key.substr(0, kShown), "****");
}

bool CodeMatches(absl::string_view pattern, absl::string_view value) {
  std::vector<absl::string_view> p = absl::StrSplit(pattern, '.');
  std::vector<absl::string_view> v = absl::StrSplit(value, '.');
  if (p.size() != v.size()) return false;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] != "*" && p[i] != v[i]) return false;
  }
  return true;
}

}  // namespace dnsbl

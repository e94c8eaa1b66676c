// dnsbl/catalog/catalog.h
//
// Catalogs of blocklists: reading them from protobuf text format, checking
// them before any query is sent, choosing the zones a check asks, and the
// catalog built into dnsbl (dnsbl/catalog/builtin_catalog.textproto).
//
// Example:
//
//   absl::StatusOr<dnsbl::v1::Catalog> catalog =
//       dnsbl::LoadCatalogFile("my-zones.textproto");
//   if (!catalog.ok()) {
//     std::cerr << catalog.status().message();  // names the zone and field
//   }

#ifndef DNSBL_DNSBL_CATALOG_CATALOG_H_
#define DNSBL_DNSBL_CATALOG_CATALOG_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "dnsbl/base/setting_names.h"
#include "proto/dnsbl.pb.h"

namespace dnsbl {

// Parses a Catalog from protobuf text format and validates it. `source`
// (e.g. a file name) starts error messages. Returns InvalidArgument with the
// line and column of a syntax error, or the zone and field that fail
// ValidateCatalog().
absl::StatusOr<v1::Catalog> ParseCatalog(absl::string_view text,
                                         absl::string_view source);

// Reads and parses the catalog file at `path`. Returns NotFound when it
// cannot be read, else as ParseCatalog().
absl::StatusOr<v1::Catalog> LoadCatalogFile(const std::string& path);

// Returns OK when every zone has a valid DNS name, no name appears twice,
// at least one of ipv4/ipv6 is set, every return and refused code is an
// IPv4 address in 127.0.0.0/8 (refused codes may use '*' for an octet),
// no code appears twice, a bit mask code has a bit below 127.0.0.0, a
// zone with exhaustive_codes has codes, any lookup_url is http(s) and
// holds "{ip}", a
// zone that needs a key names it (key_name), and a retired zone says why
// (retired_note).
// Otherwise returns InvalidArgument naming the zone (by name and index) and
// the field.
absl::Status ValidateCatalog(const v1::Catalog& catalog);

// Returns the catalog compiled into dnsbl. It is validated by a test, so
// this fails only if the binary itself is broken.
absl::StatusOr<v1::Catalog> BuiltinCatalog();

// Returns `catalog` after ValidateCatalog(), or the built-in catalog when
// it is null: the default every user of CheckerOptions::catalog shares.
absl::StatusOr<std::shared_ptr<const v1::Catalog>> CatalogOrBuiltin(
    std::shared_ptr<const v1::Catalog> catalog);

// Returns the zones of `catalog` named in `names` (case-insensitive, in
// catalog order), or, when `names` is empty, every zone that is neither
// disabled nor retired. Returns NotFound naming the first unknown zone,
// with `settings.list_zones` as a hint when it is set.
absl::StatusOr<std::vector<v1::Zone>> SelectZones(
    const v1::Catalog& catalog, absl::Span<const std::string> names,
    const SettingNames& settings = SettingNames());

// A catalog (the built-in one when none was given) and the zones of it
// to ask.
struct CatalogZones {
  std::shared_ptr<const v1::Catalog> catalog;
  std::vector<v1::Zone> zones;
};

// Returns CatalogOrBuiltin(catalog) and SelectZones() of it for `names`,
// or the first one's error.
absl::StatusOr<CatalogZones> SelectCatalogZones(
    std::shared_ptr<const v1::Catalog> catalog,
    absl::Span<const std::string> names,
    const SettingNames& settings = SettingNames());

// Returns (name, max_qps) of each of `zones` that sets Zone.max_qps, in
// order: the operators' rate limits, for AdaptiveOptions::zone_qps.
std::vector<std::pair<std::string, double>> ZoneRateLimits(
    absl::Span<const v1::Zone> zones);

// Returns `catalog` with only the zones that can report `category`
// (ZoneCategories()), in catalog order.
v1::Catalog ZonesWithCategory(const v1::Catalog& catalog,
                              v1::Category category);

// Returns the categories a zone can report (from its codes and default
// category), in enum order.
std::vector<v1::Category> ZoneCategories(const v1::Zone& zone);

// Returns `key` shortened for display ("abcd****"), or all '*' when it is
// short: keys are secrets and are never printed back in full.
std::string MaskKey(absl::string_view key);

// Returns true when `value` (an IPv4 address in text form) matches
// `pattern`, a dotted quad whose octets may be '*'.
bool CodeMatches(absl::string_view pattern, absl::string_view value);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_CATALOG_CATALOG_H_

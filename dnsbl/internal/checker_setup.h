// dnsbl/internal/checker_setup.h (internal to the library)
//
// Building a Checker, step by step, so that Checker::Create() and
// BulkRunner::Create() share each step instead of repeating it:
//
//   1. SelectZonesFor():        validate the options, pick the zones.
//   2. TransportOf() and CreateResolverStack()
//   (dnsbl/dns/internal/resolver_stack.h):
//                               the resolver, one-off or bulk-paced.
//   3. LoadLocalZoneData():     zones answered from rbldnsd files.
//   4. WireContactSources():    RDAP over libcurl, resolved by step 2.
//   5. CreateCheckerOver():     3 and 4 over a resolver, into a Checker.
//
// Example:
//
//   absl::StatusOr<dnsbl::CatalogZones> selected =
//       dnsbl::SelectZonesFor(options);
//   absl::StatusOr<dnsbl::ResolverStack> stack = dnsbl::CreateResolverStack(
//       dnsbl::TransportOf(options, selected->zones), adaptive);
//   absl::StatusOr<std::unique_ptr<dnsbl::Checker>> checker =
//       dnsbl::CreateCheckerOver(options, *selected,
//                                std::move(stack->resolver));

#ifndef DNSBL_DNSBL_INTERNAL_CHECKER_SETUP_H_
#define DNSBL_DNSBL_INTERNAL_CHECKER_SETUP_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "dnsbl/catalog/catalog.h"
#include "dnsbl/checker.h"
#include "dnsbl/contacts/internal/rdap_client.h"
#include "dnsbl/dns/internal/adaptive_resolver.h"
#include "dnsbl/dns/internal/resolver.h"
#include "dnsbl/dns/internal/resolver_stack.h"
#include "dnsbl/internal/checker_impl.h"
#include "dnsbl/localzone/internal/local_resolver.h"

namespace dnsbl {

// Whether `options` asks the contact source `source` ("cymru", ...).
bool AsksSource(const CheckerOptions& options, absl::string_view source);

// Returns the name `zone`'s questions go below over DNS: "<key>.<zone>"
// for a zone with a key, the zone's name otherwise; nullopt when it is not
// asked (retired, or its key is missing). (A local copy of a keyed zone is
// read without the key.)
std::optional<std::string> AskedZoneName(
    const v1::Zone& zone, const std::map<std::string, std::string>& keys);

// Step 1: ValidateCheckerOptions(), then the catalog (options.catalog or
// the built-in one) and the zones options.zones names. Returns the first
// error: InvalidArgument or NotFound naming the bad option.
absl::StatusOr<CatalogZones> SelectZonesFor(const CheckerOptions& options);

// Step 2: the transport part of `options`, for CreateResolverStack(),
// with the zones of `zones` that are asked over DNS (as asked, with their
// keys) and the contact sources' zones as the zones direct resolution
// asks.
TransportOptions TransportOf(const CheckerOptions& options,
                             absl::Span<const v1::Zone> zones);

// Step 2, for a one-off Checker: the window of questions in flight, fixed
// at options.max_inflight, or adaptive with the zones' rate limits when
// options.adaptive_window is set.
AdaptiveOptions OneOffWindow(const CheckerOptions& options,
                             absl::Span<const v1::Zone> zones);

// Step 3's result: per zone (in the order of `zones`), its local data
// (null `data`: asked over DNS); and the resolver to ask, which answers
// questions by name for the local zones too (health probes).
struct LocalZoneData {
  std::vector<LocalZone> by_zone;
  std::shared_ptr<Resolver> resolver;
  int loaded = 0;  // Zones with local data.
};

// Step 3: loads the zone data of options.zone_data (which win) and of the
// catalog's Zone.local_data for `selected`'s zones, as of `now`, and wraps
// `resolver` so their names are answered from it. Returns InvalidArgument
// for a spec naming a zone twice or one not in the catalog, and the
// errors of LoadLocalZones().
absl::StatusOr<LocalZoneData> LoadLocalZoneData(
    const CheckerOptions& options, CatalogZones& selected,
    std::shared_ptr<Resolver> resolver, absl::Time now);

// Step 4: the RDAP client `options` asks for (null when RDAP is not
// asked), over options.http_fetcher or libcurl whose host names `resolver`
// resolves; `resolver` and `clock` must outlive the client. Returns the
// error of starting libcurl.
absl::StatusOr<std::unique_ptr<RdapClient>> WireContactSources(
    const CheckerOptions& options, Resolver* resolver, Clock* clock);

// Step 5: a Checker for `selected` (from SelectZonesFor(options)) asking
// `resolver` (not null; shared, and used only from the Checker's thread).
absl::StatusOr<std::unique_ptr<Checker>> CreateCheckerOver(
    const CheckerOptions& options, CatalogZones selected,
    std::shared_ptr<Resolver> resolver);

// Steps 3 and 5 for several threads: `count` Checker engines over `selected`'s
// zones (from SelectZonesFor(options)), every one answered from local data
// loaded once and shared read-only, none asking anything over the network
// (each has its own LocalZoneResolver without an inner resolver). Each
// Checker is used from one thread. Returns FailedPrecondition naming the
// first zone asked over DNS, or the contact source asked (these need the
// one event loop of a single Checker), else the errors of step 3.
absl::StatusOr<std::vector<std::unique_ptr<CheckerImpl>>> CreateLocalCheckers(
    const CheckerOptions& options, CatalogZones selected, int count);

// Steps 1 and 5: a Checker asking `resolver` instead of building one
// (nameservers, timeout, tries and max_inflight are then not used): for
// callers with their own transport, and for tests.
absl::StatusOr<std::unique_ptr<Checker>> CreateCheckerOver(
    const CheckerOptions& options, std::shared_ptr<Resolver> resolver);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_INTERNAL_CHECKER_SETUP_H_

#include "dnsbl/internal/checker_setup.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "dnsbl/base/escape.h"
#include "dnsbl/contacts/internal/abusix.h"
#include "dnsbl/contacts/internal/contact_answers.h"
#include "dnsbl/contacts/internal/cymru.h"
#include "dnsbl/contacts/internal/rdap.h"
#include "dnsbl/http/internal/curl_fetcher.h"
#include "dnsbl/http/internal/resolving_fetcher.h"
#include "dnsbl/internal/checker_impl.h"

namespace dnsbl {

bool AsksSource(const CheckerOptions& options, absl::string_view source) {
  return options.contacts && std::find(options.contact_sources.begin(),
                                       options.contact_sources.end(),
                                       source) != options.contact_sources.end();
}

std::optional<std::string> AskedZoneName(
    const v1::Zone& zone, const std::map<std::string, std::string>& keys) {
  if (zone.retired()) return std::nullopt;
  if (!zone.needs_key() || !zone.local_data().empty()) return zone.name();
  auto it = keys.find(zone.key_name());
  if (it == keys.end() || it->second.empty()) return std::nullopt;
  return absl::StrCat(it->second, ".", zone.name());
}

absl::Status ValidateCheckerOptions(const CheckerOptions& options) {
  for (const std::string& source : options.contact_sources) {
    if (source != kCymruSource && source != kAbusixSource &&
        source != kRdapSource) {
      return absl::InvalidArgumentError(
          absl::StrCat("contact source ", QuoteInput(source),
                       " is not one of cymru, abusix, rdap"));
    }
  }
  if (!options.rdap_url.empty() &&
      !absl::StartsWith(options.rdap_url, "https://")) {
    return absl::InvalidArgumentError(
        absl::StrCat("RDAP URL ", QuoteInput(options.rdap_url),
                     " must start with https://"));
  }
  if (!(options.rdap_queries_per_second > 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("RDAP queries per second must be > 0, not ",
                     options.rdap_queries_per_second));
  }
  if (options.rdap_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("RDAP timeout must be > 0, not ",
                     absl::FormatDuration(options.rdap_timeout)));
  }
  if (options.health_max_age <= absl::ZeroDuration() ||
      options.answer_cache_size < 0 ||
      options.answer_cache_max_ttl <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "health_max_age and answer_cache_max_ttl must be > 0, "
        "answer_cache_size >= 0");
  }
  for (const auto& [name, key] : options.keys) {
    if (absl::Status s = ValidateDnsName(key, absl::StrCat("key ", name));
        !s.ok() || absl::StrContains(key, '.')) {
      return absl::InvalidArgumentError(
          absl::StrCat("key ", QuoteInput(name),
                       " must be a single DNS label (letters, digits, '-')"));
    }
  }
  for (const std::string& text : options.zone_data) {
    absl::StatusOr<LocalZoneSpec> spec = ParseLocalZoneSpec(text);
    if (!spec.ok()) return spec.status();
  }
  return absl::OkStatus();
}

absl::StatusOr<CatalogZones> SelectZonesFor(const CheckerOptions& options) {
  // Everything that can be wrong is said before anything is asked.
  if (absl::Status s = ValidateCheckerOptions(options); !s.ok()) return s;
  return SelectCatalogZones(options.catalog, options.zones,
                            options.setting_names);
}

TransportOptions TransportOf(const CheckerOptions& options,
                             absl::Span<const v1::Zone> zones) {
  TransportOptions transport;
  transport.resolution = options.resolution;
  transport.nameservers = options.nameservers;
  transport.root_hints = options.root_hints;
  transport.delegation_cache = options.delegation_cache;
  transport.timeout = options.timeout;
  transport.tries = options.tries;
  // Zones read from local data never reach DNS.
  std::vector<std::string> local;
  for (const std::string& text : options.zone_data) {
    absl::StatusOr<LocalZoneSpec> spec = ParseLocalZoneSpec(text);
    if (spec.ok()) local.push_back(spec->zone);
  }
  for (const v1::Zone& zone : zones) {
    if (!zone.local_data().empty() ||
        std::find(local.begin(), local.end(), zone.name()) != local.end()) {
      continue;
    }
    if (std::optional<std::string> name = AskedZoneName(zone, options.keys)) {
      transport.direct_zones.push_back(*std::move(name));
    }
  }
  if (AsksSource(options, kCymruSource)) {
    for (const char* zone :
         {kCymruOriginZone, kCymruOrigin6Zone, kCymruAsZone}) {
      transport.direct_zones.push_back(zone);
    }
  }
  if (AsksSource(options, kAbusixSource)) {
    transport.direct_zones.push_back(kAbusixZone);
  }
  return transport;
}

AdaptiveOptions OneOffWindow(const CheckerOptions& options,
                             absl::Span<const v1::Zone> zones) {
  AdaptiveOptions adaptive;
  adaptive.clock = options.clock;
  adaptive.max_inflight = options.max_inflight;
  if (options.adaptive_window) {
    // The zones' rate limits go into the window; CreateResolverStack()
    // lowers its start and floor to the cap.
    adaptive.zone_qps = ZoneRateLimits(zones);
  } else {
    // A one-off check keeps its window at max_inflight.
    adaptive.initial_window = options.max_inflight;
    adaptive.min_window = options.max_inflight;
  }
  return adaptive;
}

namespace {

// Step 3, first half: puts options.zone_data (which win over the
// catalog's) into the local_data of `selected`'s zones; their zones are
// answered from the files, the rest over DNS. A zone given more than once
// is served from all its datasets, in order, as rbldnsd serves a zone
// named more than once. Returns InvalidArgument for a bad spec or a zone
// not in the catalog.
absl::Status ApplyZoneDataOptions(const CheckerOptions& options,
                                  CatalogZones& selected) {
  const v1::Catalog& catalog = *selected.catalog;
  std::vector<v1::Zone>& zones = selected.zones;
  std::map<std::string, std::string> given;
  for (const std::string& text : options.zone_data) {
    absl::StatusOr<LocalZoneSpec> spec = ParseLocalZoneSpec(text);
    if (!spec.ok()) return spec.status();
    auto named = [&](const v1::Zone& z) { return z.name() == spec->zone; };
    if (std::none_of(catalog.zone().begin(), catalog.zone().end(), named)) {
      return absl::InvalidArgumentError(
          absl::StrCat("zone data ", QuoteInput(text), ": zone ",
                       QuoteInput(spec->zone), " is not in the catalog"));
    }
    std::string& data = given[spec->zone];
    absl::StrAppend(&data, data.empty() ? "" : " ", spec->data);
    auto it = std::find_if(zones.begin(), zones.end(), named);
    if (it != zones.end()) it->set_local_data(data);
  }
  return absl::OkStatus();
}

// Step 3, second half: loads the local_data of `zones` (none for a retired
// zone) and wraps `resolver` (may be null) so their names are answered
// from it.
absl::StatusOr<LocalZoneData> LoadZoneDataOf(const std::vector<v1::Zone>& zones,
                                             std::shared_ptr<Resolver> resolver,
                                             absl::Time now) {
  std::vector<LocalZoneSpec> specs;
  std::vector<size_t> spec_zone;  // Index in `zones` of each spec.
  for (size_t i = 0; i < zones.size(); ++i) {
    const v1::Zone& z = zones[i];
    if (z.local_data().empty() || z.retired()) continue;
    specs.push_back(LocalZoneSpec{z.name(), z.local_data()});
    spec_zone.push_back(i);
  }
  absl::StatusOr<std::vector<LocalZone>> local = LoadLocalZones(specs, now);
  if (!local.ok()) return local.status();
  LocalZoneData out;
  out.by_zone.resize(zones.size());
  for (size_t j = 0; j < spec_zone.size(); ++j) {
    out.by_zone[spec_zone[j]] = (*local)[j];
  }
  out.loaded = static_cast<int>(local->size());
  out.resolver = std::move(resolver);
  if (!local->empty()) {
    // Health probes and every other question by name still reach the
    // local data through the resolver.
    out.resolver = std::make_shared<LocalZoneResolver>(*std::move(local),
                                                       std::move(out.resolver));
  }
  return out;
}

}  // namespace

absl::StatusOr<LocalZoneData> LoadLocalZoneData(
    const CheckerOptions& options, CatalogZones& selected,
    std::shared_ptr<Resolver> resolver, absl::Time now) {
  if (absl::Status s = ApplyZoneDataOptions(options, selected); !s.ok()) {
    return s;
  }
  return LoadZoneDataOf(selected.zones, std::move(resolver), now);
}

absl::StatusOr<std::unique_ptr<RdapClient>> WireContactSources(
    const CheckerOptions& options, Resolver* resolver, Clock* clock) {
  if (!AsksSource(options, kRdapSource)) return nullptr;
  std::shared_ptr<HttpFetcher> fetcher = options.http_fetcher;
  if (fetcher == nullptr) {
    // libcurl's, whose host names are resolved by the Checker's resolver,
    // never by the system's.
    CurlFetcherOptions curl_options;
    curl_options.ca_file = options.rdap_ca_file;
    absl::StatusOr<std::unique_ptr<HttpFetcher>> curl =
        CreateCurlFetcher(curl_options);
    if (!curl.ok()) return curl.status();
    fetcher =
        std::make_shared<ResolvingFetcher>(*std::move(curl), resolver, clock);
  }
  RdapClientOptions rdap;
  rdap.base_url = options.rdap_url;
  rdap.timeout = options.rdap_timeout;
  rdap.queries_per_second = options.rdap_queries_per_second;
  return std::make_unique<RdapClient>(std::move(rdap), std::move(fetcher),
                                      clock);
}

absl::StatusOr<std::unique_ptr<Checker>> CreateCheckerOver(
    const CheckerOptions& options, CatalogZones selected,
    std::shared_ptr<Resolver> resolver) {
  if (resolver == nullptr) {
    return absl::InvalidArgumentError("resolver must not be null");
  }
  Clock* const clock = options.clock != nullptr ? options.clock : Clock::Real();
  // Above the window (a kept answer costs it nothing), below local data.
  std::shared_ptr<CachingResolver> cache;
  if (options.answer_cache_size > 0) {
    AnswerCacheOptions cache_options;
    cache_options.max_entries = static_cast<size_t>(options.answer_cache_size);
    cache_options.max_ttl = options.answer_cache_max_ttl;
    cache =
        std::make_shared<CachingResolver>(std::move(resolver), cache_options);
    resolver = cache;
  }
  absl::StatusOr<LocalZoneData> local =
      LoadLocalZoneData(options, selected, std::move(resolver), clock->Now());
  if (!local.ok()) return local.status();
  absl::StatusOr<std::unique_ptr<RdapClient>> rdap =
      WireContactSources(options, local->resolver.get(), clock);
  if (!rdap.ok()) return rdap.status();
  auto impl = std::make_unique<CheckerImpl>(
      std::move(selected.zones), options, std::move(local->resolver),
      std::move(local->by_zone), *std::move(rdap));
  impl->set_answer_cache(std::move(cache));
  return std::make_unique<Checker>(std::move(impl));
}

absl::StatusOr<std::vector<std::unique_ptr<CheckerImpl>>> CreateLocalCheckers(
    const CheckerOptions& options, CatalogZones selected, int count) {
  for (absl::string_view source : {kCymruSource, kAbusixSource, kRdapSource}) {
    if (AsksSource(options, source)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "contact source ", source, " is asked over the network"));
    }
  }
  if (absl::Status s = ApplyZoneDataOptions(options, selected); !s.ok()) {
    return s;
  }
  // Before loading anything: a zone asked that has no data is asked over
  // DNS (a retired zone, or one without its key, is not asked).
  for (const v1::Zone& zone : selected.zones) {
    if (zone.local_data().empty() &&
        AskedZoneName(zone, options.keys).has_value()) {
      return absl::FailedPreconditionError(
          absl::StrCat("zone ", zone.name(), " is asked over DNS"));
    }
  }
  Clock* const clock = options.clock != nullptr ? options.clock : Clock::Real();
  absl::StatusOr<LocalZoneData> local =
      LoadZoneDataOf(selected.zones, nullptr, clock->Now());
  if (!local.ok()) return local.status();
  std::vector<LocalZone> local_zones;
  for (const LocalZone& zone : local->by_zone) {
    if (zone.local()) local_zones.push_back(zone);
  }
  std::vector<std::unique_ptr<CheckerImpl>> checkers;
  for (int k = 0; k < count; ++k) {
    checkers.push_back(std::make_unique<CheckerImpl>(
        selected.zones, options,
        std::make_shared<LocalZoneResolver>(local_zones, nullptr),
        local->by_zone, nullptr));
  }
  return checkers;
}

absl::StatusOr<std::unique_ptr<Checker>> CreateCheckerOver(
    const CheckerOptions& options, std::shared_ptr<Resolver> resolver) {
  if (resolver == nullptr) {
    return absl::InvalidArgumentError("resolver must not be null");
  }
  absl::StatusOr<CatalogZones> selected = SelectZonesFor(options);
  if (!selected.ok()) return selected.status();
  return CreateCheckerOver(options, *std::move(selected), std::move(resolver));
}

}  // namespace dnsbl

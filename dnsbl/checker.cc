#include "dnsbl/checker.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "dnsbl/ares_resolver.h"
#include "dnsbl/catalog.h"
#include "dnsbl/escape.h"
#include "dnsbl/interpret.h"

namespace dnsbl {
namespace {

void SetTimestamp(absl::Time t, google::protobuf::Timestamp* out) {
  int64_t nanos = absl::ToUnixNanos(t);
  out->set_seconds(nanos / 1000000000);
  out->set_nanos(static_cast<int32_t>(nanos % 1000000000));
}

}  // namespace

struct Checker::CheckState {
  IpAddress address;
  v1::Report report;
  size_t outstanding = 0;
  ReportCallback done;
};

absl::StatusOr<std::unique_ptr<Checker>> Checker::Create(
    const CheckerOptions& options) {
  ResolverOptions resolver_options;
  resolver_options.nameservers = options.nameservers;
  resolver_options.timeout = options.timeout;
  resolver_options.tries = options.tries;
  resolver_options.max_inflight = options.max_inflight;
  absl::StatusOr<std::unique_ptr<Resolver>> resolver =
      CreateAresResolver(resolver_options);
  if (!resolver.ok()) return resolver.status();
  return Create(options, *std::move(resolver));
}

absl::StatusOr<std::unique_ptr<Checker>> Checker::Create(
    const CheckerOptions& options, std::unique_ptr<Resolver> resolver) {
  if (resolver == nullptr) {
    return absl::InvalidArgumentError("resolver must not be null");
  }
  std::shared_ptr<const v1::Catalog> catalog = options.catalog;
  if (catalog == nullptr) {
    absl::StatusOr<v1::Catalog> builtin = BuiltinCatalog();
    if (!builtin.ok()) return builtin.status();
    catalog = std::make_shared<const v1::Catalog>(*std::move(builtin));
  } else if (absl::Status s = ValidateCatalog(*catalog); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::vector<v1::Zone>> zones =
      SelectZones(*catalog, options.zones);
  if (!zones.ok()) return zones.status();
  std::vector<bool> named(zones->size(), !options.zones.empty());
  return std::unique_ptr<Checker>(new Checker(
      *std::move(zones), std::move(named), options, std::move(resolver)));
}

Checker::Checker(std::vector<v1::Zone> zones,
                 std::vector<bool> explicitly_named,
                 const CheckerOptions& options,
                 std::unique_ptr<Resolver> resolver)
    : zones_(std::move(zones)),
      explicitly_named_(std::move(explicitly_named)),
      fetch_txt_(options.fetch_txt),
      clock_(options.clock != nullptr ? options.clock : Clock::Real()),
      resolver_name_(resolver->Describe()),
      resolver_(std::move(resolver)) {}

Checker::~Checker() = default;

absl::StatusOr<v1::Report> Checker::Check(absl::string_view address) {
  absl::StatusOr<IpAddress> ip = IpAddress::Parse(address);
  if (!ip.ok()) return ip.status();
  std::optional<v1::Report> result;
  CheckAsync(*ip, [&result](v1::Report r) { result = std::move(r); });
  while (!result.has_value()) Poll(absl::Seconds(1));
  return *std::move(result);
}

absl::StatusOr<std::vector<v1::Report>> Checker::CheckHost(
    absl::string_view address_or_host) {
  std::vector<v1::Report> reports;
  if (LooksLikeIpAddress(address_or_host)) {
    absl::StatusOr<v1::Report> report = Check(address_or_host);
    if (!report.ok()) return report.status();
    reports.push_back(*std::move(report));
    return reports;
  }
  if (absl::Status s = ValidateDnsName(address_or_host, "host name"); !s.ok()) {
    return s;
  }
  std::string host = absl::AsciiStrToLower(address_or_host);
  std::vector<IpAddress> addresses;
  std::vector<std::string> failures;
  for (RecordType type : {RecordType::kA, RecordType::kAaaa}) {
    resolver_->Lookup(host, type, [&, type](DnsResponse r) {
      if (r.outcome == DnsOutcome::kNxDomain ||
          r.outcome == DnsOutcome::kNoData) {
        return;
      }
      if (r.outcome == DnsOutcome::kAnswer) {
        for (const std::string& text : r.records) {
          absl::StatusOr<IpAddress> ip = IpAddress::Parse(text);
          if (ip.ok()) addresses.push_back(*ip);
        }
      } else {
        failures.push_back(
            absl::StrCat(type == RecordType::kA ? "A: " : "AAAA: ",
                         DnsOutcomeName(r.outcome)));
      }
    });
  }
  while (resolver_->pending() > 0) resolver_->Poll(absl::Seconds(1));
  // A half-resolved name would silently leave addresses unchecked.
  if (!failures.empty()) {
    return absl::UnavailableError(
        absl::StrCat("could not resolve host name ", QuoteInput(host), " (",
                     absl::StrJoin(failures, ", "), ")"));
  }
  if (addresses.empty()) {
    return absl::NotFoundError(absl::StrCat("host name ", QuoteInput(host),
                                            " has no A or AAAA records"));
  }
  std::sort(addresses.begin(), addresses.end());
  addresses.erase(std::unique(addresses.begin(), addresses.end()),
                  addresses.end());
  for (const IpAddress& ip : addresses) {
    std::optional<v1::Report> result;
    CheckAsync(ip, [&result](v1::Report r) { result = std::move(r); });
    while (!result.has_value()) Poll(absl::Seconds(1));
    result->set_hostname(host);
    reports.push_back(*std::move(result));
  }
  return reports;
}

void Checker::CheckAsync(const IpAddress& address, ReportCallback done) {
  auto state = std::make_shared<CheckState>();
  state->address = address;
  state->done = std::move(done);
  state->report.set_address(address.ToString());
  state->report.set_resolver(resolver_name_);
  SetTimestamp(clock_->Now(), state->report.mutable_started());
  // One slot per zone, so results stay in catalog order whatever order the
  // answers come in.
  for (size_t i = 0; i < zones_.size(); ++i) {
    const v1::Zone& zone = zones_[i];
    if (zone.disabled() && !explicitly_named_[i]) {
      *state->report.add_results() =
          SkippedResult(zone, address, "disabled in the catalog");
    } else if (address.is_ipv4() && !zone.ipv4()) {
      *state->report.add_results() =
          SkippedResult(zone, address, "the zone lists only IPv6 addresses");
    } else if (!address.is_ipv4() && !zone.ipv6()) {
      *state->report.add_results() =
          SkippedResult(zone, address, "the zone has no IPv6 data");
    } else {
      state->report.add_results()->set_zone(zone.name());
      ++state->outstanding;
    }
  }
  // A check with nothing to ask is finished at once: the slot count must
  // be final before the first answer can arrive.
  ++state->outstanding;
  for (size_t i = 0; i < zones_.size(); ++i) {
    if (state->report.results(i).status() == v1::STATUS_UNSPECIFIED) {
      AskZone(state, i);
    }
  }
  FinishZone(state);
}

void Checker::AskZone(std::shared_ptr<CheckState> state, size_t index) {
  const v1::Zone& zone = zones_[index];
  std::string query = state->address.QueryName(zone.name());
  absl::Time sent = clock_->Now();
  resolver_->Lookup(
      query, RecordType::kA,
      [this, state, index, sent, query](DnsResponse answer) mutable {
        const v1::Zone& zone = zones_[index];
        v1::ZoneResult result = InterpretAnswer(zone, state->address, answer);
        result.set_latency_ms(absl::ToDoubleMilliseconds(clock_->Now() - sent));
        if (result.status() != v1::LISTED || !fetch_txt_) {
          *state->report.mutable_results(index) = std::move(result);
          FinishZone(state);
          return;
        }
        *state->report.mutable_results(index) = std::move(result);
        resolver_->Lookup(
            query, RecordType::kTxt, [this, state, index](DnsResponse txt) {
              v1::ZoneResult* slot = state->report.mutable_results(index);
              *slot = AttachTxt(std::move(*slot), txt);
              FinishZone(state);
            });
      });
}

void Checker::FinishZone(const std::shared_ptr<CheckState>& state) {
  if (--state->outstanding > 0) return;
  *state->report.mutable_summary() = Summarize(state->report.results());
  SetTimestamp(clock_->Now(), state->report.mutable_finished());
  ReportCallback done = std::move(state->done);
  done(std::move(state->report));
}

size_t Checker::Poll(absl::Duration max_wait) {
  return resolver_->Poll(max_wait);
}

size_t Checker::pending() const { return resolver_->pending(); }

}  // namespace dnsbl

#include "dnsbl/localzone/internal/local_resolver.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <optional>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "dnsbl/base/escape.h"

namespace dnsbl {
namespace {

// The address a reversed-address name stands for: four decimal labels
// (IPv4) or 32 hex nibbles (IPv6), least significant first.
std::optional<IpAddress> FromReversed(absl::string_view labels) {
  // Decimal labels: at most three digits each, no sign, no leading space.
  uint32_t v = 0;
  int octets = 0;
  size_t i = 0;
  bool decimal = true;
  while (i <= labels.size() && octets < 4) {
    size_t end = labels.find('.', i);
    if (end == absl::string_view::npos) end = labels.size();
    const size_t len = end - i;
    if (len == 0 || len > 3) {
      decimal = false;
      break;
    }
    uint32_t octet = 0;
    for (size_t k = i; k < end; ++k) {
      if (!absl::ascii_isdigit(labels[k])) {
        decimal = false;
        break;
      }
      octet = octet * 10 + (labels[k] - '0');
    }
    if (!decimal || octet > 255) {
      decimal = false;
      break;
    }
    v |= octet << (8 * octets);
    ++octets;
    i = end + 1;
  }
  if (decimal && octets == 4 && i == labels.size() + 1) {
    return IpAddress::FromIpv4(v);
  }
  // 32 single hex nibbles separated by dots: 63 characters.
  if (labels.size() != 63) return std::nullopt;
  std::array<uint8_t, 16> bytes{};
  for (size_t n = 0; n < 32; ++n) {
    const char c = absl::ascii_tolower(labels[2 * n]);
    if ((n < 31 && labels[2 * n + 1] != '.') || !absl::ascii_isxdigit(c)) {
      return std::nullopt;
    }
    const int nibble = absl::ascii_isdigit(c) ? c - '0' : c - 'a' + 10;
    const size_t pos = 31 - n;  // The first label is the last nibble.
    bytes[pos / 2] |= static_cast<uint8_t>(pos % 2 == 0 ? nibble << 4 : nibble);
  }
  return IpAddress::FromIpv6(bytes);
}

}  // namespace

absl::StatusOr<LocalZoneSpec> ParseLocalZoneSpec(absl::string_view spec) {
  std::vector<absl::string_view> f =
      absl::StrSplit(spec, absl::MaxSplits(':', 2));
  if (f.size() != 3 || f[0].empty() || f[2].empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "zone data ", QuoteInput(spec), " is not ZONE:TYPE:FILE[,FILE...]"));
  }
  std::string zone(absl::StripSuffix(f[0], "."));
  absl::AsciiStrToLower(&zone);
  if (absl::Status s = ValidateDnsName(zone, "zone"); !s.ok()) return s;
  return LocalZoneSpec{std::move(zone), absl::StrCat(f[1], ":", f[2])};
}

absl::StatusOr<LocalZone> LoadLocalZone(std::string zone,
                                        absl::string_view data,
                                        absl::Time now) {
  LocalZone out{std::move(zone), {}, ""};
  std::vector<std::string> files;
  for (absl::string_view one :
       absl::StrSplit(data, absl::ByAnyChar(" \t"), absl::SkipEmpty())) {
    const size_t colon = one.find(':');
    absl::StatusOr<DatasetType> type = ParseDatasetType(one.substr(0, colon));
    if (!type.ok()) return type.status();
    if (colon == absl::string_view::npos || colon + 1 == one.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("zone data ", QuoteInput(one), " for ", out.zone,
                       " is not TYPE:FILE[,FILE...]"));
    }
    absl::StatusOr<std::shared_ptr<const ZoneData>> loaded =
        LoadZoneData(*type, absl::StrSplit(one.substr(colon + 1), ','), now);
    if (!loaded.ok()) return loaded.status();
    files.insert(files.end(), (*loaded)->files().begin(),
                 (*loaded)->files().end());
    out.datasets.push_back(*std::move(loaded));
  }
  if (out.datasets.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("zone data for ", out.zone, " is empty"));
  }
  out.files = absl::StrJoin(files, ",");
  return out;
}

absl::StatusOr<std::vector<LocalZone>> LoadLocalZones(
    const std::vector<LocalZoneSpec>& specs, absl::Time now) {
  std::vector<absl::StatusOr<LocalZone>> loaded(
      specs.size(), absl::UnknownError("not loaded"));
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < specs.size();) {
      loaded[i] = LoadLocalZone(specs[i].zone, specs[i].data, now);
    }
  };
  const size_t threads = std::min<size_t>(
      specs.size(), std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::thread> helpers;
  for (size_t t = 1; t < threads; ++t) helpers.emplace_back(work);
  work();
  for (std::thread& t : helpers) t.join();
  std::vector<LocalZone> zones;
  for (absl::StatusOr<LocalZone>& zone : loaded) {
    if (!zone.ok()) return zone.status();
    zones.push_back(*std::move(zone));
  }
  return zones;
}

namespace {

// The answer's fields every answer from `zone` carries.
DnsResponse FromFile(const LocalZone& zone) {
  DnsResponse r;
  r.attempts = 1;
  if (!zone.files.empty()) {
    r.data_file = zone.files;
  } else {
    std::vector<std::string> files;
    for (const auto& data : zone.datasets) {
      files.insert(files.end(), data->files().begin(), data->files().end());
    }
    r.data_file = absl::StrJoin(files, ",");
  }
  r.data_mtime = absl::InfinitePast();
  for (const auto& data : zone.datasets) {
    r.data_mtime = std::max(r.data_mtime, data->mtime());
  }
  return r;
}

DnsResponse Negative(const LocalZone& zone, DnsResponse r, DnsOutcome outcome) {
  r.outcome = outcome;
  // rbldnsd gives a zone the SOA of the first of its datasets that has one.
  if (std::any_of(zone.datasets.begin(), zone.datasets.end(),
                  [](const auto& data) { return data->has_soa(); })) {
    r.soa_owner = zone.zone;
  }
  return r;
}

// Adds `text` to `records` unless it is there already: rbldnsd answers
// each record once however many datasets hold it.
void AddOnce(std::vector<std::string>& records, std::string text) {
  if (std::find(records.begin(), records.end(), text) == records.end()) {
    records.push_back(std::move(text));
  }
}

}  // namespace

DnsResponse AnswerLocally(const LocalZone& zone, absl::string_view name,
                          RecordType type) {
  std::string lower(absl::StripSuffix(name, "."));
  absl::AsciiStrToLower(&lower);
  absl::string_view rest = lower;
  if (rest == zone.zone) {
    return Negative(zone, FromFile(zone), DnsOutcome::kNoData);
  }
  std::optional<IpAddress> ip;
  if (absl::ConsumeSuffix(&rest, zone.zone) &&
      absl::ConsumeSuffix(&rest, ".")) {
    ip = FromReversed(rest);
  }
  if (!ip.has_value()) {
    return Negative(zone, FromFile(zone), DnsOutcome::kNxDomain);
  }
  return AnswerAddressLocally(zone, *ip, type);
}

DnsResponse AnswerAddressLocally(const LocalZone& zone,
                                 const IpAddress& address, RecordType type) {
  DnsResponse r = FromFile(zone);
  bool listed = false;
  for (const std::shared_ptr<const ZoneData>& data : zone.datasets) {
    if (type == RecordType::kA) {
      const ZoneData::AValues values = data->LookupA(address);
      if (values.empty()) continue;
      for (uint32_t a : values) {
        if (zone.datasets.size() == 1) {
          // Each value once already: no search.
          r.records.push_back(IpAddress::FromIpv4(a).ToString());
        } else {
          AddOnce(r.records, IpAddress::FromIpv4(a).ToString());
        }
      }
      r.ttl = listed ? std::min(r.ttl, data->ttl()) : data->ttl();
      listed = true;
      continue;
    }
    LocalAnswer answer = data->Lookup(address);
    if (!answer.listed()) continue;
    listed = true;
    if (type != RecordType::kTxt) continue;
    for (LocalAnswer::Record& rec : answer.records) {
      if (!rec.txt.empty()) AddOnce(r.records, std::move(rec.txt));
    }
  }
  if (!listed) return Negative(zone, std::move(r), DnsOutcome::kNxDomain);
  if (r.records.empty()) {
    // Listed, but no record of this type (a TXT-less listing; other types).
    return Negative(zone, std::move(r), DnsOutcome::kNoData);
  }
  r.outcome = DnsOutcome::kAnswer;
  return r;
}

LocalZoneResolver::LocalZoneResolver(std::vector<LocalZone> zones,
                                     std::shared_ptr<Resolver> inner)
    : zones_(std::move(zones)), inner_(std::move(inner)) {
  for (size_t i = 0; i < zones_.size(); ++i) by_name_[zones_[i].zone] = i;
}

const LocalZone* LocalZoneResolver::ZoneOf(absl::string_view name) const {
  std::string lower(absl::StripSuffix(name, "."));
  absl::AsciiStrToLower(&lower);
  // The name itself, then each suffix after a dot.
  for (size_t i = 0; i != std::string::npos;) {
    auto it = by_name_.find(absl::string_view(lower).substr(i));
    if (it != by_name_.end()) return &zones_[it->second];
    const size_t dot = lower.find('.', i);
    i = dot == std::string::npos ? dot : dot + 1;
  }
  return nullptr;
}

void LocalZoneResolver::Lookup(absl::string_view name, RecordType type,
                               Callback done) {
  if (const LocalZone* zone = ZoneOf(name)) {
    ++answered_locally_;
    ready_.emplace_back(AnswerLocally(*zone, name, type), std::move(done));
    return;
  }
  if (inner_ == nullptr) {
    DnsResponse failed;
    failed.outcome = DnsOutcome::kOtherError;
    failed.error = "not asked: this resolver answers local zone data only";
    ready_.emplace_back(std::move(failed), std::move(done));
    return;
  }
  inner_->Lookup(name, type, std::move(done));
}

void LocalZoneResolver::Deliver() {
  // Callbacks may ask again (TXT after A): those wait for the next round.
  std::deque<std::pair<DnsResponse, Callback>> due;
  due.swap(ready_);
  for (auto& [response, done] : due) done(std::move(response));
}

size_t LocalZoneResolver::Poll(absl::Duration max_wait) {
  if (inner_ == nullptr) {
    Deliver();
    return pending();
  }
  if (!ready_.empty()) {
    Deliver();
    if (inner_->pending() > 0) inner_->Poll(absl::ZeroDuration());
    return pending();
  }
  if (inner_->pending() > 0) inner_->Poll(max_wait);
  return pending();
}

absl::Duration LocalZoneResolver::NextTimeout() {
  if (!ready_.empty()) return absl::ZeroDuration();
  return inner_ != nullptr ? inner_->NextTimeout() : absl::InfiniteDuration();
}

size_t LocalZoneResolver::Process(absl::Span<const FdEvents> ready) {
  Deliver();
  if (inner_ != nullptr && (inner_->pending() > 0 || !ready.empty())) {
    inner_->Process(ready);
  }
  return pending();
}

std::string LocalZoneResolver::Describe() const {
  return inner_ != nullptr ? inner_->Describe() : "local zone data";
}

}  // namespace dnsbl

#include "dnsbl/localzone/local_resolver.h"

#include <algorithm>
#include <array>
#include <optional>

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
                                        absl::string_view data) {
  const size_t colon = data.find(':');
  absl::StatusOr<DatasetType> type = ParseDatasetType(data.substr(0, colon));
  if (!type.ok()) return type.status();
  if (colon == absl::string_view::npos || colon + 1 == data.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("zone data ", QuoteInput(data), " for ", zone,
                     " is not TYPE:FILE[,FILE...]"));
  }
  absl::StatusOr<std::shared_ptr<const ZoneData>> loaded =
      LoadZoneData(*type, absl::StrSplit(data.substr(colon + 1), ','));
  if (!loaded.ok()) return loaded.status();
  std::string files = absl::StrJoin((*loaded)->files(), ",");
  return LocalZone{std::move(zone), *std::move(loaded), std::move(files)};
}

DnsResponse AnswerLocally(const LocalZone& zone, absl::string_view name,
                          RecordType type) {
  DnsResponse r;
  r.attempts = 1;
  r.data_file =
      zone.files.empty() ? absl::StrJoin(zone.data->files(), ",") : zone.files;
  r.data_mtime = zone.data->mtime();
  std::string lower(absl::StripSuffix(name, "."));
  absl::AsciiStrToLower(&lower);
  absl::string_view rest = lower;
  auto negative = [&](DnsOutcome outcome) {
    r.outcome = outcome;
    if (zone.data->has_soa()) r.soa_owner = zone.zone;
    return r;
  };
  if (rest == zone.zone) return negative(DnsOutcome::kNoData);
  if (!absl::ConsumeSuffix(&rest, zone.zone) ||
      !absl::ConsumeSuffix(&rest, ".")) {
    return negative(DnsOutcome::kNxDomain);
  }
  std::optional<IpAddress> ip = FromReversed(rest);
  if (!ip.has_value()) return negative(DnsOutcome::kNxDomain);
  if (type == RecordType::kA) {
    const ZoneData::AValues values = zone.data->LookupA(*ip);
    if (values.empty()) return negative(DnsOutcome::kNxDomain);
    for (uint32_t a : values) {
      r.records.push_back(absl::StrFormat(
          "%d.%d.%d.%d", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255));
    }
    r.ttl = zone.data->ttl();
    r.outcome = DnsOutcome::kAnswer;
    return r;
  }
  LocalAnswer answer = zone.data->Lookup(*ip);
  if (!answer.listed()) return negative(DnsOutcome::kNxDomain);
  if (type == RecordType::kTxt) {
    for (const LocalAnswer::Record& rec : answer.records) {
      if (!rec.txt.empty()) r.records.push_back(rec.txt);
    }
    r.outcome = r.records.empty() ? DnsOutcome::kNoData : DnsOutcome::kAnswer;
    if (r.records.empty() && zone.data->has_soa()) r.soa_owner = zone.zone;
    return r;
  }
  return negative(DnsOutcome::kNoData);
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
  inner_->Lookup(name, type, std::move(done));
}

void LocalZoneResolver::Deliver() {
  // Callbacks may ask again (TXT after A): those wait for the next round.
  std::deque<std::pair<DnsResponse, Callback>> due;
  due.swap(ready_);
  for (auto& [response, done] : due) done(std::move(response));
}

size_t LocalZoneResolver::Poll(absl::Duration max_wait) {
  if (!ready_.empty()) {
    Deliver();
    if (inner_->pending() > 0) inner_->Poll(absl::ZeroDuration());
    return pending();
  }
  if (inner_->pending() > 0) inner_->Poll(max_wait);
  return pending();
}

absl::Duration LocalZoneResolver::NextTimeout() {
  return ready_.empty() ? inner_->NextTimeout() : absl::ZeroDuration();
}

size_t LocalZoneResolver::Process(absl::Span<const FdEvents> ready) {
  Deliver();
  if (inner_->pending() > 0 || !ready.empty()) inner_->Process(ready);
  return pending();
}

std::string LocalZoneResolver::Describe() const { return inner_->Describe(); }

}  // namespace dnsbl

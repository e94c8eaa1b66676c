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
  std::vector<absl::string_view> parts = absl::StrSplit(labels, '.');
  if (parts.size() == 4) {
    uint32_t v = 0;
    for (size_t i = 0; i < 4; ++i) {
      uint32_t octet = 0;
      absl::string_view p = parts[3 - i];
      if (p.empty() || p.size() > 3 || !absl::SimpleAtoi(p, &octet) ||
          octet > 255 || !absl::ascii_isdigit(p[0])) {
        return std::nullopt;
      }
      v = (v << 8) | octet;
    }
    return IpAddress::FromIpv4(v);
  }
  if (parts.size() == 32) {
    std::array<uint8_t, 16> bytes{};
    for (size_t i = 0; i < 32; ++i) {
      absl::string_view p = parts[31 - i];
      if (p.size() != 1 || !absl::ascii_isxdigit(p[0])) return std::nullopt;
      const char h = absl::ascii_tolower(p[0]);
      const int nibble = absl::ascii_isdigit(h) ? h - '0' : h - 'a' + 10;
      bytes[i / 2] |= static_cast<uint8_t>(i % 2 == 0 ? nibble << 4 : nibble);
    }
    return IpAddress::FromIpv6(bytes);
  }
  return std::nullopt;
}

}  // namespace

absl::StatusOr<std::vector<LocalZone>> LoadLocalZones(
    const std::vector<std::string>& specs) {
  std::vector<LocalZone> zones;
  for (const std::string& spec : specs) {
    std::vector<std::string> f = absl::StrSplit(spec, absl::MaxSplits(':', 2));
    if (f.size() != 3 || f[0].empty() || f[2].empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "zone data ", QuoteInput(spec), " is not ZONE:TYPE:FILE[,FILE...]"));
    }
    std::string zone = absl::AsciiStrToLower(absl::StripSuffix(f[0], "."));
    if (absl::Status s = ValidateDnsName(zone, "zone"); !s.ok()) return s;
    for (const LocalZone& z : zones) {
      if (z.zone == zone) {
        return absl::InvalidArgumentError(
            absl::StrCat("zone data for ", zone, " is given twice"));
      }
    }
    absl::StatusOr<DatasetType> type = ParseDatasetType(f[1]);
    if (!type.ok()) return type.status();
    absl::StatusOr<std::shared_ptr<const ZoneData>> data =
        LoadZoneData(*type, absl::StrSplit(f[2], ','));
    if (!data.ok()) return data.status();
    zones.push_back({std::move(zone), *std::move(data)});
  }
  return zones;
}

DnsResponse AnswerLocally(const LocalZone& zone, absl::string_view name,
                          RecordType type) {
  DnsResponse r;
  r.attempts = 1;
  r.data_file = absl::StrJoin(zone.data->files(), ",");
  r.data_mtime = zone.data->mtime();
  std::string lower = absl::AsciiStrToLower(absl::StripSuffix(name, "."));
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
  LocalAnswer answer = zone.data->Lookup(*ip);
  if (!answer.listed()) return negative(DnsOutcome::kNxDomain);
  if (type == RecordType::kA) {
    for (const LocalAnswer::Record& rec : answer.records) {
      r.records.push_back(absl::StrFormat("%d.%d.%d.%d", rec.a >> 24,
                                          (rec.a >> 16) & 255,
                                          (rec.a >> 8) & 255, rec.a & 255));
    }
    r.ttl = zone.data->ttl();
    r.outcome = DnsOutcome::kAnswer;
    return r;
  }
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
    : zones_(std::move(zones)), inner_(std::move(inner)) {}

void LocalZoneResolver::Lookup(absl::string_view name, RecordType type,
                               Callback done) {
  for (const LocalZone& zone : zones_) {
    if (NameAtOrBelow(name, zone.zone)) {
      ++answered_locally_;
      ready_.emplace_back(AnswerLocally(zone, name, type), std::move(done));
      return;
    }
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

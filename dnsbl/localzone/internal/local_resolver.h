// dnsbl/localzone/internal/local_resolver.h
//
// Local zone data answered through the resolver seam: a Resolver that
// answers questions for names at or below its zones from their loaded data
// (dnsbl/localzone/internal/zone_data.h) exactly as rbldnsd would answer them,
// and passes every other question to the resolver it wraps. So a Checker or a
// bulk run can mix local and DNS zones, and everything above the seam
// (interpretation, health probes, reports) is unchanged; each answer says
// which file it came from. A caller that holds the address (the Checker's
// hot path) reads the same answer with AnswerAddressLocally(), without a
// query name built and parsed back.
//
// Example:
//
//   absl::StatusOr<dnsbl::LocalZone> zone = dnsbl::LoadLocalZone(
//       "relays.example", "ip4set:/srv/relays.zone", clock->Now());
//   dnsbl::DnsResponse a = dnsbl::AnswerAddressLocally(
//       *zone, *dnsbl::IpAddress::Parse("192.0.2.7"), dnsbl::RecordType::kA);
//   auto resolver = std::make_shared<dnsbl::LocalZoneResolver>(
//       std::vector<dnsbl::LocalZone>{*std::move(zone)}, dns_resolver);

#ifndef DNSBL_DNSBL_LOCALZONE_INTERNAL_LOCAL_RESOLVER_H_
#define DNSBL_DNSBL_LOCALZONE_INTERNAL_LOCAL_RESOLVER_H_

#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "dnsbl/dns/internal/resolver.h"
#include "dnsbl/localzone/internal/zone_data.h"

namespace dnsbl {

// A zone answered from local data: one dataset, or several, as rbldnsd
// serves a zone named more than once on its command line
// ("bl.example:ip4set:v4 bl.example:ip6trie:v6"). An address is listed when
// any dataset lists it; the answer holds every dataset's values in their
// order, each A value and each TXT text once, with the smallest TTL among
// the datasets that answered (as rbldnsd answers).
struct LocalZone {
  std::string zone;  // Lower case, no trailing dot.
  // In the order given; none for a zone answered over DNS.
  std::vector<std::shared_ptr<const ZoneData>> datasets;
  // Their files, comma-separated, as answers name them (set by
  // LoadLocalZone(), else derived on use).
  std::string files;

  // Returns true when the zone is answered locally.
  bool local() const { return !datasets.empty(); }

  // Starts loading what a lookup of `address` reads first, in every
  // dataset (ZoneData::Prefetch()).
  void Prefetch(const IpAddress& address) const {
    for (const auto& data : datasets) data->Prefetch(address);
  }

  // Returns true when some dataset lists `address` (the A question's
  // answer is not NXDOMAIN).
  bool Lists(const IpAddress& address) const {
    for (const auto& data : datasets) {
      if (!data->LookupA(address).empty()) return true;
    }
    return false;
  }
};

// One "ZONE:TYPE:FILE[,FILE...]" (rbldnsd's command-line syntax), split.
struct LocalZoneSpec {
  std::string zone;  // Lower case, no trailing dot.
  std::string data;  // "TYPE:FILE[,FILE...]", as Zone.local_data holds it.
};

// Splits `spec`; InvalidArgument naming it when malformed or the zone is
// not a valid name.
absl::StatusOr<LocalZoneSpec> ParseLocalZoneSpec(absl::string_view spec);

// Loads `zone`'s data as `data` says: "TYPE:FILE[,FILE...]", or several
// of these separated by spaces for a zone served from several datasets
// (Zone.local_data), as of `now` (for $TIMESTAMP). Returns
// InvalidArgument for an unknown type or a missing file list, NotFound for
// a file that cannot be read, FailedPrecondition for data rbldnsd would
// refuse ($TIMESTAMP in the future, expired).
absl::StatusOr<LocalZone> LoadLocalZone(std::string zone,
                                        absl::string_view data, absl::Time now);

// Loads every zone of `specs`, several files at once (one thread per core,
// joined before returning). Returns the zones in the order of `specs`, or
// the error of the first spec, in that order, that could not be loaded.
absl::StatusOr<std::vector<LocalZone>> LoadLocalZones(
    const std::vector<LocalZoneSpec>& specs, absl::Time now);

// Returns the answer `zone`'s data gives to the question (`name`, `type`)
// for a `name` at or below `zone.zone`: A and TXT of a reversed-address
// name, NXDOMAIN when not listed or not an address, NODATA for the zone's
// own name and other types; a negative answer carries the zone as its SOA
// owner when the data has $SOA.
DnsResponse AnswerLocally(const LocalZone& zone, absl::string_view name,
                          RecordType type);

// Returns the answer `zone`'s data gives to the question of `type` about
// `address` (the name `address` reversed under `zone.zone`), as
// AnswerLocally() would for that name; for callers that hold the address
// already and need no name built and parsed back.
DnsResponse AnswerAddressLocally(const LocalZone& zone,
                                 const IpAddress& address, RecordType type);

// Answers local zones itself and forwards the rest. Not thread-safe (as
// every Resolver); local answers are delivered in the next Poll() or
// Process(), never inside Lookup().
class LocalZoneResolver : public Resolver {
 public:
  // `inner` asks everything that is not local; when null, nothing else is
  // asked and such questions fail (kOtherError, never a negative answer):
  // for checkers whose every zone is local, one per thread.
  LocalZoneResolver(std::vector<LocalZone> zones,
                    std::shared_ptr<Resolver> inner);

  void Lookup(absl::string_view name, RecordType type, Callback done) override;
  size_t Poll(absl::Duration max_wait) override;
  size_t pending() const override {
    return ready_.size() + (inner_ != nullptr ? inner_->pending() : 0);
  }
  std::vector<FdEvents> Descriptors() const override {
    return inner_ != nullptr ? inner_->Descriptors() : std::vector<FdEvents>();
  }
  absl::Duration NextTimeout() override;
  size_t Process(absl::Span<const FdEvents> ready) override;
  std::string Describe() const override;
  ResolutionMode mode() const override {
    return inner_ != nullptr ? inner_->mode() : ResolutionMode::kLocal;
  }

  // How many questions were answered from local data.
  size_t answered_locally() const { return answered_locally_; }

 private:
  // Runs the callbacks of the local answers queued so far.
  void Deliver();

  // Returns the zone `name` is at or below, or null.
  const LocalZone* ZoneOf(absl::string_view name) const;

  std::vector<LocalZone> zones_;
  // Zone name -> index in zones_, to find a name's zone by its suffixes.
  absl::flat_hash_map<std::string, size_t> by_name_;
  std::shared_ptr<Resolver> inner_;
  std::deque<std::pair<DnsResponse, Callback>> ready_;
  size_t answered_locally_ = 0;
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_LOCALZONE_INTERNAL_LOCAL_RESOLVER_H_

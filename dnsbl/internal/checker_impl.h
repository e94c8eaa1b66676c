// dnsbl/internal/checker_impl.h (internal to the library)
//
// What a Checker does, behind its public face (dnsbl/checker.h): one
// report per address from every zone's answer, zone health probed once
// and used to judge answers, TXT reasons, contact sources. Built by
// CreateCheckerOver() (dnsbl/internal/checker_setup.h).
//
// Example:
//
//   auto impl = std::make_unique<dnsbl::CheckerImpl>(
//       std::move(zones), options, std::move(local.resolver),
//       std::move(local.by_zone), std::move(rdap));
//   dnsbl::Checker checker(std::move(impl));

#ifndef DNSBL_DNSBL_INTERNAL_CHECKER_IMPL_H_
#define DNSBL_DNSBL_INTERNAL_CHECKER_IMPL_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "dnsbl/base/address.h"
#include "dnsbl/base/clock.h"
#include "dnsbl/base/fd_events.h"
#include "dnsbl/base/setting_names.h"
#include "dnsbl/checker.h"
#include "dnsbl/contacts/internal/rdap_client.h"
#include "dnsbl/dns/internal/caching_resolver.h"
#include "dnsbl/dns/internal/resolver.h"
#include "dnsbl/localzone/internal/local_resolver.h"
#include "proto/dnsbl.pb.h"

namespace dnsbl {

// Not thread-safe, as Checker.
class CheckerImpl {
 public:
  using ReportCallback = Checker::ReportCallback;

  // Asks `zones` over `resolver` (not null), reading the zones whose
  // `local` entry has data from it; `rdap` (may be null) answers RDAP.
  CheckerImpl(std::vector<v1::Zone> zones, const CheckerOptions& options,
              std::shared_ptr<Resolver> resolver, std::vector<LocalZone> local,
              std::unique_ptr<RdapClient> rdap);
  ~CheckerImpl();

  // As Checker's methods of the same names.
  absl::StatusOr<v1::Report> Check(absl::string_view address);
  absl::StatusOr<std::vector<v1::Report>> CheckHost(
      absl::string_view address_or_host);
  void CheckAsync(const IpAddress& address, ReportCallback done);
  size_t Poll(absl::Duration max_wait);
  size_t pending() const;
  std::vector<FdEvents> Descriptors() const;
  absl::Duration NextTimeout();
  size_t Process(absl::Span<const FdEvents> ready);
  v1::HealthReport ProbeHealth();
  std::vector<v1::ZoneHealth> ProbedHealth() const;
  absl::Span<const v1::Zone> zones() const { return zones_; }
  const std::string& resolver_description() const { return resolver_name_; }
  ResolutionMode resolution() const { return resolver_->mode(); }
  const std::vector<std::string>& warnings() const { return warnings_; }
  int64_t local_answers() const { return local_answers_; }
  AnswerCacheStats answer_cache_stats() const {
    return cache_ != nullptr ? cache_->stats() : AnswerCacheStats();
  }
  // The answer cache among the resolvers (stats only; it answers through
  // `resolver_`).
  void set_answer_cache(std::shared_ptr<const CachingResolver> cache) {
    cache_ = std::move(cache);
  }

  // Returns true when the report of `address` is sure to be clean
  // (IsClean()), without building it: every zone that applies is read from
  // local data, its health known and usable, and no dataset lists the
  // address; its answers are counted in local_answers(). False says
  // nothing (check it). For bulk runs that write only findings.
  bool CleanWithoutReport(const IpAddress& address);

  // Advice from building the resolver (Checker::warnings()).
  void set_warnings(std::vector<std::string> warnings) {
    warnings_ = std::move(warnings);
  }

 private:
  struct CheckState;
  struct HealthSlot;
  struct AsNameSlot;

  // Checks `address` and waits for its report.
  v1::Report CheckNow(const IpAddress& address);

  void AskZone(std::shared_ptr<CheckState> state, size_t index);
  // Puts zone `index`'s A answer in its slot, then uses it once the zone's
  // health is known.
  void TakeAnswer(std::shared_ptr<CheckState> state, size_t index,
                  absl::Duration latency, std::string shown,
                  DnsResponse answer);
  // Finishes the checks in answered_at_once_.
  void DeliverAnsweredAtOnce();
  void UseAnswer(std::shared_ptr<CheckState> state, size_t index);
  void FinishZone(const std::shared_ptr<CheckState>& state);
  // Starts the contact lookups of `state` that `ask_` names; each ends in
  // one FinishZone().
  void AskContacts(const std::shared_ptr<CheckState>& state);
  void AskCymru(const std::shared_ptr<CheckState>& state, int slot);
  void AskAbusix(const std::shared_ptr<CheckState>& state, int slot);
  // Calls `then` with the answer to the AS name question of `asn`, asking
  // it only the first time.
  void WithAsName(uint32_t asn,
                  absl::AnyInvocable<void(const DnsResponse&)> then);
  void StartHealthProbe(size_t index);
  // Records one more health answer of zone `index`; classifies the zone
  // and runs its waiters once all are in.
  void HealthAnswered(size_t index);
  void WhenHealthKnown(size_t index, absl::AnyInvocable<void()> then);

  const std::vector<v1::Zone> zones_;
  // Per zone: why it is never asked ("" if it is); the name its questions
  // go below ("<key>.<zone>" for a zone with a key); and, for a zone with a
  // key, the same with the key masked, as reports show it ("" if none).
  std::vector<std::string> skip_reasons_;
  std::vector<std::string> asked_zones_;
  std::vector<std::string> shown_zones_;
  std::vector<HealthSlot> health_;
  std::map<uint32_t, AsNameSlot> as_names_;
  const bool fetch_txt_;
  const bool ask_cymru_;
  const bool ask_abusix_;
  const bool health_check_;
  const absl::Duration health_max_age_;
  const SettingNames setting_names_;
  const uint64_t seed_;
  Clock* const clock_;
  std::string resolver_name_;
  // Last, so it is released first: when the Checker holds the last
  // reference, pending callbacks are dropped before the zones they point
  // into go away.
  std::shared_ptr<Resolver> resolver_;
  // Null unless RDAP is asked. After resolver_, so it goes first.
  std::unique_ptr<RdapClient> rdap_;
  // Per zone, its local data (null `data`: asked over DNS). Local zones are
  // read here directly, not through `resolver_`: building a query name
  // per question only to parse it back, and a callback per answer, were
  // most of the cost of a bulk run over local data.
  std::vector<LocalZone> local_;
  // Checks whose every answer was read at once; their reports are
  // delivered by the next Poll() or Process(), never inside CheckAsync().
  std::vector<std::shared_ptr<CheckState>> answered_at_once_;
  int64_t local_answers_ = 0;
  std::shared_ptr<const CachingResolver> cache_;
  std::vector<std::string> warnings_;
  // For CleanWithoutReport(), per family (IPv4, IPv6): the zones to look
  // the address up in, once every zone's health is known and usable;
  // unset until then, or for good when some zone cannot be clean.
  struct CleanPath {
    bool known = false;
    bool possible = false;
    std::vector<const LocalZone*> zones;
  };
  CleanPath clean_path_[2];
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_INTERNAL_CHECKER_IMPL_H_

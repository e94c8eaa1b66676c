#include "dnsbl/internal/checker_impl.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "dnsbl/base/escape.h"
#include "dnsbl/contacts/internal/abusix.h"
#include "dnsbl/contacts/internal/contact_answers.h"
#include "dnsbl/contacts/internal/cymru.h"
#include "dnsbl/contacts/internal/rdap.h"
#include "dnsbl/dns/resolver_policy.h"
#include "dnsbl/internal/checker_setup.h"
#include "dnsbl/verdict/internal/health.h"
#include "dnsbl/verdict/internal/interpret.h"
#include "google/protobuf/util/time_util.h"

namespace dnsbl {
namespace {

void SetTimestamp(absl::Time t, google::protobuf::Timestamp* out) {
  *out = google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
      absl::ToUnixNanos(t));
}

v1::Resolution ResolutionOf(const Resolver& resolver) {
  switch (resolver.mode()) {
    case ResolutionMode::kDirect:
      return v1::DIRECT;
    case ResolutionMode::kLocal:
      return v1::LOCAL;
    default:
      return v1::RECURSIVE;
  }
}

// The three test points of HealthProbeAddresses() and the zone's own name.
constexpr int kHealthQuestions = 4;

}  // namespace

struct CheckerImpl::AsNameSlot {
  std::optional<DnsResponse> answer;
  // Run once `answer` is known. Without an answer, the question is out
  // exactly when someone waits for it.
  std::vector<absl::AnyInvocable<void(const DnsResponse&)>> waiters;
};

struct CheckerImpl::CheckState {
  IpAddress address;
  v1::Report report;
  size_t outstanding = 0;
  ReportCallback done;
};

// The health probe of one zone: started at most once per Checker.
struct CheckerImpl::HealthSlot {
  bool started = false;
  std::optional<v1::ZoneHealth> health;
  absl::Time known_at;      // When `health` was found.
  bool refreshing = false;  // Probing again; `health` holds meanwhile.
  std::vector<IpAddress> probes;
  std::vector<DnsResponse> answers;
  DnsResponse apex;
  int answered = 0;
  absl::Time sent;
  // Run once `health` is known.
  std::vector<absl::AnyInvocable<void()>> waiters;
};

CheckerImpl::CheckerImpl(std::vector<v1::Zone> zones,
                         const CheckerOptions& options,
                         std::shared_ptr<Resolver> resolver,
                         std::vector<LocalZone> local,
                         std::unique_ptr<RdapClient> rdap)
    : zones_(std::move(zones)),
      skip_reasons_(zones_.size()),
      asked_zones_(zones_.size()),
      shown_zones_(zones_.size()),
      health_(zones_.size()),
      fetch_txt_(options.fetch_txt),
      ask_cymru_(AsksSource(options, kCymruSource)),
      ask_abusix_(AsksSource(options, kAbusixSource)),
      health_check_(options.health_check),
      health_max_age_(options.health_max_age),
      setting_names_(options.setting_names),
      seed_(options.seed != 0 ? options.seed
                              : absl::Uniform<uint64_t>(absl::BitGen())),
      clock_(options.clock != nullptr ? options.clock : Clock::Real()),
      resolver_name_(resolver->Describe()),
      resolver_(std::move(resolver)),
      rdap_(std::move(rdap)),
      local_(std::move(local)) {
  local_.resize(zones_.size());  // None given: every zone over DNS.
  for (size_t i = 0; i < zones_.size(); ++i) {
    const v1::Zone& zone = zones_[i];
    std::optional<std::string> asked = AskedZoneName(zone, options.keys);
    asked_zones_[i] = asked.value_or(zone.name());
    if (zone.retired()) {
      skip_reasons_[i] = absl::StrCat("retired: ", zone.retired_note());
    } else if (!asked.has_value()) {
      skip_reasons_[i] = absl::StrCat(
          "needs a key: give ", options.setting_names.KeyFor(zone.key_name()));
    } else if (*asked != zone.name()) {
      shown_zones_[i] = absl::StrCat(MaskKey(options.keys.at(zone.key_name())),
                                     ".", zone.name());
    }
  }
}

CheckerImpl::~CheckerImpl() = default;

absl::StatusOr<v1::Report> CheckerImpl::Check(absl::string_view address) {
  absl::StatusOr<IpAddress> ip = IpAddress::Parse(address);
  if (!ip.ok()) return ip.status();
  return CheckNow(*ip);
}

v1::Report CheckerImpl::CheckNow(const IpAddress& address) {
  std::optional<v1::Report> result;
  CheckAsync(address, [&result](v1::Report r) { result = std::move(r); });
  while (!result.has_value()) Poll(absl::Seconds(1));
  return *std::move(result);
}

absl::StatusOr<std::vector<v1::Report>> CheckerImpl::CheckHost(
    absl::string_view address_or_host) {
  std::vector<v1::Report> reports;
  if (absl::Status s = ValidateAddressOrHost(address_or_host); !s.ok()) {
    return s;
  }
  if (LooksLikeIpAddress(address_or_host)) {
    absl::StatusOr<v1::Report> report = Check(address_or_host);
    if (!report.ok()) return report.status();
    reports.push_back(*std::move(report));
    return reports;
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
    reports.push_back(CheckNow(ip));
    reports.back().set_hostname(host);
  }
  return reports;
}

void CheckerImpl::CheckAsync(const IpAddress& address, ReportCallback done) {
  auto state = std::make_shared<CheckState>();
  state->address = address;
  state->done = std::move(done);
  state->report.set_address(address.ToString());
  state->report.set_resolver(resolver_name_);
  state->report.set_resolution(ResolutionOf(*resolver_));
  SetTimestamp(clock_->Now(), state->report.mutable_started());
  // One slot per zone, so results stay in catalog order whatever order the
  // answers come in.
  std::vector<size_t> to_ask;
  for (size_t i = 0; i < zones_.size(); ++i) {
    const v1::Zone& zone = zones_[i];
    if (!skip_reasons_[i].empty()) {
      *state->report.add_results() =
          SkippedResult(zone, address, skip_reasons_[i]);
    } else if (address.is_ipv4() && !zone.ipv4()) {
      *state->report.add_results() =
          SkippedResult(zone, address, "the zone lists only IPv6 addresses");
    } else if (!address.is_ipv4() && !zone.ipv6()) {
      *state->report.add_results() =
          SkippedResult(zone, address, "the zone has no IPv6 data");
    } else {
      // An empty slot: AskZone() fills all of it before the report is
      // done (no zone name copied here only to be replaced).
      state->report.add_results();
      to_ask.push_back(i);
    }
  }
  // The count is final before the first answer can arrive (a lookup may
  // fail at once); the extra 1 is released below.
  state->outstanding = to_ask.size() + 1 + (ask_cymru_ ? 1 : 0) +
                       (ask_abusix_ ? 1 : 0) + (rdap_ != nullptr ? 1 : 0);
  for (size_t i : to_ask) {
    local_[i].Prefetch(address);
  }
  for (size_t i : to_ask) AskZone(state, i);
  AskContacts(state);
  if (state->outstanding == 1) {
    // Every answer is in (local data): the report waits for Poll().
    answered_at_once_.push_back(std::move(state));
    return;
  }
  FinishZone(state);
}

bool CheckerImpl::CleanWithoutReport(const IpAddress& address) {
  CleanPath& path = clean_path_[address.is_ipv4() ? 0 : 1];
  if (!path.known) {
    std::vector<const LocalZone*> zones;
    for (size_t i = 0; i < zones_.size(); ++i) {
      const v1::Zone& zone = zones_[i];
      const bool applies = skip_reasons_[i].empty() &&
                           (address.is_ipv4() ? zone.ipv4() : zone.ipv6());
      if (!applies) continue;  // SKIPPED without an error: still clean.
      if (!local_[i].local()) return false;  // Answered over DNS: never.
      if (health_check_) {
        if (!health_[i].health.has_value()) return false;  // Not yet known.
        if (!HealthUsable(health_[i].health->state())) {
          path.known = true;  // Unhealthy for the run: never clean.
          return false;
        }
      }
      zones.push_back(&local_[i]);
    }
    path.known = true;
    path.possible = true;
    path.zones = std::move(zones);
  }
  if (!path.possible) return false;
  for (const LocalZone* zone : path.zones) zone->Prefetch(address);
  for (const LocalZone* zone : path.zones) {
    ++local_answers_;
    if (zone->Lists(address)) return false;
  }
  return true;
}

void CheckerImpl::DeliverAnsweredAtOnce() {
  // `done` may start checks that are answered at once too: they wait for
  // the next round.
  std::vector<std::shared_ptr<CheckState>> due;
  due.swap(answered_at_once_);
  for (const std::shared_ptr<CheckState>& state : due) FinishZone(state);
}

void CheckerImpl::AskZone(std::shared_ptr<CheckState> state, size_t index) {
  if (health_check_) StartHealthProbe(index);
  if (local_[index].local()) {
    ++local_answers_;
    DnsResponse answer =
        AnswerAddressLocally(local_[index], state->address, RecordType::kA);
    // No round trip: the latency is zero.
    TakeAnswer(std::move(state), index, absl::ZeroDuration(), std::string(),
               std::move(answer));
    return;
  }
  absl::Time sent = clock_->Now();
  // What reports show of a name with a key: the key masked. Without one,
  // InterpretAnswer() names the query already.
  std::string shown;
  if (!shown_zones_[index].empty()) {
    shown = state->address.QueryName(shown_zones_[index]);
  }
  resolver_->Lookup(state->address.QueryName(asked_zones_[index]),
                    RecordType::kA,
                    [this, state, index, sent,
                     shown = std::move(shown)](DnsResponse answer) mutable {
                      TakeAnswer(std::move(state), index, clock_->Now() - sent,
                                 std::move(shown), std::move(answer));
                    });
}

void CheckerImpl::TakeAnswer(std::shared_ptr<CheckState> state, size_t index,
                             absl::Duration latency, std::string shown,
                             DnsResponse answer) {
  v1::ZoneResult result =
      InterpretAnswer(zones_[index], state->address, answer);
  if (!shown.empty()) result.set_query(std::move(shown));
  result.set_latency_ms(absl::ToDoubleMilliseconds(latency));
  *state->report.mutable_results(index) = std::move(result);
  // Once the zone's health is known (every question after the first few),
  // the answer is used at once, without a deferred callback.
  if (!health_check_ || health_[index].health.has_value()) {
    UseAnswer(std::move(state), index);
    return;
  }
  WhenHealthKnown(index, [this, state, index]() mutable {
    UseAnswer(std::move(state), index);
  });
}

void CheckerImpl::UseAnswer(std::shared_ptr<CheckState> state, size_t index) {
  v1::ZoneResult* slot = state->report.mutable_results(index);
  if (health_check_) {
    const v1::ZoneHealth& health = *health_[index].health;
    slot->set_health(health.state());
    bool answered =
        slot->status() == v1::LISTED || slot->status() == v1::NOT_LISTED;
    if (!HealthUsable(health.state()) && answered) {
      // The answer stays in `codes` for the record, but is not used. (An
      // ERROR or REFUSED answer already says it is unusable.)
      slot->set_status(v1::SKIPPED);
      slot->set_error(v1::UNHEALTHY_ZONE);
      slot->clear_categories();
      slot->clear_meanings();
      slot->set_detail(absl::StrCat("answer not used: zone health is ",
                                    v1::HealthState_Name(health.state()), ": ",
                                    health.detail()));
      FinishZone(state);
      return;
    }
  }
  // A zone with a TXT guard needs its reason to confirm the listing.
  const bool guarded = !zones_[index].txt_must_contain().empty();
  if (slot->status() != v1::LISTED || !(fetch_txt_ || guarded)) {
    FinishZone(state);
    return;
  }
  if (local_[index].local()) {
    ++local_answers_;
    *slot = ApplyTxtGuard(
        zones_[index],
        AttachTxt(std::move(*slot),
                  AnswerAddressLocally(local_[index], state->address,
                                       RecordType::kTxt)));
    FinishZone(state);
    return;
  }
  resolver_->Lookup(
      state->address.QueryName(asked_zones_[index]), RecordType::kTxt,
      [this, state, index](DnsResponse txt) {
        v1::ZoneResult* slot = state->report.mutable_results(index);
        *slot = ApplyTxtGuard(zones_[index], AttachTxt(std::move(*slot), txt));
        FinishZone(state);
      });
}

void CheckerImpl::FinishZone(const std::shared_ptr<CheckState>& state) {
  if (--state->outstanding > 0) return;
  // Sources answer in any order; reports list them by source name.
  auto by_source = [](const auto& a, const auto& b) {
    return a.source() < b.source();
  };
  std::stable_sort(state->report.mutable_networks()->begin(),
                   state->report.mutable_networks()->end(), by_source);
  std::stable_sort(state->report.mutable_contacts()->begin(),
                   state->report.mutable_contacts()->end(), by_source);
  *state->report.mutable_summary() = Summarize(state->report.results());
  SetTimestamp(clock_->Now(), state->report.mutable_finished());
  ReportCallback done = std::move(state->done);
  done(std::move(state->report));
}

void CheckerImpl::AskContacts(const std::shared_ptr<CheckState>& state) {
  // Slots in a fixed order, so reports do not depend on which answers
  // first.
  int cymru = -1;
  int abusix = -1;
  if (ask_cymru_) {
    cymru = state->report.contact_sources_size();
    state->report.add_contact_sources()->set_source(kCymruSource);
  }
  if (ask_abusix_) {
    abusix = state->report.contact_sources_size();
    state->report.add_contact_sources()->set_source(kAbusixSource);
  }
  if (rdap_ != nullptr) {
    const int rdap = state->report.contact_sources_size();
    state->report.add_contact_sources()->set_source(kRdapSource);
    rdap_->Lookup(state->address, [this, state, rdap](const RdapAnswer& a) {
      *state->report.mutable_contact_sources(rdap) = a.source;
      if (a.network.has_value()) *state->report.add_networks() = *a.network;
      for (const v1::Contact& contact : a.contacts) {
        *state->report.add_contacts() = contact;
      }
      FinishZone(state);
    });
  }
  if (cymru >= 0) AskCymru(state, cymru);
  if (abusix >= 0) AskAbusix(state, abusix);
}

void CheckerImpl::AskCymru(const std::shared_ptr<CheckState>& state, int slot) {
  resolver_->Lookup(
      CymruOriginQuery(state->address), RecordType::kTxt,
      [this, state, slot](DnsResponse txt) {
        CymruAnswer answer = InterpretCymruOrigin(state->address, txt);
        *state->report.mutable_contact_sources(slot) = std::move(answer.source);
        if (!answer.network.has_value()) {
          FinishZone(state);
          return;
        }
        const uint32_t asn = answer.network->asn();
        WithAsName(asn, [this, state, network = *std::move(answer.network)](
                            const DnsResponse& name) mutable {
          *state->report.add_networks() =
              WithCymruAsName(std::move(network), name);
          FinishZone(state);
        });
      });
}

void CheckerImpl::AskAbusix(const std::shared_ptr<CheckState>& state,
                            int slot) {
  resolver_->Lookup(
      AbusixContactQuery(state->address), RecordType::kTxt,
      [this, state, slot](DnsResponse txt) {
        AbusixAnswer answer = InterpretAbusix(state->address, txt);
        *state->report.mutable_contact_sources(slot) = std::move(answer.source);
        for (v1::Contact& contact : answer.contacts) {
          *state->report.add_contacts() = std::move(contact);
        }
        FinishZone(state);
      });
}

void CheckerImpl::WithAsName(
    uint32_t asn, absl::AnyInvocable<void(const DnsResponse&)> then) {
  AsNameSlot& slot = as_names_[asn];
  if (slot.answer.has_value()) {
    then(*slot.answer);
    return;
  }
  slot.waiters.push_back(std::move(then));
  if (slot.waiters.size() > 1) return;
  resolver_->Lookup(
      CymruAsNameQuery(asn), RecordType::kTxt, [this, asn](DnsResponse answer) {
        AsNameSlot& slot = as_names_[asn];
        slot.answer = std::move(answer);
        std::vector<absl::AnyInvocable<void(const DnsResponse&)>> waiters;
        waiters.swap(slot.waiters);
        for (auto& waiter : waiters) waiter(*slot.answer);
      });
}

void CheckerImpl::StartHealthProbe(size_t index) {
  HealthSlot& slot = health_[index];
  if (slot.started) {
    // Known and stale: probe again, the old verdict holding until then.
    if (!slot.health.has_value() || slot.refreshing ||
        clock_->Now() - slot.known_at <= health_max_age_) {
      return;
    }
    slot.refreshing = true;
    slot.answered = 0;
  }
  slot.started = true;
  slot.probes = HealthProbeAddresses(zones_[index], seed_ + index);
  slot.answers.assign(slot.probes.size(), DnsResponse());
  slot.sent = clock_->Now();
  for (size_t j = 0; j < slot.probes.size(); ++j) {
    resolver_->Lookup(slot.probes[j].QueryName(asked_zones_[index]),
                      RecordType::kA, [this, index, j](DnsResponse answer) {
                        health_[index].answers[j] = std::move(answer);
                        HealthAnswered(index);
                      });
  }
  // The zone's own name, as it is asked (with its key): a resolver that
  // cannot see the blocklist says it does not exist.
  resolver_->Lookup(asked_zones_[index], RecordType::kA,
                    [this, index](DnsResponse answer) {
                      health_[index].apex = std::move(answer);
                      HealthAnswered(index);
                    });
}

void CheckerImpl::HealthAnswered(size_t index) {
  HealthSlot& slot = health_[index];
  if (++slot.answered < kHealthQuestions) return;
  v1::ZoneHealth health =
      ClassifyHealth(zones_[index], slot.probes, slot.answers, slot.apex);
  health.set_latency_ms(absl::ToDoubleMilliseconds(clock_->Now() - slot.sent));
  slot.health = std::move(health);
  slot.known_at = clock_->Now();
  slot.refreshing = false;
  std::vector<absl::AnyInvocable<void()>> waiters;
  waiters.swap(slot.waiters);
  for (auto& waiter : waiters) waiter();
}

void CheckerImpl::WhenHealthKnown(size_t index,
                                  absl::AnyInvocable<void()> then) {
  if (health_[index].health.has_value()) {
    then();
  } else {
    health_[index].waiters.push_back(std::move(then));
  }
}

v1::HealthReport CheckerImpl::ProbeHealth() {
  v1::HealthReport report;
  report.set_resolver(resolver_name_);
  report.set_resolution(ResolutionOf(*resolver_));
  SetTimestamp(clock_->Now(), report.mutable_started());
  for (const std::string& w : warnings_) report.add_warnings(w);
  for (size_t i = 0; i < zones_.size(); ++i) {
    if (skip_reasons_[i].empty()) StartHealthProbe(i);
  }
  while (resolver_->pending() > 0) resolver_->Poll(absl::Seconds(1));
  std::vector<std::string> refusing;
  for (size_t i = 0; i < zones_.size(); ++i) {
    v1::ZoneHealth* health = report.add_zones();
    if (health_[i].health.has_value()) {
      *health = *health_[i].health;
      if (health->state() == v1::REFUSING) refusing.push_back(health->zone());
    } else {
      health->set_zone(zones_[i].name());
      health->set_detail(absl::StrCat("not probed: ", skip_reasons_[i]));
    }
  }
  for (std::string& w :
       ResolverWarnings(resolver_name_, refusing, setting_names_)) {
    report.add_warnings(std::move(w));
  }
  for (std::string& w :
       PathWarnings(resolver_name_, ProbedHealth(), setting_names_)) {
    report.add_warnings(std::move(w));
  }
  SetTimestamp(clock_->Now(), report.mutable_finished());
  return report;
}

std::vector<v1::ZoneHealth> CheckerImpl::ProbedHealth() const {
  std::vector<v1::ZoneHealth> known;
  for (const HealthSlot& slot : health_) {
    if (slot.health.has_value()) known.push_back(*slot.health);
  }
  return known;
}

size_t CheckerImpl::Poll(absl::Duration max_wait) {
  if (!answered_at_once_.empty()) {
    DeliverAnsweredAtOnce();
    max_wait = absl::ZeroDuration();
  }
  if (rdap_ == nullptr || rdap_->pending() == 0) {
    resolver_->Poll(max_wait);
    return pending();
  }
  // Both the DNS and the HTTPS side have work: one wait over both.
  return Process(
      WaitForEvents(Descriptors(), std::min(max_wait, NextTimeout())));
}

size_t CheckerImpl::pending() const {
  return answered_at_once_.size() + resolver_->pending() +
         (rdap_ != nullptr ? rdap_->pending() : 0);
}

std::vector<FdEvents> CheckerImpl::Descriptors() const {
  std::vector<FdEvents> watch = resolver_->Descriptors();
  if (rdap_ != nullptr) {
    for (const FdEvents& e : rdap_->Descriptors()) watch.push_back(e);
  }
  return watch;
}

absl::Duration CheckerImpl::NextTimeout() {
  if (!answered_at_once_.empty()) return absl::ZeroDuration();
  absl::Duration wait = resolver_->NextTimeout();
  if (rdap_ != nullptr && rdap_->pending() > 0) {
    wait = std::min(wait, rdap_->NextTimeout());
  }
  return wait;
}

size_t CheckerImpl::Process(absl::Span<const FdEvents> ready) {
  DeliverAnsweredAtOnce();
  if (rdap_ == nullptr) return resolver_->Process(ready);
  // Each side gets the descriptors it watches.
  std::vector<FdEvents> dns;
  std::vector<FdEvents> http;
  const std::vector<FdEvents> http_watch = rdap_->Descriptors();
  for (const FdEvents& e : ready) {
    const bool is_http =
        std::any_of(http_watch.begin(), http_watch.end(),
                    [&](const FdEvents& w) { return w.fd == e.fd; });
    (is_http ? http : dns).push_back(e);
  }
  resolver_->Process(dns);
  if (rdap_->pending() > 0 || !http.empty()) rdap_->Process(http);
  return pending();
}

}  // namespace dnsbl

#include "dnsbl/dns/direct_resolver.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "dnsbl/dns/ares_resolver.h"
#include "dnsbl/dns/delegation_cache.h"
#include "dnsbl/dns/dns_message.h"

namespace dnsbl {
namespace {

// A zone whose servers could not be found is tried again after this.
constexpr absl::Duration kRetryFailedFind = absl::Seconds(30);

std::string QuestionKey(absl::string_view name, RecordType type) {
  return absl::StrCat(name, "/", static_cast<int>(type));
}

// Whether a zone's server answered with authority: records, or a negative
// answer with the AA bit that is no referral and no dangling alias.
bool Authoritative(const DnsResponse& r) {
  if (r.outcome == DnsOutcome::kAnswer) return true;
  if (r.outcome != DnsOutcome::kNxDomain && r.outcome != DnsOutcome::kNoData) {
    return false;
  }
  return r.authoritative && !r.referral && !r.alias_only;
}

// Whether the server answered, but without authority for the name.
bool WithoutAuthority(const DnsResponse& r) {
  return (r.outcome == DnsOutcome::kNxDomain ||
          r.outcome == DnsOutcome::kNoData) &&
         !Authoritative(r);
}

}  // namespace

struct DirectResolver::Pending {
  std::string name;
  RecordType type = RecordType::kA;
  int zone = -1;
  Callback done;
  // Servers asked by this lookup, by index in the zone's server list.
  std::vector<size_t> tried;
  int attempts = 0;
  // Some server answered without authority: if none answers with it, the
  // Recursor resolves the question.
  bool without_authority = false;
  DnsResponse last_failure;
};

struct DirectResolver::Zone {
  std::string name;
  std::optional<Delegation> delegation;
  // Flattened from `delegation`: each address with its server's name.
  std::vector<std::string> addresses;
  std::vector<std::string> server_names;
  std::vector<Endpoint> endpoints;
  // Counts delegations used, so an answer from a replaced server list is
  // not taken for one of the new list.
  uint64_t generation = 0;
  bool finding = false;
  // Set when the last search failed: NotFound (resolved by the
  // Recursor) or another error (questions fail with it).
  absl::Status failure;
  absl::Time retry_at = absl::InfinitePast();
  std::vector<std::unique_ptr<Pending>> waiting;
};

struct DirectResolver::Question {
  std::vector<std::string> asked;
  int lookups = 0;
  bool answered = false;
};

absl::StatusOr<std::unique_ptr<DirectResolver>> DirectResolver::Create(
    DirectResolverOptions options, std::unique_ptr<Recursor> recursor,
    std::unique_ptr<ServerPool> pool) {
  if (recursor == nullptr || pool == nullptr) {
    return absl::InvalidArgumentError(
        "direct resolution needs a recursor and a server pool");
  }
  if (options.max_servers_per_question < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_servers_per_question must be at least 1, not ",
                     options.max_servers_per_question));
  }
  for (std::string& zone : options.zones) {
    if (absl::Status s = ValidateDnsName(zone, "zone"); !s.ok()) return s;
    absl::AsciiStrToLower(&zone);
    if (!zone.empty() && zone.back() == '.') zone.pop_back();
  }
  std::sort(options.zones.begin(), options.zones.end());
  options.zones.erase(std::unique(options.zones.begin(), options.zones.end()),
                      options.zones.end());
  return std::unique_ptr<DirectResolver>(new DirectResolver(
      std::move(options), std::move(recursor), std::move(pool)));
}

DirectResolver::DirectResolver(DirectResolverOptions options,
                               std::unique_ptr<Recursor> recursor,
                               std::unique_ptr<ServerPool> pool)
    : options_(std::move(options)),
      clock_(options_.clock != nullptr ? options_.clock : Clock::Real()),
      recursor_(std::move(recursor)),
      pool_(std::move(pool)),
      finder_(recursor_.get(), clock_),
      selection_(clock_) {
  zones_.resize(options_.zones.size());
  for (size_t i = 0; i < zones_.size(); ++i) zones_[i].name = options_.zones[i];
  if (options_.delegation_cache.empty()) return;
  const absl::Time now = clock_->Now();
  absl::StatusOr<DelegationCacheContents> cached = ReadDelegationCache(
      options_.delegation_cache, options_.hints.Fingerprint(), now);
  if (!cached.ok()) {
    warnings_.push_back(absl::StrCat(cached.status().message(),
                                     "; ignored, and rewritten after this "
                                     "run"));
    cache_dirty_ = true;
    return;
  }
  root_unreachable_until_ = cached->root_unreachable_until;
  size_t from_cache = 0;
  for (Delegation& d : cached->delegations) {
    auto it =
        std::lower_bound(options_.zones.begin(), options_.zones.end(), d.zone);
    if (it == options_.zones.end() || *it != d.zone) continue;
    UseDelegation(static_cast<size_t>(it - options_.zones.begin()),
                  std::move(d));
    ++from_cache;
  }
  all_from_cache_ = !zones_.empty() && from_cache == zones_.size();
}

DirectResolver::~DirectResolver() {
  if (cache_dirty_) SaveCache();
}

std::string DirectResolver::Describe() const {
  return absl::StrCat("direct from ", options_.hints.source());
}

std::optional<Delegation> DirectResolver::DelegationOf(
    absl::string_view zone) const {
  for (const Zone& z : zones_) {
    if (z.name == zone) return z.delegation;
  }
  return std::nullopt;
}

int DirectResolver::ZoneIndex(absl::string_view name) const {
  int best = -1;
  size_t best_size = 0;
  for (size_t i = 0; i < zones_.size(); ++i) {
    const std::string& zone = zones_[i].name;
    if ((best < 0 || zone.size() > best_size) && NameAtOrBelow(name, zone)) {
      best = static_cast<int>(i);
      best_size = zone.size();
    }
  }
  return best;
}

void DirectResolver::Lookup(absl::string_view name, RecordType type,
                            Callback done) {
  auto lookup = std::make_unique<Pending>();
  lookup->name = absl::AsciiStrToLower(name);
  if (!lookup->name.empty() && lookup->name.back() == '.') {
    lookup->name.pop_back();
  }
  lookup->type = type;
  lookup->done = std::move(done);
  lookup->zone = ZoneIndex(lookup->name);
  ++pending_;
  Question& question = questions_[QuestionKey(lookup->name, type)];
  ++question.lookups;
  Route(std::move(lookup));
}

void DirectResolver::Route(std::unique_ptr<Pending> lookup) {
  if (lookup->zone < 0) return Recurse(std::move(lookup));
  const size_t index = static_cast<size_t>(lookup->zone);
  Zone& zone = zones_[index];
  const absl::Time now = clock_->Now();
  if (zone.delegation.has_value()) {
    // An expired delegation is still used while it is refreshed: its
    // servers most likely still answer, and nothing waits on the root.
    if (zone.delegation->expires <= now && !zone.finding &&
        zone.retry_at <= now) {
      StartFind(index);
    }
    return Send(std::move(lookup));
  }
  if (!zone.failure.ok() && (zone.retry_at > now || zone.finding)) {
    if (absl::IsNotFound(zone.failure) ||
        absl::IsFailedPrecondition(zone.failure)) {
      // The zone does not exist, or is an alias: the Recursor answers
      // with what the hierarchy says.
      return Recurse(std::move(lookup));
    }
    DnsResponse failure;
    failure.outcome = DnsOutcome::kNoServers;
    failure.error = std::string(zone.failure.message());
    return Finish(std::move(lookup), std::move(failure));
  }
  zone.waiting.push_back(std::move(lookup));
  if (!zone.finding) StartFind(index);
}

void DirectResolver::Send(std::unique_ptr<Pending> lookup) {
  Zone& zone = zones_[static_cast<size_t>(lookup->zone)];
  const std::string key = QuestionKey(lookup->name, lookup->type);
  Question& question = questions_[key];
  std::vector<std::string> exclude;
  for (size_t i : lookup->tried) exclude.push_back(zone.addresses[i]);
  std::optional<std::string> chosen;
  if (lookup->tried.size() <
      static_cast<size_t>(options_.max_servers_per_question)) {
    chosen =
        selection_.Choose(zone.name, zone.addresses, exclude, question.asked);
  }
  if (!chosen.has_value()) return GiveUp(std::move(lookup));
  const size_t server = static_cast<size_t>(
      std::find(zone.addresses.begin(), zone.addresses.end(), *chosen) -
      zone.addresses.begin());
  lookup->tried.push_back(server);
  question.asked.push_back(*chosen);
  const Endpoint endpoint = zone.endpoints[server];
  const std::string name = lookup->name;
  const RecordType type = lookup->type;
  const absl::Time sent = clock_->Now();
  pool_->Ask(endpoint, name, type,
             [this, lookup = std::move(lookup), server, sent,
              generation = zone.generation](DnsResponse response) mutable {
               OnServerAnswer(std::move(lookup), server, generation, sent,
                              std::move(response));
             });
}

void DirectResolver::OnServerAnswer(std::unique_ptr<Pending> lookup,
                                    size_t server, uint64_t generation,
                                    absl::Time sent, DnsResponse response) {
  Zone& zone = zones_[static_cast<size_t>(lookup->zone)];
  // The zone's servers may have been replaced meanwhile (a refresh).
  const bool same_servers = generation == zone.generation;
  const std::string address = same_servers ? zone.addresses[server] : "";
  lookup->attempts += std::max(1, response.attempts);
  if (Authoritative(response)) {
    if (same_servers) {
      selection_.Answered(address, clock_->Now() - sent);
      response.server_name = zone.server_names[server];
      response.server_address = address;
    }
    response.attempts = lookup->attempts;
    auto it = questions_.find(QuestionKey(lookup->name, lookup->type));
    if (it != questions_.end()) it->second.answered = true;
    return Finish(std::move(lookup), std::move(response));
  }
  if (same_servers) {
    switch (response.outcome) {
      case DnsOutcome::kTimeout:
      case DnsOutcome::kNetworkError:
        selection_.Dead(address);
        break;
      default:
        selection_.Lame(zone.name, address);
        break;
    }
  }
  if (WithoutAuthority(response)) lookup->without_authority = true;
  lookup->last_failure = std::move(response);
  if (lookup->last_failure.outcome == DnsOutcome::kTimeout) {
    auto it = questions_.find(QuestionKey(lookup->name, lookup->type));
    if (it != questions_.end() && it->second.answered) {
      // Another copy got its answer: this one need not go on.
      return GiveUp(std::move(lookup));
    }
  }
  if (!same_servers) lookup->tried.clear();
  Send(std::move(lookup));
}

void DirectResolver::GiveUp(std::unique_ptr<Pending> lookup) {
  if (lookup->without_authority) return Recurse(std::move(lookup));
  DnsResponse failure = std::move(lookup->last_failure);
  failure.attempts = std::max(1, lookup->attempts);
  Finish(std::move(lookup), std::move(failure));
}

void DirectResolver::Recurse(std::unique_ptr<Pending> lookup) {
  const std::string name = lookup->name;
  const RecordType type = lookup->type;
  recursor_->Resolve(
      name, static_cast<uint16_t>(type),
      [this, lookup = std::move(lookup)](RecursorAnswer answer) mutable {
        DnsResponse response;
        if (answer.status.ok()) {
          response = ParseDnsAnswer(lookup->type, answer.packet);
        } else {
          response.outcome = absl::IsDeadlineExceeded(answer.status)
                                 ? DnsOutcome::kTimeout
                                 : DnsOutcome::kOtherError;
          response.error = std::string(answer.status.message());
        }
        response.attempts = lookup->attempts + 1;
        Finish(std::move(lookup), std::move(response));
      });
}

void DirectResolver::Finish(std::unique_ptr<Pending> lookup,
                            DnsResponse response) {
  auto it = questions_.find(QuestionKey(lookup->name, lookup->type));
  if (it != questions_.end() && --it->second.lookups <= 0) {
    questions_.erase(it);
  }
  --pending_;
  Callback done = std::move(lookup->done);
  lookup.reset();
  done(std::move(response));
}

void DirectResolver::StartFind(size_t index) {
  zones_[index].finding = true;
  ++finding_;
  finder_.Find(zones_[index].name,
               [this, index](absl::StatusOr<Delegation> found) {
                 OnFound(index, std::move(found));
               });
}

void DirectResolver::OnFound(size_t index, absl::StatusOr<Delegation> found) {
  Zone& zone = zones_[index];
  zone.finding = false;
  --finding_;
  if (found.ok()) {
    UseDelegation(index, *std::move(found));
    cache_dirty_ = true;
  } else {
    zone.retry_at = clock_->Now() + kRetryFailedFind;
    // A known delegation outlives a failed refresh: its servers are
    // asked until they stop answering.
    if (!zone.delegation.has_value()) zone.failure = found.status();
  }
  std::vector<std::unique_ptr<Pending>> waiting;
  waiting.swap(zone.waiting);
  for (std::unique_ptr<Pending>& lookup : waiting) Route(std::move(lookup));
  if (finding_ == 0 && cache_dirty_) SaveCache();
}

void DirectResolver::UseDelegation(size_t index, Delegation delegation) {
  Zone& zone = zones_[index];
  zone.failure = absl::OkStatus();
  zone.addresses.clear();
  zone.server_names.clear();
  zone.endpoints.clear();
  for (const NameServer& server : delegation.servers) {
    for (const IpAddress& ip : server.addresses) {
      zone.addresses.push_back(ip.ToString());
      zone.server_names.push_back(server.name);
      zone.endpoints.push_back(Endpoint{ip, 53});
    }
  }
  zone.delegation = std::move(delegation);
  ++zone.generation;
}

void DirectResolver::SaveCache() {
  cache_dirty_ = false;
  if (options_.delegation_cache.empty()) return;
  DelegationCacheContents contents;
  contents.root_unreachable_until = root_unreachable_until_;
  for (const Zone& zone : zones_) {
    if (zone.delegation.has_value()) {
      contents.delegations.push_back(*zone.delegation);
    }
  }
  absl::Status saved = WriteDelegationCache(options_.delegation_cache,
                                            options_.hints.Fingerprint(),
                                            contents, clock_->Now());
  if (!saved.ok()) {
    warnings_.push_back(
        absl::StrCat("delegation cache not saved: ", saved.message()));
  }
}

void DirectResolver::RunUntil(const bool& done) {
  while (!done && pending() > 0) Poll(absl::Seconds(1));
}

void DirectResolver::FindAll() {
  const absl::Time now = clock_->Now();
  for (size_t i = 0; i < zones_.size(); ++i) {
    const Zone& zone = zones_[i];
    const bool fresh =
        zone.delegation.has_value() && zone.delegation->expires > now;
    if (!fresh && !zone.finding) StartFind(i);
  }
  while (finding_ > 0) Poll(absl::Seconds(1));
}

absl::Status DirectResolver::ProbeRoot() {
  bool done = false;
  absl::Status result;
  recursor_->Resolve("", kDnsNs, [&](RecursorAnswer answer) {
    done = true;
    if (!answer.status.ok()) {
      result = absl::UnavailableError(answer.status.message());
      return;
    }
    absl::StatusOr<DnsMessage> m = ParseDnsMessage(answer.packet);
    if (!m.ok() || m->rcode != kRcodeNoError || m->answers.empty()) {
      result = absl::UnavailableError(
          m.ok() ? absl::StrCat("the root's NS set came back with rcode ",
                                m->rcode)
                 : std::string(m.status().message()));
    }
  });
  RunUntil(done);
  return result;
}

void DirectResolver::RememberRootUnreachable(absl::Duration how_long) {
  root_unreachable_until_ = clock_->Now() + how_long;
  cache_dirty_ = true;
  SaveCache();
}

size_t DirectResolver::Poll(absl::Duration max_wait) {
  return WaitAndProcess(*this, max_wait);
}

std::vector<FdEvents> DirectResolver::Descriptors() const {
  std::vector<FdEvents> watch = pool_->Descriptors();
  for (const FdEvents& e : recursor_->Descriptors()) watch.push_back(e);
  return watch;
}

absl::Duration DirectResolver::NextTimeout() {
  absl::Duration wait = absl::InfiniteDuration();
  if (pool_->pending() > 0) wait = std::min(wait, pool_->NextTimeout());
  if (recursor_->pending() > 0) {
    wait = std::min(wait, recursor_->NextTimeout());
  }
  return wait;
}

size_t DirectResolver::Process(absl::Span<const FdEvents> ready) {
  std::vector<FdEvents> recursor_ready;
  std::vector<FdEvents> pool_ready;
  const std::vector<FdEvents> recursor_watch = recursor_->Descriptors();
  for (const FdEvents& e : ready) {
    const bool ours =
        std::any_of(recursor_watch.begin(), recursor_watch.end(),
                    [&](const FdEvents& w) { return w.fd == e.fd; });
    (ours ? recursor_ready : pool_ready).push_back(e);
  }
  if (recursor_->pending() > 0) recursor_->Process(recursor_ready);
  if (pool_->pending() > 0 || !pool_ready.empty()) pool_->Process(pool_ready);
  return pending();
}

}  // namespace dnsbl

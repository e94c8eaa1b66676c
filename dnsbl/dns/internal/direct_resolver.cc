#include "dnsbl/dns/internal/direct_resolver.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/hash/hash.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "dnsbl/dns/internal/ares_resolver.h"
#include "dnsbl/dns/internal/delegation_cache.h"
#include "dnsbl/dns/internal/dns_message.h"

namespace dnsbl {
namespace {

// A zone whose servers could not be found is tried again after this.
constexpr absl::Duration kRetryFailedFind = absl::Seconds(30);

// The key of a question's slot in the table its copies read (Question).
uint64_t QuestionKey(absl::string_view name, RecordType type) {
  return absl::Hash<std::pair<absl::string_view, int>>()(
      std::make_pair(name, static_cast<int>(type)));
}

// Spare Pending objects kept for reuse: a bulk run makes millions.
constexpr size_t kMaxSpare = 4096;

// Slots of the table of questions out (Question).
constexpr size_t kQuestionSlots = 4096;

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
  // Its slot in questions_.
  uint64_t key = 0;
  // Whether it is a copy of a question already out (LookupCopy()).
  bool copy = false;
  // Servers asked by this lookup; the last one is out, since `sent`.
  absl::InlinedVector<int, 4> tried;
  absl::Time sent;
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
  std::vector<int> servers;  // Ids: index into servers_.
  bool finding = false;
  // Set when the last search failed: NotFound (resolved by the
  // Recursor) or another error (questions fail with it).
  absl::Status failure;
  absl::Time retry_at = absl::InfinitePast();
  std::vector<std::unique_ptr<Pending>> waiting;
};

// Which servers a question was sent to, so that a copy of it (an overdue
// question resent by the adaptive window: LookupCopy()) goes to another.
// Kept in a fixed table by the question's hash. A first lookup only writes
// its slot, never reads it: reading a slot for every question cost a cache
// miss each, the dearest step of a direct bulk run, and copies are rare.
// A question whose slot another took meanwhile goes untracked (its copy may
// ask the same server again); a copy never takes another question's
// servers (the tag is compared).
struct DirectResolver::Question {
  uint32_t tag = 0;  // The high half of the question's hash.
  uint8_t asked_count = 0;
  // The first servers asked (more are not recorded).
  int16_t asked[4] = {};

  void Ask(int server) {
    if (asked_count < 4 && server <= INT16_MAX) {
      asked[asked_count++] = static_cast<int16_t>(server);
    }
  }
};

struct DirectResolver::Server {
  std::shared_ptr<const ServerIdentity> identity;
  Endpoint endpoint;
  // Asks it; from the pool when first needed.
  Resolver* resolver = nullptr;
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
      selection_(clock_),
      questions_(kQuestionSlots) {
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
  // Names are lower case without a trailing dot, as zones are (Create()).
  int best = -1;
  size_t best_size = 0;
  for (size_t i = 0; i < zones_.size(); ++i) {
    const std::string& zone = zones_[i].name;
    const size_t n = zone.size();
    if ((best >= 0 && n <= best_size) || n > name.size()) continue;
    const bool at_or_below = name.size() == n
                                 ? name == zone
                                 : name[name.size() - n - 1] == '.' &&
                                       name.substr(name.size() - n) == zone;
    if (at_or_below) {
      best = static_cast<int>(i);
      best_size = n;
    }
  }
  return best;
}

void DirectResolver::Lookup(absl::string_view name, RecordType type,
                            Callback done) {
  Start(name, type, /*copy=*/false, std::move(done));
}

void DirectResolver::LookupCopy(absl::string_view name, RecordType type,
                                Callback done) {
  Start(name, type, /*copy=*/true, std::move(done));
}

void DirectResolver::Start(absl::string_view name, RecordType type, bool copy,
                           Callback done) {
  std::unique_ptr<Pending> lookup;
  if (spare_.empty()) {
    lookup = std::make_unique<Pending>();
  } else {
    lookup = std::move(spare_.back());
    spare_.pop_back();
  }
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  lookup->name.assign(name.data(), name.size());
  // Query names are built lower case; other callers' may not be.
  if (std::any_of(name.begin(), name.end(), absl::ascii_isupper)) {
    absl::AsciiStrToLower(&lookup->name);
  }
  lookup->type = type;
  lookup->done = std::move(done);
  lookup->zone = ZoneIndex(lookup->name);
  lookup->key = QuestionKey(lookup->name, type);
  lookup->copy = copy;
  ++pending_;
  Route(std::move(lookup));
}

DirectResolver::Question* DirectResolver::QuestionOf(const Pending& lookup) {
  Question& slot = questions_[lookup.key & (kQuestionSlots - 1)];
  return slot.tag == static_cast<uint32_t>(lookup.key >> 32) ? &slot : nullptr;
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
  std::optional<int> chosen;
  if (lookup->tried.size() <
      static_cast<size_t>(options_.max_servers_per_question)) {
    int avoid[4];
    size_t avoided = 0;
    if (lookup->copy) {
      if (const Question* question = QuestionOf(*lookup)) {
        for (; avoided < question->asked_count; ++avoided) {
          avoid[avoided] = question->asked[avoided];
        }
      }
    }
    chosen = selection_.Choose(lookup->zone, zone.servers, lookup->tried,
                               absl::MakeConstSpan(avoid, avoided));
  }
  if (!chosen.has_value()) return GiveUp(std::move(lookup));
  lookup->tried.push_back(*chosen);
  if (!lookup->copy && lookup->tried.size() == 1) {
    // Written, not read: the slot is this question's from now on.
    Question& slot = questions_[lookup->key & (kQuestionSlots - 1)];
    slot.tag = static_cast<uint32_t>(lookup->key >> 32);
    slot.asked_count = 0;
    slot.Ask(*chosen);
  } else if (Question* question = QuestionOf(*lookup)) {
    question->Ask(*chosen);
  }
  // One question in eight is timed (and every one to a server not yet
  // timed): reading the clock twice a question cost more than knowing each
  // round trip is worth.
  lookup->sent = (++timed_ & 7) == 0 || !selection_.Measured(*chosen)
                     ? clock_->Now()
                     : absl::InfinitePast();
  Server& target = servers_[static_cast<size_t>(*chosen)];
  if (target.resolver == nullptr) {
    absl::StatusOr<Resolver*> made = pool_->ResolverFor(target.endpoint);
    if (!made.ok()) {
      DnsResponse failure;
      failure.outcome = DnsOutcome::kNetworkError;
      failure.error = std::string(made.status().message());
      return OnServerAnswer(std::move(lookup), std::move(failure));
    }
    target.resolver = *made;
  }
  // The lookup moves into the callback; its name stays where it is (the
  // resolver copies it before it could call back).
  const Pending& asked = *lookup;
  target.resolver->Lookup(
      asked.name, asked.type,
      [this, lookup = std::move(lookup)](DnsResponse response) mutable {
        OnServerAnswer(std::move(lookup), std::move(response));
      });
}

void DirectResolver::OnServerAnswer(std::unique_ptr<Pending> lookup,
                                    DnsResponse response) {
  const int server = lookup->tried.back();
  const Server& asked = servers_[static_cast<size_t>(server)];
  lookup->attempts += std::max(1, response.attempts);
  if (Authoritative(response)) {
    if (lookup->sent != absl::InfinitePast()) {
      selection_.Answered(server, clock_->Now() - lookup->sent);
    } else {
      selection_.Alive(server);
    }
    response.server = asked.identity;
    response.attempts = lookup->attempts;
    return Finish(std::move(lookup), std::move(response));
  }
  switch (response.outcome) {
    case DnsOutcome::kTimeout:
    case DnsOutcome::kNetworkError:
      selection_.Dead(server);
      break;
    default:
      selection_.Lame(lookup->zone, server);
      break;
  }
  if (WithoutAuthority(response)) lookup->without_authority = true;
  lookup->last_failure = std::move(response);
  if (lookup->last_failure.outcome == DnsOutcome::kTimeout && lookup->copy) {
    // The window resends overdue questions itself, each copy to a server
    // not asked yet; a copy that timed out need not go on.
    return GiveUp(std::move(lookup));
  }
  Send(std::move(lookup));
}

void DirectResolver::GiveUp(std::unique_ptr<Pending> lookup) {
  if (lookup->without_authority) return Recurse(std::move(lookup));
  DnsResponse failure = std::move(lookup->last_failure);
  failure.attempts = std::max(1, lookup->attempts);
  Finish(std::move(lookup), std::move(failure));
}

void DirectResolver::Recurse(std::unique_ptr<Pending> lookup) {
  const Pending& asked = *lookup;
  recursor_->Resolve(
      asked.name, static_cast<uint16_t>(asked.type),
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
  --pending_;
  Callback done = std::move(lookup->done);
  if (spare_.size() < kMaxSpare) {
    // Kept with its name's buffer; every other field is set anew.
    lookup->done = nullptr;
    lookup->tried.clear();
    lookup->attempts = 0;
    lookup->copy = false;
    lookup->without_authority = false;
    lookup->last_failure = DnsResponse();
    spare_.push_back(std::move(lookup));
  } else {
    lookup.reset();
  }
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
  zone.servers.clear();
  for (const NameServer& server : delegation.servers) {
    for (const IpAddress& ip : server.addresses) {
      // One id per server name and address, for the life of the resolver:
      // its round trips and failures are remembered across refreshes.
      const std::string address = ip.ToString();
      auto [it, added] =
          server_ids_.try_emplace(absl::StrCat(server.name, "/", address),
                                  static_cast<int>(servers_.size()));
      if (added) {
        servers_.push_back(Server{std::make_shared<const ServerIdentity>(
                                      ServerIdentity{server.name, address}),
                                  {ip, 53}});
      }
      zone.servers.push_back(it->second);
    }
  }
  zone.delegation = std::move(delegation);
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

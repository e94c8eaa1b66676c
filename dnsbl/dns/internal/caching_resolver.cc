#include "dnsbl/dns/internal/caching_resolver.h"

#include <algorithm>

#include "absl/strings/ascii.h"

namespace dnsbl {
namespace {

// How long `response` may be kept: 0 for anything but an answer or a
// negative answer with its SOA.
absl::Duration KeepFor(const DnsResponse& response) {
  switch (response.outcome) {
    case DnsOutcome::kAnswer:
      return absl::Seconds(response.ttl);
    case DnsOutcome::kNxDomain:
    case DnsOutcome::kNoData:
      // A referral or a dangling alias is no answer at all.
      if (response.referral || response.alias_only) return absl::ZeroDuration();
      return absl::Seconds(response.negative_ttl);
    default:
      return absl::ZeroDuration();
  }
}

}  // namespace

CachingResolver::CachingResolver(std::shared_ptr<Resolver> inner,
                                 AnswerCacheOptions options)
    : inner_(std::move(inner)),
      options_(options),
      clock_(options.clock != nullptr ? options.clock : Clock::Monotonic()) {}

void CachingResolver::Lookup(absl::string_view name, RecordType type,
                             Callback done) {
  Key key{absl::AsciiStrToLower(name), type};
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    Entry& e = it->second;
    if (e.in_flight) {
      ++hits_;
      e.waiting.push_back(std::move(done));
      return;
    }
    const absl::Time now = clock_->Now();
    if (now < e.expires) {
      ++hits_;
      DnsResponse copy = e.response;
      // As a resolver's cache does: the time left, not the original TTL.
      const int left = static_cast<int>(absl::ToInt64Seconds(e.expires - now));
      if (copy.outcome == DnsOutcome::kAnswer) {
        copy.ttl = left;
      } else {
        copy.negative_ttl = left;
      }
      ready_.emplace_back(std::move(copy), std::move(done));
      return;
    }
  }
  ++misses_;
  Entry& e = entries_[key];
  e.in_flight = true;
  e.waiting.push_back(std::move(done));
  inner_->Lookup(key.first, type, [this, key](DnsResponse response) {
    Answered(key, std::move(response));
  });
}

void CachingResolver::LookupCopy(absl::string_view name, RecordType type,
                                 Callback done) {
  inner_->LookupCopy(name, type, std::move(done));
}

void CachingResolver::Answered(const Key& key, DnsResponse response) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  std::vector<Callback> waiting = std::move(it->second.waiting);
  const absl::Duration keep = std::min(KeepFor(response), options_.max_ttl);
  if (keep > absl::ZeroDuration()) {
    Entry& e = it->second;
    e.in_flight = false;
    e.waiting.clear();
    e.expires = clock_->Now() + keep;
    e.response = response;
    by_expiry_.emplace(e.expires, key);
    EvictIfFull();
  } else {
    entries_.erase(it);
  }
  for (Callback& done : waiting) done(response);
}

void CachingResolver::EvictIfFull() {
  // Drops the soonest-to-expire index entry and its answer, unless the
  // index entry is stale (the answer was replaced or is being asked again).
  auto drop_first = [this] {
    auto first = by_expiry_.begin();
    auto it = entries_.find(first->second);
    if (it != entries_.end() && !it->second.in_flight &&
        it->second.expires == first->first) {
      entries_.erase(it);
    }
    by_expiry_.erase(first);
  };
  while (entries_.size() > options_.max_entries && !by_expiry_.empty()) {
    drop_first();
  }
  // Expired answers go too, so memory follows what is still valid.
  const absl::Time now = clock_->Now();
  while (!by_expiry_.empty() && by_expiry_.begin()->first <= now) {
    drop_first();
  }
}

size_t CachingResolver::DeliverReady() {
  size_t n = 0;
  while (!ready_.empty()) {
    auto [response, done] = std::move(ready_.front());
    ready_.pop_front();
    done(std::move(response));
    ++n;
  }
  return n;
}

size_t CachingResolver::Poll(absl::Duration max_wait) {
  if (DeliverReady() > 0) max_wait = absl::ZeroDuration();
  inner_->Poll(max_wait);
  DeliverReady();
  return pending();
}

size_t CachingResolver::pending() const {
  return ready_.size() + inner_->pending();
}

std::vector<FdEvents> CachingResolver::Descriptors() const {
  return inner_->Descriptors();
}

absl::Duration CachingResolver::NextTimeout() {
  return ready_.empty() ? inner_->NextTimeout() : absl::ZeroDuration();
}

size_t CachingResolver::Process(absl::Span<const FdEvents> ready) {
  DeliverReady();
  inner_->Process(ready);
  DeliverReady();
  return pending();
}

AnswerCacheStats CachingResolver::stats() const {
  AnswerCacheStats s;
  s.hits = hits_;
  s.misses = misses_;
  s.entries = static_cast<int64_t>(entries_.size());
  return s;
}

}  // namespace dnsbl

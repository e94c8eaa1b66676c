// dnsbl/dns/internal/caching_resolver.h
//
// Answers kept for as long as the DNS says they may be, shared by every
// check of a long-running Checker (dnsbl serve: a Prometheus scrape every
// 15 seconds must cost the blocklist one question per TTL, not one per
// scrape). Positive answers are kept for their TTL, negative ones
// (NXDOMAIN, NODATA) for their SOA's negative TTL (RFC 2308), both capped;
// failures of any kind are never kept, so an unanswered question is asked
// again next time. Questions asked again while the first is in flight wait
// for its answer instead of being sent twice. Cached answers are delivered
// in the next Poll()/Process(), never inside Lookup().
//
// Example:
//
//   AnswerCacheOptions cache;
//   cache.max_entries = 100000;
//   auto resolver = std::make_shared<CachingResolver>(inner, cache);

#ifndef DNSBL_DNSBL_DNS_INTERNAL_CACHING_RESOLVER_H_
#define DNSBL_DNSBL_DNS_INTERNAL_CACHING_RESOLVER_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "dnsbl/base/clock.h"
#include "dnsbl/dns/internal/resolver.h"
#include "dnsbl/dns/question_stats.h"

namespace dnsbl {

struct AnswerCacheOptions {
  // The most answers kept; the soonest to expire go first. REQUIRES: > 0.
  size_t max_entries = 100000;
  // No answer is kept longer than this, whatever its TTL. Default: 1 hour.
  absl::Duration max_ttl = absl::Hours(1);
  // Default: null, Clock::Monotonic(). REQUIRES: outlives the resolver.
  Clock* clock = nullptr;
};

// Not thread-safe, like every Resolver.
class CachingResolver final : public Resolver {
 public:
  CachingResolver(std::shared_ptr<Resolver> inner, AnswerCacheOptions options);

  void Lookup(absl::string_view name, RecordType type, Callback done) override;
  void LookupCopy(absl::string_view name, RecordType type,
                  Callback done) override;
  size_t Poll(absl::Duration max_wait) override;
  size_t pending() const override;
  std::vector<FdEvents> Descriptors() const override;
  absl::Duration NextTimeout() override;
  size_t Process(absl::Span<const FdEvents> ready) override;
  std::string Describe() const override { return inner_->Describe(); }
  ResolutionMode mode() const override { return inner_->mode(); }

  AnswerCacheStats stats() const;

 private:
  using Key = std::pair<std::string, RecordType>;
  struct Entry {
    absl::Time expires = absl::InfinitePast();
    DnsResponse response;
    bool in_flight = false;
    std::vector<Callback> waiting;  // Asked while in flight.
  };

  void Answered(const Key& key, DnsResponse response);
  // Runs the callbacks of cached answers; returns how many ran.
  size_t DeliverReady();
  void EvictIfFull();

  std::shared_ptr<Resolver> inner_;
  AnswerCacheOptions options_;
  Clock* clock_;
  std::map<Key, Entry> entries_;
  std::multimap<absl::Time, Key> by_expiry_;
  std::deque<std::pair<DnsResponse, Callback>> ready_;
  int64_t hits_ = 0;
  int64_t misses_ = 0;
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_DNS_INTERNAL_CACHING_RESOLVER_H_

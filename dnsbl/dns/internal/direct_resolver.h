// dnsbl/dns/internal/direct_resolver.h
//
// Direct resolution: answers that no resolver between dnsbl and the
// blocklists can spoil. Each zone's own servers are found from the root
// (DelegationFinder over a Recursor: dnsbl/dns/internal/delegation_finder.h),
// kept across runs (dnsbl/dns/internal/delegation_cache.h) and refreshed when
// their TTL runs out, and every question about a name in a zone goes straight
// to one of them without recursion (RD=0): the fastest that answers
// (dnsbl/dns/internal/server_selection.h), the next one after a timeout,
// REFUSED, SERVFAIL or an answer without authority. A copy of a question (a
// resend from the adaptive window above, LookupCopy()) goes to a server not yet
// asked.
//
// What a zone's server says is used only when it speaks with authority:
// an answer with records, or NXDOMAIN/NODATA with the AA bit. A referral,
// a non-authoritative negative or an alias whose target is elsewhere is
// not "not listed": the question is asked of the next server, and when
// every server answers so, resolved in full by the Recursor. Names under
// no zone (host names) are resolved by the Recursor too. A zone whose
// servers cannot be found answers every question with kNoServers (an
// error, never "not listed"); one that does not exist is resolved by the
// Recursor, which reports the NXDOMAIN with its SOA.
//
// Example:
//
//   dnsbl::DirectResolverOptions options;
//   options.zones = {"bl.example", "zen.example"};
//   absl::StatusOr<std::unique_ptr<dnsbl::DirectResolver>> resolver =
//       dnsbl::DirectResolver::Create(options, std::move(recursor),
//                                     std::move(pool));
//   (*resolver)->FindAll();  // optional: before the first question

#ifndef DNSBL_DNSBL_DNS_INTERNAL_DIRECT_RESOLVER_H_
#define DNSBL_DNSBL_DNS_INTERNAL_DIRECT_RESOLVER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dnsbl/base/address.h"
#include "dnsbl/base/clock.h"
#include "dnsbl/dns/internal/delegation.h"
#include "dnsbl/dns/internal/delegation_finder.h"
#include "dnsbl/dns/internal/recursor.h"
#include "dnsbl/dns/internal/resolver.h"
#include "dnsbl/dns/internal/root_hints.h"
#include "dnsbl/dns/internal/server_pool.h"
#include "dnsbl/dns/internal/server_selection.h"

namespace dnsbl {

struct DirectResolverOptions {
  // The zones whose questions go to their own servers, as they are asked
  // (a zone with a key: "<key>.<zone>"). A name is in the longest zone it
  // ends in. Default: none (every name is resolved by the Recursor).
  // REQUIRES: valid DNS names.
  std::vector<std::string> zones;

  // The root hints the Recursor starts from: named in Describe(), and
  // the fingerprint under which delegations are cached. Default: IANA's.
  RootHints hints = RootHints::Builtin();

  // The delegation cache file (DefaultDelegationCachePath() is the
  // user's); empty for none. Default: empty.
  std::string delegation_cache;

  // The most servers one question is asked of before its last failure is
  // reported (or, after answers without authority, it is resolved by the
  // Recursor). Default: 4. REQUIRES: >= 1.
  int max_servers_per_question = 4;

  // Where time comes from. Default: null, meaning Clock::Real(). A given
  // clock must outlive the resolver.
  Clock* clock = nullptr;
};

// A Resolver asking each zone's own servers. Not thread-safe, like every
// Resolver.
class DirectResolver : public Resolver {
 public:
  // Returns a resolver over `recursor` (finds delegations, resolves names
  // under no zone) and `pool` (asks one given server, without recursion),
  // both owned by it. Reads the delegation cache: a damaged or foreign
  // file is ignored, and warnings() says so. InvalidArgument for a bad
  // zone name or option.
  static absl::StatusOr<std::unique_ptr<DirectResolver>> Create(
      DirectResolverOptions options, std::unique_ptr<Recursor> recursor,
      std::unique_ptr<ServerPool> pool);

  ~DirectResolver() override;

  // Finds the servers of every zone not found yet (or whose delegation
  // ran out) and waits until all are known or failed, so the first
  // questions do not wait on the walk from the root. Saves what was found
  // to the cache.
  void FindAll();

  // Returns whether every zone's servers came from the cache (nothing
  // needs the root right now).
  bool AllFromCache() const { return all_from_cache_; }

  // Asks the root servers for the root's NS set and waits (up to the
  // Recursor's timeout). Returns Unavailable naming what happened when no
  // root server answered.
  absl::Status ProbeRoot();

  // Returns until when the cache says the root was unreachable.
  absl::Time root_unreachable_until() const { return root_unreachable_until_; }

  // Records in the cache that no root server answered, for `how_long`.
  void RememberRootUnreachable(absl::Duration how_long);

  // Returns what a person should know about the cache (damaged, foreign,
  // not writable), one sentence each.
  const std::vector<std::string>& warnings() const { return warnings_; }

  // Returns the servers found for `zone` (an exact name of
  // DirectResolverOptions::zones), if any.
  std::optional<Delegation> DelegationOf(absl::string_view zone) const;

  void Lookup(absl::string_view name, RecordType type, Callback done) override;
  // A copy goes to a server the question was not sent to, if there is one.
  void LookupCopy(absl::string_view name, RecordType type,
                  Callback done) override;
  size_t Poll(absl::Duration max_wait) override;
  // Lookups not yet called back, and the Recursor's work (finding and
  // refreshing delegations), which Poll() drives too.
  size_t pending() const override { return pending_ + recursor_->pending(); }
  std::vector<FdEvents> Descriptors() const override;
  absl::Duration NextTimeout() override;
  size_t Process(absl::Span<const FdEvents> ready) override;
  // "direct from <hints source>".
  std::string Describe() const override;
  ResolutionMode mode() const override { return ResolutionMode::kDirect; }

 private:
  struct Pending;
  struct Zone;
  struct Question;
  struct Server;

  DirectResolver(DirectResolverOptions options,
                 std::unique_ptr<Recursor> recursor,
                 std::unique_ptr<ServerPool> pool);

  // Returns the entry `lookup` shares with the other lookups of its
  // question, or null when its question is not tracked.
  Question* QuestionOf(const Pending& lookup);
  void Start(absl::string_view name, RecordType type, bool copy, Callback done);
  // Returns the index of the longest zone `name` is in, or -1.
  int ZoneIndex(absl::string_view name) const;
  void Route(std::unique_ptr<Pending> lookup);
  void Send(std::unique_ptr<Pending> lookup);
  void OnServerAnswer(std::unique_ptr<Pending> lookup, DnsResponse response);
  void GiveUp(std::unique_ptr<Pending> lookup);
  void Recurse(std::unique_ptr<Pending> lookup);
  void Finish(std::unique_ptr<Pending> lookup, DnsResponse response);
  void StartFind(size_t zone);
  void OnFound(size_t zone, absl::StatusOr<Delegation> found);
  void UseDelegation(size_t zone, Delegation delegation);
  void SaveCache();
  // Drives the recursor and the pool until `done` or nothing is pending.
  void RunUntil(const bool& done);

  const DirectResolverOptions options_;
  Clock* const clock_;
  std::unique_ptr<Recursor> recursor_;
  std::unique_ptr<ServerPool> pool_;
  DelegationFinder finder_;
  ServerSelection selection_;
  std::vector<Zone> zones_;
  // Every server address of every delegation, by id; "name/address" -> id.
  std::vector<Server> servers_;
  absl::flat_hash_map<std::string, int> server_ids_;
  // Questions under way, by a hash of name and type: which servers were
  // asked, whether any copy was answered.
  std::vector<Question> questions_;
  // Finished lookups kept for reuse.
  std::vector<std::unique_ptr<Pending>> spare_;
  std::vector<std::string> warnings_;
  absl::Time root_unreachable_until_ = absl::InfinitePast();
  bool all_from_cache_ = false;
  bool cache_dirty_ = false;
  int finding_ = 0;
  // Lookups not yet called back.
  size_t pending_ = 0;
  // Counts questions sent, to time one in eight.
  uint64_t timed_ = 0;
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_DNS_INTERNAL_DIRECT_RESOLVER_H_

// dnsbl/checker.h
//
// The dnsbl library's entry point: ask every blocklist of a catalog at once
// whether an address is listed, and merge the answers into one
// dnsbl.v1.Report (proto/dnsbl.proto).
//
// A check sends one A question per zone, all concurrently over one resolver,
// so it takes about as long as the slowest zone; for each listing it then
// asks for the TXT reason. Answers are read by the rules in
// dnsbl/verdict/internal/interpret.h: in particular an unanswered question is
// reported as ERROR, never as NOT_LISTED.
//
// Example (synchronous):
//
//   dnsbl::CheckerOptions options;
//   options.nameservers = {"127.0.0.1:5353"};
//   absl::StatusOr<std::unique_ptr<dnsbl::Checker>> checker =
//       dnsbl::Checker::Create(options);
//   if (!checker.ok()) return checker.status();
//   absl::StatusOr<dnsbl::v1::Report> report = (*checker)->Check("192.0.2.7");
//   if (report.ok() && report->summary().listed()) { ... }
//
// Example (asynchronous, driven by Poll()):
//
//   (*checker)->CheckAsync(ip, [](dnsbl::v1::Report r) { Save(r); });
//   while ((*checker)->pending() > 0) (*checker)->Poll(absl::Milliseconds(50));
//
// Example (asynchronous, from an event loop of the caller's own):
//
//   (*checker)->CheckAsync(ip, [](dnsbl::v1::Report r) { Save(r); });
//   while ((*checker)->pending() > 0) {
//     // register (*checker)->Descriptors() with the loop, wait at most
//     // (*checker)->NextTimeout(), then:
//     (*checker)->Process(ready_descriptors);
//   }

#ifndef DNSBL_DNSBL_CHECKER_H_
#define DNSBL_DNSBL_CHECKER_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "dnsbl/base/address.h"
#include "dnsbl/base/clock.h"
#include "dnsbl/base/fd_events.h"
#include "dnsbl/base/setting_names.h"
#include "dnsbl/dns/question_stats.h"
#include "dnsbl/dns/resolution.h"
#include "proto/dnsbl.pb.h"

namespace dnsbl {

// Internal: the engine (dnsbl/internal/checker_impl.h), and the HTTPS
// seam tests inject (dnsbl/http/internal/http_fetcher.h).
class CheckerImpl;
class HttpFetcher;

struct CheckerOptions {
  // The blocklists. Default: null, meaning the built-in catalog
  // (BuiltinCatalog() in dnsbl/catalog/catalog.h). A given catalog must pass
  // ValidateCatalog().
  std::shared_ptr<const v1::Catalog> catalog;

  // Names of the zones to ask, a subset of the catalog. Naming a disabled
  // zone asks it anyway. Default: empty, meaning every zone of the catalog
  // (disabled ones reported SKIPPED). REQUIRES: each name is in the catalog.
  std::vector<std::string> zones;

  // How answers are reached: kRecursive through the nameservers below,
  // kDirect from each blocklist's own servers found from the root (no
  // resolver of the system's is asked: dnsbl/dns/internal/direct_resolver.h),
  // or kAuto: recursive when nameservers are given, else direct where the
  // internet's root is reachable and recursive where it is not, by the
  // rule in dnsbl/dns/internal/resolver_stack.h (a machine cut off from the
  // internet sends nothing to any public address). This and the next
  // six fields build the resolver (dnsbl/internal/checker_setup.h); a resolver
  // given to the library's internal factory comes with its own. In direct mode,
  // Create() finds every zone's servers before it returns (up to
  // timeout x tries on a cold start; nothing with a valid cache).
  // Default: kAuto.
  ResolutionMode resolution = ResolutionMode::kAuto;

  // Nameservers ("ADDR", "ADDR:PORT", "[IPV6]:PORT") for recursive
  // resolution. Default: empty, meaning those of /etc/resolv.conf.
  std::vector<std::string> nameservers;

  // Direct resolution: a named.root file to start from instead of IANA's
  // root servers (RootHints). Default: empty, meaning IANA's, built in.
  // REQUIRES: empty or a readable file in that format.
  std::string root_hints;

  // Direct resolution: the file the zones' servers are kept in across
  // runs (DefaultDelegationCachePath() is the user's; the dnsbl command
  // uses it). Default: empty, meaning none.
  std::string delegation_cache;

  // Answers kept for their TTL (negative answers for their SOA's negative
  // TTL; failures never), at most this many, shared by every check of this
  // Checker: for long-running Checkers (dnsbl serve), where the same
  // questions come again. Default: 0, none (a run asks each question once
  // anyway). REQUIRES: >= 0.
  int64_t answer_cache_size = 0;

  // No answer is kept longer than this. Default: 1 hour. REQUIRES: > 0.
  absl::Duration answer_cache_max_ttl = absl::Hours(1);

  // Time to wait for one try of one question. Default: 2 seconds.
  // REQUIRES: >= 1ms.
  absl::Duration timeout = absl::Seconds(2);

  // How often a question that got no answer is sent. Default: 2.
  // REQUIRES: >= 1.
  int tries = 2;

  // The most questions on the wire at once. Enough for the first wave of a
  // check against 50 zones (each zone's question and its four health
  // questions), so the answer takes one round trip, not two; the first burst
  // is paced (AdaptiveOptions::initial_qps) so it does not overflow a
  // nameserver's socket buffer. Default: 256. REQUIRES: >= 1.
  int max_inflight = 256;

  // Whether the window of questions in flight adapts to the path, as in a
  // bulk run: it grows while answers come back, shrinks when questions are
  // lost, and each zone's Zone.max_qps is kept
  // (dnsbl/dns/internal/adaptive_resolver.h; max_inflight is then its cap). For
  // callers that keep many checks going at once, so an overloaded server sheds
  // fewer answers and operators' rate limits hold. Otherwise the window stays
  // at max_inflight, best for a one-off check. Only Create(options) reads it.
  // Default: false.
  bool adaptive_window = false;

  // Whether to ask for the TXT reason of each listing. Default: true.
  bool fetch_txt = true;

  // Whether to probe each zone's RFC 5782 test points and its own name
  // (dnsbl/verdict/internal/health.h) the first time it is asked, in parallel
  // with the first check, and to report the answers of a zone found unusable
  // (DEAD, WILDCARD, REFUSING, NO_SUCH_ZONE, FILTERED, TEST_FAILED) as SKIPPED.
  // The result is kept for the Checker's life. Without it, a resolver that
  // answers NXDOMAIN for everything makes every address look clean; only
  // the per-answer rules of dnsbl/verdict/internal/interpret.h still hold.
  // Default: true.
  bool health_check = true;

  // How long a zone's health stands before the next question to the zone
  // probes it again (the old verdict on it holding meanwhile), for
  // long-running Checkers: a zone that was dead for a minute, or has come
  // back, is judged anew. Default: infinite (a run judges each zone once).
  // REQUIRES: > 0.
  absl::Duration health_max_age = absl::InfiniteDuration();

  // Whether to ask who to notify (dnsbl/contacts): the network announcing
  // each address (Team Cymru) and its abuse mailbox (Abusix), on the same
  // resolver and window as the zones, and the registry's network and abuse
  // contact over RDAP (HTTPS, one question per network in the Checker's
  // life); results in Report.networks, contacts and contact_sources. An AS
  // name is asked once per Checker. Default: false (the dnsbl command
  // turns it on for `check`).
  bool contacts = false;

  // The contact sources asked when `contacts` is set, of "cymru",
  // "abusix" and "rdap". Default: all three. REQUIRES: each is one of
  // those.
  std::vector<std::string> contact_sources = {"cymru", "abusix", "rdap"};

  // The RDAP server asked about every address instead of the registry
  // IANA's bootstrap names (dnsbl/contacts/internal/rdap_bootstrap.h), e.g. a
  // mirror. Default: empty. REQUIRES: empty or an https:// URL.
  std::string rdap_url;

  // A PEM file of certificate authorities to trust for RDAP instead of the
  // system's. Default: empty. REQUIRES: empty or a readable file.
  std::string rdap_ca_file;

  // Time for one RDAP question, redirects included. Default: 10 seconds.
  // REQUIRES: > 0.
  absl::Duration rdap_timeout = absl::Seconds(10);

  // RDAP questions per second to one registry (RdapClientOptions).
  // Default: 1. REQUIRES: > 0.
  double rdap_queries_per_second = 1.0;

  // The HTTPS client for RDAP. Default: null, meaning libcurl
  // (dnsbl/http/internal/curl_fetcher.h) with rdap_ca_file. A given fetcher is
  // shared with the Checker and must not be used from another thread.
  std::shared_ptr<HttpFetcher> http_fetcher;

  // Local copies of zone data, answered instead of asking a nameserver:
  // "ZONE:TYPE:FILE[,FILE...]" in rbldnsd's syntax (types ip4set, ip4tset,
  // ip4trie, ip6trie, ip6tset; dnsbl/localzone/internal/zone_data.h), added to
  // any the catalog names (Zone.local_data; these win). Loaded once by
  // Create(), shared read-only. Default: empty. REQUIRES: each zone is in
  // the catalog, each file readable.
  std::vector<std::string> zone_data;

  // Keys for zones that need one (Zone.needs_key), by Zone.key_name, e.g.
  // {"spamhaus_dqs": "..."}. Zones whose key is missing are SKIPPED.
  // Default: empty.
  std::map<std::string, std::string> keys;

  // Picks the TEST-NET address of health probes; tests fix it. Default: 0,
  // meaning a random seed.
  uint64_t seed = 0;

  // How messages name the settings that fix a problem (a missing key, an
  // unknown zone). Default: the library's own option names.
  SettingNames setting_names;

  // Where report timestamps and latencies come from. Default: null,
  // meaning Clock::Real(). A given clock must outlive the Checker.
  Clock* clock = nullptr;
};

// Returns InvalidArgument naming the first bad option of `options` that
// can be told without the catalog (contact sources, RDAP settings, keys,
// local zone data specs). Create() calls it before anything is asked.
absl::Status ValidateCheckerOptions(const CheckerOptions& options);

// Checks addresses against a catalog of DNS blocklists.
//
// Not thread-safe: one thread at a time may call its methods; callbacks run
// on that thread inside Poll() or Check(). Use one Checker per thread.
class Checker {
 public:
  using ReportCallback = absl::AnyInvocable<void(v1::Report)>;

  // Returns a Checker using a c-ares resolver built from `options`, or
  // InvalidArgument / NotFound naming the bad option (a nameserver, a zone
  // name, the catalog).
  static absl::StatusOr<std::unique_ptr<Checker>> Create(
      const CheckerOptions& options);

  // Wraps the library's implementation; made by Create() and the
  // library's own factories (dnsbl/internal/checker_setup.h), not by callers.
  explicit Checker(std::unique_ptr<CheckerImpl> impl);

  Checker(const Checker&) = delete;
  Checker& operator=(const Checker&) = delete;
  ~Checker();

  // Checks one IP address given as text and returns its report, after
  // every zone has answered or timed out. Returns InvalidArgument for text
  // that is not an IP address (nothing is queried then).
  absl::StatusOr<v1::Report> Check(absl::string_view address);

  // Checks an IP address, or every A and AAAA address of a host name (each
  // report's `hostname` says so). Returns InvalidArgument for malformed
  // input, NotFound when the name has no addresses, Unavailable when its
  // addresses could not be resolved.
  absl::StatusOr<std::vector<v1::Report>> CheckHost(
      absl::string_view address_or_host);

  // Starts checking `address`; `done` receives the report inside a later
  // Poll() (or Check()) call. Dropped uncalled if the Checker is destroyed
  // first.
  void CheckAsync(const IpAddress& address, ReportCallback done);

  // Drives the network for at most `max_wait`, running callbacks of
  // finished checks. Returns the number of DNS questions still pending.
  size_t Poll(absl::Duration max_wait);

  // Returns the number of DNS questions started and not yet answered,
  // plus the RDAP lookups not yet answered.
  size_t pending() const;

  // The event-loop interface, for callers whose own loop (epoll, libevent,
  // asio) drives the checks instead of Poll(): watch Descriptors(), wait at
  // most NextTimeout(), then Process() what became ready (nothing after a
  // timeout). See Resolver and examples/epoll_check.cc. The descriptors
  // belong to the Checker: never close or read them.
  std::vector<FdEvents> Descriptors() const;
  absl::Duration NextTimeout();
  // Returns the number of DNS questions still pending; report callbacks
  // run inside.
  size_t Process(absl::Span<const FdEvents> ready);

  // Probes the health of every zone this Checker asks (reusing probes
  // already made), whether or not `health_check` is set, and returns the
  // result with resolver advice in `warnings`.
  v1::HealthReport ProbeHealth();

  // Returns the health of every zone probed so far (none before the first
  // check unless ProbeHealth() ran), for PathWarnings().
  std::vector<v1::ZoneHealth> ProbedHealth() const;

  // Returns the zones this Checker reports on, in report order.
  absl::Span<const v1::Zone> zones() const;

  // Returns the nameservers asked, as reported in Report.resolver.
  const std::string& resolver_description() const;

  // Returns how answers are reached (kRecursive or kDirect).
  ResolutionMode resolution() const;

  // Returns advice from building the resolver, one sentence each: why
  // automatic resolution chose recursive, a damaged delegation cache.
  // Empty for a Checker given its resolver.
  const std::vector<std::string>& warnings() const;

  // Returns how the answer cache (CheckerOptions::answer_cache_size) has
  // done: answers served from it, questions asked, answers kept now.
  AnswerCacheStats answer_cache_stats() const;

  // Returns how many answers were read from local zone data
  // (CheckerOptions::zone_data, Zone.local_data) instead of asked over DNS.
  int64_t local_answers() const;

 private:
  std::unique_ptr<CheckerImpl> impl_;
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_CHECKER_H_

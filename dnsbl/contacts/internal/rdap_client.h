// dnsbl/contacts/internal/rdap_client.h
//
// Asks registries over RDAP who holds an address, politely: the server
// from IANA's bootstrap (or one given), at most one question in flight and
// a paced rate per server, a pause when a server says 429 with
// Retry-After, one question per network in the Client's life (an answer
// is reused for every later address inside the range it covers, including
// addresses that were waiting for it), and a server that timed out or
// could not be reached is not asked again for a while (its waiting
// addresses get the same failure at once). Driven by its owner's loop, as
// the HttpFetcher under it.
//
// Example:
//
//   dnsbl::RdapClient client(options, fetcher, dnsbl::Clock::Real());
//   client.Lookup(ip, [](const dnsbl::RdapAnswer& a) { Use(a); });
//   while (client.pending() > 0) client.Poll(absl::Seconds(1));

#ifndef DNSBL_DNSBL_CONTACTS_INTERNAL_RDAP_CLIENT_H_
#define DNSBL_DNSBL_CONTACTS_INTERNAL_RDAP_CLIENT_H_

#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "dnsbl/base/address.h"
#include "dnsbl/base/clock.h"
#include "dnsbl/base/fd_events.h"
#include "dnsbl/contacts/internal/rdap.h"
#include "dnsbl/contacts/internal/rdap_bootstrap.h"
#include "dnsbl/http/internal/http_fetcher.h"

namespace dnsbl {

struct RdapClientOptions {
  // One RDAP base URL to ask about every address (a mirror, a test
  // server), e.g. "https://127.0.0.1:8443/rdap/". Default: empty, meaning
  // the registry IANA's bootstrap names. REQUIRES: empty or https://.
  std::string base_url;

  // The bootstrap table used when base_url is empty. Default: null,
  // meaning RdapBootstrap::Builtin().
  std::shared_ptr<const RdapBootstrap> bootstrap;

  // Time for one question, redirects included. Default: 10 seconds.
  // REQUIRES: > 0.
  absl::Duration timeout = absl::Seconds(10);

  // Questions per second to one server. The RIRs rate-limit RDAP per
  // client address (LACNIC hardest; RIPE NCC counts queries returning
  // personal data, at most 1000 a day); a network is asked once, so a bulk
  // run needs one question per distinct network, not per address.
  // Default: 1. REQUIRES: > 0.
  double queries_per_second = 1.0;

  // The longest pause a server's Retry-After may impose. Default: 60 s.
  absl::Duration max_pause = absl::Seconds(60);

  // How long a server that timed out or could not be reached is not asked
  // again. Default: 60 seconds.
  absl::Duration failure_hold = absl::Seconds(60);
};

// Not thread-safe: one thread calls Lookup() and the loop methods;
// callbacks run on it, inside Lookup() (an answer already known) or
// inside Poll()/Process(). Its pending work is lookups not yet answered.
class RdapClient : public EventSource {
 public:
  using Callback = absl::AnyInvocable<void(const RdapAnswer&)>;

  // `fetcher` (not null) is shared with the caller; `clock` (not null)
  // must outlive the client.
  RdapClient(RdapClientOptions options, std::shared_ptr<HttpFetcher> fetcher,
             Clock* clock);

  RdapClient(const RdapClient&) = delete;
  RdapClient& operator=(const RdapClient&) = delete;

  // Finds the network holding `address` and its abuse mailboxes; calls
  // `done` exactly once (dropped uncalled if the client is destroyed
  // first).
  void Lookup(const IpAddress& address, Callback done);

  // Returns the number of lookups not yet called back.
  size_t pending() const override { return pending_; }

  // The loop interface (EventSource): the fetcher's descriptors, and the
  // pacing of queued questions.
  size_t Poll(absl::Duration max_wait) override;
  std::vector<FdEvents> Descriptors() const override {
    return fetcher_->Descriptors();
  }
  absl::Duration NextTimeout() override;
  size_t Process(absl::Span<const FdEvents> ready) override;

  // Returns how many RDAP questions were sent (for tests and progress).
  size_t questions_sent() const { return questions_sent_; }

 private:
  struct Waiting {
    IpAddress address;
    Callback done;
  };
  struct Server {
    std::deque<Waiting> queue;
    bool busy = false;
    absl::Time next_send = absl::InfinitePast();
    // Set after a timeout or unreachable server, until `failed_until`.
    std::optional<RdapAnswer> failure;
    absl::Time failed_until = absl::InfinitePast();
  };

  // Returns the cached answer whose range holds `address`, or null.
  const RdapAnswer* Cached(const IpAddress& address) const;
  // Answers what can be answered in `server`'s queue and sends the next
  // question when the server is free and due.
  void Pump(const std::string& base_url);
  void PumpAll();
  void Deliver(Callback& done, const RdapAnswer& answer);

  const RdapClientOptions options_;
  const std::shared_ptr<const RdapBootstrap> bootstrap_;
  std::shared_ptr<HttpFetcher> fetcher_;
  Clock* const clock_;
  std::map<std::string, Server> servers_;
  std::vector<RdapAnswer> cache_;  // Each with `covers` set.
  size_t pending_ = 0;
  size_t questions_sent_ = 0;
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_CONTACTS_INTERNAL_RDAP_CLIENT_H_

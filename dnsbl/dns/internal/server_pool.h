// dnsbl/dns/internal/server_pool.h
//
// Asks a question of one given nameserver, for direct resolution (each
// zone's own servers, dnsbl/dns/internal/direct_resolver.h): one Resolver per
// server, made by a factory when that server is first asked (in
// production a c-ares channel asking only it, without recursion:
// dnsbl/dns/internal/resolver_stack.h), all driven as one EventSource.
//
// Example:
//
//   dnsbl::ServerPool pool([](const dnsbl::Endpoint& server) {
//     return MakeResolverAsking(server);
//   });
//   pool.Ask(*dnsbl::ParseEndpoint("192.0.2.53"), "2.0.0.127.bl.example",
//            dnsbl::RecordType::kA, [](dnsbl::DnsResponse r) { ... });
//   while (pool.pending() > 0) pool.Poll(absl::Seconds(1));

#ifndef DNSBL_DNSBL_DNS_INTERNAL_SERVER_POOL_H_
#define DNSBL_DNSBL_DNS_INTERNAL_SERVER_POOL_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "dnsbl/base/address.h"
#include "dnsbl/base/fd_events.h"
#include "dnsbl/dns/internal/resolver.h"

namespace dnsbl {

// Not thread-safe, like every Resolver.
class ServerPool : public EventSource {
 public:
  using Factory = absl::AnyInvocable<absl::StatusOr<std::unique_ptr<Resolver>>(
      const Endpoint& server)>;

  explicit ServerPool(Factory factory);
  ~ServerPool() override;

  // Returns the resolver asking `server`, made by the factory the first
  // time (its error then). Owned by the pool; valid for its life. Asking
  // it directly saves Ask() a table lookup.
  absl::StatusOr<Resolver*> ResolverFor(const Endpoint& server);

  // Asks `server` for records of `type` at `name`; `done` is called once
  // (with kNetworkError naming the reason when no resolver for the server
  // can be made), inside Poll()/Process() or at once.
  void Ask(const Endpoint& server, absl::string_view name, RecordType type,
           Resolver::Callback done);

  size_t Poll(absl::Duration max_wait) override;
  size_t pending() const override;
  std::vector<FdEvents> Descriptors() const override;
  absl::Duration NextTimeout() override;
  size_t Process(absl::Span<const FdEvents> ready) override;

 private:
  Factory factory_;
  // By address and port; ordered by when first asked.
  absl::flat_hash_map<std::pair<IpAddress, int>, size_t> index_;
  std::vector<std::unique_ptr<Resolver>> servers_;
  std::vector<FdEvents> mine_;  // Process()'s scratch.
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_DNS_INTERNAL_SERVER_POOL_H_

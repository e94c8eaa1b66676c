#include "dnsbl/dns/internal/server_pool.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace dnsbl {

ServerPool::ServerPool(Factory factory) : factory_(std::move(factory)) {}

ServerPool::~ServerPool() = default;

absl::StatusOr<Resolver*> ServerPool::ResolverFor(const Endpoint& server) {
  auto [it, added] = index_.try_emplace(
      std::make_pair(server.address, server.port), servers_.size());
  if (added) {
    absl::StatusOr<std::unique_ptr<Resolver>> made = factory_(server);
    if (!made.ok()) {
      index_.erase(it);
      return absl::Status(made.status().code(),
                          absl::StrCat("cannot ask ", server.ToString(), ": ",
                                       made.status().message()));
    }
    servers_.push_back(*std::move(made));
  }
  return servers_[it->second].get();
}

void ServerPool::Ask(const Endpoint& server, absl::string_view name,
                     RecordType type, Resolver::Callback done) {
  absl::StatusOr<Resolver*> resolver = ResolverFor(server);
  if (!resolver.ok()) {
    DnsResponse failure;
    failure.outcome = DnsOutcome::kNetworkError;
    failure.error = std::string(resolver.status().message());
    done(std::move(failure));
    return;
  }
  (*resolver)->Lookup(name, type, std::move(done));
}

size_t ServerPool::Poll(absl::Duration max_wait) {
  return WaitAndProcess(*this, max_wait);
}

size_t ServerPool::pending() const {
  size_t n = 0;
  for (const auto& resolver : servers_) n += resolver->pending();
  return n;
}

std::vector<FdEvents> ServerPool::Descriptors() const {
  std::vector<FdEvents> watch;
  for (const auto& resolver : servers_) {
    for (const FdEvents& e : resolver->Descriptors()) watch.push_back(e);
  }
  return watch;
}

absl::Duration ServerPool::NextTimeout() {
  absl::Duration wait = absl::InfiniteDuration();
  for (auto& resolver : servers_) {
    if (resolver->pending() > 0) {
      wait = std::min(wait, resolver->NextTimeout());
    }
  }
  return wait;
}

size_t ServerPool::Process(absl::Span<const FdEvents> ready) {
  // By index: a callback may ask a server not asked before.
  for (size_t i = 0; i < servers_.size(); ++i) {
    Resolver& resolver = *servers_[i];
    if (resolver.pending() == 0) continue;
    mine_.clear();
    if (!ready.empty()) {
      for (const FdEvents& watched : resolver.Descriptors()) {
        for (const FdEvents& e : ready) {
          if (e.fd == watched.fd) mine_.push_back(e);
        }
      }
    }
    // A server with nothing ready is processed only when a timeout or a
    // queued question is due: each Process() of c-ares walks its timeouts.
    if (mine_.empty() && resolver.NextTimeout() > absl::ZeroDuration()) {
      continue;
    }
    resolver.Process(mine_);
  }
  return pending();
}

}  // namespace dnsbl

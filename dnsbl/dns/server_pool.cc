#include "dnsbl/dns/server_pool.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace dnsbl {

ServerPool::ServerPool(Factory factory) : factory_(std::move(factory)) {}

ServerPool::~ServerPool() = default;

void ServerPool::Ask(const Endpoint& server, absl::string_view name,
                     RecordType type, Resolver::Callback done) {
  const std::string key = server.ToString();
  auto it = servers_.find(key);
  if (it == servers_.end()) {
    absl::StatusOr<std::unique_ptr<Resolver>> made = factory_(server);
    if (!made.ok()) {
      DnsResponse failure;
      failure.outcome = DnsOutcome::kNetworkError;
      failure.error =
          absl::StrCat("cannot ask ", key, ": ", made.status().message());
      done(std::move(failure));
      return;
    }
    it = servers_.emplace(key, *std::move(made)).first;
  }
  it->second->Lookup(name, type, std::move(done));
}

size_t ServerPool::Poll(absl::Duration max_wait) {
  return WaitAndProcess(*this, max_wait);
}

size_t ServerPool::pending() const {
  size_t n = 0;
  for (const auto& [key, resolver] : servers_) n += resolver->pending();
  return n;
}

std::vector<FdEvents> ServerPool::Descriptors() const {
  std::vector<FdEvents> watch;
  for (const auto& [key, resolver] : servers_) {
    for (const FdEvents& e : resolver->Descriptors()) watch.push_back(e);
  }
  return watch;
}

absl::Duration ServerPool::NextTimeout() {
  absl::Duration wait = absl::InfiniteDuration();
  for (auto& [key, resolver] : servers_) {
    if (resolver->pending() > 0) {
      wait = std::min(wait, resolver->NextTimeout());
    }
  }
  return wait;
}

size_t ServerPool::Process(absl::Span<const FdEvents> ready) {
  std::vector<FdEvents> mine;
  for (auto& [key, resolver] : servers_) {
    if (resolver->pending() == 0) continue;
    mine.clear();
    if (!ready.empty()) {
      for (const FdEvents& watched : resolver->Descriptors()) {
        for (const FdEvents& e : ready) {
          if (e.fd == watched.fd) mine.push_back(e);
        }
      }
    }
    resolver->Process(mine);
  }
  return pending();
}

}  // namespace dnsbl

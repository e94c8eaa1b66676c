#include "dnsbl/contacts/internal/rdap_client.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace dnsbl {
namespace {

bool Holds(const IpRange& range, const IpAddress& address) {
  return range.first.family() == address.family() && !(address < range.first) &&
         !(range.last < address);
}

// A failure of the server rather than of one question.
bool ServerFailed(const RdapAnswer& answer) {
  return answer.source.error() == v1::TIMEOUT ||
         answer.source.error() == v1::UNREACHABLE;
}

}  // namespace

RdapClient::RdapClient(RdapClientOptions options,
                       std::shared_ptr<HttpFetcher> fetcher, Clock* clock)
    : options_(std::move(options)),
      bootstrap_(
          options_.bootstrap != nullptr
              ? options_.bootstrap
              : std::shared_ptr<const RdapBootstrap>(
                    &RdapBootstrap::Builtin(), [](const RdapBootstrap*) {})),
      fetcher_(std::move(fetcher)),
      clock_(clock) {}

void RdapClient::Deliver(Callback& done, const RdapAnswer& answer) {
  --pending_;
  done(answer);
}

const RdapAnswer* RdapClient::Cached(const IpAddress& address) const {
  for (const RdapAnswer& answer : cache_) {
    if (Holds(*answer.covers, address)) return &answer;
  }
  return nullptr;
}

void RdapClient::Lookup(const IpAddress& address, Callback done) {
  ++pending_;
  if (const RdapAnswer* cached = Cached(address)) {
    Deliver(done, *cached);
    return;
  }
  std::string base = options_.base_url;
  if (base.empty()) {
    std::optional<std::string> found = bootstrap_->BaseUrlFor(address);
    if (!found.has_value()) {
      RdapAnswer answer;
      answer.source.set_source(kRdapSource);
      answer.source.set_answered(true);
      answer.source.set_detail(
          "no registry serves this address (not in IANA's RDAP bootstrap: "
          "reserved or special-purpose space)");
      Deliver(done, answer);
      return;
    }
    base = *std::move(found);
  }
  servers_[base].queue.push_back(Waiting{address, std::move(done)});
  Pump(base);
}

void RdapClient::Pump(const std::string& base_url) {
  Server& server = servers_[base_url];
  while (!server.queue.empty() && !server.busy) {
    Waiting& front = server.queue.front();
    const absl::Time now = clock_->Now();
    const RdapAnswer* cached = Cached(front.address);
    if (cached == nullptr && server.failure.has_value() &&
        now < server.failed_until) {
      RdapAnswer answer = *server.failure;
      answer.source.set_query(RdapIpQuery(base_url, front.address));
      answer.source.set_detail(
          absl::StrCat("not asked: the server failed within the last ",
                       absl::FormatDuration(options_.failure_hold), " (",
                       server.failure->source.detail(), ")"));
      Waiting w = std::move(front);
      server.queue.pop_front();
      Deliver(w.done, answer);
      continue;
    }
    if (cached != nullptr) {
      Waiting w = std::move(front);
      server.queue.pop_front();
      Deliver(w.done, *cached);
      continue;
    }
    if (now < server.next_send) return;  // NextTimeout() wakes the loop.
    server.busy = true;
    server.next_send = now + absl::Seconds(1) / options_.queries_per_second;
    ++questions_sent_;
    HttpRequest request;
    request.url = RdapIpQuery(base_url, front.address);
    request.timeout = options_.timeout;
    fetcher_->Fetch(
        request, [this, base_url, url = request.url](HttpResponse response) {
          Server& server = servers_[base_url];
          server.busy = false;
          Waiting w = std::move(server.queue.front());
          server.queue.pop_front();
          RdapAnswer answer = InterpretRdap(w.address, url, response);
          if (answer.retry_after > absl::ZeroDuration()) {
            server.next_send = std::max(
                server.next_send, clock_->Now() + std::min(answer.retry_after,
                                                           options_.max_pause));
          }
          if (ServerFailed(answer)) {
            server.failure = answer;
            server.failed_until = clock_->Now() + options_.failure_hold;
          } else {
            server.failure.reset();
          }
          if (answer.covers.has_value()) cache_.push_back(answer);
          Deliver(w.done, answer);
          Pump(base_url);
        });
  }
}

void RdapClient::PumpAll() {
  for (auto& [base_url, server] : servers_) {
    if (!server.queue.empty() && !server.busy) Pump(base_url);
  }
}

absl::Duration RdapClient::NextTimeout() {
  absl::Duration wait = fetcher_->NextTimeout();
  const absl::Time now = clock_->Now();
  for (const auto& [base_url, server] : servers_) {
    if (server.queue.empty() || server.busy) continue;
    wait =
        std::min(wait, std::max(absl::ZeroDuration(), server.next_send - now));
  }
  return wait;
}

size_t RdapClient::Process(absl::Span<const FdEvents> ready) {
  fetcher_->Process(ready);
  PumpAll();
  return pending_;
}

size_t RdapClient::Poll(absl::Duration max_wait) {
  return WaitAndProcess(*this, max_wait);
}

}  // namespace dnsbl

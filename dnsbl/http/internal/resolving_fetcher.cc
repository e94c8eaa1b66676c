#include "dnsbl/http/internal/resolving_fetcher.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "dnsbl/base/address.h"
#include "dnsbl/base/escape.h"

namespace dnsbl {
namespace {

// Host addresses are kept at least this long, whatever their TTL.
constexpr absl::Duration kMinHostTtl = absl::Minutes(1);

bool IsRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 ||
         status == 308;
}

}  // namespace

absl::StatusOr<HttpsTarget> ParseHttpsUrl(absl::string_view url) {
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("URL ", QuoteInput(url), ": ", why));
  };
  constexpr absl::string_view kScheme = "https://";
  if (url.size() < kScheme.size() ||
      !absl::EqualsIgnoreCase(url.substr(0, kScheme.size()), kScheme)) {
    return bad("not https://");
  }
  absl::string_view rest = url.substr(kScheme.size());
  absl::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (absl::StrContains(authority, '@')) return bad("user information");
  HttpsTarget target;
  absl::string_view host = authority;
  absl::string_view port;
  if (absl::StartsWith(authority, "[")) {
    const size_t close = authority.find(']');
    if (close == authority.npos) return bad("unclosed [");
    host = authority.substr(1, close - 1);
    absl::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return bad("junk after the address");
      port = after.substr(1);
    }
  } else if (const size_t colon = authority.rfind(':');
             colon != authority.npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return bad("no host");
  if (!port.empty() && (!absl::SimpleAtoi(port, &target.port) ||
                        target.port < 1 || target.port > 65535)) {
    return bad("a bad port");
  }
  target.host = absl::AsciiStrToLower(host);
  target.host_is_address = IpAddress::Parse(target.host).ok();
  if (!target.host_is_address && !ValidateDnsName(target.host, "host").ok()) {
    return bad("a bad host name");
  }
  return target;
}

struct ResolvingFetcher::Flight {
  HttpRequest request;
  Callback done;
  absl::Time deadline;
  int redirects = 0;
};

ResolvingFetcher::ResolvingFetcher(std::shared_ptr<HttpFetcher> inner,
                                   Resolver* resolver, Clock* clock,
                                   int max_redirects)
    : inner_(std::move(inner)),
      resolver_(resolver),
      clock_(clock),
      max_redirects_(max_redirects) {}

ResolvingFetcher::~ResolvingFetcher() { *alive_ = false; }

void ResolvingFetcher::Fetch(const HttpRequest& request, Callback done) {
  auto flight = std::make_shared<Flight>();
  flight->request = request;
  flight->request.follow_redirects = false;
  flight->done = std::move(done);
  flight->deadline = clock_->Now() + request.timeout;
  Start(std::move(flight));
}

void ResolvingFetcher::Start(std::shared_ptr<Flight> flight) {
  absl::StatusOr<HttpsTarget> target = ParseHttpsUrl(flight->request.url);
  if (!target.ok()) {
    return Fail(std::move(flight), HttpResponse::Failure::kTransport,
                std::string(target.status().message()));
  }
  if (target->host_is_address) return Send(std::move(flight), *target, {});
  auto it = hosts_.find(target->host);
  if (it != hosts_.end() && it->second.expires > clock_->Now()) {
    return Send(std::move(flight), *target, it->second.addresses);
  }
  Resolve(std::move(flight), *target);
}

void ResolvingFetcher::Resolve(std::shared_ptr<Flight> flight,
                               const HttpsTarget& target) {
  ++resolving_;
  struct Lookup {
    int outstanding = 2;
    std::vector<std::string> addresses;
    std::vector<std::string> failures;
    int ttl = 0;
  };
  auto lookup = std::make_shared<Lookup>();
  for (RecordType type : {RecordType::kA, RecordType::kAaaa}) {
    resolver_->Lookup(
        target.host, type,
        [this, alive = alive_, flight, target, lookup, type](DnsResponse r) {
          if (!*alive) return;
          if (r.outcome == DnsOutcome::kAnswer) {
            for (const std::string& a : r.records)
              lookup->addresses.push_back(a);
            lookup->ttl =
                lookup->ttl == 0 ? r.ttl : std::min(lookup->ttl, r.ttl);
          } else if (r.outcome != DnsOutcome::kNoData) {
            lookup->failures.push_back(
                absl::StrCat(type == RecordType::kA ? "A " : "AAAA ",
                             DnsOutcomeName(r.outcome)));
          }
          if (--lookup->outstanding > 0) return;
          --resolving_;
          if (lookup->addresses.empty()) {
            return Fail(
                flight, HttpResponse::Failure::kTransport,
                absl::StrCat("cannot resolve ", target.host, " (",
                             lookup->failures.empty()
                                 ? "no address"
                                 : absl::StrJoin(lookup->failures, ", "),
                             ")"));
          }
          hosts_[target.host] =
              Host{lookup->addresses,
                   clock_->Now() +
                       std::max(kMinHostTtl, absl::Seconds(lookup->ttl))};
          Send(flight, target, lookup->addresses);
        });
  }
}

void ResolvingFetcher::Send(std::shared_ptr<Flight> flight,
                            const HttpsTarget& target,
                            const std::vector<std::string>& addresses) {
  const absl::Duration left = flight->deadline - clock_->Now();
  if (left <= absl::ZeroDuration()) {
    return Fail(std::move(flight), HttpResponse::Failure::kTimeout,
                "timed out");
  }
  HttpRequest request = flight->request;
  request.timeout = left;
  request.resolve.clear();
  if (!addresses.empty()) {
    std::vector<std::string> bracketed;
    for (const std::string& a : addresses) {
      bracketed.push_back(absl::StrContains(a, ':') ? absl::StrCat("[", a, "]")
                                                    : a);
    }
    request.resolve.push_back(absl::StrCat(target.host, ":", target.port, ":",
                                           absl::StrJoin(bracketed, ",")));
  }
  inner_->Fetch(request, [this, alive = alive_,
                          flight = std::move(flight)](HttpResponse r) mutable {
    if (!*alive) return;
    OnResponse(std::move(flight), std::move(r));
  });
}

void ResolvingFetcher::OnResponse(std::shared_ptr<Flight> flight,
                                  HttpResponse response) {
  if (response.failure == HttpResponse::Failure::kNone &&
      IsRedirect(response.status) && !response.redirect_url.empty()) {
    if (flight->redirects >= max_redirects_) {
      return Fail(std::move(flight), HttpResponse::Failure::kTooManyRedirects,
                  absl::StrCat("more than ", max_redirects_, " redirects"));
    }
    ++flight->redirects;
    flight->request.url = std::move(response.redirect_url);
    return Start(std::move(flight));
  }
  response.redirects = flight->redirects;
  response.final_url = EscapeForTerminal(flight->request.url);
  response.redirect_url.clear();
  Callback done = std::move(flight->done);
  done(std::move(response));
}

void ResolvingFetcher::Fail(std::shared_ptr<Flight> flight,
                            HttpResponse::Failure failure, std::string error) {
  HttpResponse response;
  response.failure = failure;
  response.error = EscapeForTerminal(error);
  response.redirects = flight->redirects;
  response.final_url = EscapeForTerminal(flight->request.url);
  failed_.emplace_back(std::move(flight->done), std::move(response));
}

size_t ResolvingFetcher::Poll(absl::Duration max_wait) {
  return WaitAndProcess(*this, max_wait);
}

size_t ResolvingFetcher::pending() const {
  return inner_->pending() + resolving_ + failed_.size();
}

std::vector<FdEvents> ResolvingFetcher::Descriptors() const {
  return inner_->Descriptors();
}

absl::Duration ResolvingFetcher::NextTimeout() {
  if (!failed_.empty()) return absl::ZeroDuration();
  return inner_->NextTimeout();
}

size_t ResolvingFetcher::Process(absl::Span<const FdEvents> ready) {
  if (inner_->pending() > 0 || !ready.empty()) inner_->Process(ready);
  std::vector<std::pair<Callback, HttpResponse>> failed;
  failed.swap(failed_);
  for (auto& [done, response] : failed) done(std::move(response));
  return pending();
}

}  // namespace dnsbl

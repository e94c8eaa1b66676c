// dnsbl/http/internal/resolving_fetcher.h
//
// HTTPS fetches whose host names are resolved by dnsbl's own resolver (the
// one that asks the blocklists: direct from their servers, or the chosen
// nameservers), not by the system's: a slow or lying system resolver then
// neither stalls a check nor steers RDAP questions elsewhere. It wraps a
// fetcher (libcurl) and hands it each host's addresses with the request
// (HttpRequest::resolve, libcurl's CURLOPT_RESOLVE); redirects are
// followed here, so a redirect to another registry's host is resolved the
// same way. Addresses are kept for their TTL (at least a minute).
//
// Example:
//
//   auto fetcher = std::make_shared<dnsbl::ResolvingFetcher>(
//       *dnsbl::CreateCurlFetcher({}), resolver.get(), dnsbl::Clock::Real());
//   fetcher->Fetch(request, [](dnsbl::HttpResponse r) { ... });
//   // The resolver's loop and the fetcher's are both driven, as the
//   // Checker does.

#ifndef DNSBL_DNSBL_HTTP_INTERNAL_RESOLVING_FETCHER_H_
#define DNSBL_DNSBL_HTTP_INTERNAL_RESOLVING_FETCHER_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "dnsbl/base/clock.h"
#include "dnsbl/dns/internal/resolver.h"
#include "dnsbl/http/internal/http_fetcher.h"

namespace dnsbl {

// The host and port of an https:// URL.
struct HttpsTarget {
  std::string host;  // Lower case; an IPv6 address without brackets.
  int port = 443;
  bool host_is_address = false;
};

// Parses the host and port of `url`. InvalidArgument naming what is wrong
// for anything but an https:// URL with a host name or address (user
// information is refused).
absl::StatusOr<HttpsTarget> ParseHttpsUrl(absl::string_view url);

// Not thread-safe. Its pending work includes host names being resolved,
// which the resolver's own loop must drive (the Checker drives both).
class ResolvingFetcher : public HttpFetcher {
 public:
  // `inner` fetches; `resolver` and `clock` must outlive the fetcher.
  // `max_redirects` bounds the redirects followed per fetch.
  ResolvingFetcher(std::shared_ptr<HttpFetcher> inner, Resolver* resolver,
                   Clock* clock, int max_redirects = 3);
  ~ResolvingFetcher() override;

  void Fetch(const HttpRequest& request, Callback done) override;
  size_t Poll(absl::Duration max_wait) override;
  size_t pending() const override;
  std::vector<FdEvents> Descriptors() const override;
  absl::Duration NextTimeout() override;
  size_t Process(absl::Span<const FdEvents> ready) override;

 private:
  struct Flight;
  struct Host {
    std::vector<std::string> addresses;
    absl::Time expires;
  };

  void Start(std::shared_ptr<Flight> flight);
  void Resolve(std::shared_ptr<Flight> flight, const HttpsTarget& target);
  void Send(std::shared_ptr<Flight> flight, const HttpsTarget& target,
            const std::vector<std::string>& addresses);
  void OnResponse(std::shared_ptr<Flight> flight, HttpResponse response);
  void Fail(std::shared_ptr<Flight> flight, HttpResponse::Failure failure,
            std::string error);

  std::shared_ptr<HttpFetcher> inner_;
  Resolver* const resolver_;
  Clock* const clock_;
  const int max_redirects_;
  std::map<std::string, Host> hosts_;
  // Fetches waiting for their host's addresses.
  size_t resolving_ = 0;
  // Answered at once (a bad URL): delivered by the next Process().
  std::vector<std::pair<Callback, HttpResponse>> failed_;
  // Lives as long as the fetcher: resolver callbacks that outlive it do
  // nothing.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_HTTP_INTERNAL_RESOLVING_FETCHER_H_

// dnsbl/http/internal/http_fetcher.h
//
// The seam between dnsbl and HTTPS servers (RDAP registries): an
// asynchronous GET driven by its owner's loop, like the DNS resolver
// (dnsbl/dns/internal/resolver.h), so one loop drives both. The production
// implementation sits on libcurl (dnsbl/http/internal/curl_fetcher.h).
//
// Example:
//
//   dnsbl::HttpRequest request;
//   request.url = "https://rdap.example/ip/192.0.2.7";
//   fetcher->Fetch(request, [](dnsbl::HttpResponse r) {
//     if (r.error.empty() && r.status == 200) Use(r.body);
//   });
//   while (fetcher->pending() > 0) fetcher->Poll(absl::Seconds(1));

#ifndef DNSBL_DNSBL_HTTP_INTERNAL_HTTP_FETCHER_H_
#define DNSBL_DNSBL_HTTP_INTERNAL_HTTP_FETCHER_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "dnsbl/base/fd_events.h"

namespace dnsbl {

struct HttpRequest {
  // An https:// URL. REQUIRES: non-empty.
  std::string url;
  // The value of the Accept header. Default: RDAP's media type (RFC 7480).
  std::string accept = "application/rdap+json";
  // The whole exchange, redirects included. Default: 10 seconds.
  // REQUIRES: > 0.
  absl::Duration timeout = absl::Seconds(10);
  // A body larger than this fails the fetch (a hostile or broken server
  // must not fill memory). Default: 1 MiB. REQUIRES: > 0.
  size_t max_body_bytes = 1 << 20;
  // Addresses of host names, as "HOST:PORT:ADDR[,ADDR...]", so the fetcher
  // asks no resolver of the system's for them (ResolvingFetcher,
  // dnsbl/http/internal/resolving_fetcher.h, fills this in). Default: none.
  std::vector<std::string> resolve;
  // Whether redirects are followed. When not, a redirect is the answer:
  // its status, and its target in HttpResponse::redirect_url. Default:
  // true.
  bool follow_redirects = true;
};

// How a fetch ended. Either `error` says why there is no HTTP answer, or
// `status` holds the final status after redirects (any status: a 404 or
// 429 is an answer, and its body is kept for the caller to read).
struct HttpResponse {
  enum class Failure {
    kNone,
    kTimeout,   // No complete answer within HttpRequest::timeout.
    kTooLarge,  // The body passed HttpRequest::max_body_bytes.
    kTooManyRedirects,
    kTransport,  // Name, connection, TLS (verification), protocol.
  };
  Failure failure = Failure::kNone;
  std::string error;  // Empty when failure is kNone; escaped, printable.
  int status = 0;     // The final HTTP status; 0 with a failure.
  std::string body;
  std::string final_url;  // After redirects.
  int redirects = 0;      // How many were followed.
  // The absolute URL a redirect points to, when it was not followed.
  std::string redirect_url;
  // From a Retry-After header in seconds (429, 503); zero when absent.
  absl::Duration retry_after;
};

// An asynchronous HTTPS client, driven as an EventSource (its pending
// work is fetches). Not thread-safe: one thread calls Fetch() and the loop
// methods; callbacks run on that thread inside Poll() or Process().
class HttpFetcher : public EventSource {
 public:
  using Callback = absl::AnyInvocable<void(HttpResponse)>;

  // Starts fetching `request`; calls `done` exactly once, inside a later
  // Poll() or Process(), unless the fetcher is destroyed first (then it is
  // dropped uncalled). `done` may call Fetch() again.
  virtual void Fetch(const HttpRequest& request, Callback done) = 0;
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_HTTP_INTERNAL_HTTP_FETCHER_H_

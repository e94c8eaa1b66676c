// dnsbl/http/internal/curl_fetcher.h
//
// The HttpFetcher on libcurl's multi interface, driven by the caller's loop
// through curl's socket callbacks (never select()). HTTPS only, for the
// request and every redirect; TLS peers are always verified.
//
// Example:
//
//   absl::StatusOr<std::unique_ptr<dnsbl::HttpFetcher>> fetcher =
//       dnsbl::CreateCurlFetcher({});
//   if (!fetcher.ok()) return fetcher.status();
//   (*fetcher)->Fetch(request, [](dnsbl::HttpResponse r) { ... });
//   while ((*fetcher)->pending() > 0) (*fetcher)->Poll(absl::Seconds(1));

#ifndef DNSBL_DNSBL_HTTP_INTERNAL_CURL_FETCHER_H_
#define DNSBL_DNSBL_HTTP_INTERNAL_CURL_FETCHER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "dnsbl/base/clock.h"
#include "dnsbl/http/internal/http_fetcher.h"

namespace dnsbl {

struct CurlFetcherOptions {
  // A PEM file of the certificate authorities to trust instead of the
  // system's (a private RDAP mirror; tests' own CA). Default: empty, the
  // system's store. REQUIRES: empty or a readable file.
  std::string ca_file;

  // The most redirects followed per fetch (RIRs redirect once for space
  // another registry holds). Default: 3. REQUIRES: >= 0.
  int max_redirects = 3;

  // Sent as User-Agent, so operators can tell who is asking.
  // Default: "dnsbl".
  std::string user_agent = "dnsbl";

  // The clock libcurl's timer requests are kept on (libcurl asks to be
  // called back "in N ms"). Default: null, meaning Clock::Monotonic(). A
  // given clock must outlive the fetcher.
  Clock* clock = nullptr;
};

// Returns a libcurl fetcher (not thread-safe, see HttpFetcher), or
// InvalidArgument naming the bad option, or Internal when libcurl cannot
// start.
absl::StatusOr<std::unique_ptr<HttpFetcher>> CreateCurlFetcher(
    const CurlFetcherOptions& options);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_HTTP_INTERNAL_CURL_FETCHER_H_

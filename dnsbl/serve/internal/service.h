// dnsbl/serve/internal/service.h
//
// What `dnsbl serve` answers, route by route, over one Checker: the JSON
// API (/v1/check, /v1/zones, /v1/health), Prometheus's /metrics (the
// service itself) and /probe (one target, blackbox-exporter style), and
// /healthz. Only IP addresses are ever checked, against the Checker's
// catalog zones only, so the service cannot be made to ask arbitrary
// names. Errors are JSON with the message the command line prints and a
// fitting status: 400 bad input, 401 without the token, 405, 404, 429 over
// a client's rate, 503 when no zone gave a usable answer (with the report).
//
// Example:
//
//   dnsbl::Service service(*checker, options);
//   auto http = dnsbl::HttpServer::Create(
//       http_options, [&](const dnsbl::ServerRequest& r,
//                         dnsbl::ServerRespond respond) {
//         service.Handle(r, std::move(respond));
//       });

#ifndef DNSBL_DNSBL_SERVE_INTERNAL_SERVICE_H_
#define DNSBL_DNSBL_SERVE_INTERNAL_SERVICE_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "dnsbl/base/address.h"
#include "dnsbl/base/clock.h"
#include "dnsbl/checker.h"
#include "dnsbl/serve/internal/http_server.h"
#include "proto/dnsbl.pb.h"

namespace dnsbl {

struct ServiceOptions {
  // Requests must carry "Authorization: Bearer TOKEN" (all but /healthz).
  // Default: empty, none needed (loopback only: ServeOptions).
  std::string token;

  // Requests a second one client address may make, in a burst of twice
  // as many. Default: 20. REQUIRES: >= 0; 0 for no limit.
  double client_qps = 20;

  // The time, for rate limits and durations. Default: null, Clock::Real().
  Clock* clock = nullptr;

  // The desk's mailbox the page and /v1/notice sign letters with when the
  // request gives none. Default: empty (the request must give one).
  std::string from;

  // The most addresses one POST /v1/check may hold. Default: 100.
  int max_addresses = 100;
};

// Not thread-safe: runs on the loop's thread, as the Checker does.
class Service {
 public:
  // `checker` must outlive the Service.
  Service(Checker& checker, ServiceOptions options);

  // Answers `request` through `respond`, now or when its check finishes.
  void Handle(const ServerRequest& request, ServerRespond respond);

  // Returns the service's own metrics (the /metrics body).
  std::string MetricsText() const;

 private:
  bool Allowed(const std::string& client);
  void Check(const ServerRequest& request, ServerRespond respond);
  void CheckMany(const ServerRequest& request, ServerRespond respond);
  void Probe(const ServerRequest& request, ServerRespond respond);
  // The desk's routes (service_desk.cc): the page and the letter.
  void Page(const ServerRequest& request, ServerRespond respond);
  void Notice(const ServerRequest& request, ServerRespond respond);
  // Checks `address` (already parsed) and counts its results.
  void CheckOne(const IpAddress& address,
                absl::AnyInvocable<void(v1::Report)> done);

  absl::Time Now() const;

  Checker& checker_;
  ServiceOptions options_;
  // Requests answered, by route and status code.
  std::map<std::pair<std::string, int>, int64_t> requests_;
  // Zone results of every check, by zone and status.
  std::map<std::pair<std::string, v1::Status>, int64_t> results_;
  int64_t checks_ = 0;
  struct Bucket {
    double tokens = 0;
    absl::Time refilled;
  };
  std::map<std::string, Bucket> buckets_;
};

// Returns the JSON body of an error: {"error":{"code":..,"message":..}}.
std::string ErrorJson(const absl::Status& status);

// Returns the HTTP status for a canonical code.
int HttpStatusOf(absl::StatusCode code);

// Returns the /probe body for `report`, checked in `took`.
std::string ProbeText(const v1::Report& report, absl::Duration took);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_SERVE_INTERNAL_SERVICE_H_

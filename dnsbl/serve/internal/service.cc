#include "dnsbl/serve/internal/service.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "dnsbl/base/address.h"
#include "dnsbl/base/escape.h"
#include "dnsbl/output/encode.h"
#include "dnsbl/serve/internal/page.h"
#include "dnsbl/serve/internal/prometheus_text.h"

namespace dnsbl {
namespace {

ServerResponse Error(const absl::Status& status) {
  return {HttpStatusOf(status.code()), "application/json", ErrorJson(status)};
}

// Constant-time comparison, so the token cannot be guessed byte by byte.
bool SameSecret(absl::string_view a, absl::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

std::string Lower(v1::Category c) {
  return absl::AsciiStrToLower(v1::Category_Name(c));
}

}  // namespace

std::string ErrorJson(const absl::Status& status) {
  return absl::StrCat("{\"error\":{\"code\":",
                      JsonQuote(absl::StatusCodeToString(status.code())),
                      ",\"message\":", JsonQuote(status.message()), "}}\n");
}

int HttpStatusOf(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kFailedPrecondition:
      return 405;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    default:
      return 500;
  }
}

std::string ProbeText(const v1::Report& report, absl::Duration took) {
  MetricFamily success("dnsbl_probe_success", "gauge",
                       "1 when every zone asked gave a usable answer.");
  MetricFamily duration("dnsbl_probe_duration_seconds", "gauge",
                        "How long the check of the target took.");
  MetricFamily listed_zones("dnsbl_probe_listed_zones", "gauge",
                            "How many zones list the target.");
  MetricFamily listed("dnsbl_zone_listed", "gauge",
                      "1 when the zone lists the target, 0 when it says it "
                      "does not; absent when it gave no usable answer.");
  MetricFamily listed_as("dnsbl_zone_listed_category", "gauge",
                         "1 for each category the zone lists the target as.");
  MetricFamily error("dnsbl_zone_error", "gauge",
                     "1 when the zone gave no usable answer (never a "
                     "listing), with why.");
  MetricFamily answer("dnsbl_zone_answer_seconds", "gauge",
                      "How long the zone took to answer.");
  int errors = 0;
  int listings = 0;
  for (const v1::ZoneResult& r : report.results()) {
    const MetricLabels zone = {{"zone", r.zone()}};
    switch (r.status()) {
      case v1::LISTED:
        ++listings;
        listed.Add(zone, 1);
        for (int c : r.categories()) {
          listed_as.Add({{"zone", r.zone()},
                         {"category", Lower(static_cast<v1::Category>(c))}},
                        1);
        }
        break;
      case v1::NOT_LISTED:
        listed.Add(zone, 0);
        break;
      case v1::SKIPPED:
        continue;
      default:
        ++errors;
        error.Add(
            {{"zone", r.zone()},
             {"status", absl::AsciiStrToLower(v1::Status_Name(r.status()))},
             {"error", absl::AsciiStrToLower(v1::ErrorKind_Name(r.error()))}},
            1);
        break;
    }
    answer.Add(zone, r.latency_ms() / 1000.0);
  }
  success.Add({}, errors == 0 ? 1 : 0);
  duration.Add({}, absl::ToDoubleSeconds(took));
  listed_zones.Add({}, listings);
  return absl::StrCat(success.Text(), duration.Text(), listed_zones.Text(),
                      listed.Text(), listed_as.Text(), error.Text(),
                      answer.Text());
}

Service::Service(Checker& checker, ServiceOptions options)
    : checker_(checker), options_(std::move(options)) {}

absl::Time Service::Now() const {
  return (options_.clock != nullptr ? options_.clock : Clock::Real())->Now();
}

bool Service::Allowed(const std::string& client) {
  if (options_.client_qps <= 0) return true;
  const double burst = std::max(1.0, 2 * options_.client_qps);
  const absl::Time now = Now();
  auto [it, fresh] = buckets_.try_emplace(client, Bucket{burst, now});
  Bucket& b = it->second;
  b.tokens =
      std::min(burst, b.tokens + absl::ToDoubleSeconds(now - b.refilled) *
                                     options_.client_qps);
  b.refilled = now;
  if (buckets_.size() > 10000) {
    // Forget clients whose buckets are full again: they cost nothing.
    for (auto i = buckets_.begin(); i != buckets_.end();) {
      i = i->second.tokens >= burst && i != it ? buckets_.erase(i) : ++i;
    }
  }
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}

void Service::Handle(const ServerRequest& request, ServerRespond respond) {
  // Every answer is counted by route (known routes only: the label set
  // stays small whatever clients ask for).
  static const char* const kRoutes[] = {
      "/v1/check", "/v1/zones", "/v1/health", "/v1/notice",       "/metrics",
      "/probe",    "/healthz",  "/",          "/static/dnsbl.css"};
  std::string route = "other";
  for (const char* r : kRoutes) {
    if (request.path == r) route = r;
  }
  ServerRespond counted = [this, route, respond = std::move(respond)](
                              ServerResponse response) mutable {
    ++requests_[{route, response.status}];
    response.headers.emplace_back("Cache-Control", "no-store");
    respond(std::move(response));
  };
  if (route == "/healthz") {
    counted({200, "text/plain; charset=utf-8", "ok\n"});
    return;
  }
  if (!options_.token.empty()) {
    auto it = request.headers.find("authorization");
    if (it == request.headers.end() ||
        !SameSecret(it->second, absl::StrCat("Bearer ", options_.token))) {
      ServerResponse r = Error(absl::UnauthenticatedError(
          "this service needs Authorization: Bearer TOKEN"));
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
      counted(std::move(r));
      return;
    }
  }
  if (!Allowed(request.client)) {
    ServerResponse r = Error(absl::ResourceExhaustedError(
        absl::StrCat("more than ", options_.client_qps,
                     " requests a second from ", request.client)));
    r.headers.emplace_back("Retry-After", "1");
    counted(std::move(r));
    return;
  }
  const bool post = request.method == "POST" && route == "/v1/check";
  if (request.method != "GET" && request.method != "HEAD" && !post) {
    ServerResponse r = Error(absl::InvalidArgumentError(
        absl::StrCat(request.method, " is not allowed on ", route)));
    r.status = 405;
    r.headers.emplace_back("Allow", route == "/v1/check" ? "GET, POST" : "GET");
    counted(std::move(r));
    return;
  }
  if (post) return CheckMany(request, std::move(counted));
  if (route == "/v1/check") return Check(request, std::move(counted));
  if (route == "/") return Page(request, std::move(counted));
  if (route == "/v1/notice") return Notice(request, std::move(counted));
  if (route == "/probe") return Probe(request, std::move(counted));
  if (route == "/metrics") {
    counted({200, "text/plain; version=0.0.4; charset=utf-8", MetricsText()});
  } else if (route == "/static/dnsbl.css") {
    ServerResponse css{200, "text/css; charset=utf-8", kPageCss};
    css.headers.emplace_back("X-Content-Type-Options", "nosniff");
    counted(std::move(css));
  } else if (route == "/v1/zones") {
    v1::Catalog catalog;
    for (const v1::Zone& z : checker_.zones()) *catalog.add_zone() = z;
    counted({200, "application/json", FormatMessageJson(catalog) + "\n"});
  } else if (route == "/v1/health") {
    v1::HealthReport health;
    for (const v1::ZoneHealth& z : checker_.ProbedHealth()) {
      *health.add_zones() = z;
    }
    health.set_resolver(checker_.resolver_description());
    counted({200, "application/json", FormatMessageJson(health) + "\n"});
  } else {
    counted(Error(absl::NotFoundError(
        absl::StrCat("no such route: ", QuoteInput(request.path)))));
  }
}

void Service::CheckOne(const IpAddress& address,
                       absl::AnyInvocable<void(v1::Report)> done) {
  ++checks_;
  checker_.CheckAsync(
      address, [this, done = std::move(done)](v1::Report report) mutable {
        for (const v1::ZoneResult& r : report.results()) {
          ++results_[{r.zone(), r.status()}];
        }
        done(std::move(report));
      });
}

void Service::Check(const ServerRequest& request, ServerRespond respond) {
  auto it = request.query.find("address");
  if (it == request.query.end()) {
    respond(Error(absl::InvalidArgumentError("give ?address=IP")));
    return;
  }
  absl::StatusOr<IpAddress> ip = IpAddress::Parse(it->second);
  if (!ip.ok()) {
    respond(Error(ip.status()));
    return;
  }
  CheckOne(*ip, [respond = std::move(respond)](v1::Report report) mutable {
    // No zone answered usably (every one dead, refusing or unhealthy from
    // here): no verdict would be honest, and the report says why.
    if (report.summary().asked() > 0 && report.summary().answered() == 0) {
      respond({503, "application/json",
               absl::StrCat("{\"error\":{\"code\":\"UNAVAILABLE\","
                            "\"message\":\"no zone gave a usable answer for ",
                            report.address(),
                            " from here (see /v1/health)\"},\"report\":",
                            FormatJson(report), "}\n")});
      return;
    }
    respond({200, "application/json", FormatJson(report) + "\n"});
  });
}

void Service::CheckMany(const ServerRequest& request, ServerRespond respond) {
  // Every address is read before any is asked: one bad item fails the
  // request whole, naming it, and nothing is half done.
  std::vector<IpAddress> addresses;
  int item = 0;
  for (absl::string_view text :
       absl::StrSplit(request.body, absl::ByAnyChar("\n,"))) {
    ++item;
    text = absl::StripAsciiWhitespace(text);
    if (text.empty()) continue;
    absl::StatusOr<IpAddress> ip = IpAddress::Parse(text);
    if (!ip.ok()) {
      respond(Error(absl::InvalidArgumentError(
          absl::StrCat("item ", item, ": ", ip.status().message()))));
      return;
    }
    addresses.push_back(*ip);
  }
  if (addresses.empty() ||
      static_cast<int>(addresses.size()) > options_.max_addresses) {
    respond(Error(absl::InvalidArgumentError(
        absl::StrCat("give 1 to ", options_.max_addresses,
                     " addresses, one per line or comma-separated, not ",
                     addresses.size()))));
    return;
  }
  // The reports in the order asked, one JSON line each, each written as
  // soon as it and those before it are in.
  struct Batch {
    std::vector<std::optional<std::string>> lines;
    size_t next = 0;  // The first line not yet written.
    std::shared_ptr<ResponseStream> stream;
  };
  auto batch = std::make_shared<Batch>();
  batch->lines.resize(addresses.size());
  batch->stream = std::make_shared<ResponseStream>();
  ServerResponse head{200, "application/x-ndjson", ""};
  head.stream = batch->stream;
  respond(std::move(head));
  for (size_t i = 0; i < addresses.size(); ++i) {
    CheckOne(addresses[i], [batch, i](v1::Report report) {
      batch->lines[i] = FormatJson(report) + "\n";
      std::string ready;
      while (batch->next < batch->lines.size() &&
             batch->lines[batch->next].has_value()) {
        ready += *batch->lines[batch->next];
        batch->lines[batch->next++].reset();
      }
      if (!ready.empty()) batch->stream->Write(std::move(ready));
      if (batch->next == batch->lines.size()) batch->stream->Finish();
    });
  }
}

void Service::Probe(const ServerRequest& request, ServerRespond respond) {
  auto it = request.query.find("target");
  absl::StatusOr<IpAddress> ip =
      it == request.query.end() ? absl::InvalidArgumentError("give ?target=IP")
                                : IpAddress::Parse(it->second);
  if (!ip.ok()) {
    respond(Error(ip.status()));
    return;
  }
  const absl::Time start = Now();
  CheckOne(*ip, [this, start,
                 respond = std::move(respond)](v1::Report report) mutable {
    respond({200, "text/plain; version=0.0.4; charset=utf-8",
             ProbeText(report, Now() - start)});
  });
}

std::string Service::MetricsText() const {
  MetricFamily requests("dnsbl_http_requests_total", "counter",
                        "HTTP requests answered, by route and status code.");
  for (const auto& [key, n] : requests_) {
    requests.Add({{"route", key.first}, {"code", absl::StrCat(key.second)}},
                 static_cast<double>(n));
  }
  MetricFamily checks("dnsbl_checks_total", "counter",
                      "Addresses checked (API and probes).");
  checks.Add({}, static_cast<double>(checks_));
  MetricFamily results("dnsbl_zone_results_total", "counter",
                       "Zone answers of every check, by zone and status "
                       "(error and refused are not listings).");
  for (const auto& [key, n] : results_) {
    results.Add(
        {{"zone", key.first},
         {"status", absl::AsciiStrToLower(v1::Status_Name(key.second))}},
        static_cast<double>(n));
  }
  MetricFamily health("dnsbl_zone_health", "gauge",
                      "1 for the zone's health state as last probed.");
  for (const v1::ZoneHealth& z : checker_.ProbedHealth()) {
    health.Add(
        {{"zone", z.zone()},
         {"state", absl::AsciiStrToLower(v1::HealthState_Name(z.state()))}},
        1);
  }
  const AnswerCacheStats cache = checker_.answer_cache_stats();
  MetricFamily hits("dnsbl_cache_hits_total", "counter",
                    "DNS questions answered from the answer cache.");
  hits.Add({}, static_cast<double>(cache.hits));
  MetricFamily misses("dnsbl_cache_misses_total", "counter",
                      "DNS questions asked of the blocklists' servers.");
  misses.Add({}, static_cast<double>(cache.misses));
  MetricFamily entries("dnsbl_cache_entries", "gauge",
                       "Answers kept in the answer cache now.");
  entries.Add({}, static_cast<double>(cache.entries));
  MetricFamily pending("dnsbl_dns_questions_pending", "gauge",
                       "DNS questions asked and not yet answered.");
  pending.Add({}, static_cast<double>(checker_.pending()));
  return absl::StrCat(requests.Text(), checks.Text(), results.Text(),
                      health.Text(), hits.Text(), misses.Text(), entries.Text(),
                      pending.Text());
}

}  // namespace dnsbl

#include "dnsbl/serve/server.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "dnsbl/base/address.h"
#include "dnsbl/base/escape.h"
#include "dnsbl/base/fd_events.h"
#include "dnsbl/serve/internal/http_server.h"
#include "dnsbl/serve/internal/service.h"

namespace dnsbl {
namespace {

bool IsLoopback(const IpAddress& ip) {
  if (ip.family() == IpAddress::Family::kIpv4) {
    return (ip.value() >> 24) == 127;
  }
  return ip.value() == 1;
}

// Parses "ADDRESS:PORT" or "[IPV6]:PORT": unlike a nameserver, the port
// is never implied.
absl::StatusOr<Endpoint> ParseListen(absl::string_view text) {
  const size_t colon = text.rfind(':');
  absl::string_view host =
      colon == absl::string_view::npos ? text : text.substr(0, colon);
  const bool bracketed =
      absl::ConsumePrefix(&host, "[") && absl::ConsumeSuffix(&host, "]");
  int port = -1;
  absl::StatusOr<IpAddress> address = IpAddress::Parse(host);
  if (colon == absl::string_view::npos || !address.ok() ||
      bracketed == address->is_ipv4() ||
      !absl::SimpleAtoi(text.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("listen address ", QuoteInput(text),
                     " is not ADDRESS:PORT (e.g. 127.0.0.1:8053 or "
                     "[::1]:8053)"));
  }
  return Endpoint{*address, port};
}

// After Stop(): how long answered requests get to be written out.
constexpr absl::Duration kDrainTime = absl::Seconds(2);

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Create(
    const CheckerOptions& checker_options, const ServeOptions& options) {
  absl::StatusOr<Endpoint> listen = ParseListen(options.listen);
  if (!listen.ok()) return listen.status();
  std::unique_ptr<Server> server(new Server());
  if (!IsLoopback(listen->address)) {
    if (options.token.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "listening on ", listen->ToString(),
          " (beyond loopback) needs a token (--token_file): anyone who can "
          "reach it could make this machine ask the blocklists"));
    }
    server->warnings_.push_back(absl::StrCat(
        "listening on ", listen->ToString(),
        " beyond loopback: only requests with the token are answered, but "
        "they travel in clear; put TLS in front for other networks"));
  }
  absl::StatusOr<std::unique_ptr<Checker>> checker =
      Checker::Create(checker_options);
  if (!checker.ok()) return checker.status();
  server->checker_ = *std::move(checker);
  for (const std::string& w : server->checker_->warnings()) {
    server->warnings_.push_back(w);
  }
  ServiceOptions service;
  service.token = options.token;
  service.client_qps = options.client_qps;
  service.from = options.from;
  service.clock = checker_options.clock;
  server->service_ =
      std::make_unique<Service>(*server->checker_, std::move(service));
  HttpServerOptions http;
  http.address = listen->address.ToString();
  http.port = listen->port;
  http.idle_timeout = options.idle_timeout;
  Service* routes = server->service_.get();
  absl::StatusOr<std::unique_ptr<HttpServer>> http_server = HttpServer::Create(
      http, [routes](const ServerRequest& request, ServerRespond respond) {
        routes->Handle(request, std::move(respond));
      });
  if (!http_server.ok()) return http_server.status();
  server->http_ = *std::move(http_server);
  server->stop_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (server->stop_fd_ < 0) return absl::InternalError("eventfd failed");
  return server;
}

Server::~Server() {
  http_.reset();  // Before the Service and Checker its requests use.
  if (stop_fd_ >= 0) close(stop_fd_);
}

int Server::port() const { return http_->port(); }

void Server::Stop() {
  const uint64_t one = 1;
  [[maybe_unused]] ssize_t n = write(stop_fd_, &one, sizeof(one));
}

absl::Status Server::Run() {
  bool stopping = false;
  absl::Time drain_deadline = absl::InfiniteFuture();
  for (;;) {
    std::vector<FdEvents> watch = checker_->Descriptors();
    std::set<int> checker_fds;
    for (const FdEvents& e : watch) checker_fds.insert(e.fd);
    for (const FdEvents& e : http_->Descriptors()) watch.push_back(e);
    if (!stopping) watch.push_back({stop_fd_, true, false});
    absl::Duration timeout =
        std::min(checker_->NextTimeout(), http_->NextTimeout());
    if (stopping) timeout = std::min(timeout, absl::Milliseconds(50));
    std::vector<FdEvents> ready = WaitForEvents(watch, timeout);
    std::vector<FdEvents> for_checker;
    for (const FdEvents& e : ready) {
      if (e.fd == stop_fd_) {
        uint64_t value = 0;
        [[maybe_unused]] ssize_t n = read(stop_fd_, &value, sizeof(value));
        stopping = true;
        http_->StopAccepting();
      } else if (checker_fds.count(e.fd) > 0) {
        for_checker.push_back(e);
      }
    }
    checker_->Process(for_checker);
    http_->Process();
    if (stopping && http_->in_flight() == 0) {
      // Every request is answered; let the last answers be written.
      if (drain_deadline == absl::InfiniteFuture()) {
        drain_deadline = absl::Now() + kDrainTime;
      }
      if (http_->connections() == 0 || absl::Now() > drain_deadline) break;
    }
  }
  return absl::OkStatus();
}

}  // namespace dnsbl

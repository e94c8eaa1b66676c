// dnsbl/serve/internal/http_server.h
//
// An HTTP/1.1 server driven by its owner's event loop (the same loop that
// drives the Checker), the only code that sees libmicrohttpd. Requests are
// copied into plain structs; a handler may answer at once or later (a
// check in flight): the connection is suspended meanwhile, so one thread
// serves many slow checks. Slow clients are bounded by an idle timeout,
// request bodies by a size limit, connections by a total and a per-client
// limit.
//
// Example:
//
//   absl::StatusOr<std::unique_ptr<dnsbl::HttpServer>> http =
//       dnsbl::HttpServer::Create(options, [](const dnsbl::ServerRequest& r,
//                                             dnsbl::ServerRespond respond) {
//         respond({200, "text/plain", "ok\n"});
//       });
//   while (running) {
//     dnsbl::WaitForEvents((*http)->Descriptors(), (*http)->NextTimeout());
//     (*http)->Process();
//   }

#ifndef DNSBL_DNSBL_SERVE_INTERNAL_HTTP_SERVER_H_
#define DNSBL_DNSBL_SERVE_INTERNAL_HTTP_SERVER_H_

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dnsbl/base/fd_events.h"

struct MHD_Daemon;

namespace dnsbl {

struct ServerRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // Without the query.
  // The query's arguments, decoded; the first of a repeated name.
  std::map<std::string, std::string> query;
  // Header names in lower case.
  std::map<std::string, std::string> headers;
  std::string body;
  std::string client;  // The peer's IP address.
};

// A body written piece by piece after the response has started (chunked
// transfer): the handler keeps it and Write()s as its results come in, then
// Finish()es. Use on the loop's thread only.
class ResponseStream {
 public:
  // Appends `data` to what is sent next.
  void Write(std::string data);
  // Ends the body once everything written has been sent.
  void Finish();

 private:
  friend struct HttpServerCallbacks;
  std::string pending_;
  bool finished_ = false;
  // Set by the server while its connection waits for more: resumes it.
  std::function<void()> wake_;
  // Set by the server: the request is answered once the stream ends.
  std::function<void()> on_finish_;
};

struct ServerResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;  // Unless `stream` is set.
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the body comes from it instead of `body`.
  std::shared_ptr<ResponseStream> stream;
};

// Answers one request; call exactly once, on the loop's thread.
using ServerRespond = absl::AnyInvocable<void(ServerResponse)>;
using HttpHandler = std::function<void(const ServerRequest&, ServerRespond)>;

struct HttpServerOptions {
  // The address to listen on. Default: 127.0.0.1. REQUIRES: an IPv4 or
  // IPv6 address.
  std::string address = "127.0.0.1";
  // Default: 0, any free port (see port()).
  int port = 0;
  // A connection idle this long (headers or body not arriving, a client
  // not reading) is closed. Default: 15 seconds. REQUIRES: >= 1 second.
  absl::Duration idle_timeout = absl::Seconds(15);
  // Larger request bodies are answered 413. Default: 1 MiB.
  size_t max_body = 1 << 20;
  // Default: 512 connections in all, 64 from one client address.
  int max_connections = 512;
  int max_connections_per_client = 64;
};

// Not thread-safe: one thread runs the loop; the handler and its responds
// run on it.
class HttpServer {
 public:
  // Listens; returns Unavailable naming the address when it cannot.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Create(
      const HttpServerOptions& options, HttpHandler handler);
  ~HttpServer();

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Returns the port listened on.
  int port() const { return port_; }

  // The loop's side: what to watch, how long at most, then Process().
  std::vector<FdEvents> Descriptors() const;
  absl::Duration NextTimeout() const;
  void Process();

  // Stops accepting connections (the listening socket is closed); those
  // open are still served. For a graceful shutdown.
  void StopAccepting();

  // Returns the requests handed to the handler and not yet answered (a
  // streamed answer until it is finished).
  size_t in_flight() const { return in_flight_; }

  // Returns the connections open.
  size_t connections() const;

 private:
  struct Request;
  friend struct HttpServerCallbacks;
  HttpServer(const HttpServerOptions& options, HttpHandler handler);

  HttpServerOptions options_;
  HttpHandler handler_;
  MHD_Daemon* daemon_ = nullptr;
  int port_ = 0;
  size_t in_flight_ = 0;
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_SERVE_INTERNAL_HTTP_SERVER_H_

// dnsbl/serve/server.h
//
// `dnsbl serve`: the checker as a local HTTP service, for the desk's
// colleagues, for Prometheus and for tools in other languages. One process,
// one Checker, one thread: the HTTP server and the checks share the
// library's event loop, a request waiting for its check costs no thread.
// Listens on loopback unless given a token (anything else would hand a
// DNS-asking service to the network); routes: dnsbl/serve/internal/service.h.
//
// Example:
//
//   dnsbl::ServeOptions options;
//   options.listen = "127.0.0.1:8053";
//   absl::StatusOr<std::unique_ptr<dnsbl::Server>> server =
//       dnsbl::Server::Create(checker_options, options);
//   if (!server.ok()) return Fail(server.status());
//   absl::Status s = (*server)->Run();  // until Stop()

#ifndef DNSBL_DNSBL_SERVE_SERVER_H_
#define DNSBL_DNSBL_SERVE_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dnsbl/checker.h"
#include "dnsbl/serve/serve_options.h"

namespace dnsbl {

class HttpServer;
class Service;

// Thread-safety: Run() on one thread; Stop() from any thread or a signal
// handler.
class Server {
 public:
  // Makes the Checker from `checker` and listens as `options` say.
  // Returns InvalidArgument for a bad listen address or a non-loopback one
  // without a token, Unavailable when the address cannot be listened on,
  // or the Checker's error.
  static absl::StatusOr<std::unique_ptr<Server>> Create(
      const CheckerOptions& checker, const ServeOptions& options);
  ~Server();

  // Returns the port listened on.
  int port() const;

  // Returns advice for the person running it (e.g. listening beyond
  // loopback), one sentence each.
  const std::vector<std::string>& warnings() const { return warnings_; }

  // Serves until Stop(); then stops accepting, lets the requests in
  // flight finish (at most the checker's timeout), and returns.
  absl::Status Run();

  // Asks Run() to return. Async-signal-safe.
  void Stop();

 private:
  Server() = default;

  std::unique_ptr<Checker> checker_;
  std::unique_ptr<Service> service_;
  std::unique_ptr<HttpServer> http_;
  std::vector<std::string> warnings_;
  int stop_fd_ = -1;  // An eventfd.
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_SERVE_SERVER_H_

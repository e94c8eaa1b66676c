// dnsbl/serve/serve_options.h
//
// How `dnsbl serve` listens and whom it answers (Server::Create() in
// dnsbl/serve/server.h); apart from the server so that the option table
// (dnsbl/tool_options.h) can hold them without linking an HTTP server.
//
// Example:
//
//   dnsbl::ServeOptions serve;
//   serve.listen = "127.0.0.1:8053";
//   serve.client_qps = 5;

#ifndef DNSBL_DNSBL_SERVE_SERVE_OPTIONS_H_
#define DNSBL_DNSBL_SERVE_SERVE_OPTIONS_H_

#include <string>

#include "absl/time/time.h"

namespace dnsbl {

struct ServeOptions {
  // Where to listen: "ADDRESS:PORT" ("[ADDRESS]:PORT" for IPv6); port 0
  // for any free one (see Server::port()). Default: 127.0.0.1:8053.
  // REQUIRES: a loopback address unless `token` is set.
  std::string listen = "127.0.0.1:8053";

  // Every request but /healthz must carry "Authorization: Bearer TOKEN".
  // Default: empty, none (loopback only).
  std::string token;

  // Requests a second one client may make (burst: twice). Default: 20.
  // REQUIRES: >= 0; 0 for no limit.
  double client_qps = 20;

  // The desk's mailbox that signs the page's letters and /v1/notice's
  // messages when a request gives none. Default: empty (requests must).
  std::string from;

  // A connection idle this long is closed. Default: 15 seconds.
  // REQUIRES: >= 1 second.
  absl::Duration idle_timeout = absl::Seconds(15);
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_SERVE_SERVE_OPTIONS_H_

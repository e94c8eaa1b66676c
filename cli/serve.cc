// dnsbl serve: the checker as a local HTTP service.

#include <signal.h>

#include <iostream>
#include <memory>

#include "cli/command.h"
#include "dnsbl/serve/server.h"

namespace dnsbl::cli {
namespace {

Server* g_server = nullptr;

void StopServer(int) {
  if (g_server != nullptr) g_server->Stop();
}

int RunServe(const Command& command, Invocation& call) {
  if (absl::Status s = ExpectNoArguments(call); !s.ok()) {
    return UsageError(command, s.message());
  }
  // --from is the one option serve shares with notice.
  call.options.serve.from = call.options.delivery.from;
  absl::StatusOr<std::unique_ptr<Server>> server =
      Server::Create(call.options.bulk.checker, call.options.serve);
  if (!server.ok()) {
    return server.status().code() == absl::StatusCode::kInvalidArgument
               ? UsageError(command, server.status().message())
               : Fail(command, server.status());
  }
  PrintWarnings((*server)->warnings());
  g_server = server->get();
  struct sigaction action {};
  action.sa_handler = &StopServer;
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  // The address actually listened on (port 0 picks one), for scripts.
  std::cout << "dnsbl: serving on port " << (*server)->port() << std::endl;
  absl::Status s = (*server)->Run();
  g_server = nullptr;
  if (!s.ok()) return Fail(command, s);
  return kExitOk;
}

}  // namespace

const Command kServeCommand = {
    "serve",
    "",
    "answer checks over HTTP: JSON API, Prometheus /metrics and /probe",
    "usage: dnsbl serve [flags] [--listen=127.0.0.1:8053]\n"
    "\n"
    "Serves the checker over HTTP with check's flags (catalog, zones,\n"
    "resolution, local data, contacts), one process, one event loop:\n"
    "  GET /v1/check?address=IP   the Report (protobuf JSON, as "
    "--format=json)\n"
    "  GET /v1/zones              the zones asked\n"
    "  GET /v1/health             each zone's health as last probed\n"
    "  GET /metrics               the service's own Prometheus metrics\n"
    "  GET /probe?target=IP       per-zone listing series for Prometheus\n"
    "  GET /healthz               liveness\n"
    "Errors are JSON with the message the command line prints: 400 bad\n"
    "address, 401 without the token, 429 over --client_qps, 503 when no\n"
    "zone gave a usable answer. Listens on loopback unless --token_file.\n"
    "SIGTERM or SIGINT: stop accepting, finish the requests in flight, exit.\n"
    "\n"
    "Exit status: 0 stopped; 2 usage error; 3 could not listen or start.\n",
    ToolCommand::kServe,
    {},
    &RunServe};

}  // namespace dnsbl::cli

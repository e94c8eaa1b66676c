// The only file that sees libmicrohttpd.

#include "dnsbl/serve/internal/http_server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "dnsbl/base/escape.h"

namespace dnsbl {

struct HttpServer::Request {
  HttpServer* server = nullptr;
  MHD_Connection* connection = nullptr;
  ServerRequest request;
  bool handed = false;              // Given to the handler.
  bool suspended = false;           // Waiting for its answer.
  bool too_large = false;           // The body passed max_body.
  bool waiting_for_stream = false;  // Suspended until the stream grows.
  std::optional<ServerResponse> response;
};

void ResponseStream::Write(std::string data) {
  pending_ += data;
  if (wake_) wake_();
}

void ResponseStream::Finish() {
  finished_ = true;
  if (on_finish_) {
    std::function<void()> done = std::move(on_finish_);
    on_finish_ = nullptr;
    done();
  }
  if (wake_) wake_();
}

namespace {

MHD_Result CopyValue(void* cls, MHD_ValueKind, const char* key,
                     const char* value) {
  auto* map = static_cast<std::map<std::string, std::string>*>(cls);
  if (key != nullptr) map->emplace(key, value != nullptr ? value : "");
  return MHD_YES;
}

MHD_Result CopyHeader(void* cls, MHD_ValueKind, const char* key,
                      const char* value) {
  auto* map = static_cast<std::map<std::string, std::string>*>(cls);
  if (key != nullptr) {
    map->emplace(absl::AsciiStrToLower(key), value != nullptr ? value : "");
  }
  return MHD_YES;
}

std::string ClientOf(MHD_Connection* connection) {
  const MHD_ConnectionInfo* info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (info == nullptr || info->client_addr == nullptr) return "";
  char text[INET6_ADDRSTRLEN] = {0};
  const sockaddr* sa = info->client_addr;
  if (sa->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr,
              text, sizeof(text));
  } else if (sa->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr,
              text, sizeof(text));
  }
  return text;
}

// Queues `r` on `connection`; a stream reads through `request`.
MHD_Result Queue(MHD_Connection* connection, const ServerResponse& r,
                 void* request);

}  // namespace

// libmicrohttpd's callbacks, with access to HttpServer's insides.
struct HttpServerCallbacks {
  // Gives libmicrohttpd what a stream has; when it has nothing yet, the
  // connection waits (suspended) until the next Write() or Finish().
  static ssize_t ReadStream(void* cls, uint64_t /*pos*/, char* buf,
                            size_t max) {
    auto* r = static_cast<HttpServer::Request*>(cls);
    ResponseStream& s = *r->response->stream;
    if (!s.pending_.empty()) {
      const size_t n = std::min(max, s.pending_.size());
      std::memcpy(buf, s.pending_.data(), n);
      s.pending_.erase(0, n);
      return static_cast<ssize_t>(n);
    }
    if (s.finished_) return MHD_CONTENT_READER_END_OF_STREAM;
    r->waiting_for_stream = true;
    MHD_suspend_connection(r->connection);
    return 0;
  }

  static MHD_Result Access(void* cls, MHD_Connection* connection,
                           const char* url, const char* method,
                           const char* /*version*/, const char* upload_data,
                           size_t* upload_data_size, void** con_cls) {
    auto* server = static_cast<HttpServer*>(cls);
    auto* r = static_cast<HttpServer::Request*>(*con_cls);
    if (r == nullptr) {
      r = new HttpServer::Request();
      r->server = server;
      r->connection = connection;
      r->request.method = method;
      r->request.path = url;
      MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, &CopyValue,
                                &r->request.query);
      MHD_get_connection_values(connection, MHD_HEADER_KIND, &CopyHeader,
                                &r->request.headers);
      r->request.client = ClientOf(connection);
      *con_cls = r;
      return MHD_YES;
    }
    if (*upload_data_size > 0) {
      if (r->request.body.size() + *upload_data_size >
          server->options_.max_body) {
        r->too_large = true;
      } else {
        r->request.body.append(upload_data, *upload_data_size);
      }
      *upload_data_size = 0;
      return MHD_YES;
    }
    if (r->too_large) {
      return Queue(connection,
                   {413, "application/json",
                    absl::StrCat("{\"error\":{\"code\":\"INVALID_ARGUMENT\","
                                 "\"message\":\"the request body is larger "
                                 "than ",
                                 server->options_.max_body, " bytes\"}}\n")},
                   r);
    }
    if (!r->handed) {
      r->handed = true;
      ++server->in_flight_;
      server->handler_(r->request, [r](ServerResponse response) {
        r->response = std::move(response);
        HttpServer* server = r->server;
        if (r->response->stream == nullptr || r->response->stream->finished_) {
          --server->in_flight_;
        } else {
          // Answered when the stream ends (a graceful stop waits for it).
          r->response->stream->on_finish_ = [server] { --server->in_flight_; };
        }
        if (r->response->stream != nullptr) {
          r->response->stream->wake_ = [r] {
            if (r->waiting_for_stream) {
              r->waiting_for_stream = false;
              MHD_resume_connection(r->connection);
            }
          };
        }
        if (r->suspended) {
          r->suspended = false;
          MHD_resume_connection(r->connection);
        }
      });
    }
    if (r->response.has_value()) return Queue(connection, *r->response, r);
    r->suspended = true;
    MHD_suspend_connection(connection);
    return MHD_YES;
  }

  static void Completed(void* /*cls*/, MHD_Connection* /*connection*/,
                        void** con_cls, MHD_RequestTerminationCode) {
    auto* r = static_cast<HttpServer::Request*>(*con_cls);
    // The handler may still hold the stream: it must not wake this
    // connection any more.
    if (r != nullptr && r->response.has_value() &&
        r->response->stream != nullptr) {
      r->response->stream->wake_ = nullptr;
    }
    delete r;
    *con_cls = nullptr;
  }
};

namespace {

MHD_Result Queue(MHD_Connection* connection, const ServerResponse& r,
                 void* request) {
  MHD_Response* response =
      r.stream != nullptr
          ? MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024,
                                              &HttpServerCallbacks::ReadStream,
                                              request, nullptr)
          : MHD_create_response_from_buffer(r.body.size(),
                                            const_cast<char*>(r.body.data()),
                                            MHD_RESPMEM_MUST_COPY);
  if (response == nullptr) return MHD_NO;
  MHD_add_response_header(response, "Content-Type", r.content_type.c_str());
  for (const auto& [name, value] : r.headers) {
    MHD_add_response_header(response, name.c_str(), value.c_str());
  }
  const MHD_Result result =
      MHD_queue_response(connection, static_cast<unsigned>(r.status), response);
  MHD_destroy_response(response);
  return result;
}

}  // namespace

HttpServer::HttpServer(const HttpServerOptions& options, HttpHandler handler)
    : options_(options), handler_(std::move(handler)) {}

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Create(
    const HttpServerOptions& options, HttpHandler handler) {
  sockaddr_storage address{};
  unsigned int flags = MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
  if (inet_pton(AF_INET, options.address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(options.port));
  } else if (inet_pton(AF_INET6, options.address.c_str(), &v6->sin6_addr) ==
             1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(options.port));
    flags |= MHD_USE_IPv6;
  } else {
    return absl::InvalidArgumentError(absl::StrCat("listen address ",
                                                   QuoteInput(options.address),
                                                   " is not an IP address"));
  }
  std::unique_ptr<HttpServer> server(
      new HttpServer(options, std::move(handler)));
  server->daemon_ = MHD_start_daemon(
      flags, static_cast<uint16_t>(options.port), nullptr, nullptr,
      &HttpServerCallbacks::Access, server.get(), MHD_OPTION_SOCK_ADDR,
      reinterpret_cast<sockaddr*>(&address), MHD_OPTION_CONNECTION_TIMEOUT,
      static_cast<unsigned int>(
          std::max<int64_t>(1, absl::ToInt64Seconds(options.idle_timeout))),
      MHD_OPTION_CONNECTION_LIMIT,
      static_cast<unsigned int>(options.max_connections),
      MHD_OPTION_PER_IP_CONNECTION_LIMIT,
      static_cast<unsigned int>(options.max_connections_per_client),
      MHD_OPTION_NOTIFY_COMPLETED, &HttpServerCallbacks::Completed, nullptr,
      MHD_OPTION_END);
  if (server->daemon_ == nullptr) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", options.address, " port ", options.port,
        " (in use, or not an address of this machine)"));
  }
  const MHD_DaemonInfo* info =
      MHD_get_daemon_info(server->daemon_, MHD_DAEMON_INFO_BIND_PORT);
  server->port_ = info != nullptr ? info->port : options.port;
  return server;
}

HttpServer::~HttpServer() {
  if (daemon_ != nullptr) MHD_stop_daemon(daemon_);
}

std::vector<FdEvents> HttpServer::Descriptors() const {
  const MHD_DaemonInfo* info =
      MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_EPOLL_FD);
  if (info == nullptr) return {};
  return {FdEvents{info->epoll_fd, /*readable=*/true, /*writable=*/false}};
}

absl::Duration HttpServer::NextTimeout() const {
  MHD_UNSIGNED_LONG_LONG ms = 0;
  if (MHD_get_timeout(daemon_, &ms) != MHD_YES) return absl::InfiniteDuration();
  return absl::Milliseconds(static_cast<int64_t>(ms));
}

void HttpServer::Process() { MHD_run(daemon_); }

size_t HttpServer::connections() const {
  const MHD_DaemonInfo* info =
      MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
  return info != nullptr ? info->num_connections : 0;
}

void HttpServer::StopAccepting() {
  const MHD_socket fd = MHD_quiesce_daemon(daemon_);
  if (fd != MHD_INVALID_SOCKET) close(fd);
}

}  // namespace dnsbl

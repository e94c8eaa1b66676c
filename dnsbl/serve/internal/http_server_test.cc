#include "dnsbl/serve/internal/http_server.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/http_get.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;

// A server on 127.0.0.1 run by its own loop thread, as dnsbl serve runs
// it: "/now" answers at once, "/later" after a second (the connection
// suspended meanwhile), anything else echoes the request.
class HttpServerTest : public ::testing::Test {
 protected:
  void Start(HttpServerOptions options) {
    absl::StatusOr<std::unique_ptr<HttpServer>> server = HttpServer::Create(
        options, [this](const ServerRequest& r, ServerRespond respond) {
          if (r.path == "/now") {
            respond({200, "text/plain", "now\n"});
          } else if (r.path == "/stream") {
            // The first line at once, the second a second later.
            auto stream = std::make_shared<ResponseStream>();
            ServerResponse head{200, "text/plain", ""};
            head.stream = stream;
            respond(std::move(head));
            stream->Write("first\n");
            later_streams_.push_back({absl::Now() + absl::Seconds(1), stream});
          } else if (r.path == "/later") {
            later_.push_back(
                {absl::Now() + absl::Seconds(1), std::move(respond)});
            ++later_count_;
          } else {
            respond(
                {200, "text/plain",
                 absl::StrCat(
                     r.method, " ", r.path,
                     " q=", r.query.count("a") ? r.query.at("a") : "", " h=",
                     r.headers.count("x-test") ? r.headers.at("x-test") : "",
                     " body=", r.body.size(), " from ", r.client, "\n")});
          }
        });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    loop_ = std::thread([this] {
      while (!stop_) {
        WaitForEvents(server_->Descriptors(),
                      std::min(server_->NextTimeout(), absl::Milliseconds(10)));
        server_->Process();
        for (auto it = later_streams_.begin(); it != later_streams_.end();) {
          if (absl::Now() < it->first) {
            ++it;
            continue;
          }
          it->second->Write("second\n");
          it->second->Finish();
          it = later_streams_.erase(it);
        }
        for (auto it = later_.begin(); it != later_.end();) {
          if (absl::Now() < it->first) {
            ++it;
            continue;
          }
          it->second({200, "text/plain", "later\n"});
          it = later_.erase(it);
        }
      }
    });
  }

  void TearDown() override {
    stop_ = true;
    if (loop_.joinable()) loop_.join();
  }

  // GETs (or POSTs `body` to) `path`; returns "STATUS BODY".
  std::string Fetch(const std::string& path,
                    const std::string* body = nullptr) {
    testing::HttpResult r = testing::HttpGet(
        absl::StrCat("http://127.0.0.1:", server_->port(), path),
        {"X-Test: yes"}, body);
    return r.status == 0 ? r.body : absl::StrCat(r.status, " ", r.body);
  }

  std::unique_ptr<HttpServer> server_;
  std::vector<std::pair<absl::Time, ServerRespond>> later_;
  std::vector<std::pair<absl::Time, std::shared_ptr<ResponseStream>>>
      later_streams_;
  std::atomic<bool> stop_{false};
  std::atomic<int> later_count_{0};
  std::thread loop_;
};

TEST_F(HttpServerTest, AnswersNowAndLater) {
  Start({});
  EXPECT_EQ(Fetch("/now"), "200 now\n");
  EXPECT_EQ(Fetch("/later"), "200 later\n");
  // A slow answer does not hold up a quick one: both on one thread, the
  // quick one answered while the slow one still waits.
  std::string slow;
  std::atomic<bool> slow_done{false};
  std::thread t([&] {
    slow = Fetch("/later");
    slow_done = true;
  });
  while (later_count_ < 2) absl::SleepFor(absl::Milliseconds(5));
  EXPECT_EQ(Fetch("/now"), "200 now\n");
  EXPECT_FALSE(slow_done);
  t.join();
  EXPECT_EQ(slow, "200 later\n");
}

TEST_F(HttpServerTest, StreamsArriveAsTheyAreWritten) {
  Start({});
  struct Arrival {
    std::string body;
    absl::Time first = absl::InfiniteFuture();
  } got;
  CURL* curl = curl_easy_init();
  const std::string url =
      absl::StrCat("http://127.0.0.1:", server_->port(), "/stream");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(
      curl, CURLOPT_WRITEFUNCTION,
      +[](char* data, size_t size, size_t n, void* user) -> size_t {
        auto* a = static_cast<Arrival*>(user);
        if (a->body.empty()) a->first = absl::Now();
        a->body.append(data, size * n);
        return size * n;
      });
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &got);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
  ASSERT_EQ(curl_easy_perform(curl), CURLE_OK);
  const absl::Time end = absl::Now();
  curl_easy_cleanup(curl);
  EXPECT_EQ(got.body, "first\nsecond\n");
  // The first line came while the second was not yet written.
  EXPECT_LT(got.first, end - absl::Milliseconds(500));
}

TEST_F(HttpServerTest, CopiesTheRequest) {
  Start({});
  EXPECT_EQ(Fetch("/echo?a=b%20c&a=second"),
            "200 GET /echo q=b c h=yes body=0 from 127.0.0.1\n");
  const std::string body(100, 'x');
  EXPECT_EQ(Fetch("/echo", &body),
            "200 POST /echo q= h=yes body=100 from 127.0.0.1\n");
}

TEST_F(HttpServerTest, BodiesOverTheLimitAre413) {
  HttpServerOptions options;
  options.max_body = 1024;
  Start(options);
  const std::string body(4096, 'x');
  const std::string r = Fetch("/echo", &body);
  EXPECT_THAT(r, HasSubstr("413 "));
  EXPECT_THAT(r, HasSubstr("larger than 1024 bytes"));
}

TEST_F(HttpServerTest, ASlowClientIsCutOffAfterTheIdleTimeout) {
  HttpServerOptions options;
  options.idle_timeout = absl::Seconds(1);
  Start(options);
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(server_->port()));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)),
            0);
  const char partial[] = "GET /now HTTP/1.1\r\nHost: x\r\n";  // Never ends.
  ASSERT_GT(write(fd, partial, sizeof(partial) - 1), 0);
  // Far beyond the idle timeout: a read that times out (-1) would mean the
  // server kept the connection.
  timeval wait{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof(wait));
  char buffer[256];
  EXPECT_EQ(read(fd, buffer, sizeof(buffer)), 0);  // Closed, not answered.
  close(fd);
  // The server still answers others.
  EXPECT_EQ(Fetch("/now"), "200 now\n");
}

TEST(HttpServerCreateTest, BadAddressesAreErrors) {
  HttpServerOptions options;
  options.address = "localhost";
  auto handler = [](const ServerRequest&, ServerRespond) {};
  EXPECT_EQ(HttpServer::Create(options, handler).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.address = "192.0.2.1";  // Not this machine's.
  EXPECT_EQ(HttpServer::Create(options, handler).status().code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace dnsbl

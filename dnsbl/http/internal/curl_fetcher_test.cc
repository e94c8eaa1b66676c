// The fetcher's failures, against real sockets on loopback (successful
// HTTPS exchanges are tested with a real server in
// tests/rdap_integration_test.cc).

#include "dnsbl/http/internal/curl_fetcher.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <optional>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;

// A TCP socket on a free loopback port, listening (connections complete in
// the kernel and then hear nothing) or closed (connections are refused).
class LoopbackPort {
 public:
  explicit LoopbackPort(bool listen_on_it) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    socklen_t len = sizeof(addr);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    if (listen_on_it) {
      EXPECT_EQ(listen(fd_, 8), 0);
    } else {
      close(fd_);
      fd_ = -1;
    }
  }
  ~LoopbackPort() {
    if (fd_ >= 0) close(fd_);
  }
  std::string url() const {
    return absl::StrCat("https://127.0.0.1:", port_, "/ip/192.0.2.7");
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

HttpResponse FetchAndWait(HttpFetcher& fetcher, HttpRequest request) {
  std::optional<HttpResponse> got;
  fetcher.Fetch(request, [&](HttpResponse r) { got = std::move(r); });
  while (!got.has_value()) fetcher.Poll(absl::Seconds(1));
  EXPECT_EQ(fetcher.pending(), 0u);
  return *std::move(got);
}

TEST(CurlFetcherTest, RefusedConnectionIsATransportFailure) {
  absl::StatusOr<std::unique_ptr<HttpFetcher>> fetcher = CreateCurlFetcher({});
  ASSERT_TRUE(fetcher.ok()) << fetcher.status();
  LoopbackPort closed(/*listen_on_it=*/false);
  HttpRequest request;
  request.url = closed.url();
  HttpResponse r = FetchAndWait(**fetcher, request);
  EXPECT_EQ(r.failure, HttpResponse::Failure::kTransport);
  EXPECT_EQ(r.status, 0);
  EXPECT_FALSE(r.error.empty());
}

TEST(CurlFetcherTest, SilentServerTimesOut) {
  absl::StatusOr<std::unique_ptr<HttpFetcher>> fetcher = CreateCurlFetcher({});
  ASSERT_TRUE(fetcher.ok());
  LoopbackPort silent(/*listen_on_it=*/true);
  HttpRequest request;
  request.url = silent.url();
  request.timeout = absl::Milliseconds(300);
  absl::Time start = absl::Now();
  HttpResponse r = FetchAndWait(**fetcher, request);
  EXPECT_EQ(r.failure, HttpResponse::Failure::kTimeout) << r.error;
  EXPECT_THAT(r.error, HasSubstr("timed out"));
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

TEST(CurlFetcherTest, PlainHttpIsRefusedBeforeAnyConnection) {
  absl::StatusOr<std::unique_ptr<HttpFetcher>> fetcher = CreateCurlFetcher({});
  ASSERT_TRUE(fetcher.ok());
  LoopbackPort silent(/*listen_on_it=*/true);
  HttpRequest request;
  request.url = silent.url();
  request.url.replace(0, 5, "http");
  HttpResponse r = FetchAndWait(**fetcher, request);
  EXPECT_EQ(r.failure, HttpResponse::Failure::kTransport);
  EXPECT_EQ(r.status, 0);
}

TEST(CurlFetcherTest, ManyFetchesEachCalledBackOnce) {
  absl::StatusOr<std::unique_ptr<HttpFetcher>> fetcher = CreateCurlFetcher({});
  ASSERT_TRUE(fetcher.ok());
  LoopbackPort closed(/*listen_on_it=*/false);
  int calls = 0;
  HttpRequest request;
  request.url = closed.url();
  for (int i = 0; i < 20; ++i) {
    (*fetcher)->Fetch(request, [&](HttpResponse) { ++calls; });
  }
  EXPECT_EQ((*fetcher)->pending(), 20u);
  while ((*fetcher)->pending() > 0) (*fetcher)->Poll(absl::Seconds(1));
  EXPECT_EQ(calls, 20);
}

TEST(CurlFetcherTest, UnreadableCaFileIsAnInputError) {
  CurlFetcherOptions options;
  options.ca_file = "/nonexistent/ca.pem";
  absl::StatusOr<std::unique_ptr<HttpFetcher>> fetcher =
      CreateCurlFetcher(options);
  EXPECT_EQ(fetcher.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(fetcher.status().message(), HasSubstr("/nonexistent/ca.pem"));
}

}  // namespace
}  // namespace dnsbl

// tests/http_get.h
//
// A plain HTTP client for tests (libcurl): what a script or a browser
// would send, and the status and body it got.
//
// Example:
//
//   dnsbl::testing::HttpResult r =
//       dnsbl::testing::HttpGet("http://127.0.0.1:8053/healthz");
//   EXPECT_EQ(r.status, 200);

#ifndef DNSBL_TESTS_HTTP_GET_H_
#define DNSBL_TESTS_HTTP_GET_H_

#include <string>
#include <vector>

namespace dnsbl::testing {

struct HttpResult {
  long status = 0;   // 0 when no answer came.
  std::string body;  // Or, with status 0, why there was none.
  std::string content_type;
  std::string headers;  // The response's header lines, as received.
};

// GETs `url` with `headers` ("Name: value"); POSTs `body` when non-null.
HttpResult HttpGet(const std::string& url,
                   const std::vector<std::string>& headers = {},
                   const std::string* body = nullptr);

}  // namespace dnsbl::testing

#endif  // DNSBL_TESTS_HTTP_GET_H_

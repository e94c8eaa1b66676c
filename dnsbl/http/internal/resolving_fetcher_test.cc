#include "dnsbl/http/internal/resolving_fetcher.h"

#include <memory>
#include <optional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fakes.h"

namespace dnsbl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

DnsResponse Addresses(std::vector<std::string> records, int ttl = 300) {
  DnsResponse r;
  r.outcome = DnsOutcome::kAnswer;
  r.records = std::move(records);
  r.ttl = ttl;
  return r;
}

DnsResponse Outcome(DnsOutcome outcome) {
  DnsResponse r;
  r.outcome = outcome;
  return r;
}

HttpResponse Status(int status, std::string body = "",
                    std::string redirect = "") {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.redirect_url = std::move(redirect);
  return r;
}

class ResolvingFetcherTest : public ::testing::Test {
 protected:
  ResolvingFetcherTest()
      : http_(std::make_shared<testing::FakeHttpFetcher>()),
        fetcher_(http_, &dns_, &clock_) {}

  HttpResponse Get(const std::string& url) {
    HttpRequest request;
    request.url = url;
    std::optional<HttpResponse> got;
    fetcher_.Fetch(request, [&](HttpResponse r) { got = std::move(r); });
    for (int i = 0; i < 20 && !got.has_value(); ++i) {
      dns_.Poll(absl::ZeroDuration());
      fetcher_.Process({});
    }
    EXPECT_TRUE(got.has_value()) << url;
    return got.value_or(HttpResponse());
  }

  testing::FakeResolver dns_;
  testing::FakeClock clock_{absl::FromUnixSeconds(1800000000)};
  std::shared_ptr<testing::FakeHttpFetcher> http_;
  ResolvingFetcher fetcher_;
};

TEST_F(ResolvingFetcherTest, HandsTheFetcherItsOwnAnswerForTheHost) {
  dns_.Set("rdap.lab.example", RecordType::kA, Addresses({"192.0.2.80"}));
  dns_.Set("rdap.lab.example", RecordType::kAaaa, Addresses({"2001:db8::80"}));
  http_->Set("https://rdap.lab.example:8443/ip/192.0.2.7", Status(200, "{}"));
  HttpResponse r = Get("https://rdap.lab.example:8443/ip/192.0.2.7");
  EXPECT_EQ(r.status, 200);
  ASSERT_EQ(http_->requests().size(), 1u);
  EXPECT_THAT(http_->requests()[0].resolve,
              ElementsAre("rdap.lab.example:8443:192.0.2.80,[2001:db8::80]"));
  EXPECT_FALSE(http_->requests()[0].follow_redirects);
  // Asked once: the addresses are kept for their TTL.
  Get("https://rdap.lab.example:8443/ip/192.0.2.7");
  EXPECT_EQ(dns_.asked().size(), 2u);
}

TEST_F(ResolvingFetcherTest, FollowsARedirectToAnotherHostResolvingItToo) {
  dns_.Set("rdap.arin.example", RecordType::kA, Addresses({"192.0.2.1"}));
  dns_.Set("rdap.arin.example", RecordType::kAaaa,
           Outcome(DnsOutcome::kNoData));
  dns_.Set("rdap.ripe.example", RecordType::kA, Addresses({"192.0.2.2"}));
  dns_.Set("rdap.ripe.example", RecordType::kAaaa,
           Outcome(DnsOutcome::kNoData));
  http_->Set("https://rdap.arin.example/ip/198.51.100.7",
             Status(302, "", "https://rdap.ripe.example/ip/198.51.100.7"));
  http_->Set("https://rdap.ripe.example/ip/198.51.100.7", Status(200, "{}"));
  HttpResponse r = Get("https://rdap.arin.example/ip/198.51.100.7");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.redirects, 1);
  EXPECT_EQ(r.final_url, "https://rdap.ripe.example/ip/198.51.100.7");
  ASSERT_EQ(http_->requests().size(), 2u);
  EXPECT_THAT(http_->requests()[1].resolve,
              ElementsAre("rdap.ripe.example:443:192.0.2.2"));
}

TEST_F(ResolvingFetcherTest, SaysWhyItCouldNotFetch) {
  dns_.Set("gone.example", RecordType::kA, Outcome(DnsOutcome::kNxDomain));
  dns_.Set("gone.example", RecordType::kAaaa, Outcome(DnsOutcome::kNxDomain));
  HttpResponse r = Get("https://gone.example/ip/1.2.3.4");
  EXPECT_EQ(r.failure, HttpResponse::Failure::kTransport);
  EXPECT_THAT(r.error, HasSubstr("cannot resolve gone.example"));
  EXPECT_THAT(r.error, HasSubstr("NXDOMAIN"));
  EXPECT_TRUE(http_->requests().empty());

  EXPECT_EQ(Get("http://plain.example/").failure,
            HttpResponse::Failure::kTransport);

  // A redirect loop ends.
  http_->Set("https://192.0.2.9/a", Status(302, "", "https://192.0.2.9/a"));
  HttpResponse loop = Get("https://192.0.2.9/a");
  EXPECT_EQ(loop.failure, HttpResponse::Failure::kTooManyRedirects);
  // An address needs no resolving.
  EXPECT_TRUE(http_->requests().back().resolve.empty());
  // A redirect to plain HTTP is refused.
  http_->Set("https://192.0.2.9/b", Status(301, "", "http://192.0.2.9/b"));
  EXPECT_EQ(Get("https://192.0.2.9/b").failure,
            HttpResponse::Failure::kTransport);
}

TEST(ParseHttpsUrlTest, ReadsHostAndPort) {
  absl::StatusOr<HttpsTarget> t = ParseHttpsUrl("https://RDAP.Example/ip/x");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->host, "rdap.example");
  EXPECT_EQ(t->port, 443);
  EXPECT_FALSE(t->host_is_address);
  t = ParseHttpsUrl("https://[2001:db8::1]:8443/ip/x");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->host, "2001:db8::1");
  EXPECT_EQ(t->port, 8443);
  EXPECT_TRUE(t->host_is_address);
  for (const char* bad :
       {"http://x.example/", "https://user@x.example/", "https://x:99999/",
        "https:///path", "https://[::1/x", "https://bad..name/"}) {
    EXPECT_FALSE(ParseHttpsUrl(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace dnsbl

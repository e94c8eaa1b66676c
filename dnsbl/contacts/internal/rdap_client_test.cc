#include "dnsbl/contacts/internal/rdap_client.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fakes.h"

namespace dnsbl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kBase[] = "https://rdap.test/";

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

HttpResponse Network(const char* first, const char* last, const char* email) {
  HttpResponse r;
  r.status = 200;
  r.body = absl::StrCat(
      R"({"objectClassName": "ip network", "handle": "H-)", first,
      R"(", "startAddress": ")", first, R"(", "endAddress": ")", last,
      R"(", "entities": [{"roles": ["abuse"], "vcardArray": ["vcard",
         [["email", {}, "text", ")",
      email, R"("]]]}]})");
  return r;
}

class RdapClientTest : public ::testing::Test {
 protected:
  RdapClientTest()
      : fetcher_(std::make_shared<testing::FakeHttpFetcher>()),
        clock_(absl::FromUnixSeconds(1'000'000)) {}

  std::unique_ptr<RdapClient> Client(RdapClientOptions options = {}) {
    if (options.base_url.empty()) options.base_url = kBase;
    return std::make_unique<RdapClient>(options, fetcher_, &clock_);
  }

  // Runs the client until every lookup is answered, moving the clock to
  // each wait's end as a real loop would sleep.
  void Drain(RdapClient& client) {
    for (int i = 0; i < 100 && client.pending() > 0; ++i) {
      absl::Duration wait = client.NextTimeout();
      if (wait != absl::InfiniteDuration()) clock_.Set(clock_.Now() + wait);
      client.Process({});
    }
    ASSERT_EQ(client.pending(), 0u);
  }

  std::shared_ptr<testing::FakeHttpFetcher> fetcher_;
  testing::FakeClock clock_;
};

TEST_F(RdapClientTest, OneQuestionPerNetworkEvenForAddressesAskedTogether) {
  fetcher_->Set("https://rdap.test/ip/192.0.2.1",
                Network("192.0.2.0", "192.0.2.255", "abuse@a.example"));
  fetcher_->Set("https://rdap.test/ip/198.51.100.1",
                Network("198.51.100.0", "198.51.100.255", "abuse@b.example"));
  auto client = Client();
  std::vector<std::string> got;
  for (const char* ip : {"192.0.2.1", "192.0.2.2", "198.51.100.1", "192.0.2.3",
                         "198.51.100.9"}) {
    client->Lookup(Ip(ip), [&got, ip](const RdapAnswer& a) {
      got.push_back(absl::StrCat(
          ip, "=", a.contacts.empty() ? "none" : a.contacts[0].email()));
    });
  }
  Drain(*client);
  EXPECT_THAT(fetcher_->fetched(),
              ElementsAre("https://rdap.test/ip/192.0.2.1",
                          "https://rdap.test/ip/198.51.100.1"));
  EXPECT_EQ(client->questions_sent(), 2u);
  EXPECT_THAT(
      got,
      ElementsAre("192.0.2.1=abuse@a.example", "192.0.2.2=abuse@a.example",
                  "198.51.100.1=abuse@b.example", "192.0.2.3=abuse@a.example",
                  "198.51.100.9=abuse@b.example"));
  // Later lookups inside a known network are answered at once.
  bool answered = false;
  client->Lookup(Ip("192.0.2.200"),
                 [&](const RdapAnswer&) { answered = true; });
  EXPECT_TRUE(answered);
  EXPECT_EQ(client->questions_sent(), 2u);
}

TEST_F(RdapClientTest, QuestionsToOneServerArePaced) {
  fetcher_->Set("https://rdap.test/ip/192.0.2.1",
                Network("192.0.2.0", "192.0.2.255", "abuse@a.example"));
  fetcher_->Set("https://rdap.test/ip/198.51.100.1",
                Network("198.51.100.0", "198.51.100.255", "abuse@b.example"));
  RdapClientOptions options;
  options.queries_per_second = 0.5;
  auto client = Client(options);
  client->Lookup(Ip("192.0.2.1"), [](const RdapAnswer&) {});
  client->Lookup(Ip("198.51.100.1"), [](const RdapAnswer&) {});
  client->Process({});  // The first answer arrives.
  EXPECT_EQ(fetcher_->fetched().size(), 1u);
  EXPECT_EQ(client->NextTimeout(), absl::Seconds(2));
  clock_.Set(clock_.Now() + absl::Seconds(1));
  client->Process({});
  EXPECT_EQ(fetcher_->fetched().size(), 1u);
  clock_.Set(clock_.Now() + absl::Seconds(1));
  client->Process({});
  EXPECT_EQ(fetcher_->fetched().size(), 2u);
  Drain(*client);
}

TEST_F(RdapClientTest, RetryAfterPausesTheServer) {
  HttpResponse limited;
  limited.status = 429;
  limited.retry_after = absl::Seconds(30);
  fetcher_->Set("https://rdap.test/ip/192.0.2.1", limited);
  fetcher_->Set("https://rdap.test/ip/198.51.100.1",
                Network("198.51.100.0", "198.51.100.255", "abuse@b.example"));
  auto client = Client();
  std::optional<RdapAnswer> first;
  client->Lookup(Ip("192.0.2.1"), [&](const RdapAnswer& a) { first = a; });
  client->Lookup(Ip("198.51.100.1"), [](const RdapAnswer&) {});
  client->Process({});
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->source.error(), v1::RATE_LIMITED);
  EXPECT_EQ(client->NextTimeout(), absl::Seconds(30));
  Drain(*client);
  EXPECT_EQ(fetcher_->fetched().size(), 2u);
}

TEST_F(RdapClientTest, FailedServerIsNotAskedAgainForAWhile) {
  // Nothing Set: every fetch is refused.
  auto client = Client();
  std::vector<RdapAnswer> got;
  for (const char* ip : {"192.0.2.1", "198.51.100.1", "203.0.113.1"}) {
    client->Lookup(Ip(ip), [&](const RdapAnswer& a) { got.push_back(a); });
  }
  Drain(*client);
  EXPECT_EQ(fetcher_->fetched().size(), 1u);
  ASSERT_EQ(got.size(), 3u);
  for (const RdapAnswer& a : got) {
    EXPECT_FALSE(a.source.answered());
    EXPECT_EQ(a.source.error(), v1::UNREACHABLE);
  }
  EXPECT_THAT(got[1].source.detail(), HasSubstr("not asked"));
  EXPECT_EQ(got[1].source.query(), "https://rdap.test/ip/198.51.100.1");
  // After the hold, the server is asked again.
  clock_.Set(clock_.Now() + absl::Seconds(61));
  client->Lookup(Ip("203.0.113.1"), [](const RdapAnswer&) {});
  Drain(*client);
  EXPECT_EQ(fetcher_->fetched().size(), 2u);
}

TEST_F(RdapClientTest, NotFoundIsNotCachedForOtherAddresses) {
  HttpResponse not_found;
  not_found.status = 404;
  fetcher_->Set("https://rdap.test/ip/192.0.2.1", not_found);
  fetcher_->Set("https://rdap.test/ip/192.0.2.2", not_found);
  auto client = Client();
  client->Lookup(Ip("192.0.2.1"), [](const RdapAnswer&) {});
  client->Lookup(Ip("192.0.2.2"), [](const RdapAnswer&) {});
  Drain(*client);
  EXPECT_EQ(fetcher_->fetched().size(), 2u);
}

TEST_F(RdapClientTest, BootstrapPicksTheServerAndSkipsReservedSpace) {
  absl::StatusOr<RdapBootstrap> table = RdapBootstrap::Parse(
      R"({"services": [[["192.0.2.0/24"], ["https://one.test/"]],
                       [["198.51.100.0/24"], ["https://two.test/"]]]})",
      "");
  ASSERT_TRUE(table.ok());
  RdapClientOptions options;
  options.base_url = "";
  options.bootstrap = std::make_shared<RdapBootstrap>(*table);
  RdapClient client(options, fetcher_, &clock_);
  std::optional<RdapAnswer> reserved;
  client.Lookup(Ip("127.0.0.2"), [&](const RdapAnswer& a) { reserved = a; });
  ASSERT_TRUE(reserved.has_value());
  EXPECT_TRUE(reserved->source.answered());
  EXPECT_THAT(reserved->source.detail(), HasSubstr("no registry serves"));
  client.Lookup(Ip("192.0.2.1"), [](const RdapAnswer&) {});
  client.Lookup(Ip("198.51.100.1"), [](const RdapAnswer&) {});
  Drain(client);
  // Different servers are paced separately: both asked without waiting.
  EXPECT_THAT(fetcher_->fetched(),
              ElementsAre("https://one.test/ip/192.0.2.1",
                          "https://two.test/ip/198.51.100.1"));
}

}  // namespace
}  // namespace dnsbl

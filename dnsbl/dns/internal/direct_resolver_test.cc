// DirectResolver's choices with fakes for its seams: which server is
// asked, what counts as an answer, when the Recursor takes over, the
// cache and refreshes. tests/direct_integration_test.cc runs it against a
// real hierarchy.

#include "dnsbl/dns/internal/direct_resolver.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "dnsbl/dns/internal/dns_message.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/dns_packet.h"
#include "tests/fakes.h"

namespace dnsbl {
namespace {

using testing::Answer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Record;

const absl::Time kNow = absl::FromUnixSeconds(1800000000);

DnsResponse Response(DnsOutcome outcome, std::vector<std::string> records = {},
                     bool authoritative = true) {
  DnsResponse r;
  r.outcome = outcome;
  r.records = std::move(records);
  r.authoritative = authoritative;
  r.attempts = 1;
  return r;
}

class DirectResolverTest : public ::testing::Test {
 protected:
  // bl.example: ns1 (127.0.0.20) and ns2 (127.0.0.21); the recursor knows
  // them from the root.
  void SetUp() override {
    recursor_ = new testing::FakeRecursor();
    SetDelegation("bl.example", {{"ns1.bl.example", "127.0.0.20"},
                                 {"ns2.bl.example", "127.0.0.21"}});
  }

  void SetDelegation(
      const std::string& zone,
      const std::vector<std::pair<std::string, std::string>>& servers,
      uint32_t ttl = 3600) {
    std::vector<DnsRecord> ns;
    for (const auto& [name, address] : servers) {
      ns.push_back(Record(zone, kDnsNs, ttl, name));
      recursor_->Set(
          name, kDnsA,
          Answer(kRcodeNoError, {Record(name, kDnsA, ttl, address)}));
      recursor_->Set(name, kDnsAaaa, Answer(kRcodeNoError, {}));
    }
    recursor_->Set(zone, kDnsNs, Answer(kRcodeNoError, ns));
  }

  // The fake server at `address`.
  testing::FakeResolver& Server(const std::string& address) {
    return servers_[address];
  }

  std::unique_ptr<DirectResolver> Make(std::vector<std::string> zones,
                                       std::string cache = "") {
    DirectResolverOptions options;
    options.zones = std::move(zones);
    options.clock = &clock_;
    options.delegation_cache = std::move(cache);
    auto pool = std::make_unique<ServerPool>(
        [this](const Endpoint& e) -> absl::StatusOr<std::unique_ptr<Resolver>> {
          // Each server's fake, shared with the test through a forwarder.
          return std::unique_ptr<Resolver>(
              new Forwarder(&servers_[e.address.ToString()]));
        });
    std::unique_ptr<testing::FakeRecursor> recursor(recursor_);
    recursor_ = recursor.get();
    absl::StatusOr<std::unique_ptr<DirectResolver>> made =
        DirectResolver::Create(std::move(options), std::move(recursor),
                               std::move(pool));
    EXPECT_TRUE(made.ok()) << made.status();
    return *std::move(made);
  }

  DnsResponse Ask(DirectResolver& resolver, const std::string& name,
                  RecordType type = RecordType::kA) {
    std::optional<DnsResponse> got;
    resolver.Lookup(name, type, [&](DnsResponse r) { got = std::move(r); });
    for (int i = 0; i < 100 && !got.has_value(); ++i) {
      resolver.Poll(absl::ZeroDuration());
    }
    EXPECT_TRUE(got.has_value()) << name;
    return got.value_or(DnsResponse());
  }

  // Forwards to a fake owned by the test, so the test can set answers
  // after the pool made its resolver.
  class Forwarder : public Resolver {
   public:
    explicit Forwarder(testing::FakeResolver* fake) : fake_(fake) {}
    void Lookup(absl::string_view name, RecordType type,
                Callback done) override {
      fake_->Lookup(name, type, std::move(done));
    }
    size_t Poll(absl::Duration max_wait) override {
      return fake_->Poll(max_wait);
    }
    size_t pending() const override { return fake_->pending(); }
    std::string Describe() const override { return "fake server"; }

   private:
    testing::FakeResolver* fake_;
  };

  testing::FakeClock clock_{kNow};
  testing::FakeRecursor* recursor_ = nullptr;  // Owned by the resolver.
  std::map<std::string, testing::FakeResolver> servers_;
};

TEST_F(DirectResolverTest, AsksTheZonesOwnServerAndNamesIt) {
  Server("127.0.0.20")
      .Set("2.0.0.127.bl.example", RecordType::kA,
           Response(DnsOutcome::kAnswer, {"127.0.0.2"}));
  Server("127.0.0.21")
      .Set("2.0.0.127.bl.example", RecordType::kA,
           Response(DnsOutcome::kAnswer, {"127.0.0.2"}));
  std::unique_ptr<DirectResolver> resolver = Make({"bl.example"});
  resolver->FindAll();
  DnsResponse r = Ask(*resolver, "2.0.0.127.bl.example");
  EXPECT_EQ(r.outcome, DnsOutcome::kAnswer);
  EXPECT_THAT(r.records, ElementsAre("127.0.0.2"));
  ASSERT_NE(r.server, nullptr);
  EXPECT_THAT(r.server->name, ::testing::StartsWith("ns"));
  EXPECT_EQ(r.server->address,
            r.server->name == "ns1.bl.example" ? "127.0.0.20" : "127.0.0.21");
  EXPECT_EQ(resolver->mode(), ResolutionMode::kDirect);
  EXPECT_EQ(resolver->Describe(), "direct from IANA root hints of 2024-04-18");
}

TEST_F(DirectResolverTest, ANegativeAnswerWithoutAuthorityIsNotUsed) {
  // ns1 answers NXDOMAIN without the AA bit (lame, or a cache); ns2 is
  // silent. Whichever is asked first, the NXDOMAIN must not become "not
  // listed": the Recursor finds the listing.
  const std::string name = "25.2.0.192.bl.example";
  Server("127.0.0.20")
      .Set(name, RecordType::kA, Response(DnsOutcome::kNxDomain, {}, false));
  recursor_->Set(
      name, kDnsA,
      Answer(kRcodeNoError, {Record(name, kDnsA, 300, "127.0.0.2")}));
  std::unique_ptr<DirectResolver> resolver = Make({"bl.example"});
  DnsResponse r = Ask(*resolver, name);
  EXPECT_EQ(r.outcome, DnsOutcome::kAnswer);
  EXPECT_THAT(r.records, ElementsAre("127.0.0.2"));
  EXPECT_EQ(Server("127.0.0.20").asked().size(), 1u);
  EXPECT_EQ(Server("127.0.0.21").asked().size(), 1u);

  // Next, ns1 is lame for the zone and ns2 dead: ns2 recovers first.
  Server("127.0.0.21")
      .Set("26.2.0.192.bl.example", RecordType::kA,
           Response(DnsOutcome::kNxDomain));
  DnsResponse next = Ask(*resolver, "26.2.0.192.bl.example");
  EXPECT_EQ(next.outcome, DnsOutcome::kNxDomain);
  EXPECT_EQ(next.server->address, "127.0.0.21");
}

TEST_F(DirectResolverTest, WhenNoServerSpeaksWithAuthorityTheRecursorAnswers) {
  DnsResponse referral = Response(DnsOutcome::kNoData, {}, false);
  referral.referral = true;
  Server("127.0.0.20").Set("2.0.0.127.bl.example", RecordType::kA, referral);
  Server("127.0.0.21").Set("2.0.0.127.bl.example", RecordType::kA, referral);
  recursor_->Set("2.0.0.127.bl.example", kDnsA,
                 Answer(kRcodeNoError, {Record("2.0.0.127.bl.example", kDnsA,
                                               300, "127.0.0.2")}));
  std::unique_ptr<DirectResolver> resolver = Make({"bl.example"});
  DnsResponse r = Ask(*resolver, "2.0.0.127.bl.example");
  EXPECT_EQ(r.outcome, DnsOutcome::kAnswer);
  EXPECT_THAT(r.records, ElementsAre("127.0.0.2"));
  EXPECT_EQ(r.server, nullptr);  // No one server of the zone said so.
  EXPECT_EQ(r.attempts, 3);
}

TEST_F(DirectResolverTest, ACopyGoesToAServerNotAskedYet) {
  for (const char* server : {"127.0.0.20", "127.0.0.21"}) {
    Server(server).Set("7.2.0.192.bl.example", RecordType::kA,
                       Response(DnsOutcome::kNxDomain));
  }
  std::unique_ptr<DirectResolver> resolver = Make({"bl.example"});
  resolver->FindAll();
  int answers = 0;
  resolver->Lookup("7.2.0.192.bl.example", RecordType::kA,
                   [&](DnsResponse) { ++answers; });
  // The first is still out (nothing polled yet) when its copy is sent.
  resolver->LookupCopy("7.2.0.192.bl.example", RecordType::kA,
                       [&](DnsResponse) { ++answers; });
  EXPECT_EQ(Server("127.0.0.20").asked().size(), 1u);
  EXPECT_EQ(Server("127.0.0.21").asked().size(), 1u);
  while (resolver->pending() > 0) resolver->Poll(absl::ZeroDuration());
  EXPECT_EQ(answers, 2);
}

TEST_F(DirectResolverTest, MovesOnAfterRefusalsAndReportsTheLastTimeout) {
  Server("127.0.0.20")
      .Set("1.2.0.192.bl.example", RecordType::kA,
           Response(DnsOutcome::kRefused));
  Server("127.0.0.21")
      .Set("1.2.0.192.bl.example", RecordType::kA,
           Response(DnsOutcome::kNxDomain));
  std::unique_ptr<DirectResolver> resolver = Make({"bl.example"});
  DnsResponse r = Ask(*resolver, "1.2.0.192.bl.example");
  EXPECT_EQ(r.outcome, DnsOutcome::kNxDomain);
  EXPECT_EQ(r.server->address, "127.0.0.21");

  // Nobody answers: a timeout, never "not listed".
  DnsResponse silent = Ask(*resolver, "9.2.0.192.bl.example");
  EXPECT_EQ(silent.outcome, DnsOutcome::kTimeout);
  EXPECT_EQ(silent.attempts, 2);
}

TEST_F(DirectResolverTest, ZonesThatDoNotExistOrCannotBeFound) {
  recursor_->Set("gone.example", kDnsNs,
                 Answer(kRcodeNxDomain, {},
                        {Record("example", kDnsSoa, 300, "ns.nic.example")}));
  recursor_->Set("2.0.0.127.gone.example", kDnsA,
                 Answer(kRcodeNxDomain, {},
                        {Record("example", kDnsSoa, 300, "ns.nic.example")}));
  recursor_->Fail("dark.example", kDnsNs,
                  absl::DeadlineExceededError("no answer within 2s"));
  std::unique_ptr<DirectResolver> resolver =
      Make({"bl.example", "gone.example", "dark.example"});
  resolver->FindAll();
  // The hierarchy's own word, through the Recursor.
  DnsResponse gone = Ask(*resolver, "2.0.0.127.gone.example");
  EXPECT_EQ(gone.outcome, DnsOutcome::kNxDomain);
  EXPECT_EQ(gone.soa_owner, "example");
  // An error naming why, never "not listed".
  DnsResponse dark = Ask(*resolver, "2.0.0.127.dark.example");
  EXPECT_EQ(dark.outcome, DnsOutcome::kNoServers);
  EXPECT_THAT(dark.error, HasSubstr("no answer within 2s"));
}

TEST_F(DirectResolverTest, NamesUnderNoZoneAreResolvedByTheRecursor) {
  recursor_->Set("mail.example", kDnsA,
                 Answer(kRcodeNoError,
                        {Record("mail.example", kDnsA, 300, "192.0.2.25")}));
  std::unique_ptr<DirectResolver> resolver = Make({"bl.example"});
  DnsResponse r = Ask(*resolver, "mail.example");
  EXPECT_EQ(r.outcome, DnsOutcome::kAnswer);
  EXPECT_THAT(r.records, ElementsAre("192.0.2.25"));
}

TEST_F(DirectResolverTest, DelegationsComeFromTheCacheNextTime) {
  const std::string cache =
      absl::StrCat(std::getenv("TEST_TMPDIR"), "/cache-next-time");
  {
    std::unique_ptr<DirectResolver> resolver = Make({"bl.example"}, cache);
    EXPECT_FALSE(resolver->AllFromCache());
    resolver->FindAll();
    EXPECT_TRUE(resolver->warnings().empty());
  }
  recursor_ = new testing::FakeRecursor();  // Knows nothing.
  std::unique_ptr<DirectResolver> resolver = Make({"bl.example"}, cache);
  EXPECT_TRUE(resolver->AllFromCache());
  resolver->FindAll();
  EXPECT_TRUE(recursor_->asked().empty());
  std::optional<Delegation> d = resolver->DelegationOf("bl.example");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->servers.size(), 2u);
}

TEST_F(DirectResolverTest, ADamagedCacheIsIgnoredWithAWarning) {
  const std::string cache =
      absl::StrCat(std::getenv("TEST_TMPDIR"), "/cache-damaged");
  std::ofstream(cache) << "format: \"dnsbl delegation cache 1\"\n"
                          "delegation { zone: \"bl.example\" broken";
  std::unique_ptr<DirectResolver> resolver = Make({"bl.example"}, cache);
  EXPECT_FALSE(resolver->AllFromCache());
  ASSERT_EQ(resolver->warnings().size(), 1u);
  EXPECT_THAT(resolver->warnings()[0], HasSubstr("damaged"));
  EXPECT_THAT(resolver->warnings()[0], HasSubstr("ignored"));
  resolver->FindAll();
  EXPECT_TRUE(resolver->DelegationOf("bl.example").has_value());
}

TEST_F(DirectResolverTest, AnExpiredDelegationIsRefreshedWhileStillUsed) {
  SetDelegation("bl.example", {{"ns1.bl.example", "127.0.0.20"}}, 60);
  Server("127.0.0.20")
      .Set("2.0.0.127.bl.example", RecordType::kA,
           Response(DnsOutcome::kAnswer, {"127.0.0.2"}));
  Server("127.0.0.22")
      .Set("2.0.0.127.bl.example", RecordType::kA,
           Response(DnsOutcome::kAnswer, {"127.0.0.2"}));
  std::unique_ptr<DirectResolver> resolver = Make({"bl.example"});
  resolver->FindAll();
  EXPECT_EQ(Ask(*resolver, "2.0.0.127.bl.example").server->address,
            "127.0.0.20");
  // The zone moved to ns3; the old delegation runs out.
  SetDelegation("bl.example", {{"ns3.bl.example", "127.0.0.22"}}, 60);
  clock_.Set(kNow + absl::Seconds(61));
  DnsResponse during = Ask(*resolver, "2.0.0.127.bl.example");
  EXPECT_EQ(during.outcome, DnsOutcome::kAnswer);
  while (resolver->pending() > 0) resolver->Poll(absl::ZeroDuration());
  EXPECT_EQ(Ask(*resolver, "2.0.0.127.bl.example").server->address,
            "127.0.0.22");
  EXPECT_EQ(resolver->DelegationOf("bl.example")->servers[0].name,
            "ns3.bl.example");
}

}  // namespace
}  // namespace dnsbl

// The c-ares resolver against real sockets on loopback: what its unit-free
// parts (ParseDnsAnswer) cannot show.

#include "dnsbl/dns/internal/ares_resolver.h"

#include <memory>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/dns_packet.h"
#include "tests/fakes.h"
#include "tests/rbldnsd_server.h"

namespace dnsbl {
namespace {

// Each unanswered question times out `timeout` after it was asked, however
// many are in flight and however long the caller lets Poll() wait: the
// resolver's own note of the next deadline must follow the questions that
// keep starting after it was taken.
TEST(AresResolverTest, TimeoutsComeOnTimeWhileQuestionsKeepStarting) {
  absl::StatusOr<std::unique_ptr<testing::BlackHoleServer>> hole =
      testing::BlackHoleServer::Start();
  ASSERT_TRUE(hole.ok()) << hole.status();
  ResolverOptions options;
  options.nameservers = {(*hole)->endpoint()};
  options.timeout = absl::Milliseconds(200);
  options.tries = 1;
  options.max_inflight = 5000;
  absl::StatusOr<std::unique_ptr<Resolver>> resolver =
      CreateAresResolver(options);
  ASSERT_TRUE(resolver.ok()) << resolver.status();

  struct Asked {
    absl::Time sent;
    absl::Time done = absl::InfinitePast();
    DnsOutcome outcome = DnsOutcome::kAnswer;
  };
  constexpr int kWaves = 20;
  constexpr int kPerWave = 100;
  std::vector<Asked> asked(kWaves * kPerWave);
  // Waves 5 ms apart: later questions start while earlier ones wait.
  for (int wave = 0; wave < kWaves; ++wave) {
    for (int i = 0; i < kPerWave; ++i) {
      const int n = wave * kPerWave + i;
      asked[n].sent = absl::Now();
      (*resolver)->Lookup(absl::StrCat(n, ".a.test"), RecordType::kA,
                          [&asked, n](DnsResponse r) {
                            asked[n].done = absl::Now();
                            asked[n].outcome = r.outcome;
                          });
    }
    (*resolver)->Poll(absl::Milliseconds(5));
  }
  // From here only deadlines can wake the resolver.
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while ((*resolver)->pending() > 0 && absl::Now() < give_up) {
    (*resolver)->Poll(absl::Seconds(10));
  }
  ASSERT_EQ((*resolver)->pending(), 0u);
  for (size_t n = 0; n < asked.size(); ++n) {
    EXPECT_EQ(asked[n].outcome, DnsOutcome::kTimeout) << n;
    const absl::Duration took = asked[n].done - asked[n].sent;
    EXPECT_GE(took, absl::Milliseconds(200)) << n;
    // The timeout itself, the resolver's allowed lateness (an eighth of
    // it) and room for a slow or sanitized build.
    EXPECT_LT(took, absl::Milliseconds(200 + 25 + 150)) << n;
  }
}

// The resolver keeps a note of c-ares's next deadline on its clock; a
// clock that goes back (a stepped wall clock, a test's) must not turn that
// note into a long sleep: the wait stays within one try.
TEST(AresResolverTest, AClockGoingBackNeverDelaysATimeout) {
  absl::StatusOr<std::unique_ptr<testing::BlackHoleServer>> hole =
      testing::BlackHoleServer::Start();
  ASSERT_TRUE(hole.ok()) << hole.status();
  testing::FakeClock clock(absl::FromUnixSeconds(1800000000));
  ResolverOptions options;
  options.nameservers = {(*hole)->endpoint()};
  options.timeout = absl::Milliseconds(300);
  options.tries = 1;
  options.clock = &clock;
  absl::StatusOr<std::unique_ptr<Resolver>> resolver =
      CreateAresResolver(options);
  ASSERT_TRUE(resolver.ok()) << resolver.status();
  std::optional<DnsOutcome> outcome;
  (*resolver)->Lookup("1.a.test", RecordType::kA,
                      [&outcome](DnsResponse r) { outcome = r.outcome; });
  (*resolver)->Poll(absl::ZeroDuration());  // Sent; the note is taken.
  EXPECT_LE((*resolver)->NextTimeout(), absl::Milliseconds(300));
  clock.Set(absl::FromUnixSeconds(1800000000) - absl::Hours(1));
  EXPECT_LE((*resolver)->NextTimeout(), absl::Milliseconds(300));
  const absl::Time start = absl::Now();
  while (!outcome.has_value() && absl::Now() - start < absl::Seconds(5)) {
    (*resolver)->Poll(absl::Seconds(5));
  }
  EXPECT_EQ(outcome, DnsOutcome::kTimeout);
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
}

// The SOA of a negative answer is what tells the blocklist's own "not
// listed" from a DNS firewall's: its owner is read off the wire.
TEST(ParseDnsAnswerTest, ReadsTheSoaOwnerOfANegativeAnswer) {
  const std::string query =
      testing::BuildDnsQuery("2.0.0.127.bl.test", 1, 0x1234);
  auto parse = [](const std::string& packet) {
    return ParseDnsAnswer(
        RecordType::kA,
        absl::Span<const uint8_t>(
            reinterpret_cast<const uint8_t*>(packet.data()), packet.size()));
  };
  DnsResponse lie = parse(testing::NxDomainAnswer(query, "RPZ.Local"));
  EXPECT_EQ(lie.outcome, DnsOutcome::kNxDomain);
  EXPECT_EQ(lie.soa_owner, "rpz.local");

  DnsResponse bare = parse(testing::NxDomainAnswer(query, ""));
  EXPECT_EQ(bare.outcome, DnsOutcome::kNxDomain);
  EXPECT_EQ(bare.soa_owner, "");

  // Cut inside the SOA record: still NXDOMAIN, but no owner is made up.
  std::string cut = testing::NxDomainAnswer(query, "rpz.local");
  cut.resize(cut.size() - 30);
  DnsResponse torn = parse(cut);
  EXPECT_EQ(torn.outcome, DnsOutcome::kNxDomain);
  EXPECT_EQ(torn.soa_owner, "");
}

DnsResponse ParseMessage(RecordType type, const DnsMessage& message) {
  return ParseDnsAnswer(type, testing::EncodeDnsMessage(message));
}

// What direct resolution needs to tell a zone's own "not listed" from a
// server that is not authoritative for the name.
TEST(ParseDnsAnswerTest, ReadsAuthorityReferralsAndDanglingAliases) {
  DnsMessage negative;
  negative.response = true;
  negative.authoritative = true;
  negative.rcode = kRcodeNxDomain;
  negative.questions = {{"5.0.0.127.bl.example", kDnsA, 1}};
  negative.authority = {
      testing::Record("bl.example", kDnsSoa, 60, "ns1.bl.example")};
  DnsResponse nx = ParseMessage(RecordType::kA, negative);
  EXPECT_EQ(nx.outcome, DnsOutcome::kNxDomain);
  EXPECT_TRUE(nx.authoritative);
  EXPECT_FALSE(nx.referral);
  EXPECT_EQ(nx.soa_owner, "bl.example");

  DnsMessage referral;
  referral.response = true;
  referral.questions = {{"5.0.0.127.bl.example", kDnsA, 1}};
  referral.authority = {
      testing::Record("bl.example", kDnsNs, 3600, "ns1.bl.example")};
  referral.additional = {
      testing::Record("ns1.bl.example", kDnsA, 3600, "127.0.0.20")};
  DnsResponse r = ParseMessage(RecordType::kA, referral);
  EXPECT_EQ(r.outcome, DnsOutcome::kNoData);
  EXPECT_FALSE(r.authoritative);
  EXPECT_TRUE(r.referral);

  DnsMessage alias;
  alias.response = true;
  alias.authoritative = true;
  alias.questions = {{"2.0.0.127.bl.example", kDnsA, 1}};
  alias.answers = {testing::Record("2.0.0.127.bl.example", kDnsCname, 300,
                                   "elsewhere.example")};
  DnsResponse a = ParseMessage(RecordType::kA, alias);
  EXPECT_EQ(a.outcome, DnsOutcome::kNoData);
  EXPECT_TRUE(a.alias_only);
  EXPECT_FALSE(a.referral);

  // The alias with its target's record is an answer.
  alias.answers.push_back(
      testing::Record("elsewhere.example", kDnsA, 300, "127.0.0.2"));
  DnsResponse whole = ParseMessage(RecordType::kA, alias);
  EXPECT_EQ(whole.outcome, DnsOutcome::kAnswer);
  EXPECT_EQ(whole.records, std::vector<std::string>{"127.0.0.2"});
  EXPECT_FALSE(whole.alias_only);
}

// rbldnsd puts the zone's own SOA (from $SOA) in its negative answers.
TEST(AresResolverTest, NegativeAnswersCarryTheZonesSoa) {
  absl::StatusOr<std::unique_ptr<testing::RbldnsdServer>> server =
      testing::RbldnsdServer::Start(
          {{"soa.test", "ip4set",
            "$SOA 0 ns.soa.test hostmaster.soa.test 1 1h 10m 1d 5m\n"
            "192.0.2.1\n"},
           {"bare.test", "ip4set", "192.0.2.1\n"}});
  ASSERT_TRUE(server.ok()) << server.status();
  ResolverOptions options;
  options.nameservers = {(*server)->endpoint()};
  absl::StatusOr<std::unique_ptr<Resolver>> resolver =
      CreateAresResolver(options);
  ASSERT_TRUE(resolver.ok()) << resolver.status();
  std::vector<DnsResponse> answers(3);
  (*resolver)->Lookup("9.2.0.192.soa.test", RecordType::kA,
                      [&](DnsResponse r) { answers[0] = std::move(r); });
  (*resolver)->Lookup("9.2.0.192.bare.test", RecordType::kA,
                      [&](DnsResponse r) { answers[1] = std::move(r); });
  (*resolver)->Lookup("bare.test", RecordType::kA,
                      [&](DnsResponse r) { answers[2] = std::move(r); });
  while ((*resolver)->pending() > 0) (*resolver)->Poll(absl::Seconds(1));
  EXPECT_EQ(answers[0].outcome, DnsOutcome::kNxDomain);
  EXPECT_EQ(answers[0].soa_owner, "soa.test");
  EXPECT_EQ(answers[1].outcome, DnsOutcome::kNxDomain);
  EXPECT_EQ(answers[1].soa_owner, "");
  // A zone's own name exists, even without $SOA.
  EXPECT_EQ(answers[2].outcome, DnsOutcome::kNoData);
}

}  // namespace
}  // namespace dnsbl

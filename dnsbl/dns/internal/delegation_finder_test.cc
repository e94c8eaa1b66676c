#include "dnsbl/dns/internal/delegation_finder.h"

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
using ::testing::HasSubstr;
using testing::Record;

const absl::Time kNow = absl::FromUnixSeconds(1800000000);

class DelegationFinderTest : public ::testing::Test {
 protected:
  absl::StatusOr<Delegation> Find(const std::string& zone) {
    DelegationFinder finder(&recursor_, &clock_);
    std::optional<absl::StatusOr<Delegation>> result;
    finder.Find(zone,
                [&](absl::StatusOr<Delegation> d) { result = std::move(d); });
    while (recursor_.pending() > 0) recursor_.Poll(absl::ZeroDuration());
    EXPECT_TRUE(result.has_value());
    return result.value_or(absl::InternalError("never called back"));
  }

  void SetAddress(const std::string& name, const std::string& v4,
                  const std::string& v6, uint32_t ttl = 3600) {
    recursor_.Set(name, kDnsA,
                  v4.empty()
                      ? Answer(kRcodeNoError, {})
                      : Answer(kRcodeNoError, {Record(name, kDnsA, ttl, v4)}));
    recursor_.Set(
        name, kDnsAaaa,
        v6.empty() ? Answer(kRcodeNoError, {})
                   : Answer(kRcodeNoError, {Record(name, kDnsAaaa, ttl, v6)}));
  }

  testing::FakeRecursor recursor_;
  testing::FakeClock clock_{kNow};
};

TEST_F(DelegationFinderTest, ReadsTheNsSetAndResolvesEachServer) {
  recursor_.Set("bl.example", kDnsNs,
                Answer(kRcodeNoError,
                       {Record("bl.example", kDnsNs, 7200, "ns1.bl.example"),
                        Record("bl.example", kDnsNs, 7200, "ns2.other.example"),
                        // A repeat, as rbldnsd's $NS sends.
                        Record("bl.example", kDnsNs, 7200, "ns1.bl.example")}));
  SetAddress("ns1.bl.example", "127.0.0.20", "::1", 600);
  SetAddress("ns2.other.example", "127.0.0.21", "");
  absl::StatusOr<Delegation> d = Find("bl.example");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->zone, "bl.example");
  EXPECT_EQ(d->cut, "bl.example");
  ASSERT_EQ(d->servers.size(), 2u);
  EXPECT_EQ(d->servers[0].name, "ns1.bl.example");
  ASSERT_EQ(d->servers[0].addresses.size(), 2u);
  EXPECT_EQ(d->servers[0].addresses[0].ToString(), "127.0.0.20");
  EXPECT_EQ(d->servers[0].addresses[1].ToString(), "::1");
  EXPECT_EQ(d->servers[1].name, "ns2.other.example");
  // The shortest TTL: ns1's addresses.
  EXPECT_EQ(d->expires, kNow + absl::Seconds(600));
}

TEST_F(DelegationFinderTest, AddressesInTheAnswerNeedNoQuestion) {
  DnsMessage ns = Answer(kRcodeNoError,
                         {Record("bl.example", kDnsNs, 600, "ns1.bl.example"),
                          Record("bl.example", kDnsNs, 600, "ns2.bl.example")});
  ns.additional = {Record("ns1.bl.example", kDnsA, 300, "127.0.0.20")};
  recursor_.Set("bl.example", kDnsNs, ns);
  SetAddress("ns2.bl.example", "127.0.0.21", "");
  absl::StatusOr<Delegation> d = Find("bl.example");
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_EQ(d->servers.size(), 2u);
  EXPECT_EQ(d->servers[0].addresses[0].ToString(), "127.0.0.20");
  EXPECT_EQ(d->servers[1].addresses[0].ToString(), "127.0.0.21");
  EXPECT_THAT(recursor_.asked(),
              ::testing::ElementsAre("bl.example/2", "ns2.bl.example/1",
                                     "ns2.bl.example/28"));
  EXPECT_EQ(d->expires, kNow + absl::Seconds(300));
}

TEST_F(DelegationFinderTest, AZoneWithoutACutOfItsOwnIsServedByTheOneAbove) {
  // "<key>.zen.dq.example" is a name inside dq.example, not a zone.
  recursor_.Set("k3y.zen.dq.example", kDnsNs,
                Answer(kRcodeNoError, {},
                       {Record("dq.example", kDnsSoa, 60, "ns1.dq.example")}));
  recursor_.Set("dq.example", kDnsNs,
                Answer(kRcodeNoError,
                       {Record("dq.example", kDnsNs, 3600, "ns1.dq.example")}));
  SetAddress("ns1.dq.example", "127.0.0.30", "");
  absl::StatusOr<Delegation> d = Find("k3y.zen.dq.example");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->zone, "k3y.zen.dq.example");
  EXPECT_EQ(d->cut, "dq.example");
  ASSERT_EQ(d->servers.size(), 1u);
  EXPECT_EQ(d->servers[0].addresses[0].ToString(), "127.0.0.30");
}

TEST_F(DelegationFinderTest, ANonexistentZoneIsNotFound) {
  recursor_.Set("gone.example", kDnsNs,
                Answer(kRcodeNxDomain, {},
                       {Record("example", kDnsSoa, 300, "ns.nic.example")}));
  absl::StatusOr<Delegation> d = Find("gone.example");
  ASSERT_FALSE(d.ok());
  EXPECT_TRUE(absl::IsNotFound(d.status())) << d.status();
  EXPECT_THAT(d.status().message(), HasSubstr("from 'example'"));
}

TEST_F(DelegationFinderTest, NamesWhyItCouldNotFindTheServers) {
  // SERVFAIL: no server of some zone on the way answered.
  recursor_.Set("dead.example", kDnsNs, Answer(kRcodeServFail, {}));
  absl::StatusOr<Delegation> d = Find("dead.example");
  EXPECT_TRUE(absl::IsUnavailable(d.status())) << d.status();
  EXPECT_THAT(d.status().message(), HasSubstr("SERVFAIL"));

  recursor_.Fail("slow.example", kDnsNs,
                 absl::DeadlineExceededError("no answer within 2s"));
  d = Find("slow.example");
  EXPECT_TRUE(absl::IsUnavailable(d.status())) << d.status();
  EXPECT_THAT(d.status().message(), HasSubstr("no answer within 2s"));

  // Servers whose names resolve to nothing.
  recursor_.Set("lame.example", kDnsNs,
                Answer(kRcodeNoError, {Record("lame.example", kDnsNs, 60,
                                              "ns.nowhere.example")}));
  recursor_.Set("ns.nowhere.example", kDnsA, Answer(kRcodeNxDomain, {}));
  recursor_.Set("ns.nowhere.example", kDnsAaaa, Answer(kRcodeNxDomain, {}));
  d = Find("lame.example");
  EXPECT_TRUE(absl::IsUnavailable(d.status())) << d.status();
  EXPECT_THAT(d.status().message(),
              HasSubstr("no address for any of ns.nowhere.example"));

  // An alias is no zone.
  recursor_.Set("alias.example", kDnsNs,
                Answer(kRcodeNoError,
                       {Record("alias.example", kDnsCname, 60, "bl.example")}));
  d = Find("alias.example");
  EXPECT_TRUE(absl::IsFailedPrecondition(d.status())) << d.status();

  // NODATA without an SOA says nothing about where the zone is.
  recursor_.Set("odd.example", kDnsNs, Answer(kRcodeNoError, {}));
  d = Find("odd.example");
  EXPECT_TRUE(absl::IsUnavailable(d.status())) << d.status();
}

TEST_F(DelegationFinderTest, HoldsBetweenFiveSecondsAndADay) {
  recursor_.Set("short.example", kDnsNs,
                Answer(kRcodeNoError, {Record("short.example", kDnsNs, 1,
                                              "ns.short.example")}));
  SetAddress("ns.short.example", "127.0.0.40", "");
  absl::StatusOr<Delegation> d = Find("short.example");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->expires, kNow + kMinDelegationTtl);

  recursor_.Set("long.example", kDnsNs,
                Answer(kRcodeNoError, {Record("long.example", kDnsNs, 864000,
                                              "ns.long.example")}));
  SetAddress("ns.long.example", "127.0.0.41", "", 864000);
  d = Find("long.example");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->expires, kNow + kMaxDelegationTtl);
}

TEST_F(DelegationFinderTest, ResolvesAtMostEightServers) {
  std::vector<DnsRecord> ns;
  for (int i = 0; i < 12; ++i) {
    const std::string name = absl::StrCat("ns", i, ".many.example");
    ns.push_back(Record("many.example", kDnsNs, 3600, name));
    SetAddress(name, absl::StrCat("127.0.1.", i), "");
  }
  recursor_.Set("many.example", kDnsNs, Answer(kRcodeNoError, ns));
  absl::StatusOr<Delegation> d = Find("many.example");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->servers.size(), static_cast<size_t>(kMaxServersPerZone));
}

}  // namespace
}  // namespace dnsbl

#include "dnsbl/contacts/internal/contact_answers.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const IpAddress kIp = *IpAddress::Parse("192.0.2.7");

DnsResponse Txt(std::vector<std::string> records) {
  DnsResponse r;
  r.outcome = DnsOutcome::kAnswer;
  r.records = std::move(records);
  return r;
}

DnsResponse Outcome(DnsOutcome outcome, std::string soa = "") {
  DnsResponse r;
  r.outcome = outcome;
  r.attempts = 2;
  r.soa_owner = std::move(soa);
  return r;
}

TEST(InterpretCymruOriginTest, PlacesTheAddressAndNamesItsAs) {
  CymruAnswer a = InterpretCymruOrigin(
      kIp, Txt({"64500 64501 | 192.0.2.0/24 | ZZ | ripencc | 2004-01-01"}));
  ASSERT_TRUE(a.network.has_value());
  EXPECT_TRUE(a.source.answered());
  EXPECT_EQ(a.source.query(), "7.2.0.192.origin.asn.cymru.com");
  EXPECT_EQ(a.network->asn(), 64500u);
  EXPECT_THAT(a.network->other_asns(), ElementsAre(64501u));
  EXPECT_EQ(a.network->prefix(), "192.0.2.0/24");
  v1::Network named = WithCymruAsName(
      *a.network, Txt({"64500 | ZZ | ripencc | 2004-01-01 | EXAMPLE-AS Ex"}));
  EXPECT_EQ(named.as_name(), "EXAMPLE-AS Ex");
  // A name for another AS, or none at all, leaves it unnamed.
  EXPECT_EQ(WithCymruAsName(*a.network,
                            Txt({"64999 | ZZ | ripencc | 2004-01-01 | X"}))
                .as_name(),
            "");
  EXPECT_EQ(
      WithCymruAsName(*a.network, Outcome(DnsOutcome::kTimeout)).as_name(), "");
}

// An unanswered source is "unknown", never "nothing known".
TEST(InterpretCymruOriginTest, FailuresAreNamedNotEmpty) {
  CymruAnswer timeout =
      InterpretCymruOrigin(kIp, Outcome(DnsOutcome::kTimeout));
  EXPECT_FALSE(timeout.network.has_value());
  EXPECT_FALSE(timeout.source.answered());
  EXPECT_EQ(timeout.source.error(), v1::TIMEOUT);
  EXPECT_THAT(timeout.source.detail(), HasSubstr("timed out"));

  CymruAnswer nx = InterpretCymruOrigin(kIp, Outcome(DnsOutcome::kNxDomain));
  EXPECT_TRUE(nx.source.answered());
  EXPECT_THAT(nx.source.detail(), HasSubstr("no announced network known"));

  CymruAnswer rpz =
      InterpretCymruOrigin(kIp, Outcome(DnsOutcome::kNxDomain, "rpz.local"));
  EXPECT_FALSE(rpz.source.answered());
  EXPECT_EQ(rpz.source.error(), v1::POLICY_ANSWER);

  CymruAnswer garbage = InterpretCymruOrigin(kIp, Txt({"garbage \x1b[2J"}));
  EXPECT_FALSE(garbage.network.has_value());
  EXPECT_EQ(garbage.source.error(), v1::MALFORMED);
  EXPECT_THAT(garbage.source.detail(), HasSubstr("\\x1b"));
}

TEST(InterpretAbusixTest, ContactsAreValidatedMailboxes) {
  AbusixAnswer a = InterpretAbusix(
      kIp, Txt({"abuse@example.net", "evil\r\nBcc: x@example.org"}));
  ASSERT_EQ(a.contacts.size(), 1u);
  EXPECT_EQ(a.contacts[0].email(), "abuse@example.net");
  EXPECT_EQ(a.contacts[0].source(), "abusix");
  EXPECT_EQ(a.contacts[0].role(), "abuse");
  EXPECT_TRUE(a.source.answered());
  EXPECT_THAT(a.source.detail(), HasSubstr("ignored"));

  AbusixAnswer bad = InterpretAbusix(kIp, Txt({"not an address"}));
  EXPECT_TRUE(bad.contacts.empty());
  EXPECT_FALSE(bad.source.answered());
  EXPECT_EQ(bad.source.error(), v1::MALFORMED);

  AbusixAnswer none = InterpretAbusix(kIp, Outcome(DnsOutcome::kNxDomain));
  EXPECT_TRUE(none.contacts.empty());
  EXPECT_TRUE(none.source.answered());
  EXPECT_THAT(none.source.detail(), HasSubstr("no abuse contact known"));

  AbusixAnswer servfail = InterpretAbusix(kIp, Outcome(DnsOutcome::kServFail));
  EXPECT_FALSE(servfail.source.answered());
  EXPECT_EQ(servfail.source.error(), v1::SERVFAIL);
}

}  // namespace
}  // namespace dnsbl

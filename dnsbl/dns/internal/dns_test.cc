#include "dnsbl/dns/internal/dns.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

TEST(DnsOutcomeTest, EveryOutcomeHasAName) {
  EXPECT_EQ(DnsOutcomeName(DnsOutcome::kNoServers), "no servers found");
  EXPECT_EQ(DnsOutcomeName(DnsOutcome::kNxDomain), "NXDOMAIN");
}

}  // namespace
}  // namespace dnsbl

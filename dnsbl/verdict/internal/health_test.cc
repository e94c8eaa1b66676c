#include "dnsbl/verdict/internal/health.h"

#include <string>
#include <vector>

#include "dnsbl/catalog/catalog.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;

v1::Zone Zone(absl::string_view extra = "") {
  absl::StatusOr<v1::Catalog> catalog = ParseCatalog(
      absl::StrCat("zone { name: \"bl.test\" ipv4: true ",
                   "refused_code: \"127.255.255.254\" ", extra, " }"),
      "t");
  EXPECT_TRUE(catalog.ok()) << catalog.status();
  return catalog->zone(0);
}

DnsResponse Listed(std::string value = "127.0.0.2") {
  DnsResponse r;
  r.outcome = DnsOutcome::kAnswer;
  r.records = {std::move(value)};
  return r;
}

DnsResponse Nx() {
  DnsResponse r;
  r.outcome = DnsOutcome::kNxDomain;
  return r;
}

// A negative answer carrying the SOA of `owner`.
DnsResponse NxWithSoa(std::string owner) {
  DnsResponse r = Nx();
  r.soa_owner = std::move(owner);
  return r;
}

// What rbldnsd answers for a zone's own name: NOERROR, no A record.
DnsResponse Exists() {
  DnsResponse r;
  r.outcome = DnsOutcome::kNoData;
  return r;
}

DnsResponse Failed(DnsOutcome outcome) {
  DnsResponse r;
  r.outcome = outcome;
  r.attempts = 2;
  return r;
}

v1::ZoneHealth Classify(const v1::Zone& zone, std::vector<DnsResponse> answers,
                        const DnsResponse& apex = Exists()) {
  return ClassifyHealth(zone, HealthProbeAddresses(zone, 7), answers, apex);
}

TEST(HealthProbeAddressesTest, Ipv4TestPointsAndTestNet) {
  std::vector<IpAddress> probes = HealthProbeAddresses(Zone(), 7);
  ASSERT_EQ(probes.size(), 3u);
  EXPECT_EQ(probes[0].ToString(), "127.0.0.2");
  EXPECT_EQ(probes[1].ToString(), "127.0.0.1");
  EXPECT_EQ(probes[2].ToString(), "203.0.113.8");
  EXPECT_NE(HealthProbeAddresses(Zone(), 8)[2], probes[2]);
}

TEST(HealthProbeAddressesTest, Ipv6OnlyZoneUsesMappedNibbleTestPoints) {
  v1::Zone zone = Zone();
  zone.set_ipv4(false);
  zone.set_ipv6(true);
  std::vector<IpAddress> probes = HealthProbeAddresses(zone, 7);
  EXPECT_EQ(probes[0].ToString(), "::ffff:127.0.0.2");
  EXPECT_FALSE(probes[0].is_ipv4());
  EXPECT_EQ(probes[1].ToString(), "::ffff:127.0.0.1");
  EXPECT_THAT(probes[2].ToString(), ::testing::StartsWith("2001:db8:ffff:"));
}

TEST(ClassifyHealthTest, Healthy) {
  v1::ZoneHealth h = Classify(Zone(), {Listed(), Nx(), Nx()});
  EXPECT_EQ(h.state(), v1::HEALTHY);
  EXPECT_EQ(h.zone(), "bl.test");
  EXPECT_THAT(h.probes(), ::testing::ElementsAre(
                              "127.0.0.2: 127.0.0.2", "127.0.0.1: not listed",
                              "203.0.113.8: not listed", "bl.test: exists"));
}

TEST(ClassifyHealthTest, ZoneNameWithARecordsExists) {
  // Some zones publish a web server's address at their apex.
  v1::ZoneHealth h =
      Classify(Zone(), {Listed(), Nx(), Nx()}, Listed("198.51.100.7"));
  EXPECT_EQ(h.state(), v1::HEALTHY);
}

// A resolver with no internet, or one that blocks the blocklist's domain,
// answers NXDOMAIN for everything: the zone's own name included.
TEST(ClassifyHealthTest, ZoneNameNxDomainIsNoSuchZone) {
  v1::ZoneHealth h = Classify(Zone(), {Nx(), Nx(), Nx()}, Nx());
  EXPECT_EQ(h.state(), v1::NO_SUCH_ZONE);
  EXPECT_THAT(h.detail(), HasSubstr("bl.test does not exist (NXDOMAIN)"));
  EXPECT_THAT(h.probes(), ::testing::Contains("bl.test: NXDOMAIN"));
  EXPECT_FALSE(HealthUsable(h.state()));
  // Whatever the test points say: nothing exists below a name that does
  // not (RFC 8020).
  EXPECT_EQ(Classify(Zone(), {Listed(), Nx(), Nx()}, Nx()).state(),
            v1::NO_SUCH_ZONE);
  // Probes lost on the way do not hide what the zone's name showed.
  EXPECT_EQ(Classify(Zone(), {Failed(DnsOutcome::kTimeout), Nx(), Nx()}, Nx())
                .state(),
            v1::NO_SUCH_ZONE);
  // An expired domain: the parent zone's SOA comes with the NXDOMAIN.
  EXPECT_EQ(Classify(Zone(), {Nx(), Nx(), Nx()}, NxWithSoa("test")).state(),
            v1::NO_SUCH_ZONE);
}

TEST(ClassifyHealthTest, ZoneNameUnansweredIsDead) {
  v1::ZoneHealth h =
      Classify(Zone(), {Listed(), Nx(), Nx()}, Failed(DnsOutcome::kServFail));
  EXPECT_EQ(h.state(), v1::DEAD);
  EXPECT_THAT(h.detail(), HasSubstr("zone's own name bl.test"));
}

TEST(ClassifyHealthTest, ForeignSoaIsFiltered) {
  // An RPZ policy blocking the whole domain, apex included.
  v1::ZoneHealth h = Classify(
      Zone(),
      {NxWithSoa("rpz.local"), NxWithSoa("rpz.local"), NxWithSoa("rpz.local")},
      NxWithSoa("rpz.local"));
  EXPECT_EQ(h.state(), v1::FILTERED);
  EXPECT_THAT(h.detail(), HasSubstr("policy zone rpz.local"));
  EXPECT_FALSE(HealthUsable(h.state()));
  // Only the names below the zone blocked; the zone's own name answered.
  EXPECT_EQ(Classify(Zone(), {NxWithSoa("rpz.local"), Nx(), Nx()}).state(),
            v1::FILTERED);
  // The zone's own SOA, or a parent's, is the blocklist's own answer.
  EXPECT_EQ(
      Classify(Zone(), {Listed(), NxWithSoa("bl.test"), NxWithSoa("BL.TEST.")})
          .state(),
      v1::HEALTHY);
}

// A zone whose operator documents all its answers may answer its test
// point with a code it forgot to document: the zone still answers.
TEST(ClassifyHealthTest, TestPointsOfExhaustiveZonesTakeAnyAnswer) {
  v1::Zone zone = Zone(
      "exhaustive_codes: true code { value: \"127.0.0.36\" category: "
      "SPAM_SOURCE }");
  EXPECT_EQ(Classify(zone, {Listed(), Nx(), Nx()}).state(), v1::HEALTHY);
  EXPECT_EQ(Classify(zone, {Listed(), Listed("127.0.0.7"), Nx()}).state(),
            v1::WILDCARD);
}

TEST(ClassifyHealthTest, DocumentedTestEntryMissingIsTestFailed) {
  v1::ZoneHealth h = Classify(Zone("test_entry: true"), {Nx(), Nx(), Nx()});
  EXPECT_EQ(h.state(), v1::TEST_FAILED);
  EXPECT_THAT(h.detail(), HasSubstr("documents as always listed"));
  EXPECT_FALSE(HealthUsable(h.state()));
  EXPECT_EQ(Classify(Zone("test_entry: true"), {Listed(), Nx(), Nx()}).state(),
            v1::HEALTHY);
}

TEST(ClassifyHealthTest, NoTestEntryIsAWarningOnly) {
  v1::ZoneHealth h = Classify(Zone(), {Nx(), Nx(), Nx()});
  EXPECT_EQ(h.state(), v1::NO_TEST_ENTRY);
  EXPECT_TRUE(HealthUsable(h.state()));
}

TEST(ClassifyHealthTest, ListingLoopbackIsWildcard) {
  v1::ZoneHealth h = Classify(Zone(), {Listed(), Listed(), Nx()});
  EXPECT_EQ(h.state(), v1::WILDCARD);
  EXPECT_THAT(h.detail(), HasSubstr("lists 127.0.0.1"));
  EXPECT_FALSE(HealthUsable(h.state()));
}

TEST(ClassifyHealthTest, DocumentedLoopbackListingIsAllowed) {
  v1::ZoneHealth h =
      Classify(Zone("lists_loopback: true"), {Listed(), Listed(), Nx()});
  EXPECT_EQ(h.state(), v1::HEALTHY);
}

TEST(ClassifyHealthTest, ListingTestNetIsWildcard) {
  v1::ZoneHealth h =
      Classify(Zone("lists_loopback: true"), {Listed(), Listed(), Listed()});
  EXPECT_EQ(h.state(), v1::WILDCARD);
  EXPECT_THAT(h.detail(), HasSubstr("203.0.113.8"));
}

TEST(ClassifyHealthTest, AnswersOutsideLoopbackNetAreWildcard) {
  v1::ZoneHealth h =
      Classify(Zone(), {Listed("198.51.100.1"), Nx(), Listed("198.51.100.1")});
  EXPECT_EQ(h.state(), v1::WILDCARD);
  EXPECT_THAT(h.detail(), HasSubstr("rewrites NXDOMAIN"));
}

TEST(ClassifyHealthTest, UnansweredIsDead) {
  for (DnsOutcome o : {DnsOutcome::kTimeout, DnsOutcome::kServFail,
                       DnsOutcome::kRefused, DnsOutcome::kMalformed}) {
    v1::ZoneHealth h = Classify(Zone(), {Listed(), Failed(o), Nx()});
    EXPECT_EQ(h.state(), v1::DEAD) << DnsOutcomeName(o);
    EXPECT_FALSE(HealthUsable(h.state()));
  }
}

TEST(ClassifyHealthTest, RefusedCodesAreRefusing) {
  v1::ZoneHealth h =
      Classify(Zone(), {Listed("127.255.255.254"), Listed("127.255.255.254"),
                        Listed("127.255.255.254")});
  EXPECT_EQ(h.state(), v1::REFUSING);
  EXPECT_THAT(h.detail(), HasSubstr("own recursive resolver"));
}

TEST(ClassifyHealthTest, WrongNumberOfAnswersIsDead) {
  v1::Zone zone = Zone();
  std::vector<DnsResponse> answers = {Listed()};
  EXPECT_EQ(
      ClassifyHealth(zone, HealthProbeAddresses(zone, 1), answers, Exists())
          .state(),
      v1::DEAD);
}

}  // namespace
}  // namespace dnsbl

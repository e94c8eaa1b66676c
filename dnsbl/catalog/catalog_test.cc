#include "dnsbl/catalog/catalog.h"

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "dnsbl/base/address.h"
#include "dnsbl/verdict/internal/interpret.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kGood[] = R"pb(
  zone {
    name: "bl.example"
    ipv4: true
    code { value: "127.0.0.2" category: OPEN_RELAY meaning: "relay" }
    refused_code: "127.255.255.254"
    refused_code: "127.0.*.255"
    lookup_url: "https://bl.example/?ip={ip}"
  }
  zone { name: "other.example" ipv6: true }
)pb";

TEST(ParseCatalogTest, ParsesValidCatalog) {
  absl::StatusOr<v1::Catalog> catalog = ParseCatalog(kGood, "test");
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  ASSERT_EQ(catalog->zone_size(), 2);
  EXPECT_EQ(catalog->zone(0).code(0).category(), v1::OPEN_RELAY);
}

TEST(ParseCatalogTest, SyntaxErrorNamesLineAndColumn) {
  absl::StatusOr<v1::Catalog> catalog =
      ParseCatalog("zone {\n  nme: \"x\"\n}\n", "bad.textproto");
  ASSERT_FALSE(catalog.ok());
  EXPECT_EQ(catalog.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(catalog.status().message(), HasSubstr("bad.textproto"));
  EXPECT_THAT(catalog.status().message(), HasSubstr("line 2 column"));
  EXPECT_THAT(catalog.status().message(), HasSubstr("nme"));
}

TEST(ParseCatalogTest, NotTextFormatIsAnError) {
  EXPECT_FALSE(ParseCatalog("{\"zone\": []}", "x.json").ok());
  EXPECT_FALSE(ParseCatalog(std::string("\0\1\2", 3), "bin").ok());
}

struct BadCase {
  const char* text;
  const char* message;
};

TEST(ValidateCatalogTest, RejectsBadZonesNamingZoneAndField) {
  const BadCase cases[] = {
      {R"pb(zone { ipv4: true })pb", "zone #1: field 'name' is missing"},
      {R"pb(zone {
              name: "x.org"
              ipv4: true
              code { value: "127.0.0.0" category: OTHER bitmask: true }
            })pb",
       "code[0].value 127.0.0.0 is a bit mask with no bit below 127.0.0.0"},
      {R"pb(zone { name: "x.org" ipv4: true exhaustive_codes: true })pb",
       "'exhaustive_codes' needs the documented codes"},
      {R"pb(zone { name: "a..b" ipv4: true })pb", "empty label"},
      {R"pb(zone { name: "bad label.org" ipv4: true })pb", "invalid label"},
      {R"pb(zone { name: "x.org" })pb", "'ipv4: true', 'ipv6: true'"},
      {R"pb(zone {
              name: "x.org"
              ipv4: true
              code { value: "128.0.0.2" category: OTHER }
            })pb",
       "zone 'x.org' (#1): code[0].value '128.0.0.2' is outside 127.0.0.0/8"},
      {R"pb(zone {
              name: "x.org"
              ipv4: true
              code { value: "127.0.0.x" category: OTHER }
            })pb",
       "code[0].value '127.0.0.x' is not an IPv4 address"},
      {R"pb(zone {
              name: "x.org"
              ipv4: true
              code { value: "127.0.0.2" category: OTHER }
              code { value: "127.0.0.2" category: OTHER }
            })pb",
       "appears more than once"},
      {R"pb(zone {
              name: "x.org"
              ipv4: true
              code { value: "127.0.0.2" }
            })pb",
       "code[0].category is missing"},
      {R"pb(zone { name: "x.org" ipv4: true refused_code: "*.0.0.1" })pb",
       "refused_code[0]"},
      {R"pb(zone { name: "x.org" ipv4: true lookup_url: "https://x/" })pb",
       "must contain {ip}"},
      {R"pb(zone { name: "x.org" ipv4: true lookup_url: "ftp://x/{ip}" })pb",
       "must start with https://"},
      {R"pb(zone { name: "x.org" ipv4: true needs_key: true })pb",
       "field 'key_name' must be set"},
      {R"pb(zone {
              name: "x.org"
              ipv4: true
              needs_key: true
              key_name: "Bad-Name"
            })pb",
       "field 'key_name' must be set"},
      {R"pb(zone { name: "x.org" ipv4: true retired: true })pb",
       "field 'retired_note' must say what happened"},
      {R"pb(zone { name: "x.org" ipv4: true }
            zone { name: "X.org." ipv4: true })pb",
       "zone 'X.org.' (#2): field 'name' duplicates an earlier zone"},
  };
  for (const BadCase& c : cases) {
    absl::StatusOr<v1::Catalog> catalog = ParseCatalog(c.text, "t");
    ASSERT_FALSE(catalog.ok()) << c.text;
    EXPECT_EQ(catalog.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(catalog.status().message(), HasSubstr(c.message)) << c.text;
  }
}

TEST(ValidateCatalogTest, RejectsOverlongLabelsAndNames) {
  v1::Catalog catalog;
  v1::Zone* zone = catalog.add_zone();
  zone->set_ipv4(true);
  zone->set_name(std::string(64, 'a') + ".org");
  EXPECT_THAT(ValidateCatalog(catalog).message(), HasSubstr("label of 64"));
  std::string name;
  while (name.size() < 200) name += "abcdefghij.";
  zone->set_name(name + "org");
  EXPECT_THAT(ValidateCatalog(catalog).message(),
              HasSubstr("query names would exceed 253"));
}

TEST(LoadCatalogFileTest, MissingFileIsNotFound) {
  absl::StatusOr<v1::Catalog> catalog =
      LoadCatalogFile("/nonexistent/catalog.textproto");
  EXPECT_EQ(catalog.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(catalog.status().message(), HasSubstr("/nonexistent"));
}

TEST(SelectZonesTest, SelectsByNameInCatalogOrder) {
  v1::Catalog catalog = *ParseCatalog(kGood, "t");
  std::vector<std::string> names = {"other.example", "BL.example"};
  absl::StatusOr<std::vector<v1::Zone>> zones = SelectZones(catalog, names);
  ASSERT_TRUE(zones.ok());
  ASSERT_EQ(zones->size(), 2u);
  EXPECT_EQ((*zones)[0].name(), "bl.example");
  EXPECT_EQ(SelectZones(catalog, {})->size(), 2u);
  std::vector<std::string> unknown = {"nope.example"};
  EXPECT_THAT(SelectZones(catalog, unknown).status().message(),
              HasSubstr("'nope.example' is not in the catalog"));
}

TEST(SelectZonesTest, DefaultLeavesOutDisabledAndRetired) {
  v1::Catalog catalog = *ParseCatalog(
      R"pb(
        zone { name: "a.test" ipv4: true }
        zone { name: "b.test" ipv4: true disabled: true }
        zone { name: "c.test" ipv4: true retired: true retired_note: "gone" }
      )pb",
      "t");
  absl::StatusOr<std::vector<v1::Zone>> zones = SelectZones(catalog, {});
  ASSERT_EQ(zones->size(), 1u);
  EXPECT_EQ((*zones)[0].name(), "a.test");
  std::vector<std::string> named = {"b.test", "c.test"};
  EXPECT_EQ(SelectZones(catalog, named)->size(), 2u);
}

TEST(ZoneCategoriesTest, FromCodesAndDefault) {
  v1::Catalog catalog = *ParseCatalog(kGood, "t");
  EXPECT_THAT(ZoneCategories(catalog.zone(0)),
              ::testing::ElementsAre(v1::OPEN_RELAY));
  v1::Zone zone = catalog.zone(0);
  zone.set_default_category(v1::SPAM_SOURCE);
  EXPECT_THAT(ZoneCategories(zone),
              ::testing::ElementsAre(v1::OPEN_RELAY, v1::SPAM_SOURCE));
}

TEST(MaskKeyTest, NeverShowsAWholeKey) {
  EXPECT_EQ(MaskKey("abcdefghijklmnop"), "abcd****");
  EXPECT_EQ(MaskKey("short"), "*****");
}

TEST(CodeMatchesTest, Wildcards) {
  EXPECT_TRUE(CodeMatches("127.0.*.255", "127.0.9.255"));
  EXPECT_FALSE(CodeMatches("127.0.*.255", "127.0.9.254"));
  EXPECT_TRUE(CodeMatches("127.255.255.254", "127.255.255.254"));
  EXPECT_FALSE(CodeMatches("127.255.255.254", "127.255.255.25"));
}

// The built-in catalog is what most users rely on: it must be valid, and
// every zone must say what it lists and how to read its answers.
TEST(BuiltinCatalogTest, IsValidAndComplete) {
  absl::StatusOr<v1::Catalog> catalog = BuiltinCatalog();
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  EXPECT_GE(catalog->zone_size(), 50);
  int enabled = 0;
  for (const v1::Zone& zone : catalog->zone()) {
    SCOPED_TRACE(zone.name());
    EXPECT_FALSE(zone.description().empty());
    EXPECT_TRUE(zone.code_size() > 0 ||
                zone.default_category() != v1::CATEGORY_UNSPECIFIED);
    for (const v1::ReturnCode& code : zone.code()) {
      EXPECT_FALSE(code.meaning().empty()) << code.value();
    }
    if (!zone.disabled()) ++enabled;
  }
  EXPECT_GE(enabled, 15);
}

TEST(BuiltinCatalogTest, KnownFactsAreEncoded) {
  v1::Catalog catalog = *BuiltinCatalog();
  auto find = [&](absl::string_view name) -> const v1::Zone* {
    for (const v1::Zone& z : catalog.zone()) {
      if (z.name() == name) return &z;
    }
    return nullptr;
  };
  auto category = [](const v1::Zone& zone, absl::string_view value) {
    for (const v1::ReturnCode& c : zone.code()) {
      if (c.value() == value) return c.category();
    }
    return v1::CATEGORY_UNSPECIFIED;
  };
  const v1::Zone* zen = find("zen.spamhaus.org");
  ASSERT_NE(zen, nullptr);
  EXPECT_EQ(category(*zen, "127.0.0.4"), v1::EXPLOITED);
  EXPECT_EQ(category(*zen, "127.0.0.10"), v1::POLICY);
  for (const char* refusal :
       {"127.255.255.252", "127.255.255.254", "127.255.255.255"}) {
    EXPECT_TRUE(std::any_of(
        zen->refused_code().begin(), zen->refused_code().end(),
        [&](const std::string& p) { return CodeMatches(p, refusal); }))
        << refusal;
  }
  const v1::Zone* drone = find("dnsbl.dronebl.org");
  ASSERT_NE(drone, nullptr);
  for (const char* proxy :
       {"127.0.0.8", "127.0.0.9", "127.0.0.10", "127.0.0.11", "127.0.0.14"}) {
    EXPECT_EQ(category(*drone, proxy), v1::OPEN_PROXY) << proxy;
  }
  const v1::Zone* efnet = find("rbl.efnetrbl.org");
  ASSERT_NE(efnet, nullptr);
  EXPECT_EQ(category(*efnet, "127.0.0.1"), v1::OPEN_PROXY);
  const v1::Zone* dnswl = find("list.dnswl.org");
  ASSERT_NE(dnswl, nullptr);
  EXPECT_EQ(dnswl->default_category(), v1::ALLOWLISTED);
  // Dead zones, several of which now list everything, are kept (so that
  // naming one explains itself) but retired, so they are never asked.
  for (const char* dead :
       {"relays.ordb.org", "dnsbl.ahbl.org", "tor.ahbl.org", "dnsbl.njabl.org",
        "combined.njabl.org", "dnsbl.sorbs.net", "smtp.dnsbl.sorbs.net",
        "list.dsbl.org", "opm.blitzed.org", "relays.osirusoft.com",
        "ix.dnsbl.manitu.net", "dnsbl.cyberlogic.net", "bl.emailbasura.org",
        "dul.ru", "spamtrap.drbl.drand.net"}) {
    const v1::Zone* zone = find(dead);
    ASSERT_NE(zone, nullptr) << dead;
    EXPECT_TRUE(zone->retired()) << dead;
  }
  EXPECT_THAT(find("dnsbl.sorbs.net")->retired_note(), HasSubstr("2024-06-05"));
  absl::StatusOr<std::vector<v1::Zone>> asked = SelectZones(catalog, {});
  ASSERT_TRUE(asked.ok());
  for (const v1::Zone& zone : *asked) {
    EXPECT_FALSE(zone.retired()) << zone.name();
    EXPECT_FALSE(zone.disabled()) << zone.name();
  }
  // Keyed services.
  const v1::Zone* dqs = find("zen.dq.spamhaus.net");
  ASSERT_NE(dqs, nullptr);
  EXPECT_TRUE(dqs->needs_key());
  EXPECT_EQ(dqs->key_name(), "spamhaus_dqs");
  const v1::Zone* abusix = find("combined.mail.abusix.zone");
  ASSERT_NE(abusix, nullptr);
  EXPECT_EQ(category(*abusix, "127.0.0.4"), v1::EXPLOITED);
  // Policy lists are marked as such, so a verdict never calls them abuse.
  EXPECT_EQ(category(*find("pbl.spamhaus.org"), "127.0.0.11"), v1::POLICY);
}

// The corrections of the catalog audit (issue 15), each pinned so that a
// later edit cannot quietly undo it. Sources are in each zone's `source`.
TEST(BuiltinCatalogTest, AuditCorrectionsAreEncoded) {
  v1::Catalog catalog = *BuiltinCatalog();
  auto find = [&](absl::string_view name) -> v1::Zone {
    for (const v1::Zone& z : catalog.zone()) {
      if (z.name() == name) return z;
    }
    ADD_FAILURE() << name << " is missing";
    return v1::Zone();
  };
  auto categories = [](const v1::Zone& zone, absl::string_view value) {
    std::vector<v1::Category> out;
    for (const v1::ReturnCode* c : MatchingCodes(zone, value)) {
      out.push_back(c->category());
    }
    return out;
  };
  auto refuses = [](const v1::Zone& zone, absl::string_view value) {
    return std::any_of(
        zone.refused_code().begin(), zone.refused_code().end(),
        [&](const std::string& p) { return CodeMatches(p, value); });
  };
  // 1. The CBL refuses with Spamhaus's codes.
  EXPECT_TRUE(refuses(find("cbl.abuseat.org"), "127.255.255.254"));
  // 2. MAPS RBL+ and Validity answer bit masks; MAPS's 127.0.0.1 is an
  //    answer, not a loopback listing.
  v1::Zone maps = find("r.mail-abuse.com");
  EXPECT_THAT(categories(maps, "127.0.0.12"),
              ElementsAre(v1::OPEN_RELAY, v1::OPEN_PROXY));
  EXPECT_FALSE(maps.lists_loopback());
  EXPECT_THAT(categories(find("bl.score.senderscore.com"), "127.0.0.5"),
              ElementsAre(v1::EXPLOITED, v1::SPAM_SOURCE));
  // 3. No default zone without proof of life.
  EXPECT_TRUE(find("relays.nether.net").disabled());
  // 4. DNSWL's over-limit answer is refused.
  EXPECT_TRUE(refuses(find("list.dnswl.org"), "127.0.0.255"));
  // 5. SpamRATS documents every answer; Dyna and NoPtr are abuse.
  v1::Zone rats = find("all.spamrats.com");
  EXPECT_TRUE(rats.exhaustive_codes());
  EXPECT_THAT(categories(rats, "127.0.0.36"), ElementsAre(v1::ABUSE));
  EXPECT_THAT(categories(rats, "127.0.0.37"), ElementsAre(v1::ABUSE));
  // 6. The Tor Project's own exit list.
  v1::Zone tor = find("dnsel.torproject.org");
  EXPECT_FALSE(tor.disabled());
  EXPECT_THAT(categories(tor, "127.0.0.2"), ElementsAre(v1::TOR_EXIT));
  // 7. ZEN's 127.0.0.5-7 are XBL.
  for (const char* zone : {"zen.spamhaus.org", "zen.dq.spamhaus.net"}) {
    for (const char* code : {"127.0.0.5", "127.0.0.6", "127.0.0.7"}) {
      EXPECT_THAT(categories(find(zone), code), ElementsAre(v1::EXPLOITED))
          << zone << " " << code;
    }
  }
  // 8. Drones and IRC bots are exploited hosts; SpamCop needs its TXT.
  EXPECT_THAT(categories(find("rbl.efnetrbl.org"), "127.0.0.5"),
              ElementsAre(v1::EXPLOITED));
  EXPECT_THAT(categories(find("bl.blocklist.de"), "127.0.0.8"),
              ElementsAre(v1::EXPLOITED));
  EXPECT_EQ(find("bl.spamcop.net").txt_must_contain(), "spamcop");
  // 9. AuthBL (keyed) and Tornevall (disabled, bit mask).
  v1::Zone authbl = find("authbl.dq.spamhaus.net");
  EXPECT_TRUE(authbl.needs_key());
  EXPECT_THAT(categories(authbl, "127.0.0.20"), ElementsAre(v1::EXPLOITED));
  v1::Zone tornevall = find("dnsbl.tornevall.org");
  EXPECT_TRUE(tornevall.disabled());
  EXPECT_THAT(categories(tornevall, "127.0.0.66"),
              ElementsAre(v1::OPEN_PROXY, v1::ABUSE));
  // 10. EFnet's lookup page; Spam Eating Monkey's rate.
  EXPECT_EQ(find("rbl.efnetrbl.org").lookup_url(),
            "https://rbl.efnetrbl.org/?i={ip}");
  EXPECT_EQ(find("bl.spameatingmonkey.net").max_qps(), 5);
}

// Zones whose operators document an always-listed test point: a missing
// one there means the answers are not the blocklist's (TEST_FAILED).
TEST(BuiltinCatalogTest, DocumentedTestEntriesAreMarkedAndSourced) {
  v1::Catalog catalog = *BuiltinCatalog();
  const std::set<std::string> documented = {
      "zen.spamhaus.org",         "zen.dq.spamhaus.net",
      "b.barracudacentral.org",   "bl.spameatingmonkey.net",
      "bl.blocklist.de",          "list.dnswl.org",
      "combined.mail.abusix.zone"};
  std::set<std::string> marked;
  for (const v1::Zone& zone : catalog.zone()) {
    if (!zone.test_entry()) continue;
    marked.insert(zone.name());
    EXPECT_THAT(zone.source(), HasSubstr("test entry")) << zone.name();
  }
  EXPECT_EQ(marked, documented);
}

TEST(BuiltinCatalogTest, EveryZoneIsSourcedAndDated) {
  v1::Catalog catalog = *BuiltinCatalog();
  for (const v1::Zone& zone : catalog.zone()) {
    SCOPED_TRACE(zone.name());
    EXPECT_FALSE(zone.source().empty());
    EXPECT_EQ(zone.checked().size(), 10u);  // YYYY-MM-DD
    if (zone.retired()) {
      EXPECT_FALSE(zone.retired_note().empty());
    }
    // Codes of every zone name a category (also enforced by validation).
    for (const v1::ReturnCode& code : zone.code()) {
      EXPECT_NE(code.category(), v1::CATEGORY_UNSPECIFIED) << code.value();
    }
  }
}

TEST(SelectCatalogZonesTest, BuiltinWhenNoneAndErrorsOfEitherStep) {
  absl::StatusOr<CatalogZones> builtin = SelectCatalogZones(nullptr, {});
  ASSERT_TRUE(builtin.ok()) << builtin.status();
  ASSERT_NE(builtin->catalog, nullptr);
  EXPECT_EQ(builtin->zones.size(), SelectZones(*builtin->catalog, {})->size());
  auto given = std::make_shared<const v1::Catalog>(*ParseCatalog(kGood, "t"));
  absl::StatusOr<CatalogZones> named =
      SelectCatalogZones(given, {given->zone(0).name()});
  ASSERT_TRUE(named.ok()) << named.status();
  EXPECT_EQ(named->catalog, given);
  ASSERT_EQ(named->zones.size(), 1u);
  EXPECT_EQ(named->zones[0].name(), given->zone(0).name());
  EXPECT_EQ(SelectCatalogZones(given, {"nosuch.test"}).status().code(),
            absl::StatusCode::kNotFound);
  v1::Catalog bad;
  bad.add_zone()->set_name("x..y");
  EXPECT_EQ(SelectCatalogZones(std::make_shared<const v1::Catalog>(bad), {})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ZoneRateLimitsTest, OnlyZonesThatSetOne) {
  absl::StatusOr<v1::Catalog> catalog = ParseCatalog(
      R"pb(zone { name: "a.test" ipv4: true max_qps: 5 }
           zone { name: "b.test" ipv4: true }
           zone { name: "c.test" ipv4: true max_qps: 0.5 })pb",
      "t");
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  std::vector<v1::Zone> zones(catalog->zone().begin(), catalog->zone().end());
  EXPECT_EQ(ZoneRateLimits(zones), (std::vector<std::pair<std::string, double>>{
                                       {"a.test", 5}, {"c.test", 0.5}}));
  EXPECT_TRUE(ZoneRateLimits({}).empty());
}

}  // namespace
}  // namespace dnsbl

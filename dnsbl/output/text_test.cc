#include "dnsbl/output/text.h"

#include <string>

#include "dnsbl/verdict/internal/interpret.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/sample_reports.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;
using testing::ListedReport;
using ::testing::Not;

TEST(VerdictLineTest, ListedNamesCategoriesAndZones) {
  EXPECT_EQ(VerdictLine(ListedReport()),
            "192.0.2.7 is LISTED by 1 of 3 blocklists: as an open proxy by "
            "proxy.example; 1 blocklist gave no usable answer");
}

TEST(VerdictLineTest, NotListedAndIncomplete) {
  v1::Report report = ListedReport();
  report.mutable_results(0)->set_status(v1::NOT_LISTED);
  *report.mutable_summary() = Summarize(report.results());
  EXPECT_EQ(VerdictLine(report),
            "192.0.2.7 is not listed by the 2 blocklists that answered, but 1 "
            "blocklist gave no usable answer: the verdict is INCOMPLETE");
  report.mutable_results(1)->set_status(v1::NOT_LISTED);
  *report.mutable_summary() = Summarize(report.results());
  EXPECT_EQ(VerdictLine(report),
            "192.0.2.7 is not listed by any of 3 blocklists asked");
}

TEST(VerdictLineTest, PolicyOnlyIsNotCalledAbuse) {
  v1::Report report;
  report.set_address("203.0.113.9");
  v1::ZoneResult* r = report.add_results();
  r->set_zone("pbl.example");
  r->set_status(v1::LISTED);
  r->add_categories(v1::POLICY);
  *report.mutable_summary() = Summarize(report.results());
  EXPECT_EQ(VerdictLine(report),
            "203.0.113.9 is on 1 policy list only (pbl.example): an end-user "
            "or dynamic range, not evidence of abuse");
}

TEST(FormatZonesTextTest, ShowsStatusCategoriesAndStories) {
  v1::Catalog catalog;
  v1::Zone* live = catalog.add_zone();
  live->set_name("live.example");
  live->set_ipv4(true);
  live->set_description("a live list");
  live->set_default_category(v1::OPEN_PROXY);
  v1::Zone* gone = catalog.add_zone();
  gone->set_name("gone.example");
  gone->set_ipv4(true);
  gone->set_retired(true);
  gone->set_retired_note("Shut down 2013.");
  v1::Zone* keyed = catalog.add_zone();
  keyed->set_name("keyed.example");
  keyed->set_ipv6(true);
  keyed->set_needs_key(true);
  keyed->set_key_name("acme");
  std::string text = FormatZonesText(catalog);
  EXPECT_THAT(text, HasSubstr("live.example   live       no    open proxy\n"
                              "    a live list\n"));
  EXPECT_THAT(text, HasSubstr("gone.example   retired"));
  EXPECT_THAT(text, HasSubstr("    retired: Shut down 2013.\n"));
  EXPECT_THAT(text, HasSubstr("keyed.example  needs key  yes"));
  EXPECT_THAT(text, HasSubstr("    key: CheckerOptions::keys[\"acme\"]\n"));
  // A tool names its own settings.
  SettingNames cli;
  cli.key = "--key={name}=KEY or DNSBL_KEY_{NAME}";
  EXPECT_THAT(FormatZonesText(catalog, cli),
              HasSubstr("    key: --key=acme=KEY or DNSBL_KEY_ACME\n"));
}

TEST(FormatHealthTextTest, OneLinePerZone) {
  v1::HealthReport report;
  v1::ZoneHealth* z = report.add_zones();
  z->set_zone("wild.example");
  z->set_state(v1::WILDCARD);
  z->set_detail("lists 127.0.0.1");
  z->set_latency_ms(3);
  report.set_resolver("127.0.0.1:53");
  EXPECT_EQ(FormatHealthText(report),
            "ZONE          STATE             PROBE  DETAIL\n"
            "wild.example  WILDCARD           3 ms  lists 127.0.0.1\n"
            "  via 127.0.0.1:53\n");
}

TEST(FormatTextTest, ShowsEvidenceAndEscapesTxt) {
  std::string text = FormatText(ListedReport());
  EXPECT_THAT(text, HasSubstr("checked 2026-"));
  EXPECT_THAT(text, HasSubstr("in 25 ms via 127.0.0.1:5353"));
  EXPECT_THAT(text, HasSubstr("open proxy: 127.0.0.9 (open HTTP proxy)"));
  EXPECT_THAT(text, HasSubstr("reason: \"listed, see "
                              "https://proxy.example/\\x1b[31mred\\x07\""));
  EXPECT_THAT(text, HasSubstr("lookup: https://proxy.example/?ip=192.0.2.7"));
  EXPECT_THAT(text, HasSubstr("ERROR       no answer (timed out after 2"));
  EXPECT_THAT(text, Not(HasSubstr("\x1b")));
  EXPECT_THAT(text, Not(HasSubstr("\x07")));
}

TEST(FormatTextTest, NamesTheNetworkAndWhoToNotify) {
  const std::string text = FormatText(ListedReport());
  EXPECT_THAT(text, HasSubstr("  network: AS64500/AS64501 (EXAMPLE-AS Example "
                              "\"Org\", ZZ \\x01), 192.0.2.0/24, ZZ, ripencc, "
                              "allocated 2004-01-01 [cymru]\n"));
  EXPECT_THAT(text, HasSubstr("  notify: abuse@example.net [abusix]\n"));
  EXPECT_THAT(text, HasSubstr("  unknown (a source gave no usable answer): "
                              "cymru: no answer (timed out after 2 tries)"));
  // Without contacts asked, no such lines.
  v1::Report plain = ListedReport();
  plain.clear_networks();
  plain.clear_contacts();
  plain.clear_contact_sources();
  EXPECT_THAT(FormatText(plain), Not(HasSubstr("notify:")));
}

}  // namespace
}  // namespace dnsbl

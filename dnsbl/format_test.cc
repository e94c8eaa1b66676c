#include "dnsbl/format.h"

#include <algorithm>
#include <string>
#include <vector>

#include "dnsbl/interpret.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

v1::Report ListedReport() {
  v1::Report report;
  report.set_address("192.0.2.7");
  report.set_resolver("127.0.0.1:5353");
  report.mutable_started()->set_seconds(1795000000);
  report.mutable_finished()->set_seconds(1795000000);
  report.mutable_finished()->set_nanos(25000000);
  v1::ZoneResult* a = report.add_results();
  a->set_zone("proxy.example");
  a->set_status(v1::LISTED);
  a->add_codes("127.0.0.9");
  a->add_meanings("open HTTP proxy");
  a->add_categories(v1::OPEN_PROXY);
  a->add_txt("listed, see https://proxy.example/\x1b[31mred\x07");
  a->set_lookup_url("https://proxy.example/?ip=192.0.2.7");
  v1::ZoneResult* b = report.add_results();
  b->set_zone("down.example");
  b->set_status(v1::ERROR);
  b->set_detail("no answer (timed out after 2 tries)");
  v1::ZoneResult* c = report.add_results();
  c->set_zone("clean.example");
  c->set_status(v1::NOT_LISTED);
  *report.mutable_summary() = Summarize(report.results());
  return report;
}

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

TEST(FormatJsonTest, IsOneLineAndParsesBack) {
  v1::Report report = ListedReport();
  std::string json = FormatJson(report);
  EXPECT_EQ(json.find('\n'), std::string::npos);
  EXPECT_THAT(json, HasSubstr("\"status\":\"LISTED\""));
  EXPECT_THAT(json, HasSubstr("\"open_proxy_by\":[\"proxy.example\"]"));
  EXPECT_THAT(json, HasSubstr("\"listed\":true"));
  v1::Report parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &parsed).ok());
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(parsed, report));
}

// The fast Report encoder must say what protobuf's JSON printer says.
TEST(FormatJsonTest, AgreesWithProtobufsPrinter) {
  std::vector<v1::Report> reports = {ListedReport(), v1::Report()};
  v1::Report tricky = ListedReport();
  tricky.set_hostname("h\"o\\s\t\x01\x7f<>&\u00e9\u2028");
  tricky.mutable_results(0)->set_latency_ms(0.1 + 0.2);
  tricky.mutable_results(1)->set_latency_ms(1e-7);
  tricky.mutable_results(1)->set_health(v1::WILDCARD);
  tricky.mutable_results(1)->set_error(v1::UNHEALTHY_ZONE);
  tricky.mutable_started()->set_nanos(5000000);
  tricky.mutable_finished()->set_nanos(123456789);
  reports.push_back(tricky);
  v1::Report micros = ListedReport();
  micros.mutable_started()->set_nanos(120000);
  reports.push_back(micros);
  for (const v1::Report& report : reports) {
    std::string ours = FormatJson(report);
    std::string theirs = FormatMessageJson(report);
    v1::Report from_ours;
    v1::Report from_theirs;
    ASSERT_TRUE(
        google::protobuf::util::JsonStringToMessage(ours, &from_ours).ok())
        << ours;
    ASSERT_TRUE(
        google::protobuf::util::JsonStringToMessage(theirs, &from_theirs).ok());
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(from_ours,
                                                                   from_theirs))
        << ours << "\n"
        << theirs;
    // Every field is printed, as protobuf prints them.
    EXPECT_EQ(std::count(ours.begin(), ours.end(), ':'),
              std::count(theirs.begin(), theirs.end(), ':'))
        << ours << "\n"
        << theirs;
    // Timestamps use protobuf's 3, 6 or 9 fractional digits.
    if (report.has_started()) {
      std::string started = theirs.substr(theirs.find("\"started\""), 45);
      started = started.substr(0, started.find('Z') + 1);
      EXPECT_THAT(ours, HasSubstr(started));
    }
  }
}

TEST(FormatJsonTest, StaysValidOnInvalidUtf8) {
  v1::Report report = ListedReport();
  report.mutable_results(0)->add_txt("\xff\xfe bad");
  v1::Report parsed;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(FormatJson(report), &parsed)
          .ok());
  EXPECT_EQ(parsed.results(0).txt(1), "\\xff\\xfe bad");
}

// 64 KB of hostile TXT: escaped for the terminal and CSV, valid JSON that
// keeps every character.
TEST(FormatTest, HugeHostileTxtStaysSafeEverywhere) {
  std::string hostile;
  while (hostile.size() < 64 * 1024) {
    hostile += "\x1b]0;owned\x07\x1b[2J\r\n\xff\xc0\x80 \"q\" \\ \xe2\x80\xae";
  }
  v1::Report report = ListedReport();
  DnsResponse txt;
  txt.outcome = DnsOutcome::kAnswer;
  txt.records = {hostile};
  *report.mutable_results(0) = AttachTxt(report.results(0), txt);
  for (const std::string& out : {FormatText(report), FormatCsv(report)}) {
    EXPECT_EQ(out.find('\x1b'), std::string::npos);
    EXPECT_EQ(out.find('\x07'), std::string::npos);
    EXPECT_EQ(out.find('\r'), std::string::npos);
    EXPECT_EQ(out.find('\xff'), std::string::npos);
  }
  v1::Report parsed;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(FormatJson(report), &parsed)
          .ok());
  // Faithful: everything but the invalid bytes (written as \xNN) kept.
  EXPECT_EQ(parsed.results(0).txt(1), report.results(0).txt(1));
  EXPECT_NE(parsed.results(0).txt(1).find("\x1b]0;owned\x07"),
            std::string::npos);
}

TEST(FormatTextprotoTest, ParsesBack) {
  v1::Report report = ListedReport();
  v1::Report parsed;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
      FormatTextproto(report), &parsed));
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(parsed, report));
}

TEST(FormatCsvTest, OneRowPerZoneQuotedAndEscaped) {
  std::string csv = FormatCsv(ListedReport());
  EXPECT_EQ(CsvHeader(), "address,zone,status,codes,categories,txt,detail\n");
  EXPECT_EQ(csv,
            "192.0.2.7,proxy.example,LISTED,127.0.0.9,OPEN_PROXY,\"listed, "
            "see https://proxy.example/\\x1b[31mred\\x07\",\n"
            "192.0.2.7,down.example,ERROR,,,,no answer (timed out after 2 "
            "tries)\n"
            "192.0.2.7,clean.example,NOT_LISTED,,,,\n");
}

}  // namespace
}  // namespace dnsbl

#include "dnsbl/output/encode.h"

#include <algorithm>
#include <string>
#include <vector>

#include "dnsbl/output/text.h"
#include "dnsbl/verdict/internal/interpret.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/sample_reports.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;
using testing::ListedReport;
using ::testing::Not;

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
    // The same fields are printed (those not at their defaults), as
    // protobuf prints them.
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

// A clean result says what was asked and that it was answered, and no
// field at its default: a sweep writes millions of them.
TEST(FormatJsonTest, LeavesOutDefaults) {
  v1::Report report;
  report.set_address("192.0.2.1");
  v1::ZoneResult* clean = report.add_results();
  clean->set_zone("zen.spamhaus.org");
  clean->set_status(v1::NOT_LISTED);
  clean->set_query("1.2.0.192.zen.spamhaus.org");
  clean->set_latency_ms(0.25);
  clean->set_attempts(1);
  clean->set_health(v1::HEALTHY);
  report.mutable_summary()->set_answered(1);
  report.mutable_summary()->set_asked(1);
  const std::string json = FormatJson(report);
  EXPECT_EQ(
      json,
      "{\"address\":\"192.0.2.1\",\"results\":[{\"zone\":\"zen.spamhaus."
      "org\",\"status\":\"NOT_LISTED\",\"query\":\"1.2.0.192.zen.spamhaus."
      "org\",\"latency_ms\":0.25,\"attempts\":1,\"health\":\"HEALTHY\"}],"
      "\"summary\":{\"answered\":1,\"asked\":1}}");
  EXPECT_THAT(json, Not(HasSubstr("UNSPECIFIED")));
  EXPECT_THAT(json, Not(HasSubstr("\"\"")));
  EXPECT_THAT(json, Not(HasSubstr("[]")));
  EXPECT_THAT(json, Not(HasSubstr("false")));
  // An empty report is its address alone; an empty summary is still there.
  v1::Report bare;
  bare.set_address("192.0.2.2");
  bare.mutable_summary();
  EXPECT_EQ(FormatJson(bare), "{\"address\":\"192.0.2.2\",\"summary\":{}}");
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
  v1::Report report = ListedReport();
  report.set_resolution(v1::DIRECT);
  report.mutable_results(0)->set_server_name("ns1.proxy.example");
  report.mutable_results(0)->set_server_address("192.0.2.53");
  std::string csv = FormatCsv(report);
  EXPECT_EQ(CsvHeader(),
            "address,zone,status,codes,categories,txt,detail,network,notify,"
            "resolution,server\n");
  // Who to notify is repeated on each row, so every row stands alone.
  const std::string contacts =
      "\"AS64500/AS64501 (EXAMPLE-AS Example \"\"Org\"\", ZZ \\x01), "
      "192.0.2.0/24, ZZ, ripencc, allocated 2004-01-01 [cymru]\","
      "abuse@example.net [abusix]; unknown: cymru: no answer (timed out "
      "after 2 tries),DIRECT,";
  EXPECT_EQ(csv,
            "192.0.2.7,proxy.example,LISTED,127.0.0.9,OPEN_PROXY,\"listed, "
            "see https://proxy.example/\\x1b[31mred\\x07\",," +
                contacts + "ns1.proxy.example (192.0.2.53)\n" +
                "192.0.2.7,down.example,ERROR,,,,no answer (timed out after 2 "
                "tries)," +
                contacts + "\n192.0.2.7,clean.example,NOT_LISTED,,,,," +
                contacts + "\n");
}

TEST(OutputFormatTest, NamesParseBackAndRecordsEndWhole) {
  for (OutputFormat f :
       {OutputFormat::kText, OutputFormat::kJson, OutputFormat::kTextproto,
        OutputFormat::kCsv, OutputFormat::kBinary}) {
    EXPECT_EQ(*ParseOutputFormat(OutputFormatName(f)), f);
    std::string error;
    OutputFormat flag = OutputFormat::kText;
    EXPECT_TRUE(AbslParseFlag(AbslUnparseFlag(f), &flag, &error));
    EXPECT_EQ(flag, f);
  }
  std::string error;
  OutputFormat flag;
  EXPECT_FALSE(AbslParseFlag("xml", &flag, &error));
  EXPECT_THAT(error, HasSubstr("unknown format 'xml'"));
  const v1::Report report = ListedReport();
  EXPECT_EQ(EncodeReport(report, OutputFormat::kJson),
            absl::StrCat(FormatJson(report), "\n"));
  EXPECT_EQ(EncodeReport(report, OutputFormat::kText),
            absl::StrCat(FormatText(report), "\n"));
  EXPECT_EQ(OutputPreamble(OutputFormat::kCsv), CsvHeader());
  EXPECT_EQ(OutputPreamble(OutputFormat::kJson), "");
}

}  // namespace
}  // namespace dnsbl

#include "dnsbl/output/internal/report_io.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;

v1::Report MakeReport(const std::string& address, bool listed) {
  v1::Report report;
  report.set_address(address);
  v1::ZoneResult* r = report.add_results();
  r->set_zone("bl.test");
  r->set_status(listed ? v1::LISTED : v1::NOT_LISTED);
  if (listed) r->add_codes("127.0.0.2");
  v1::ZoneResult* s = report.add_results();
  s->set_zone("other.test");
  s->set_status(v1::NOT_LISTED);
  report.mutable_summary()->set_listed(listed);
  return report;
}

std::string TempPath(const std::string& name) {
  return std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class ReportIoTest : public ::testing::TestWithParam<OutputFormat> {};

TEST_P(ReportIoTest, WritesScansAndResumesAfterATornRecord) {
  const OutputFormat format = GetParam();
  const std::string path = TempPath("out");
  {
    auto writer = ReportWriter::Open(path, format, false, 0);
    ASSERT_TRUE(writer.ok()) << writer.status();
    ASSERT_TRUE((*writer)->Write(MakeReport("192.0.2.1", true)).ok());
    ASSERT_TRUE((*writer)->Write(MakeReport("192.0.2.2", false)).ok());
    ASSERT_TRUE((*writer)->Write(MakeReport("2001:db8::1", true)).ok());
  }
  const std::string whole = Slurp(path);
  const std::vector<v1::Report> reports = {MakeReport("192.0.2.1", true),
                                           MakeReport("192.0.2.2", false),
                                           MakeReport("2001:db8::1", true)};
  // Every possible tear of the last record, as a kill mid-write leaves it.
  const std::string last = EncodeReport(reports.back(), format);
  const size_t before_last = whole.size() - last.size();
  for (size_t cut = before_last; cut <= whole.size(); ++cut) {
    SCOPED_TRACE(absl::StrCat("cut at ", cut));
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        << whole.substr(0, cut);
    absl::StatusOr<ResumeState> state = ScanOutput(path, format);
    ASSERT_TRUE(state.ok()) << state.status();
    EXPECT_EQ(state->valid_bytes + state->torn_bytes,
              static_cast<int64_t>(cut));
    // The addresses done are a prefix of those written, and every one of
    // them has its complete record.
    int64_t done = 0;
    while (done < 3 &&
           state->done.Contains(*IpAddress::Parse(reports[done].address()))) {
      ++done;
    }
    EXPECT_EQ(state->records, done);
    for (int64_t i = done; i < 3; ++i) {
      EXPECT_FALSE(
          state->done.Contains(*IpAddress::Parse(reports[i].address())));
    }
    if (format != OutputFormat::kCsv) {
      // JSON and binary records are self-delimiting: only a torn last
      // record is lost.
      EXPECT_EQ(done, cut == whole.size() ? 3 : 2);
    } else {
      // CSV rows carry no count, so the last address is always checked
      // again.
      EXPECT_GE(done, 1);
    }
    // Resuming cuts the torn bytes and appends the missing records whole.
    {
      auto writer = ReportWriter::Open(path, format, true, state->valid_bytes);
      ASSERT_TRUE(writer.ok());
      for (int64_t i = done; i < 3; ++i) {
        ASSERT_TRUE((*writer)->Write(reports[i]).ok());
      }
    }
    EXPECT_EQ(Slurp(path), whole);
  }
}

// A CSV file from before direct resolution (no resolution and server
// columns) is resumed in its own columns, so every row matches its header.
TEST(ReportIoCsvTest, ResumesAnOlderFileInItsOwnColumns) {
  const std::string path = TempPath("older.csv");
  v1::Report first = MakeReport("192.0.2.1", true);
  v1::Report second = MakeReport("192.0.2.2", false);
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      << CsvHeader(CsvLayout::kWithoutServer)
      << FormatCsv(first, CsvLayout::kWithoutServer)
      << FormatCsv(second, CsvLayout::kWithoutServer);
  absl::StatusOr<ResumeState> state = ScanOutput(path, OutputFormat::kCsv);
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->csv_layout, CsvLayout::kWithoutServer);
  EXPECT_EQ(state->records, 1);  // The last address is checked again.
  {
    auto writer = ReportWriter::Open(path, OutputFormat::kCsv, true,
                                     state->valid_bytes, state->csv_layout);
    ASSERT_TRUE(writer.ok()) << writer.status();
    ASSERT_TRUE((*writer)->Write(second).ok());
  }
  EXPECT_EQ(Slurp(path), CsvHeader(CsvLayout::kWithoutServer) +
                             FormatCsv(first, CsvLayout::kWithoutServer) +
                             FormatCsv(second, CsvLayout::kWithoutServer));
  // A new file gets the current columns, the server among them.
  second.set_resolution(v1::DIRECT);
  second.mutable_results(0)->set_server_name("ns1.bl.test");
  second.mutable_results(0)->set_server_address("192.0.2.53");
  EXPECT_THAT(FormatCsv(second),
              HasSubstr(",DIRECT,ns1.bl.test (192.0.2.53)\n"));
  EXPECT_THAT(CsvHeader(), HasSubstr(",notify,resolution,server\n"));
}

// dnsbl 0.1 printed every JSON field, defaults too; a run resumed into such
// a file reads those lines as it reads the lean ones it appends.
TEST(ReportIoJsonTest, ResumesAFileWithEveryFieldPrinted) {
  const std::string path = TempPath("older.json");
  google::protobuf::util::JsonPrintOptions every_field;
  every_field.preserve_proto_field_names = true;
  every_field.always_print_primitive_fields = true;
  std::string first;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(
                  MakeReport("192.0.2.1", true), &first, every_field)
                  .ok());
  std::string second;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(
                  MakeReport("192.0.2.2", false), &second, every_field)
                  .ok());
  ASSERT_THAT(second, HasSubstr("\"listed\":false"));
  const std::string lean = FormatJson(MakeReport("192.0.2.3", false));
  EXPECT_THAT(lean, testing::Not(HasSubstr("false")));
  std::ofstream(path, std::ios::binary | std::ios::trunc) << first << "\n"
                                                          << second << "\n"
                                                          << lean << "\n";
  absl::StatusOr<ResumeState> state = ScanOutput(path, OutputFormat::kJson);
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->records, 3);
  for (const char* address : {"192.0.2.1", "192.0.2.2", "192.0.2.3"}) {
    EXPECT_TRUE(state->done.Contains(*IpAddress::Parse(address))) << address;
  }
  EXPECT_EQ(
      state->valid_bytes,
      static_cast<int64_t>(first.size() + second.size() + lean.size() + 3));
  EXPECT_EQ(state->torn_bytes, 0);
}

TEST_P(ReportIoTest, ReadsBackWhatItWrote) {
  const OutputFormat format = GetParam();
  if (format == OutputFormat::kCsv) GTEST_SKIP() << "CSV is not read back";
  const std::string path = TempPath("readback");
  {
    auto writer = ReportWriter::Open(path, format, false, 0);
    ASSERT_TRUE((*writer)->Write(MakeReport("192.0.2.1", true)).ok());
  }
  absl::StatusOr<std::vector<v1::Report>> reports = ReadReports(path, format);
  ASSERT_TRUE(reports.ok()) << reports.status();
  ASSERT_EQ(reports->size(), 1u);
  EXPECT_EQ((*reports)[0].DebugString(),
            MakeReport("192.0.2.1", true).DebugString());
}

// The scan reads the file in 1 MiB chunks, so records cross chunk
// boundaries at every offset mod the record size: an output of several
// chunks must scan to exactly the records written, its torn tail cut.
TEST_P(ReportIoTest, ScansOutputLargerThanItsReadChunks) {
  const OutputFormat format = GetParam();
  const std::string path = TempPath("large");
  constexpr int kRecords = 40000;  // About 4 MiB in every format.
  int64_t whole_bytes = 0;
  {
    auto writer = ReportWriter::Open(path, format, false, 0);
    ASSERT_TRUE(writer.ok()) << writer.status();
    for (int i = 0; i < kRecords; ++i) {
      v1::Report report = MakeReport(
          absl::StrCat("10.", i / 65536, ".", (i / 256) % 256, ".", i % 256),
          i % 3 == 0);
      report.mutable_results(0)->add_txt(std::string(i % 97, 'x'));
      ASSERT_TRUE((*writer)->Write(report).ok());
    }
  }
  whole_bytes = static_cast<int64_t>(Slurp(path).size());
  ASSERT_GT(whole_bytes, 3 << 20);
  std::ofstream(path, std::ios::binary | std::ios::app) << "{\"addr";
  absl::StatusOr<ResumeState> state = ScanOutput(path, format);
  ASSERT_TRUE(state.ok()) << state.status();
  // CSV drops its last address, which may be incomplete.
  const int64_t expected =
      format == OutputFormat::kCsv ? kRecords - 1 : kRecords;
  EXPECT_EQ(state->records, expected);
  EXPECT_EQ(state->valid_bytes + state->torn_bytes, whole_bytes + 6);
  if (format != OutputFormat::kCsv) {
    EXPECT_EQ(state->valid_bytes, whole_bytes);
  }
  EXPECT_TRUE(state->done.Contains(*IpAddress::Parse("10.0.0.0")));
  EXPECT_TRUE(state->done.Contains(*IpAddress::Parse("10.0.155.62")));
}

INSTANTIATE_TEST_SUITE_P(Formats, ReportIoTest,
                         ::testing::Values(OutputFormat::kJson,
                                           OutputFormat::kBinary,
                                           OutputFormat::kCsv));

TEST(ScanOutputTest, MissingFileIsEmpty) {
  absl::StatusOr<ResumeState> state =
      ScanOutput(TempPath("missing"), OutputFormat::kJson);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->records, 0);
}

TEST(ScanOutputTest, RefusesForeignFiles) {
  const std::string path = TempPath("foreign");
  std::ofstream(path) << "hello\nworld\n";
  EXPECT_THAT(ScanOutput(path, OutputFormat::kJson).status().message(),
              HasSubstr("not dnsbl JSON output"));
  EXPECT_THAT(ScanOutput(path, OutputFormat::kCsv).status().message(),
              HasSubstr("header differs"));
}

// A record damaged in the middle of a binary output is not a torn tail:
// resuming from it would cut every record after it.
TEST(ScanOutputTest, DamageBeforeTheEndIsAnErrorNotATear) {
  const std::string path = TempPath("damaged");
  std::string bytes;
  for (int i = 0; i < 3; ++i) {
    bytes += EncodeReport(MakeReport(absl::StrCat("192.0.2.", i), true),
                          OutputFormat::kBinary);
  }
  const size_t first =
      EncodeReport(MakeReport("192.0.2.0", true), OutputFormat::kBinary).size();
  bytes[first + 1] = '\xff';  // The second record's first field tag.
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  absl::StatusOr<ResumeState> state = ScanOutput(path, OutputFormat::kBinary);
  EXPECT_EQ(state.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(
      state.status().message(),
      HasSubstr(absl::StrCat("the record at byte ", first, " does not parse")));
}

TEST(ReportWriterTest, WritesRecordFormatsOnly) {
  EXPECT_TRUE(CheckRecordFormat(OutputFormat::kJson).ok());
  EXPECT_TRUE(CheckRecordFormat(OutputFormat::kBinary).ok());
  EXPECT_TRUE(CheckRecordFormat(OutputFormat::kCsv).ok());
  EXPECT_THAT(
      ReportWriter::Open(TempPath("text"), OutputFormat::kText, false, 0)
          .status()
          .message(),
      HasSubstr("format text cannot be written record by record"));
}

}  // namespace
}  // namespace dnsbl

namespace dnsbl {
namespace {

// The records an encoder makes on another thread are the ones the writer
// writes itself.
TEST(RecordEncoderTest, EncodesAsTheWriterWrites) {
  for (OutputFormat format :
       {OutputFormat::kJson, OutputFormat::kCsv, OutputFormat::kBinary}) {
    RecordEncoder encoder(format, CsvLayout::kWithoutServer);
    const v1::Report report = MakeReport("192.0.2.9", true);
    const std::string expected =
        format == OutputFormat::kCsv
            ? FormatCsv(report, CsvLayout::kWithoutServer)
            : EncodeReport(report, format);
    EXPECT_EQ(encoder.Encode(report), expected) << OutputFormatName(format);
    EXPECT_EQ(encoder.Encode(report), expected) << "again";
  }
}

}  // namespace
}  // namespace dnsbl

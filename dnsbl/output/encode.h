// dnsbl/output/encode.h
//
// Reports for programs: the protobuf JSON mapping (one report a line), the
// protobuf text format, CSV rows, and length-delimited binary, all under
// one OutputFormat that also names the human text of dnsbl/output/text.h. The
// JSON encoder is hand-written for speed (bulk runs write millions of
// reports) and held to protobuf's own parser and printer by a test.
//
// Example:
//
//   absl::StatusOr<dnsbl::OutputFormat> format =
//       dnsbl::ParseOutputFormat("json");
//   std::cout << dnsbl::OutputPreamble(*format)
//             << dnsbl::EncodeReport(report, *format);

#ifndef DNSBL_DNSBL_OUTPUT_ENCODE_H_
#define DNSBL_DNSBL_OUTPUT_ENCODE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "proto/dnsbl.pb.h"

namespace dnsbl {

// How reports are written.
enum class OutputFormat {
  kText,       // For a person: FormatText() (dnsbl/output/text.h).
  kJson,       // One report a line, protobuf JSON mapping.
  kTextproto,  // Protobuf text format, a blank line between reports.
  kCsv,        // A header, then one row per zone result.
  kBinary,     // Length-delimited protobuf: a varint, then the message.
};

// Parses "text", "json", "textproto", "csv" or "binary"; InvalidArgument
// naming the value otherwise.
absl::StatusOr<OutputFormat> ParseOutputFormat(absl::string_view name);

// Returns the name ParseOutputFormat() takes for `format`.
absl::string_view OutputFormatName(OutputFormat format);

// For Abseil flags of type OutputFormat (and std::optional<OutputFormat>).
bool AbslParseFlag(absl::string_view text, OutputFormat* format,
                   std::string* error);
std::string AbslUnparseFlag(OutputFormat format);

// Returns what goes before the first report of `format`: the CSV header,
// else nothing.
std::string OutputPreamble(OutputFormat format);

// Returns `report` as one whole record of `format`, ready to write: a JSON
// line with its newline, text or textproto followed by a blank line, CSV
// rows, or a binary frame.
std::string EncodeReport(const v1::Report& report, OutputFormat format);

// Returns `message` (a HealthReport, a Catalog) as one whole record of
// `format`: JSON on one line with its newline, protobuf text, or a binary
// frame. REQUIRES: `format` is kJson, kTextproto or kBinary; text tables
// of these messages are in dnsbl/output/text.h.
std::string EncodeMessage(const google::protobuf::Message& message,
                          OutputFormat format);

// Returns `report` in the protobuf JSON mapping on one line: field names as
// in proto/dnsbl.proto, enums by name, and, as protobuf's own printer does,
// no field at its default value (no empty string or list, no zero, no
// false, no *_UNSPECIFIED): a reader takes an absent field as its default.
// Lines written by dnsbl 0.1, which printed every field, read the same.
std::string FormatJson(const v1::Report& report);

class ReportJson;

// Encodes reports as FormatJson() does, one line each, reusing one buffer:
// for writers of millions of records, where a fresh allocation of several
// KiB per record shows. Thread-compatible.
class JsonLineEncoder {
 public:
  JsonLineEncoder();
  ~JsonLineEncoder();
  JsonLineEncoder(const JsonLineEncoder&) = delete;
  JsonLineEncoder& operator=(const JsonLineEncoder&) = delete;

  // Returns `report` as JSON followed by a newline. The view points into
  // this encoder and is valid until the next call or its destruction.
  absl::string_view EncodeLine(const v1::Report& report);

 private:
  std::unique_ptr<ReportJson> json_;
};

// Returns `report` in protobuf text format.
std::string FormatTextproto(const v1::Report& report);

// The CSV columns dnsbl writes, and the ones it wrote before: a run
// resumed into an older file goes on in that file's columns.
enum class CsvLayout {
  // address,zone,status,codes,categories,txt,detail,network,notify,
  // resolution,server
  kCurrent,
  // Before direct resolution: without resolution and server.
  kWithoutServer,
};

// Returns the CSV header line of `layout` with a newline.
std::string CsvHeader(CsvLayout layout = CsvLayout::kCurrent);

// Returns one CSV line per zone result of `report` in `layout` (RFC 4180
// quoting; several codes, categories or TXT records joined by ';'). The
// server is "NAME (ADDRESS)" when the blocklist's own server answered.
std::string FormatCsv(const v1::Report& report,
                      CsvLayout layout = CsvLayout::kCurrent);

// Returns any message in the protobuf JSON mapping on one line, as
// FormatJson() does for reports (fields at their defaults left out).
std::string FormatMessageJson(const google::protobuf::Message& message);

// Returns any message in protobuf text format.
std::string FormatMessageTextproto(const google::protobuf::Message& message);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_OUTPUT_ENCODE_H_

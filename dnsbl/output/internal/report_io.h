// dnsbl/output/internal/report_io.h
//
// Bulk output that survives being killed: each report is written whole,
// with one write(2), the moment it is complete; and on resume the existing
// output is scanned for the addresses already reported, and a torn last
// record (from a kill mid-write) is cut off before appending.
//
// Record formats (dnsbl/output/encode.h):
//   json    one dnsbl.v1.Report per line, exactly as `dnsbl check` prints
//   binary  length-delimited Reports (varint length, then the message)
//   csv     a header, then address,zone,status,codes,categories,txt,detail
//           rows, one per zone (see FormatCsv)
//
// Example:
//
//   absl::StatusOr<dnsbl::ResumeState> done =
//       dnsbl::ScanOutput("out.json", dnsbl::OutputFormat::kJson);
//   auto writer = dnsbl::ReportWriter::Open(
//       "out.json", format, /*append=*/true, done->valid_bytes);
//   writer->Write(report);

#ifndef DNSBL_DNSBL_OUTPUT_INTERNAL_REPORT_IO_H_
#define DNSBL_DNSBL_OUTPUT_INTERNAL_REPORT_IO_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "dnsbl/input/internal/address_set.h"
#include "dnsbl/output/encode.h"
#include "dnsbl/output/report_files.h"
#include "proto/dnsbl.pb.h"

namespace dnsbl {

// Returns OK when `format` can be written and resumed record by record:
// json, binary or csv. Otherwise InvalidArgument naming it.
absl::Status CheckRecordFormat(OutputFormat format);

// What an existing output file holds.
struct ResumeState {
  AddressSet done;          // Addresses with a complete record.
  int64_t records = 0;      // Complete records.
  int64_t valid_bytes = 0;  // Length of the file up to its last good record.
  int64_t torn_bytes = 0;   // Bytes after that, dropped on resume.
  // CSV: the columns of the file's header, which a resumed run keeps.
  CsvLayout csv_layout = CsvLayout::kCurrent;
};

// Scans the output file at `path`. A missing or empty file is an empty
// state. Returns DataLoss naming the byte offset when the file is not
// output of `format` at all (as opposed to merely torn at the end).
absl::StatusOr<ResumeState> ScanOutput(const std::string& path,
                                       OutputFormat format);

// Encodes reports as the whole records ReportWriter writes (a JSON line,
// CSV rows in `csv_layout`, a binary frame), reusing its buffers: one per
// thread that encodes. Thread-compatible.
class RecordEncoder {
 public:
  // REQUIRES: `format` passes CheckRecordFormat().
  explicit RecordEncoder(OutputFormat format,
                         CsvLayout csv_layout = CsvLayout::kCurrent)
      : format_(format), csv_layout_(csv_layout) {}

  // Returns `report` as one record; the view points into this encoder and
  // is valid until the next call.
  absl::string_view Encode(const v1::Report& report);

 private:
  const OutputFormat format_;
  const CsvLayout csv_layout_;
  JsonLineEncoder json_;
  std::string record_;
};

// Writes records to a file or stdout. Not thread-safe.
class ReportWriter {
 public:
  // Opens `path` ("-" or "" for stdout) for `format`, which must pass
  // CheckRecordFormat() (else InvalidArgument). With `append`, the
  // file is first cut to `valid_bytes` (from ScanOutput) and records go at
  // its end; otherwise it is truncated. Writes the CSV header when the
  // output starts empty; CSV rows are in `csv_layout` (from ScanOutput
  // when appending).
  static absl::StatusOr<std::unique_ptr<ReportWriter>> Open(
      const std::string& path, OutputFormat format, bool append,
      int64_t valid_bytes, CsvLayout csv_layout = CsvLayout::kCurrent);

  ~ReportWriter();

  // Writes one whole record. Returns the error of a failed write (e.g. a
  // full disk), naming the output.
  absl::Status Write(const v1::Report& report);

  // Writes `records`, whole records of this writer's format (and CSV
  // layout) encoded elsewhere by a RecordEncoder, e.g. on worker threads.
  // Returns as Write().
  absl::Status WriteEncoded(absl::string_view records) {
    return WriteAll(records);
  }

 private:
  ReportWriter(int fd, bool owned, std::string name, OutputFormat format,
               CsvLayout csv_layout)
      : encoder_(format, csv_layout),
        fd_(fd),
        owned_(owned),
        name_(std::move(name)) {}

  absl::Status WriteAll(absl::string_view data);

  RecordEncoder encoder_;
  int fd_;
  bool owned_;
  std::string name_;
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_OUTPUT_INTERNAL_REPORT_IO_H_

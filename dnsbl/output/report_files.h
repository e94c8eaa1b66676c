// dnsbl/output/report_files.h
//
// Bulk output read back: the reports a `dnsbl bulk` run (or BulkRunner)
// wrote, as JSON lines or binary records. Writing them, and resuming a
// run, is inside the library (report_io.h).
//
// Example:
//
//   absl::StatusOr<std::vector<dnsbl::v1::Report>> reports =
//       dnsbl::ReadReports("reports.json", dnsbl::OutputFormat::kJson);

#ifndef DNSBL_DNSBL_OUTPUT_REPORT_FILES_H_
#define DNSBL_DNSBL_OUTPUT_REPORT_FILES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "dnsbl/output/encode.h"
#include "proto/dnsbl.pb.h"

namespace dnsbl {

// Parses the whole output file at `path`, written in `format`, back into
// reports. Returns the error of reading the file, DataLoss for a record
// that is not `format` or is torn, and InvalidArgument for CSV, which
// cannot be parsed back into reports.
absl::StatusOr<std::vector<v1::Report>> ReadReports(const std::string& path,
                                                    OutputFormat format);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_OUTPUT_REPORT_FILES_H_

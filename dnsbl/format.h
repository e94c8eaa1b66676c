// dnsbl/format.h
//
// Rendering reports for people and programs: a verdict with its evidence
// for a person about to send a notice, protobuf JSON and text format for
// tools, and CSV rows for spreadsheets. Every byte that came from a
// blocklist is escaped for the medium before it is written.
//
// Example:
//
//   std::cout << dnsbl::FormatText(report);
//   std::cout << dnsbl::FormatJson(report) << "\n";  // one line

#ifndef DNSBL_DNSBL_FORMAT_H_
#define DNSBL_DNSBL_FORMAT_H_

#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "dnsbl/setting_names.h"
#include "google/protobuf/message.h"
#include "proto/dnsbl.pb.h"

namespace dnsbl {

// Returns a person-readable name of `category`, e.g. "open proxy".
absl::string_view CategoryLabel(v1::Category category);

// Returns the one-sentence verdict of `report`, e.g. "192.0.2.7 is listed
// by 2 of 9 blocklists: as an open proxy by dnsbl.dronebl.org; ...".
std::string VerdictLine(const v1::Report& report);

// Returns the verdict line, when and how the check ran, and a table of
// every zone's result with codes, meanings, TXT reasons and lookup links.
// Ends with a newline.
std::string FormatText(const v1::Report& report);

// Returns `report` in the protobuf JSON mapping on one line: field names as
// in proto/dnsbl.proto, enums by name, every field present.
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

// Returns the CSV header line "address,zone,status,codes,categories,txt,
// detail" with a newline.
std::string CsvHeader();

// Returns one CSV line per zone result of `report` (RFC 4180 quoting;
// several codes, categories or TXT records joined by ';').
std::string FormatCsv(const v1::Report& report);

// Returns a table of the zones of `catalog`: name, status (live, disabled,
// retired, needs key), IPv6 support and categories, each followed by its
// description (and, for retired zones, what happened).
// `settings` says where a zone's key goes.
std::string FormatZonesText(const v1::Catalog& catalog,
                            const SettingNames& settings = SettingNames());

// Returns a table of `report`'s zones: state, slowest probe time and why,
// then its warnings.
std::string FormatHealthText(const v1::HealthReport& report);

// Returns any message in the protobuf JSON mapping on one line, as
// FormatJson() does for reports.
std::string FormatMessageJson(const google::protobuf::Message& message);

// Returns any message in protobuf text format.
std::string FormatMessageTextproto(const google::protobuf::Message& message);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_FORMAT_H_

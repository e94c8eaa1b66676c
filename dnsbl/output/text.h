// dnsbl/output/text.h
//
// Reports for a person: the verdict with its evidence, for someone about to
// send a notice, and the tables of `dnsbl zones` and `dnsbl health`. Every
// byte that came from a blocklist is escaped for a terminal. Machine
// encodings (JSON, CSV, protobuf text and binary) are in dnsbl/output/encode.h.
//
// Example:
//
//   std::cout << dnsbl::FormatText(report);
//   std::cout << dnsbl::VerdictLine(report) << "\n";

#ifndef DNSBL_DNSBL_OUTPUT_TEXT_H_
#define DNSBL_DNSBL_OUTPUT_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "dnsbl/base/setting_names.h"
#include "proto/dnsbl.pb.h"

namespace dnsbl {

// Returns a person-readable name of `category`, e.g. "open proxy".
absl::string_view CategoryLabel(v1::Category category);

// Returns the one-sentence verdict of `report`, e.g. "192.0.2.7 is listed
// by 2 of 9 blocklists: as an open proxy by dnsbl.dronebl.org; ...".
std::string VerdictLine(const v1::Report& report);

// Returns one network in a line: who holds it (origin AS with its name,
// the registry's network object), prefix, country, registry, allocation
// date, and the source in brackets, e.g. "AS64500 (EXAMPLE-AS), 192.0.2.0/24,
// ZZ, ripencc, allocated 2004-01-01 [cymru]". Not escaped: callers escape
// for where it goes.
std::string NetworkLine(const v1::Network& network);

// Returns the verdict line, when and how the check ran, and a table of
// every zone's result with codes, meanings, TXT reasons and lookup links.
// Ends with a newline.
std::string FormatText(const v1::Report& report);

// Returns a table of the zones of `catalog`: name, status (live, disabled,
// retired, needs key), IPv6 support and categories, each followed by its
// description, its answer rules and, for retired zones, what happened.
// `settings` says where a zone's key goes.
std::string FormatZonesText(const v1::Catalog& catalog,
                            const SettingNames& settings = SettingNames());

// Returns a table of `report`'s zones: state, slowest probe time and why.
std::string FormatHealthText(const v1::HealthReport& report);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_OUTPUT_TEXT_H_

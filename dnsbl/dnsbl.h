// dnsbl/dnsbl.h
//
// The one header to include to use dnsbl from another program: checking
// addresses against DNS blocklists (Checker), bulk runs over millions of
// addresses (BulkRunner), zone health, catalogs of blocklists, verdicts,
// rendering reports, notices, and the tools' options. The report and
// catalog messages are in proto/dnsbl.proto (package dnsbl.v1). It
// includes the public headers only; every other header of the library is
// in an internal/ folder and is neither installed nor stable.
//
// Example:
//
//   #include "dnsbl/dnsbl.h"
//
//   absl::StatusOr<std::unique_ptr<dnsbl::Checker>> checker =
//       dnsbl::Checker::Create(dnsbl::CheckerOptions());
//   if (!checker.ok()) return checker.status();
//   absl::StatusOr<dnsbl::v1::Report> report = (*checker)->Check("192.0.2.7");
//   if (!report.ok()) return report.status();
//   std::cout << dnsbl::FormatText(*report);
//
// Link with the Bazel target //dnsbl.

#ifndef DNSBL_DNSBL_DNSBL_H_
#define DNSBL_DNSBL_DNSBL_H_

#include "dnsbl/base/address.h"           // IWYU pragma: export
#include "dnsbl/base/clock.h"             // IWYU pragma: export
#include "dnsbl/base/escape.h"            // IWYU pragma: export
#include "dnsbl/base/fd_events.h"         // IWYU pragma: export
#include "dnsbl/base/setting_names.h"     // IWYU pragma: export
#include "dnsbl/bulk.h"                   // IWYU pragma: export
#include "dnsbl/catalog/catalog.h"        // IWYU pragma: export
#include "dnsbl/checker.h"                // IWYU pragma: export
#include "dnsbl/dns/question_stats.h"     // IWYU pragma: export
#include "dnsbl/dns/resolution.h"         // IWYU pragma: export
#include "dnsbl/dns/resolver_policy.h"    // IWYU pragma: export
#include "dnsbl/input/bulk_input.h"       // IWYU pragma: export
#include "dnsbl/input/shard.h"            // IWYU pragma: export
#include "dnsbl/notice/batch.h"           // IWYU pragma: export
#include "dnsbl/notice/claim.h"           // IWYU pragma: export
#include "dnsbl/notice/delivery.h"        // IWYU pragma: export
#include "dnsbl/notice/freshness.h"       // IWYU pragma: export
#include "dnsbl/notice/language.h"        // IWYU pragma: export
#include "dnsbl/notice/letter.h"          // IWYU pragma: export
#include "dnsbl/notice/smtp_options.h"    // IWYU pragma: export
#include "dnsbl/notice/template.h"        // IWYU pragma: export
#include "dnsbl/output/encode.h"          // IWYU pragma: export
#include "dnsbl/output/report_files.h"    // IWYU pragma: export
#include "dnsbl/output/text.h"            // IWYU pragma: export
#include "dnsbl/tool_options.h"           // IWYU pragma: export
#include "dnsbl/verdict/verdict.h"        // IWYU pragma: export
#include "dnsbl/version.h"                // IWYU pragma: export
#include "proto/dnsbl.pb.h"               // IWYU pragma: export

#endif  // DNSBL_DNSBL_DNSBL_H_

// tests/sample_reports.h
//
// A report with every kind of field filled, for the tests of the text and
// machine encodings of reports.
//
// Example:
//
//   EXPECT_THAT(dnsbl::VerdictLine(dnsbl::testing::ListedReport()), ...);

#ifndef DNSBL_TESTS_SAMPLE_REPORTS_H_
#define DNSBL_TESTS_SAMPLE_REPORTS_H_

#include "proto/dnsbl.pb.h"

namespace dnsbl::testing {

// Returns a summarized report of 192.0.2.7, listed by some zones (open
// proxy, spam source), with TXT reasons, lookup links and timestamps, a
// network, a contact, and one answered and one failed contact source.
v1::Report ListedReport();

}  // namespace dnsbl::testing

#endif  // DNSBL_TESTS_SAMPLE_REPORTS_H_

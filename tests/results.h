// tests/results.h
//
// Looking up one zone's result in a report, for tests.
//
// Example:
//
//   EXPECT_EQ(dnsbl::testing::ResultFor(report, "bl.test").status(),
//             dnsbl::v1::LISTED);

#ifndef DNSBL_TESTS_RESULTS_H_
#define DNSBL_TESTS_RESULTS_H_

#include "absl/strings/string_view.h"
#include "proto/dnsbl.pb.h"

namespace dnsbl::testing {

// Returns the result for `zone` in `report`; records a test failure and
// returns an empty result when there is none.
const v1::ZoneResult& ResultFor(const v1::Report& report,
                                absl::string_view zone);

}  // namespace dnsbl::testing

#endif  // DNSBL_TESTS_RESULTS_H_

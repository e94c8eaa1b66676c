// tests/differential.h
//
// Comparing two ways of answering the same addresses: `dnsbl bulk` run
// once against rbldnsd over DNS and once reading the same data files
// (--zone_data), the reports compared field by field.
//
// Example:
//
//   std::map<std::string, v1::Report> dns = testing::ComparableBulkReports(
//       {"--catalog=" + catalog, "--nameserver=" + server->endpoint()},
//       input);
//   std::map<std::string, v1::Report> local = testing::ComparableBulkReports(
//       testing::LocalOnly(zone_data_flags), input);
//   EXPECT_EQ(testing::CountDifferences(dns, local), 0);

#ifndef DNSBL_TESTS_DIFFERENTIAL_H_
#define DNSBL_TESTS_DIFFERENTIAL_H_

#include <map>
#include <string>
#include <vector>

#include "proto/dnsbl.pb.h"

namespace dnsbl::testing {

// Runs `dnsbl bulk --progress=never ARGS... INPUT`, expects exit status 1
// (something listed), and returns its reports by address with what may
// differ between two paths cleared: timings, the resolver, the data file
// and its time, the attempts.
std::map<std::string, v1::Report> ComparableBulkReports(
    const std::vector<std::string>& args, const std::string& input);

// Returns `args` plus flags under which no nameserver answers, so every
// answer must come from --zone_data files.
std::vector<std::string> LocalOnly(std::vector<std::string> args);

// Returns how many addresses of `want` have a different (or no) report in
// `got`, recording a test failure with the difference for the first ten.
int CountDifferences(const std::map<std::string, v1::Report>& want,
                     const std::map<std::string, v1::Report>& got);

}  // namespace dnsbl::testing

#endif  // DNSBL_TESTS_DIFFERENTIAL_H_

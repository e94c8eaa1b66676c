// dnsbl/serve/internal/prometheus_text.h
//
// Prometheus's text exposition format (version 0.0.4): metric families with
// HELP and TYPE lines and samples whose label values are escaped, so a
// zone or category name can never break a line. Values come from dnsbl
// itself; text from the network (TXT reasons) is never put in a label.
//
// Example:
//
//   dnsbl::MetricFamily listed("dnsbl_zone_listed", "gauge",
//                              "1 when the zone lists the target.");
//   listed.Add({{"zone", "bl.example"}}, 1);
//   std::string text = listed.Text();

#ifndef DNSBL_DNSBL_SERVE_INTERNAL_PROMETHEUS_TEXT_H_
#define DNSBL_DNSBL_SERVE_INTERNAL_PROMETHEUS_TEXT_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace dnsbl {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

// One metric family. Not thread-safe.
class MetricFamily {
 public:
  // `type` is "counter" or "gauge"; `help` one line.
  MetricFamily(std::string name, std::string type, std::string help);

  void Add(MetricLabels labels, double value);

  // Returns the HELP and TYPE lines and every sample, '\n'-terminated;
  // empty when there are no samples.
  std::string Text() const;

 private:
  std::string name_;
  std::string type_;
  std::string help_;
  std::vector<std::pair<MetricLabels, double>> samples_;
};

// Returns `value` escaped for a label value: backslash, double quote and
// line feed as \\, \" and \n.
std::string EscapeLabelValue(absl::string_view value);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_SERVE_INTERNAL_PROMETHEUS_TEXT_H_

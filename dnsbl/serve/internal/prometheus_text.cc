#include "dnsbl/serve/internal/prometheus_text.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace dnsbl {

MetricFamily::MetricFamily(std::string name, std::string type, std::string help)
    : name_(std::move(name)), type_(std::move(type)), help_(std::move(help)) {}

void MetricFamily::Add(MetricLabels labels, double value) {
  samples_.emplace_back(std::move(labels), value);
}

std::string EscapeLabelValue(absl::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string MetricFamily::Text() const {
  if (samples_.empty()) return "";
  std::string out = absl::StrCat("# HELP ", name_, " ", help_, "\n# TYPE ",
                                 name_, " ", type_, "\n");
  for (const auto& [labels, value] : samples_) {
    absl::StrAppend(&out, name_);
    if (!labels.empty()) {
      std::vector<std::string> pairs;
      for (const auto& [k, v] : labels) {
        pairs.push_back(absl::StrCat(k, "=\"", EscapeLabelValue(v), "\""));
      }
      absl::StrAppend(&out, "{", absl::StrJoin(pairs, ","), "}");
    }
    if (std::isnan(value)) {
      absl::StrAppend(&out, " NaN\n");
    } else {
      absl::StrAppend(&out, " ", value, "\n");
    }
  }
  return out;
}

}  // namespace dnsbl

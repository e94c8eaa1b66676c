#include "dnsbl/serve/internal/prometheus_text.h"

#include "gtest/gtest.h"

namespace dnsbl {
namespace {

TEST(MetricFamilyTest, HelpTypeAndSamples) {
  MetricFamily f("dnsbl_zone_listed", "gauge", "1 when listed.");
  EXPECT_EQ(f.Text(), "");  // No samples, no family.
  f.Add({{"zone", "bl.example"}}, 1);
  f.Add({}, 0.25);
  EXPECT_EQ(f.Text(),
            "# HELP dnsbl_zone_listed 1 when listed.\n"
            "# TYPE dnsbl_zone_listed gauge\n"
            "dnsbl_zone_listed{zone=\"bl.example\"} 1\n"
            "dnsbl_zone_listed 0.25\n");
}

TEST(MetricFamilyTest, LabelValuesCannotBreakALine) {
  EXPECT_EQ(EscapeLabelValue("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  MetricFamily f("x", "counter", "h");
  f.Add({{"route", "/\"}\n# TYPE x gauge"}}, 1);
  const std::string text = f.Text();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);
}

}  // namespace
}  // namespace dnsbl

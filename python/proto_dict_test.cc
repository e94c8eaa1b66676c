#include "python/proto_dict.h"

#include <pybind11/embed.h>

#include <limits>
#include <string>

#include "dnsbl/dnsbl.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/sample_reports.h"

namespace dnsbl::python {
namespace {

namespace py = pybind11;

// The reference: what json.loads() makes of protobuf's own JSON printer's
// output with every field printed. Python dicts keep every key (unlike
// dnsbl's lean JSON lines), so report["summary"]["listed"] is always there.
py::object ViaJson(const google::protobuf::Message& m) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  EXPECT_TRUE(
      google::protobuf::util::MessageToJsonString(m, &json, options).ok());
  return py::module_::import("json").attr("loads")(json);
}

class ProtoDictTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // One interpreter for the process, never finalized (pybind11 advises
    // against starting a second).
    static auto* interpreter = new py::scoped_interpreter();
    (void)interpreter;
  }

  // Expects ToDict(m) to equal the reference, showing both when not.
  static void ExpectSame(const google::protobuf::Message& m) {
    py::object mine = ToDict(m);
    py::object reference = ViaJson(m);
    EXPECT_TRUE(mine.equal(reference))
        << "ToDict: " << py::str(mine).cast<std::string>()
        << "\njson.loads: " << py::str(reference).cast<std::string>();
  }
};

TEST_F(ProtoDictTest, ReportWithEveryKindOfFieldMatchesTheJsonMapping) {
  ExpectSame(dnsbl::testing::ListedReport());
}

TEST_F(ProtoDictTest, DefaultsAndEdgesMatch) {
  ExpectSame(v1::Report());  // Every default, no message set.
  v1::Report r = dnsbl::testing::ListedReport();
  r.mutable_results(0)->set_latency_ms(1e-7);
  r.mutable_results(0)->set_ttl(std::numeric_limits<int32_t>::max());
  r.mutable_results(1)->set_latency_ms(123456789.125);
  r.mutable_results(1)->set_detail("quote \" backslash \\ tab \t é ✓ 😀");
  r.mutable_started()->set_nanos(500000);  // Fractional seconds.
  r.mutable_finished()->set_nanos(1);
  r.mutable_results(0)->set_status(static_cast<v1::Status>(77));  // Unknown.
  ExpectSame(r);
}

TEST_F(ProtoDictTest, OtherMessagesMatch) {
  absl::StatusOr<v1::Catalog> catalog = BuiltinCatalog();
  ASSERT_TRUE(catalog.ok());
  ExpectSame(*catalog);
  v1::HealthReport health;
  v1::ZoneHealth* z = health.add_zones();
  z->set_zone("relays.test");
  z->set_state(v1::NO_SUCH_ZONE);
  z->add_probes("2.0.0.127: NXDOMAIN");
  ExpectSame(health);
}

TEST_F(ProtoDictTest, KeysAndEnumNamesAreSharedStrings) {
  py::dict a = ToDict(dnsbl::testing::ListedReport());
  py::dict b = ToDict(dnsbl::testing::ListedReport());
  py::list ka = py::list(a.attr("keys")());
  py::list kb = py::list(b.attr("keys")());
  ASSERT_EQ(py::len(ka), py::len(kb));
  for (size_t i = 0; i < py::len(ka); ++i) {
    EXPECT_TRUE(ka[i].is(kb[i]));
  }
  py::object status_a = a["results"].cast<py::list>()[0]["status"];
  py::object status_b = b["results"].cast<py::list>()[0]["status"];
  EXPECT_TRUE(status_a.is(status_b));
}

}  // namespace
}  // namespace dnsbl::python

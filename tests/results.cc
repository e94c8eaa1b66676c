#include "tests/results.h"

#include "gtest/gtest.h"

namespace dnsbl::testing {

const v1::ZoneResult& ResultFor(const v1::Report& report,
                                absl::string_view zone) {
  for (const v1::ZoneResult& r : report.results()) {
    if (r.zone() == zone) return r;
  }
  ADD_FAILURE() << "no result for " << zone;
  static const v1::ZoneResult* empty = new v1::ZoneResult();
  return *empty;
}

}  // namespace dnsbl::testing

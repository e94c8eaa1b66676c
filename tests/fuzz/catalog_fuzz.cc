// Fuzzes catalog parsing and validation: no crash, and a catalog that is
// accepted can be listed.

#include <cstdint>
#include <cstdlib>
#include <string>

#include "dnsbl/catalog/catalog.h"
#include "dnsbl/output/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<dnsbl::v1::Catalog> catalog =
      dnsbl::ParseCatalog(text, "fuzz");
  if (catalog.ok()) {
    if (!dnsbl::ValidateCatalog(*catalog).ok()) abort();
    (void)dnsbl::FormatZonesText(*catalog);
    (void)dnsbl::SelectZones(*catalog, {});
  } else if (catalog.status().message().empty()) {
    abort();
  }
  return 0;
}

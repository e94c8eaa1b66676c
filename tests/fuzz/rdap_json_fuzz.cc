// Fuzzes the RDAP answer reader with arbitrary bodies (JSON or not): no
// crash, and nothing unsafe gets through: every contact is a plain address
// (no space, control, quote or line break), a network is reported only
// with a range that holds the address asked about, and every string from
// the body is valid UTF-8 without terminal control bytes.

#include <cstdint>
#include <cstdlib>
#include <string>

#include "dnsbl/base/address.h"
#include "dnsbl/contacts/internal/rdap.h"
#include "tests/fuzz/fuzz_checks.h"

using dnsbl::fuzz::ExpectPrintable;
using dnsbl::fuzz::ExpectSafeAddress;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const dnsbl::IpAddress kAsked = *dnsbl::IpAddress::Parse("192.0.2.7");
  dnsbl::HttpResponse response;
  response.status = 200;
  response.body.assign(reinterpret_cast<const char*>(data), size);
  dnsbl::RdapAnswer answer =
      dnsbl::InterpretRdap(kAsked, "https://rdap.test/ip/192.0.2.7", response);
  ExpectPrintable(answer.source.detail());
  if (!answer.source.answered() && answer.source.detail().empty()) abort();
  for (const dnsbl::v1::Contact& c : answer.contacts) {
    ExpectSafeAddress(c.email());
  }
  if (answer.network.has_value()) {
    if (!answer.covers.has_value()) abort();
    if (kAsked < answer.covers->first || answer.covers->last < kAsked) abort();
    ExpectPrintable(answer.network->rdap_handle());
    ExpectPrintable(answer.network->rdap_name());
    ExpectPrintable(answer.network->prefix());
  } else if (!answer.contacts.empty()) {
    abort();  // A contact without the network it covers.
  }
  return 0;
}

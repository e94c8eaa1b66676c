// Fuzzes DNS answers as they come off the wire: c-ares's parse, then
// interpretation and the report formats. Whatever arrives, no crash, and
// never a verdict the answer does not support: LISTED only with every A
// value in 127.0.0.0/8, NOT_LISTED only for NXDOMAIN or NODATA.

#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/types/span.h"
#include "dnsbl/catalog/catalog.h"
#include "dnsbl/dns/internal/ares_resolver.h"
#include "dnsbl/output/encode.h"
#include "dnsbl/output/text.h"
#include "dnsbl/verdict/internal/interpret.h"
#include "google/protobuf/util/json_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  // zen: exact codes and refusals; MAPS RBL+ made exhaustive and guarded:
  // bit masks, undocumented answers and the TXT guard.
  static const dnsbl::v1::Zone* zones = [] {
    dnsbl::v1::Catalog catalog = *dnsbl::BuiltinCatalog();
    auto* pair = new dnsbl::v1::Zone[2];
    for (const dnsbl::v1::Zone& z : catalog.zone()) {
      if (z.name() == "zen.spamhaus.org") pair[0] = z;
      if (z.name() == "r.mail-abuse.com") pair[1] = z;
    }
    pair[1].set_exhaustive_codes(true);
    pair[1].set_txt_must_contain("mail-abuse");
    return pair;
  }();
  const dnsbl::v1::Zone* zone = &zones[(data[0] >> 1) % 2];
  const dnsbl::RecordType type =
      data[0] % 2 == 0 ? dnsbl::RecordType::kA : dnsbl::RecordType::kTxt;
  absl::Span<const uint8_t> wire(data + 1, size - 1);
  dnsbl::DnsResponse response = dnsbl::ParseDnsAnswer(type, wire);
  const dnsbl::IpAddress ip = dnsbl::IpAddress::FromIpv4(0xc0000207);
  dnsbl::v1::ZoneResult result;
  if (type == dnsbl::RecordType::kA) {
    result = dnsbl::InterpretAnswer(*zone, ip, response);
    if (result.status() == dnsbl::v1::LISTED) {
      for (const std::string& code : result.codes()) {
        absl::StatusOr<dnsbl::IpAddress> value = dnsbl::IpAddress::Parse(code);
        if (!value.ok() || !value->is_ipv4() || (value->ipv4() >> 24) != 127) {
          abort();
        }
      }
    }
    // "Not listed" only from the zone's own negative answer.
    if (result.status() == dnsbl::v1::NOT_LISTED &&
        ((response.outcome != dnsbl::DnsOutcome::kNxDomain &&
          response.outcome != dnsbl::DnsOutcome::kNoData) ||
         dnsbl::IsPolicyAnswer(zone->name(), response))) {
      abort();
    }
  } else {
    dnsbl::DnsResponse listed;
    listed.outcome = dnsbl::DnsOutcome::kAnswer;
    listed.records = {"127.0.0.2"};
    result = dnsbl::ApplyTxtGuard(
        *zone,
        dnsbl::AttachTxt(dnsbl::InterpretAnswer(*zone, ip, listed), response));
  }
  dnsbl::v1::Report report;
  report.set_address(ip.ToString());
  *report.add_results() = result;
  *report.mutable_summary() = dnsbl::Summarize(report.results());
  // Untrusted text must leave JSON valid and the terminal safe.
  dnsbl::v1::Report parsed;
  if (!google::protobuf::util::JsonStringToMessage(dnsbl::FormatJson(report),
                                                   &parsed)
           .ok()) {
    abort();
  }
  std::string text = dnsbl::FormatText(report) + dnsbl::FormatCsv(report);
  for (char c : text) {
    if (c == '\x1b' || c == '\x07') abort();
  }
  return 0;
}

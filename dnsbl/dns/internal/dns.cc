#include "dnsbl/dns/internal/dns.h"

#include "absl/strings/str_cat.h"
#include "dnsbl/base/escape.h"

namespace dnsbl {

absl::string_view DnsOutcomeName(DnsOutcome outcome) {
  switch (outcome) {
    case DnsOutcome::kAnswer:
      return "answer";
    case DnsOutcome::kNxDomain:
      return "NXDOMAIN";
    case DnsOutcome::kNoData:
      return "NODATA";
    case DnsOutcome::kTimeout:
      return "timeout";
    case DnsOutcome::kServFail:
      return "SERVFAIL";
    case DnsOutcome::kRefused:
      return "REFUSED";
    case DnsOutcome::kMalformed:
      return "malformed answer";
    case DnsOutcome::kNetworkError:
      return "network error";
    case DnsOutcome::kOtherError:
      return "error";
    case DnsOutcome::kNoServers:
      return "no servers found";
  }
  return "error";
}

}  // namespace dnsbl

#include "dnsbl/contacts/internal/cymru.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "dnsbl/base/escape.h"

namespace dnsbl {
namespace {

std::vector<absl::string_view> Fields(absl::string_view txt) {
  std::vector<absl::string_view> fields = absl::StrSplit(txt, '|');
  for (absl::string_view& f : fields) f = absl::StripAsciiWhitespace(f);
  return fields;
}

absl::Status Bad(absl::string_view what, absl::string_view txt,
                 absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(
      "malformed Cymru ", what, " record ", QuoteInput(txt), ": ", why));
}

// A field of letters, digits, '-' and '_' only (country, registry, date),
// so nothing odd reaches a report from these.
bool Plain(absl::string_view field) {
  for (char c : field) {
    if (!absl::ascii_isalnum(c) && c != '-' && c != '_') return false;
  }
  return field.size() <= 32;
}

bool ParseAsn(absl::string_view text, uint32_t* asn) {
  return !text.empty() && text.size() <= 10 &&
         std::all_of(text.begin(), text.end(), absl::ascii_isdigit) &&
         absl::SimpleAtoi(text, asn) && *asn > 0;
}

}  // namespace

std::string CymruOriginQuery(const IpAddress& address) {
  return address.QueryName(address.is_ipv4() ? kCymruOriginZone
                                             : kCymruOrigin6Zone);
}

std::string CymruAsNameQuery(uint32_t asn) {
  return absl::StrCat("AS", asn, ".", kCymruAsZone);
}

absl::StatusOr<CymruOrigin> ParseCymruOrigin(absl::string_view txt) {
  std::vector<absl::string_view> fields = Fields(txt);
  if (fields.size() < 3) return Bad("origin", txt, "fewer than 3 fields");
  CymruOrigin origin;
  for (absl::string_view asn_text :
       absl::StrSplit(fields[0], ' ', absl::SkipEmpty())) {
    uint32_t asn = 0;
    if (!ParseAsn(asn_text, &asn)) return Bad("origin", txt, "bad ASN");
    origin.asns.push_back(asn);
  }
  if (origin.asns.empty()) return Bad("origin", txt, "no ASN");
  absl::StatusOr<IpRange> prefix = IpRange::Parse(fields[1]);
  if (!prefix.ok() || fields[1].find('/') == absl::string_view::npos) {
    return Bad("origin", txt, "the prefix is not a network");
  }
  origin.prefix = std::string(fields[1]);
  for (size_t i = 2; i < fields.size() && i < 5; ++i) {
    if (!Plain(fields[i])) return Bad("origin", txt, "odd characters");
  }
  origin.country = std::string(fields[2]);
  if (fields.size() > 3) origin.registry = std::string(fields[3]);
  if (fields.size() > 4) origin.allocated = std::string(fields[4]);
  return origin;
}

absl::StatusOr<CymruAsName> ParseCymruAsName(absl::string_view txt) {
  std::vector<absl::string_view> fields = Fields(txt);
  if (fields.size() < 5) return Bad("AS name", txt, "fewer than 5 fields");
  CymruAsName as;
  if (!ParseAsn(fields[0], &as.asn)) return Bad("AS name", txt, "bad ASN");
  for (size_t i = 1; i < 4; ++i) {
    if (!Plain(fields[i])) return Bad("AS name", txt, "odd characters");
  }
  as.country = std::string(fields[1]);
  as.registry = std::string(fields[2]);
  as.allocated = std::string(fields[3]);
  // The name may itself hold '|': everything after the fourth one.
  size_t pos = 0;
  for (int i = 0; i < 4; ++i) pos = txt.find('|', pos) + 1;
  as.name = ToValidUtf8(absl::StripAsciiWhitespace(txt.substr(pos)));
  return as;
}

}  // namespace dnsbl

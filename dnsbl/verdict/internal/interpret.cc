#include "dnsbl/verdict/internal/interpret.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "dnsbl/base/escape.h"
#include "dnsbl/catalog/catalog.h"
#include "google/protobuf/util/time_util.h"

namespace dnsbl {
namespace {

v1::ZoneResult BaseResult(const v1::Zone& zone, const IpAddress& address) {
  v1::ZoneResult result;
  result.set_zone(zone.name());
  result.set_query(address.QueryName(zone.name()));
  return result;
}

// The category of a value that matches none of `zone`'s codes.
v1::Category DefaultCategory(const v1::Zone& zone) {
  return zone.default_category() != v1::CATEGORY_UNSPECIFIED
             ? zone.default_category()
             : v1::OTHER;
}

bool InLoopbackNet(absl::string_view value) {
  absl::StatusOr<IpAddress> ip = IpAddress::Parse(value);
  return ip.ok() && ip->is_ipv4() && (ip->ipv4() >> 24) == 127;
}

void AddCategory(v1::Category category,
                 google::protobuf::RepeatedField<int>* categories) {
  if (std::find(categories->begin(), categories->end(), category) ==
      categories->end()) {
    categories->Add(category);
  }
}

}  // namespace

v1::ErrorKind ErrorKindOf(DnsOutcome outcome) {
  switch (outcome) {
    case DnsOutcome::kTimeout:
      return v1::TIMEOUT;
    case DnsOutcome::kServFail:
      return v1::SERVFAIL;
    case DnsOutcome::kRefused:
      return v1::REFUSED_RCODE;
    case DnsOutcome::kMalformed:
      return v1::MALFORMED;
    case DnsOutcome::kNetworkError:
      return v1::UNREACHABLE;
    case DnsOutcome::kNoServers:
      return v1::NO_SERVERS;
    default:
      return v1::OTHER_ERROR;
  }
}

std::string DescribeFailure(const DnsResponse& answer) {
  switch (answer.outcome) {
    case DnsOutcome::kTimeout:
      return absl::StrCat("no answer (timed out after ", answer.attempts,
                          answer.attempts == 1 ? " try)" : " tries)");
    case DnsOutcome::kServFail:
      return "the nameserver answered SERVFAIL (the zone's servers may be "
             "down or broken)";
    case DnsOutcome::kRefused:
      return "the nameserver answered REFUSED (it does not serve this zone, "
             "or will not recurse for us)";
    case DnsOutcome::kMalformed:
      return absl::StrCat("malformed answer: ", answer.error);
    case DnsOutcome::kNetworkError:
      return absl::StrCat("nameserver unreachable: ", answer.error);
    case DnsOutcome::kNoServers:
      return absl::StrCat("the blocklist's own servers were not found: ",
                          answer.error);
    default:
      return absl::StrCat("lookup failed: ", answer.error.empty()
                                                 ? "unknown error"
                                                 : answer.error);
  }
}

bool IsPolicyAnswer(absl::string_view zone_name, const DnsResponse& answer) {
  if (answer.outcome != DnsOutcome::kNxDomain &&
      answer.outcome != DnsOutcome::kNoData) {
    return false;
  }
  if (answer.soa_owner.empty()) return false;
  return !NameAtOrBelow(zone_name, answer.soa_owner) &&
         !NameAtOrBelow(answer.soa_owner, zone_name);
}

std::vector<const v1::ReturnCode*> MatchingCodes(const v1::Zone& zone,
                                                 absl::string_view value) {
  std::vector<const v1::ReturnCode*> matches;
  bool has_masks = false;
  for (const v1::ReturnCode& code : zone.code()) {
    if (code.bitmask()) {
      has_masks = true;
    } else if (code.value() == value) {
      matches.push_back(&code);
    }
  }
  if (!matches.empty() || !has_masks) return matches;
  absl::StatusOr<IpAddress> answer = IpAddress::Parse(value);
  if (!answer.ok() || !answer->is_ipv4()) return matches;
  constexpr uint32_t kBelow127 = 0x00ffffff;
  for (const v1::ReturnCode& code : zone.code()) {
    if (!code.bitmask()) continue;
    absl::StatusOr<IpAddress> mask = IpAddress::Parse(code.value());
    if (mask.ok() && mask->is_ipv4() &&
        (answer->ipv4() & mask->ipv4() & kBelow127) != 0) {
      matches.push_back(&code);
    }
  }
  return matches;
}

std::string DescribePolicyAnswer(const DnsResponse& answer,
                                 absl::string_view whose) {
  return absl::StrCat(DnsOutcomeName(answer.outcome), " with the SOA of ",
                      ToValidUtf8(answer.soa_owner),
                      ", not of this zone: a DNS firewall (RPZ) or filtering "
                      "resolver answered in the place of ",
                      whose);
}

v1::Category CategoryOf(const v1::Zone& zone, absl::string_view value) {
  std::vector<const v1::ReturnCode*> matches = MatchingCodes(zone, value);
  if (!matches.empty()) return matches.front()->category();
  return DefaultCategory(zone);
}

// InterpretAnswer() but for the lookup page.
v1::ZoneResult InterpretStatus(const v1::Zone& zone, const IpAddress& address,
                               const DnsResponse& answer) {
  v1::ZoneResult result = BaseResult(zone, address);
  result.set_attempts(answer.attempts);
  result.set_ttl(answer.ttl);
  // Set only when there is one: protobuf allocates even an empty string.
  if (answer.server != nullptr) {
    result.set_server_name(answer.server->name);
    result.set_server_address(answer.server->address);
  }
  if (!answer.data_file.empty()) {
    result.set_data_file(answer.data_file);
    *result.mutable_data_mtime() =
        google::protobuf::util::TimeUtil::SecondsToTimestamp(
            absl::ToUnixSeconds(answer.data_mtime));
  }
  switch (answer.outcome) {
    case DnsOutcome::kNxDomain:
    case DnsOutcome::kNoData:
      if (IsPolicyAnswer(zone.name(), answer)) {
        result.set_status(v1::ERROR);
        result.set_error(v1::POLICY_ANSWER);
        result.set_detail(DescribePolicyAnswer(answer, "the blocklist"));
        return result;
      }
      result.set_status(v1::NOT_LISTED);
      return result;
    case DnsOutcome::kAnswer:
      break;
    default:
      result.set_status(v1::ERROR);
      result.set_error(ErrorKindOf(answer.outcome));
      result.set_detail(DescribeFailure(answer));
      return result;
  }

  std::vector<std::string> values = answer.records;
  // Numeric order, so reports do not depend on the server's shuffling.
  std::sort(values.begin(), values.end(),
            [](const std::string& a, const std::string& b) {
              absl::StatusOr<IpAddress> x = IpAddress::Parse(a);
              absl::StatusOr<IpAddress> y = IpAddress::Parse(b);
              if (x.ok() && y.ok()) return *x < *y;
              return a < b;
            });
  values.erase(std::unique(values.begin(), values.end()), values.end());
  for (const std::string& value : values) result.add_codes(value);

  std::vector<std::string> outside;
  std::vector<std::string> refused;
  for (const std::string& value : values) {
    if (!InLoopbackNet(value)) {
      outside.push_back(value);
      continue;
    }
    for (const std::string& pattern : zone.refused_code()) {
      if (CodeMatches(pattern, value)) {
        refused.push_back(value);
        break;
      }
    }
  }
  if (!outside.empty()) {
    result.set_status(v1::ERROR);
    result.set_error(v1::OUTSIDE_LOOPBACK);
    result.set_detail(absl::StrCat(
        "answer ", absl::StrJoin(outside, ", "),
        " is outside 127.0.0.0/8; the resolver may rewrite NXDOMAIN, or the "
        "zone is broken"));
    return result;
  }
  if (!refused.empty()) {
    result.set_status(v1::REFUSED);
    result.set_error(v1::REFUSED_CODE);
    std::vector<std::string> meanings;
    for (const std::string& value : refused) {
      std::string meaning = value;
      for (const v1::ReturnCode& code : zone.code()) {
        if (code.value() == value && !code.meaning().empty()) {
          absl::StrAppend(&meaning, " (", code.meaning(), ")");
        }
      }
      meanings.push_back(meaning);
    }
    result.set_detail(absl::StrCat("the operator refused to answer: ",
                                   absl::StrJoin(meanings, ", ")));
    return result;
  }
  // Each value's documented codes: one exact code, or every bit of a mask.
  std::vector<std::vector<const v1::ReturnCode*>> matches;
  std::vector<std::string> undocumented;
  for (const std::string& value : values) {
    matches.push_back(MatchingCodes(zone, value));
    if (matches.back().empty() && zone.exhaustive_codes()) {
      undocumented.push_back(value);
    }
  }
  if (!undocumented.empty()) {
    // The operator says these are all its answers: another one is a broken
    // or impersonated zone, not a listing.
    std::vector<std::string> documented;
    for (const v1::ReturnCode& code : zone.code()) {
      documented.push_back(code.value());
    }
    result.set_status(v1::ERROR);
    result.set_error(v1::UNDOCUMENTED_ANSWER);
    result.set_detail(absl::StrCat("answer ", absl::StrJoin(undocumented, ", "),
                                   " is not one its operator documents (only ",
                                   absl::StrJoin(documented, ", "),
                                   "): an undocumented answer, not a listing"));
    return result;
  }
  result.set_status(v1::LISTED);
  for (size_t i = 0; i < values.size(); ++i) {
    std::vector<std::string> meanings;
    for (const v1::ReturnCode* code : matches[i]) {
      AddCategory(code->category(), result.mutable_categories());
      if (!code->meaning().empty()) meanings.push_back(code->meaning());
    }
    if (matches[i].empty()) {
      AddCategory(DefaultCategory(zone), result.mutable_categories());
    }
    result.add_meanings(absl::StrJoin(meanings, " + "));
  }
  return result;
}

v1::ZoneResult InterpretAnswer(const v1::Zone& zone, const IpAddress& address,
                               const DnsResponse& answer) {
  v1::ZoneResult result = InterpretStatus(zone, address, answer);
  // The page serves a desk checking a listing, or an answer it could not
  // read, by hand; a clean result needs none, and a sweep writes millions.
  if (result.status() != v1::NOT_LISTED && !zone.lookup_url().empty()) {
    result.set_lookup_url(ExpandLookupUrl(zone.lookup_url(), address));
  }
  return result;
}

v1::ZoneResult ApplyTxtGuard(const v1::Zone& zone, v1::ZoneResult result) {
  if (zone.txt_must_contain().empty() || result.status() != v1::LISTED) {
    return result;
  }
  const std::string guard = absl::AsciiStrToLower(zone.txt_must_contain());
  for (const std::string& txt : result.txt()) {
    if (absl::StrContains(absl::AsciiStrToLower(txt), guard)) return result;
  }
  // Kept as evidence: the codes, any TXT, and why TXT may be missing.
  std::string why = result.txt().empty()
                        ? (result.detail().empty() ? std::string("it had none")
                                                   : result.detail())
                        : "its reason does not";
  result.set_status(v1::ERROR);
  result.set_error(v1::UNVERIFIED_LISTING);
  result.clear_categories();
  result.clear_meanings();
  result.set_detail(absl::StrCat(
      "listing not confirmed: this zone's own listings name \"",
      zone.txt_must_contain(), "\" in their TXT reason, and ", why,
      " (a lapsed or hijacked domain answers \"listed\" for everything)"));
  return result;
}

v1::ZoneResult AttachTxt(v1::ZoneResult result, const DnsResponse& txt) {
  switch (txt.outcome) {
    case DnsOutcome::kAnswer:
      for (const std::string& record : txt.records) {
        result.add_txt(ToValidUtf8(record));
      }
      break;
    case DnsOutcome::kNxDomain:
    case DnsOutcome::kNoData:
      break;  // Many zones publish no reasons.
    default:
      result.set_detail(
          absl::StrCat("TXT lookup failed: ", DescribeFailure(txt)));
      break;
  }
  return result;
}

v1::ZoneResult SkippedResult(const v1::Zone& zone, const IpAddress& address,
                             absl::string_view detail) {
  v1::ZoneResult result = BaseResult(zone, address);
  result.set_status(v1::SKIPPED);
  result.set_detail(std::string(detail));
  return result;
}

v1::Summary Summarize(
    const google::protobuf::RepeatedPtrField<v1::ZoneResult>& results) {
  v1::Summary summary;
  for (const v1::ZoneResult& r : results) {
    switch (r.status()) {
      case v1::LISTED: {
        summary.set_answered(summary.answered() + 1);
        summary.set_asked(summary.asked() + 1);
        bool allowlist =
            std::all_of(r.categories().begin(), r.categories().end(),
                        [](int c) { return c == v1::ALLOWLISTED; });
        if (allowlist) {
          summary.add_allowlisted_by(r.zone());
          break;
        }
        summary.set_listed(true);
        summary.add_listed_by(r.zone());
        for (int c : r.categories()) {
          if (c == v1::ALLOWLISTED) continue;
          AddCategory(static_cast<v1::Category>(c),
                      summary.mutable_categories());
          if (c == v1::OPEN_RELAY) summary.add_open_relay_by(r.zone());
          if (c == v1::OPEN_PROXY) summary.add_open_proxy_by(r.zone());
        }
        break;
      }
      case v1::NOT_LISTED:
        summary.set_answered(summary.answered() + 1);
        summary.set_asked(summary.asked() + 1);
        break;
      case v1::SKIPPED:
        // Skipped because its health probe found it unusable: the user
        // asked for the zone and got no usable answer.
        if (r.error() == v1::UNHEALTHY_ZONE) {
          summary.set_errors(summary.errors() + 1);
          summary.set_asked(summary.asked() + 1);
        }
        break;
      default:  // ERROR, REFUSED, and anything a newer schema adds.
        summary.set_errors(summary.errors() + 1);
        summary.set_asked(summary.asked() + 1);
        break;
    }
  }
  std::sort(summary.mutable_categories()->begin(),
            summary.mutable_categories()->end());
  return summary;
}

std::string ExpandLookupUrl(absl::string_view lookup_url,
                            const IpAddress& address) {
  if (lookup_url.empty()) return "";
  return absl::StrReplaceAll(lookup_url, {{"{ip}", address.ToString()}});
}

}  // namespace dnsbl

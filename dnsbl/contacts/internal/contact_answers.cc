#include "dnsbl/contacts/internal/contact_answers.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "dnsbl/base/escape.h"
#include "dnsbl/contacts/internal/abusix.h"
#include "dnsbl/contacts/internal/cymru.h"
#include "dnsbl/verdict/internal/interpret.h"

namespace dnsbl {
namespace {

// Fills `source` for an answer that is not records: a negative answer (the
// source knows nothing: answered) or a failure (not answered, with why).
// Returns true when it did, false for records to read.
bool NotRecords(const DnsResponse& txt, absl::string_view zone,
                absl::string_view nothing_known, v1::ContactSource& source) {
  switch (txt.outcome) {
    case DnsOutcome::kAnswer:
      return false;
    case DnsOutcome::kNxDomain:
    case DnsOutcome::kNoData:
      if (IsPolicyAnswer(zone, txt)) {
        source.set_error(v1::POLICY_ANSWER);
        source.set_detail(DescribePolicyAnswer(txt, "the source"));
        return true;
      }
      source.set_answered(true);
      source.set_detail(
          absl::StrCat(nothing_known, " (", DnsOutcomeName(txt.outcome), ")"));
      return true;
    default:
      source.set_error(ErrorKindOf(txt.outcome));
      source.set_detail(DescribeFailure(txt));
      return true;
  }
}

}  // namespace

CymruAnswer InterpretCymruOrigin(const IpAddress& address,
                                 const DnsResponse& txt) {
  CymruAnswer out;
  out.source.set_source(kCymruSource);
  out.source.set_query(CymruOriginQuery(address));
  if (NotRecords(txt, kCymruAsZone, "no announced network known", out.source)) {
    return out;
  }
  std::string first_error;
  for (const std::string& record : txt.records) {
    absl::StatusOr<CymruOrigin> origin = ParseCymruOrigin(record);
    if (!origin.ok()) {
      if (first_error.empty()) {
        first_error = std::string(origin.status().message());
      }
      continue;
    }
    v1::Network network;
    network.set_source(kCymruSource);
    network.set_asn(origin->asns.front());
    for (size_t i = 1; i < origin->asns.size(); ++i) {
      network.add_other_asns(origin->asns[i]);
    }
    network.set_prefix(origin->prefix);
    network.set_country(origin->country);
    network.set_registry(origin->registry);
    network.set_allocated(origin->allocated);
    out.network = std::move(network);
    out.source.set_answered(true);
    return out;
  }
  out.source.set_error(v1::MALFORMED);
  out.source.set_detail(first_error.empty() ? "empty answer" : first_error);
  return out;
}

v1::Network WithCymruAsName(v1::Network network, const DnsResponse& txt) {
  if (txt.outcome != DnsOutcome::kAnswer) return network;
  for (const std::string& record : txt.records) {
    absl::StatusOr<CymruAsName> as = ParseCymruAsName(record);
    if (as.ok() && as->asn == network.asn()) {
      network.set_as_name(as->name);
      break;
    }
  }
  return network;
}

AbusixAnswer InterpretAbusix(const IpAddress& address, const DnsResponse& txt) {
  AbusixAnswer out;
  out.source.set_source(kAbusixSource);
  out.source.set_query(AbusixContactQuery(address));
  if (NotRecords(txt, kAbusixZone, "no abuse contact known", out.source)) {
    return out;
  }
  AbusixContacts found = ParseAbusixContacts(txt.records);
  for (const std::string& email : found.emails) {
    v1::Contact* contact = &out.contacts.emplace_back();
    contact->set_email(email);
    contact->set_source(kAbusixSource);
    contact->set_role("abuse");
  }
  if (!found.emails.empty()) {
    out.source.set_answered(true);
    if (!found.rejected.empty()) {
      out.source.set_detail(
          absl::StrCat("ignored: ", absl::StrJoin(found.rejected, "; ")));
    }
    return out;
  }
  out.source.set_error(v1::MALFORMED);
  out.source.set_detail(
      found.rejected.empty()
          ? "empty answer"
          : absl::StrCat("no usable address: ",
                         absl::StrJoin(found.rejected, "; ")));
  return out;
}

}  // namespace dnsbl

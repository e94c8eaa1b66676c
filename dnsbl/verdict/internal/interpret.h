// dnsbl/verdict/internal/interpret.h
//
// Turning one zone's DNS answer into a verdict, and many verdicts into one
// summary. Pure functions of their arguments: no network, no clock, so every
// rule below is tested directly.
//
// The rules, in order, for the A answer of a zone:
//   - NXDOMAIN or NODATA carrying the SOA of an unrelated zone (neither the
//     zone, an ancestor of it, nor a zone inside it; e.g. "rpz.local"):
//     ERROR (POLICY_ANSWER). A DNS firewall answered, not the blocklist.
//   - Other NXDOMAIN or NODATA: NOT_LISTED.
//   - Any A value outside 127.0.0.0/8: ERROR. Real blocklists answer only
//     in 127/8; anything else means a resolver rewrote NXDOMAIN (ad or
//     search pages) or the zone is broken.
//   - Any A value matching a refused code of the zone: REFUSED.
//   - Any A value matching none of the zone's codes when the operator
//     documents every answer (Zone.exhaustive_codes): ERROR
//     (UNDOCUMENTED_ANSWER).
//   - Otherwise LISTED, each value mapped to its categories through the
//     zone's codes: an exact code, else every bit mask code sharing a bit
//     with it (MAPS RBL+ answers 127.0.0.12 for an open relay that is also
//     an open proxy); unknown values take the default category.
//   - Then, for a zone with a TXT guard (Zone.txt_must_contain), a listing
//     whose TXT reason lacks the guard text: ERROR (UNVERIFIED_LISTING),
//     see ApplyTxtGuard().
//   - No answer (timeout, SERVFAIL, REFUSED rcode, malformed, unreachable):
//     ERROR with the reason. An unanswered query is never NOT_LISTED.
//
// Example:
//
//   dnsbl::v1::ZoneResult r = dnsbl::InterpretAnswer(zone, address, answer);
//   if (r.status() == dnsbl::v1::LISTED) r = dnsbl::AttachTxt(r, txt_answer);

#ifndef DNSBL_DNSBL_VERDICT_INTERNAL_INTERPRET_H_
#define DNSBL_DNSBL_VERDICT_INTERNAL_INTERPRET_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "dnsbl/base/address.h"
#include "dnsbl/dns/internal/dns.h"
#include "dnsbl/verdict/verdict.h"
#include "proto/dnsbl.pb.h"

namespace dnsbl {

// Returns the result of asking `zone` about `address`, given the answer to
// the A question. Fills zone, status, codes, categories, meanings, detail,
// query, ttl, attempts and, unless NOT_LISTED, lookup_url; not latency_ms
// or txt.
v1::ZoneResult InterpretAnswer(const v1::Zone& zone, const IpAddress& address,
                               const DnsResponse& answer);

// Returns `result` unchanged unless `zone` has a TXT guard
// (Zone.txt_must_contain) and `result` is a listing none of whose TXT
// records contains the guard text (case-insensitive); then ERROR
// (UNVERIFIED_LISTING), its codes and TXT kept as evidence. A lapsed domain
// parked with a wildcard answers "listed" for everything, but not with the
// operator's own reasons. Call it after AttachTxt().
v1::ZoneResult ApplyTxtGuard(const v1::Zone& zone, v1::ZoneResult result);

// Returns the codes of `zone` that A value `value` matches: the exact code,
// or when there is none, every bit mask code (ReturnCode.bitmask) sharing a
// bit with `value` below 127.0.0.0. Pointers into `zone`.
std::vector<const v1::ReturnCode*> MatchingCodes(const v1::Zone& zone,
                                                 absl::string_view value);

// Returns `result` with the TXT records of `txt` attached (as valid UTF-8;
// they are untrusted). A failed TXT lookup leaves the verdict alone and
// notes the failure in `detail`.
v1::ZoneResult AttachTxt(v1::ZoneResult result, const DnsResponse& txt);

// Returns a SKIPPED result for `zone` with `detail` saying why.
v1::ZoneResult SkippedResult(const v1::Zone& zone, const IpAddress& address,
                             absl::string_view detail);

// Returns the ErrorKind of an unanswered question's `outcome` (TIMEOUT,
// SERVFAIL, ...; OTHER_ERROR for anything without a kind of its own).
v1::ErrorKind ErrorKindOf(DnsOutcome outcome);

// Returns why `answer` (not an answer: a timeout, SERVFAIL, ...) could not
// be used, for a person, e.g. "no answer (timed out after 2 tries)".
std::string DescribeFailure(const DnsResponse& answer);

// Returns true when `answer` is negative (NXDOMAIN or NODATA) and its SOA
// belongs to a zone unrelated to `zone_name`: neither that zone, nor an
// ancestor of it (a parent saying the zone does not exist), nor a zone
// inside it (where keyed services such as Spamhaus DQS answer from).
bool IsPolicyAnswer(absl::string_view zone_name, const DnsResponse& answer);

// Returns why a policy answer (IsPolicyAnswer()) is not to be used, for a
// person: its outcome, the foreign SOA's owner, and that a DNS firewall or
// filtering resolver answered in the place of `whose` (e.g. "the
// blocklist").
std::string DescribePolicyAnswer(const DnsResponse& answer,
                                 absl::string_view whose);

// Returns the category of A value `value` in `zone`: the first matching
// code's (MatchingCodes()), else the zone's default, else OTHER.
v1::Category CategoryOf(const v1::Zone& zone, absl::string_view value);

// Returns the summary of `results`: which blocklists list the address and
// as what, which allowlists name it, and how many could not answer (ERROR,
// REFUSED, and SKIPPED because a health probe found the zone unusable:
// error UNHEALTHY_ZONE).
// Listings by allowlists (every category ALLOWLISTED) never count as
// "listed".
v1::Summary Summarize(
    const google::protobuf::RepeatedPtrField<v1::ZoneResult>& results);

// Returns `lookup_url` with "{ip}" replaced by `address`, or "" if
// `lookup_url` is empty.
std::string ExpandLookupUrl(absl::string_view lookup_url,
                            const IpAddress& address);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_VERDICT_INTERNAL_INTERPRET_H_

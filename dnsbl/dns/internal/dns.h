// dnsbl/dns/internal/dns.h
//
// Plain descriptions of DNS questions and outcomes, shared by the resolver
// (which fills them from the wire) and the interpretation code (which reads
// them). Nothing here depends on a DNS library, so interpretation can be
// tested without a network.
//
// Example:
//
//   dnsbl::DnsResponse r;
//   r.outcome = dnsbl::DnsOutcome::kAnswer;
//   r.records = {"127.0.0.2"};
//   dnsbl::ZoneResult result = dnsbl::InterpretAnswer(zone, "q", r);

#ifndef DNSBL_DNSBL_DNS_INTERNAL_DNS_H_
#define DNSBL_DNSBL_DNS_INTERNAL_DNS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "dnsbl/dns/resolution.h"  // IWYU pragma: export

namespace dnsbl {

// The record types dnsbl asks for.
enum class RecordType { kA = 1, kTxt = 16, kAaaa = 28 };

// How a DNS question ended.
enum class DnsOutcome {
  kAnswer,        // NOERROR with records of the asked type.
  kNxDomain,      // The name does not exist.
  kNoData,        // The name exists but has no record of the asked type.
  kTimeout,       // No answer within the timeout, on every try.
  kServFail,      // SERVFAIL rcode.
  kRefused,       // REFUSED rcode: the server will not answer this question.
  kMalformed,     // An answer came but could not be parsed.
  kNetworkError,  // E.g. connection refused: nothing listens there.
  kOtherError,    // Anything else (FORMERR, NOTIMP, resource errors).
  kNoServers,     // Direct resolution could not find the zone's servers.
};

// Returns a short name for `outcome`, e.g. "NXDOMAIN" or "timeout".
absl::string_view DnsOutcomeName(DnsOutcome outcome);

// A nameserver as evidence names it.
struct ServerIdentity {
  std::string name;     // e.g. "ns1.bl.example"
  std::string address;  // e.g. "192.0.2.53"
};

// The outcome of one DNS question, copied out of the wire format.
struct DnsResponse {
  DnsOutcome outcome = DnsOutcome::kOtherError;
  // A and AAAA: addresses in text form; TXT: one string per record, its
  // character-strings joined. In answer order.
  std::vector<std::string> records;
  // The smallest TTL of the answer records (A, AAAA and TXT), else 0.
  int ttl = 0;
  // For kNxDomain and kNoData: how long the answer may be kept (RFC 2308:
  // the smaller of the SOA record's TTL and its MINIMUM); 0 without an SOA
  // (and from resolvers that do not read it): not to be kept.
  int negative_ttl = 0;
  // How many times the question was sent.
  int attempts = 0;
  // For failures: what the resolver library said.
  std::string error;
  // For kNxDomain and kNoData: the owner name of the SOA record in the
  // authority section (lower case, no trailing dot), "" if there is none.
  // A negative answer carries the SOA of the zone that gave it, so an SOA
  // of an unrelated zone (e.g. "rpz.local") betrays a filtering resolver.
  // Untrusted text off the wire.
  std::string soa_owner;
  // The AA bit: the server that answered is authoritative for the name.
  bool authoritative = false;
  // For kNoData: the answer is a referral (NS records in the authority
  // section, not authoritative), i.e. no answer at all but a pointer to
  // other servers. A recursive resolver never sends one; a zone's own
  // server asked about a name it does not serve does.
  bool referral = false;
  // For kNoData: the answer holds a CNAME chain that ends without a record
  // of the asked type (its target lies in another zone), i.e. not NODATA
  // but half an answer. Only an authoritative server sends one.
  bool alias_only = false;
  // Direct resolution (dnsbl/dns/internal/direct_resolver.h): the blocklist's
  // own server that answered, shared by every answer it gives. Null otherwise.
  std::shared_ptr<const ServerIdentity> server;
  // Set when the answer came from a local data file (dnsbl/localzone)
  // instead of a nameserver: the file(s), comma-separated, and the newest
  // modification time among them.
  std::string data_file;
  absl::Time data_mtime = absl::InfinitePast();
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_DNS_INTERNAL_DNS_H_

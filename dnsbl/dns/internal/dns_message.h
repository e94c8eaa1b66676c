// dnsbl/dns/internal/dns_message.h
//
// A DNS message (RFC 1035 section 4) read off the wire into plain structs:
// the header flags, the question, and the records of every section with
// the data dnsbl reads decoded (addresses, names, TXT strings, SOA
// timers). For what the answer parsers of c-ares do not tell: whether an
// answer is authoritative or a referral, the NS names and glue of a
// delegation, the SOA of a negative answer. Pure and bounded: any bytes
// either parse or are InvalidArgument (tests/fuzz/dns_message_fuzz.cc).
//
// Example:
//
//   absl::StatusOr<dnsbl::DnsMessage> m = dnsbl::ParseDnsMessage(packet);
//   if (m.ok() && IsReferral(*m)) {
//     for (const dnsbl::DnsRecord& ns : m->authority) { ... ns.target ... }
//   }

#ifndef DNSBL_DNSBL_DNS_INTERNAL_DNS_MESSAGE_H_
#define DNSBL_DNSBL_DNS_INTERNAL_DNS_MESSAGE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace dnsbl {

// Record types this parser decodes; others keep only their header.
enum DnsType : uint16_t {
  kDnsA = 1,
  kDnsNs = 2,
  kDnsCname = 5,
  kDnsSoa = 6,
  kDnsTxt = 16,
  kDnsAaaa = 28,
  kDnsOpt = 41,
};

// Rcodes (the 4 bits of the header).
enum DnsRcode : int {
  kRcodeNoError = 0,
  kRcodeFormErr = 1,
  kRcodeServFail = 2,
  kRcodeNxDomain = 3,
  kRcodeNotImp = 4,
  kRcodeRefused = 5,
};

// A resource record. Names are in lower case without the trailing dot
// ("" is the root); a byte that is not a letter, digit, '-' or '_' is
// written \DDD, so a label holding a dot cannot pass for two. Untrusted
// text off the wire.
struct DnsRecord {
  std::string owner;
  uint16_t type = 0;
  uint16_t klass = 0;
  uint32_t ttl = 0;
  // A and AAAA: the address in text form.
  std::string address;
  // NS and CNAME: the target name; SOA: the primary server (MNAME).
  std::string target;
  // TXT: its character-strings, in order.
  std::vector<std::string> strings;
  // SOA: the MINIMUM field, the TTL of negative answers (RFC 2308).
  uint32_t soa_minimum = 0;
};

struct DnsQuestion {
  std::string name;
  uint16_t type = 0;
  uint16_t klass = 0;
};

struct DnsMessage {
  uint16_t id = 0;
  bool response = false;             // QR
  bool authoritative = false;        // AA
  bool truncated = false;            // TC
  bool recursion_desired = false;    // RD
  bool recursion_available = false;  // RA
  int rcode = 0;
  std::vector<DnsQuestion> questions;
  std::vector<DnsRecord> answers;
  std::vector<DnsRecord> authority;
  std::vector<DnsRecord> additional;
};

// Parses `packet`. Returns InvalidArgument naming the first thing wrong: a
// section that runs past the end, a name longer than 255 bytes, a
// compression pointer that does not point back, a record whose data does
// not fit its type.
absl::StatusOr<DnsMessage> ParseDnsMessage(absl::Span<const uint8_t> packet);

// What a resolver needs of most answers, read without building the whole
// message: the header facts and, for the answer and authority sections,
// whether they hold a CNAME, NS or SOA record.
struct DnsMessageSummary {
  bool authoritative = false;
  int rcode = 0;
  int answers = 0;             // Records in the answer section.
  bool answer_cname = false;   // A CNAME among them.
  bool authority_ns = false;   // An NS record in the authority section.
  bool authority_soa = false;  // An SOA record there; its owner:
  std::string authority_soa_owner;
  // How long a negative answer may be kept (RFC 2308: the smaller of the
  // SOA record's TTL and its MINIMUM field); -1 without an SOA.
  int64_t negative_ttl = -1;
  // The smallest TTL of the answer section's records; -1 when empty.
  int64_t answer_ttl = -1;

  // Whether the message is a referral (as IsReferral()).
  bool referral() const {
    return rcode == kRcodeNoError && !authoritative && answers == 0 &&
           authority_ns;
  }
};

// Reads `packet` as ParseDnsMessage() does (the same checks of names and
// bounds, the additional section unread), keeping only the summary.
absl::StatusOr<DnsMessageSummary> SummarizeDnsMessage(
    absl::Span<const uint8_t> packet);

// Returns whether `message` is a referral: no error, no answer records, not
// authoritative, and NS records in the authority section (the server sends
// the asker on to the servers of a zone below or beside its own).
bool IsReferral(const DnsMessage& message);

// Returns the owner of the first SOA record in the authority section, or
// "" when there is none.
std::string AuthoritySoaOwner(const DnsMessage& message);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_DNS_INTERNAL_DNS_MESSAGE_H_

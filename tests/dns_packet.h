// tests/dns_packet.h
//
// Reading and writing the few DNS messages the test servers need to forge:
// the question name of a query, and a negative answer such as a DNS
// firewall (RPZ) or a resolver cut off from the internet sends.
//
// Example:
//
//   std::string name = dnsbl::testing::QuestionName(query);
//   std::string lie = dnsbl::testing::NxDomainAnswer(query, "rpz.local");

#ifndef DNSBL_TESTS_DNS_PACKET_H_
#define DNSBL_TESTS_DNS_PACKET_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "dnsbl/dns/internal/dns_message.h"

namespace dnsbl::testing {

// Returns the name of the first question of the DNS message `packet`, in
// lower case without a trailing dot ("" for the root), or "" when the
// message is too short or the name is compressed or malformed.
std::string QuestionName(absl::string_view packet);

// Returns an NXDOMAIN answer to the DNS query `query` (its ID, flags and
// question kept), with an SOA record owned by `soa_owner` in the
// authority section, or none when `soa_owner` is empty. The SOA's owner
// name is written whole and its server names point back at it with
// compression, as real servers do. Returns "" for a query without a
// readable question.
std::string NxDomainAnswer(absl::string_view query,
                           absl::string_view soa_owner);

// Returns `message` in wire form, names uncompressed, for tests that feed
// parsers and resolvers answers no server of theirs would send. Writes the
// data of A, AAAA, NS, CNAME, SOA (MNAME, a fixed RNAME and timers with
// `soa_minimum`) and TXT records; others get empty data.
std::vector<uint8_t> EncodeDnsMessage(const DnsMessage& message);

// Returns a record of `type` owned by `owner` with `ttl`, its data from
// `value`: the address (A, AAAA), the target (NS, CNAME, SOA's MNAME) or
// the one string (TXT).
DnsRecord Record(const std::string& owner, uint16_t type, uint32_t ttl,
                 const std::string& value);

}  // namespace dnsbl::testing

#endif  // DNSBL_TESTS_DNS_PACKET_H_

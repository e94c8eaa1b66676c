// Fuzzes the DNS message parser direct resolution reads referrals,
// delegations and the AA bit with: no crash, no loop, and every name that
// comes out is a DNS name in text form (labels of letters, digits, '-',
// '_' and \DDD escapes, joined by single dots, at most 255 wire bytes).

#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/types/span.h"
#include "dnsbl/dns/internal/ares_resolver.h"
#include "dnsbl/dns/internal/dns_message.h"

namespace {

void ExpectName(const std::string& name) {
  if (name.size() > 4 * 255) abort();
  if (!name.empty() && (name.front() == '.' || name.back() == '.')) abort();
  if (name.find("..") != std::string::npos) abort();
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == '\\';
    if (!ok) abort();
  }
}

void ExpectRecords(const std::vector<dnsbl::DnsRecord>& records) {
  for (const dnsbl::DnsRecord& r : records) {
    ExpectName(r.owner);
    ExpectName(r.target);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::Span<const uint8_t> packet(data, size);
  absl::StatusOr<dnsbl::DnsMessage> m = dnsbl::ParseDnsMessage(packet);
  if (m.ok()) {
    for (const dnsbl::DnsQuestion& q : m->questions) ExpectName(q.name);
    ExpectRecords(m->answers);
    ExpectRecords(m->authority);
    ExpectRecords(m->additional);
    const std::string soa = dnsbl::AuthoritySoaOwner(*m);
    ExpectName(soa);
    // A referral is never an answer.
    if (dnsbl::IsReferral(*m) && !m->answers.empty()) abort();
    // The summary says what the whole message says.
    absl::StatusOr<dnsbl::DnsMessageSummary> summary =
        dnsbl::SummarizeDnsMessage(packet);
    if (!summary.ok()) abort();
    if (summary->referral() != dnsbl::IsReferral(*m)) abort();
    if (summary->authority_soa_owner != soa) abort();
    if (summary->rcode != m->rcode) abort();
  } else if (m.status().message().empty()) {
    abort();
  }
  // What the resolvers make of the same bytes: a referral or dangling
  // alias is never taken for records.
  for (dnsbl::RecordType type :
       {dnsbl::RecordType::kA, dnsbl::RecordType::kTxt}) {
    dnsbl::DnsResponse r = dnsbl::ParseDnsAnswer(type, packet);
    if ((r.referral || r.alias_only) && !r.records.empty()) abort();
  }
  return 0;
}

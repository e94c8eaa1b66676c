#include "tests/dns_packet.h"

#include <arpa/inet.h>

#include <cstdint>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace dnsbl::testing {
namespace {

constexpr size_t kHeader = 12;

// Returns the length of the uncompressed name at `pos`, with its final
// zero octet, or 0 when it runs off the end or is compressed.
size_t NameLength(absl::string_view packet, size_t pos) {
  size_t at = pos;
  while (at < packet.size()) {
    const uint8_t length = static_cast<uint8_t>(packet[at]);
    if (length == 0) return at + 1 - pos;
    if ((length & 0xc0) != 0) return 0;
    at += 1 + length;
  }
  return 0;
}

void Put16(std::string& out, int value) {
  out.push_back(static_cast<char>((value >> 8) & 0xff));
  out.push_back(static_cast<char>(value & 0xff));
}

void Put32(std::string& out, uint32_t value) {
  Put16(out, static_cast<int>(value >> 16));
  Put16(out, static_cast<int>(value & 0xffff));
}

void PutName(std::string& out, absl::string_view name) {
  for (absl::string_view label : absl::StrSplit(name, '.', absl::SkipEmpty())) {
    out.push_back(static_cast<char>(label.size()));
    out.append(label.data(), label.size());
  }
  out.push_back('\0');
}

}  // namespace

std::string QuestionName(absl::string_view packet) {
  if (packet.size() <= kHeader) return "";
  const size_t length = NameLength(packet, kHeader);
  if (length == 0) return "";
  std::vector<std::string> labels;
  size_t at = kHeader;
  while (static_cast<uint8_t>(packet[at]) != 0) {
    const uint8_t n = static_cast<uint8_t>(packet[at]);
    labels.push_back(absl::AsciiStrToLower(packet.substr(at + 1, n)));
    at += 1 + n;
  }
  return absl::StrJoin(labels, ".");
}

std::string NxDomainAnswer(absl::string_view query,
                           absl::string_view soa_owner) {
  if (query.size() <= kHeader) return "";
  const size_t name_length = NameLength(query, kHeader);
  if (name_length == 0 || kHeader + name_length + 4 > query.size()) return "";
  std::string out(query.data(), 2);  // ID.
  // QR, the query's opcode and RD; RA; rcode 3 (NXDOMAIN).
  out.push_back(static_cast<char>(0x80 | (query[2] & 0x79)));
  out.push_back(static_cast<char>(0x80 | 3));
  Put16(out, 1);                          // QDCOUNT
  Put16(out, 0);                          // ANCOUNT
  Put16(out, soa_owner.empty() ? 0 : 1);  // NSCOUNT
  Put16(out, 0);                          // ARCOUNT
  out.append(query.data() + kHeader, name_length + 4);
  if (soa_owner.empty()) return out;
  const size_t owner_at = out.size();
  PutName(out, soa_owner);
  Put16(out, 6);    // SOA
  Put16(out, 1);    // IN
  Put32(out, 300);  // TTL
  std::string rdata;
  // MNAME and RNAME: labels before a pointer to the owner.
  const uint16_t pointer = static_cast<uint16_t>(0xc000 | owner_at);
  rdata.append("\x02ns", 3);
  Put16(rdata, pointer);
  rdata.append("\x0ahostmaster", 11);
  Put16(rdata, pointer);
  Put32(rdata, 1);      // serial
  Put32(rdata, 3600);   // refresh
  Put32(rdata, 600);    // retry
  Put32(rdata, 86400);  // expire
  Put32(rdata, 300);    // minimum
  Put16(out, static_cast<int>(rdata.size()));
  out += rdata;
  return out;
}

namespace {

void PutRecord(std::string& out, const DnsRecord& r) {
  PutName(out, r.owner);
  Put16(out, r.type);
  Put16(out, r.klass == 0 ? 1 : r.klass);
  Put32(out, r.ttl);
  std::string data;
  switch (r.type) {
    case kDnsA:
    case kDnsAaaa: {
      unsigned char bytes[16];
      const int family = r.type == kDnsA ? AF_INET : AF_INET6;
      if (inet_pton(family, r.address.c_str(), bytes) == 1) {
        data.assign(reinterpret_cast<char*>(bytes), r.type == kDnsA ? 4 : 16);
      }
      break;
    }
    case kDnsNs:
    case kDnsCname:
      PutName(data, r.target);
      break;
    case kDnsSoa:
      PutName(data, r.target);
      PutName(data, "hostmaster.invalid");
      for (uint32_t timer : {1u, 3600u, 600u, 86400u}) Put32(data, timer);
      Put32(data, r.soa_minimum);
      break;
    case kDnsTxt:
      for (const std::string& s : r.strings) {
        data.push_back(static_cast<char>(s.size()));
        data.append(s);
      }
      break;
    default:
      break;
  }
  Put16(out, static_cast<int>(data.size()));
  out.append(data);
}

}  // namespace

std::vector<uint8_t> EncodeDnsMessage(const DnsMessage& m) {
  std::string out;
  Put16(out, m.id);
  int flags = m.rcode & 0x0f;
  if (m.response) flags |= 0x8000;
  if (m.authoritative) flags |= 0x0400;
  if (m.truncated) flags |= 0x0200;
  if (m.recursion_desired) flags |= 0x0100;
  if (m.recursion_available) flags |= 0x0080;
  Put16(out, flags);
  Put16(out, static_cast<int>(m.questions.size()));
  Put16(out, static_cast<int>(m.answers.size()));
  Put16(out, static_cast<int>(m.authority.size()));
  Put16(out, static_cast<int>(m.additional.size()));
  for (const DnsQuestion& q : m.questions) {
    PutName(out, q.name);
    Put16(out, q.type);
    Put16(out, q.klass == 0 ? 1 : q.klass);
  }
  for (const auto* section : {&m.answers, &m.authority, &m.additional}) {
    for (const DnsRecord& r : *section) PutRecord(out, r);
  }
  return std::vector<uint8_t>(out.begin(), out.end());
}

DnsRecord Record(const std::string& owner, uint16_t type, uint32_t ttl,
                 const std::string& value) {
  DnsRecord r;
  r.owner = owner;
  r.type = type;
  r.klass = 1;
  r.ttl = ttl;
  if (type == kDnsA || type == kDnsAaaa) {
    r.address = value;
  } else if (type == kDnsTxt) {
    r.strings = {value};
  } else {
    r.target = value;
  }
  return r;
}

}  // namespace dnsbl::testing

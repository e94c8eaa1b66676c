#include "tests/dns_packet.h"

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

}  // namespace dnsbl::testing

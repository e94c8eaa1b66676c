#include "dnsbl/dns/internal/dns_message.h"

#include <arpa/inet.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace dnsbl {
namespace {

constexpr size_t kHeaderSize = 12;
constexpr size_t kMaxNameLength = 255;

// Appends a label in text form: lower case, \DDD for a byte that is not a
// letter, digit, '-' or '_'; a dot before it unless `name` is empty.
void AppendLabel(absl::Span<const uint8_t> label, std::string& name) {
  if (!name.empty()) name.push_back('.');
  for (uint8_t byte : label) {
    const char c = static_cast<char>(byte);
    if (absl::ascii_isalnum(c) || c == '-' || c == '_') {
      name.push_back(absl::ascii_tolower(c));
    } else {
      absl::StrAppendFormat(&name, "\\%03d", byte);
    }
  }
}

// Reads a message front to back; every read checks its bounds.
class Reader {
 public:
  explicit Reader(absl::Span<const uint8_t> packet) : packet_(packet) {}

  size_t offset() const { return offset_; }
  size_t left() const { return packet_.size() - offset_; }

  // The 32-bit number at `at`. REQUIRES: at + 4 <= the packet's size.
  uint32_t U32At(size_t at) const {
    return (static_cast<uint32_t>(packet_[at]) << 24) |
           (static_cast<uint32_t>(packet_[at + 1]) << 16) |
           (static_cast<uint32_t>(packet_[at + 2]) << 8) | packet_[at + 3];
  }

  bool U16(uint16_t& out) {
    if (left() < 2) return false;
    out = static_cast<uint16_t>((packet_[offset_] << 8) | packet_[offset_ + 1]);
    offset_ += 2;
    return true;
  }

  bool U32(uint32_t& out) {
    uint16_t high = 0;
    uint16_t low = 0;
    if (!U16(high) || !U16(low)) return false;
    out = (static_cast<uint32_t>(high) << 16) | low;
    return true;
  }

  // Reads the (possibly compressed) name at the current offset into
  // `name` and moves past it.
  absl::Status Name(std::string& name) {
    absl::StatusOr<size_t> end = NameAt(offset_, &name);
    if (!end.ok()) return end.status();
    offset_ = *end;
    return absl::OkStatus();
  }

  // Checks the name at the current offset and moves past it, without
  // building its text.
  absl::Status SkipName() {
    absl::StatusOr<size_t> end = NameAt(offset_, nullptr);
    if (!end.ok()) return end.status();
    offset_ = *end;
    return absl::OkStatus();
  }

  // Reads the name at `at` (within the whole packet) into `*name` (when
  // not null); returns the offset just past it where it started (not
  // where pointers led).
  absl::StatusOr<size_t> NameAt(size_t at, std::string* name) const {
    if (name != nullptr) name->clear();
    size_t wire_length = 1;  // The root label.
    size_t resume = 0;       // Where reading continues after a pointer.
    bool jumped = false;
    size_t pos = at;
    while (true) {
      if (pos >= packet_.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat("name at offset ", at, " runs past the end"));
      }
      const uint8_t length = packet_[pos];
      if ((length & 0xc0) == 0xc0) {
        if (pos + 1 >= packet_.size()) {
          return absl::InvalidArgumentError(absl::StrCat(
              "compression pointer at offset ", pos, " runs past the end"));
        }
        const size_t target = ((length & 0x3f) << 8) | packet_[pos + 1];
        // Only backwards, to an earlier label: no loops.
        if (target >= pos) {
          return absl::InvalidArgumentError(absl::StrCat(
              "compression pointer at offset ", pos, " does not point back"));
        }
        if (!jumped) resume = pos + 2;
        jumped = true;
        pos = target;
        continue;
      }
      if ((length & 0xc0) != 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("unknown label type at offset ", pos));
      }
      if (length == 0) {
        return jumped ? resume : pos + 1;
      }
      wire_length += length + 1;
      if (wire_length > kMaxNameLength) {
        return absl::InvalidArgumentError(
            absl::StrCat("name at offset ", at, " is longer than 255 bytes"));
      }
      if (pos + 1 + length > packet_.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat("label at offset ", pos, " runs past the end"));
      }
      if (name != nullptr) AppendLabel(packet_.subspan(pos + 1, length), *name);
      pos += 1 + length;
    }
  }

  absl::Span<const uint8_t> Bytes(size_t at, size_t length) const {
    return packet_.subspan(at, length);
  }

  void Skip(size_t n) { offset_ += n; }

 private:
  absl::Span<const uint8_t> packet_;
  size_t offset_ = 0;
};

absl::Status ReadRdata(const Reader& reader, size_t start, size_t length,
                       DnsRecord& record) {
  absl::Span<const uint8_t> data = reader.Bytes(start, length);
  auto bad = [&](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(
        "record of type ", record.type, " for '", record.owner, "': ", what));
  };
  switch (record.type) {
    case kDnsA:
    case kDnsAaaa: {
      const bool v4 = record.type == kDnsA;
      if (data.size() != (v4 ? 4u : 16u)) return bad("wrong address length");
      char text[INET6_ADDRSTRLEN];
      if (inet_ntop(v4 ? AF_INET : AF_INET6, data.data(), text, sizeof(text)) ==
          nullptr) {
        return bad("unreadable address");
      }
      record.address = text;
      return absl::OkStatus();
    }
    case kDnsNs:
    case kDnsCname:
    case kDnsSoa: {
      absl::StatusOr<size_t> end = reader.NameAt(start, &record.target);
      if (!end.ok()) return end.status();
      if (*end > start + length) return bad("name runs past its data");
      if (record.type != kDnsSoa) {
        if (*end != start + length) return bad("data after the name");
        return absl::OkStatus();
      }
      std::string rname;
      absl::StatusOr<size_t> after = reader.NameAt(*end, &rname);
      if (!after.ok()) return after.status();
      if (*after + 20 != start + length) return bad("wrong SOA length");
      absl::Span<const uint8_t> minimum = reader.Bytes(*after + 16, 4);
      record.soa_minimum = (static_cast<uint32_t>(minimum[0]) << 24) |
                           (static_cast<uint32_t>(minimum[1]) << 16) |
                           (static_cast<uint32_t>(minimum[2]) << 8) |
                           minimum[3];
      return absl::OkStatus();
    }
    case kDnsTxt: {
      size_t i = 0;
      while (i < data.size()) {
        const size_t n = data[i];
        if (i + 1 + n > data.size()) return bad("string runs past its data");
        record.strings.emplace_back(
            reinterpret_cast<const char*>(data.data() + i + 1), n);
        i += 1 + n;
      }
      return absl::OkStatus();
    }
    default:
      return absl::OkStatus();
  }
}

absl::Status ReadSection(Reader& reader, int count, absl::string_view section,
                         std::vector<DnsRecord>& out) {
  for (int i = 0; i < count; ++i) {
    DnsRecord record;
    if (absl::Status s = reader.Name(record.owner); !s.ok()) return s;
    uint16_t rdlength = 0;
    if (!reader.U16(record.type) || !reader.U16(record.klass) ||
        !reader.U32(record.ttl) || !reader.U16(rdlength) ||
        reader.left() < rdlength) {
      return absl::InvalidArgumentError(absl::StrCat(
          section, " record ", i + 1, " of ", count, " runs past the end"));
    }
    const size_t start = reader.offset();
    if (absl::Status s = ReadRdata(reader, start, rdlength, record); !s.ok()) {
      return s;
    }
    reader.Skip(rdlength);
    out.push_back(std::move(record));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<DnsMessage> ParseDnsMessage(absl::Span<const uint8_t> packet) {
  if (packet.size() < kHeaderSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "message of ", packet.size(), " bytes is shorter than a header"));
  }
  Reader reader(packet);
  DnsMessage message;
  uint16_t flags = 0;
  uint16_t counts[4] = {};
  reader.U16(message.id);
  reader.U16(flags);
  for (uint16_t& count : counts) reader.U16(count);
  message.response = (flags & 0x8000) != 0;
  message.authoritative = (flags & 0x0400) != 0;
  message.truncated = (flags & 0x0200) != 0;
  message.recursion_desired = (flags & 0x0100) != 0;
  message.recursion_available = (flags & 0x0080) != 0;
  message.rcode = flags & 0x000f;
  for (int i = 0; i < counts[0]; ++i) {
    DnsQuestion question;
    if (absl::Status s = reader.Name(question.name); !s.ok()) return s;
    if (!reader.U16(question.type) || !reader.U16(question.klass)) {
      return absl::InvalidArgumentError("question runs past the end");
    }
    message.questions.push_back(std::move(question));
  }
  if (absl::Status s =
          ReadSection(reader, counts[1], "answer", message.answers);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          ReadSection(reader, counts[2], "authority", message.authority);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          ReadSection(reader, counts[3], "additional", message.additional);
      !s.ok()) {
    return s;
  }
  return message;
}

absl::StatusOr<DnsMessageSummary> SummarizeDnsMessage(
    absl::Span<const uint8_t> packet) {
  if (packet.size() < kHeaderSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "message of ", packet.size(), " bytes is shorter than a header"));
  }
  Reader reader(packet);
  DnsMessageSummary summary;
  uint16_t id = 0;
  uint16_t flags = 0;
  uint16_t counts[4] = {};
  reader.U16(id);
  reader.U16(flags);
  for (uint16_t& count : counts) reader.U16(count);
  summary.authoritative = (flags & 0x0400) != 0;
  summary.rcode = flags & 0x000f;
  summary.answers = counts[1];
  for (int i = 0; i < counts[0]; ++i) {
    uint16_t type = 0;
    uint16_t klass = 0;
    if (absl::Status s = reader.SkipName(); !s.ok()) return s;
    if (!reader.U16(type) || !reader.U16(klass)) {
      return absl::InvalidArgumentError("question runs past the end");
    }
  }
  for (int section = 1; section <= 2; ++section) {
    for (int i = 0; i < counts[section]; ++i) {
      const size_t owner = reader.offset();
      if (absl::Status s = reader.SkipName(); !s.ok()) return s;
      uint16_t type = 0;
      uint16_t klass = 0;
      uint32_t ttl = 0;
      uint16_t rdlength = 0;
      if (!reader.U16(type) || !reader.U16(klass) || !reader.U32(ttl) ||
          !reader.U16(rdlength) || reader.left() < rdlength) {
        return absl::InvalidArgumentError(
            absl::StrCat("record ", i + 1, " runs past the end"));
      }
      const size_t rdata = reader.offset();
      reader.Skip(rdlength);
      if (section == 1) {
        summary.answer_cname |= type == kDnsCname;
        summary.answer_ttl = summary.answer_ttl < 0
                                 ? ttl
                                 : std::min<int64_t>(summary.answer_ttl, ttl);
      } else if (type == kDnsNs) {
        summary.authority_ns = true;
      } else if (type == kDnsSoa && !summary.authority_soa) {
        summary.authority_soa = true;
        // MINIMUM is the SOA's last field, whatever its names' lengths.
        if (rdlength >= 22) {
          summary.negative_ttl =
              std::min<int64_t>(ttl, reader.U32At(rdata + rdlength - 4));
        }
        absl::StatusOr<size_t> end =
            reader.NameAt(owner, &summary.authority_soa_owner);
        if (!end.ok()) return end.status();
      }
    }
  }
  return summary;
}

bool IsReferral(const DnsMessage& message) {
  if (message.rcode != kRcodeNoError || message.authoritative ||
      !message.answers.empty()) {
    return false;
  }
  for (const DnsRecord& record : message.authority) {
    if (record.type == kDnsNs) return true;
  }
  return false;
}

std::string AuthoritySoaOwner(const DnsMessage& message) {
  for (const DnsRecord& record : message.authority) {
    if (record.type == kDnsSoa) return record.owner;
  }
  return "";
}

}  // namespace dnsbl

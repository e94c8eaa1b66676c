#include "dnsbl/localzone/internal/zone_line.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace dnsbl {
namespace {

constexpr uint32_t kLoopback = 0x7f000000u;

int MaskBits(ZoneCursor& c, int max) {
  if (!IsZoneDigit(c.at())) return -1;
  int bits = 0;
  while (IsZoneDigit(c.at())) {
    bits = bits * 10 + (c.at() - '0');
    if (bits > max) return -1;
    c.skip();
  }
  return bits;
}

}  // namespace

ZoneLine ClassifyZoneLine(absl::string_view raw, bool ip6_colon_entries) {
  size_t b = 0;
  while (b < raw.size() && IsZoneSpace(raw[b])) ++b;
  size_t e = raw.size();
  while (e > b && IsZoneSpace(raw[e - 1])) --e;
  const absl::string_view line = raw.substr(b, e - b);
  if (line.empty()) return {ZoneLineKind::kBlank, line};
  if (line[0] == '$') return {ZoneLineKind::kSpecial, line.substr(1)};
  if ((IsZoneComment(line[0]) || line[0] == ':') && line.size() > 1 &&
      line[1] == '$') {
    return {ZoneLineKind::kSpecial, line.substr(2)};
  }
  if (IsZoneComment(line[0])) return {ZoneLineKind::kComment, line};
  if (line[0] == ':' &&
      !(ip6_colon_entries && line.size() > 1 && line[1] == ':')) {
    return {ZoneLineKind::kValue, line};
  }
  return {ZoneLineKind::kEntry, line};
}

int ParseIp4Prefix(ZoneCursor& c, uint32_t* addr) {
  *addr = 0;
  int bits = 0;
  for (int shift = 24; shift >= 0; shift -= 8) {
    if (!IsZoneDigit(c.at())) return -1;
    uint32_t octet = 0;
    while (IsZoneDigit(c.at())) {
      octet = octet * 10 + (c.at() - '0');
      if (octet > 255) return -1;
      c.skip();
    }
    *addr |= octet << shift;
    bits += 8;
    if (c.at() != '.' || shift == 0) break;
    c.skip();
  }
  return bits;
}

int ParseIp4Cidr(ZoneCursor& c, uint32_t* addr) {
  int bits = ParseIp4Prefix(c, addr);
  if (bits < 0) return -1;
  if (c.at() == '/') {
    c.skip();
    return MaskBits(c, 32);
  }
  return bits == 8 ? -1 : bits;
}

int ParseIp4Range(ZoneCursor& c, uint32_t* a, uint32_t* b) {
  int bits = ParseIp4Prefix(c, a);
  if (bits < 0) return -1;
  if (c.at() == '-') {
    c.skip();
    int bbits = ParseIp4Prefix(c, b);
    if (bbits < 0) return -1;
    if (bbits == 8) {
      *b = (*b >> (bits - 8)) | (*a & Mask4(bits - 8));
      bbits = bits;
    } else if (bbits != bits) {
      return -1;
    }
    if (bbits != 32) *b |= ~Mask4(bbits);
    if (*a > *b) return -1;
    return 32;
  }
  if (c.at() == '/') {
    c.skip();
    bits = MaskBits(c, 32);
    if (bits < 0) return -1;
  } else if (bits == 8) {
    return -1;
  }
  *b = *a | ~Mask4(bits);
  return bits;
}

int ParseIp6Prefix(ZoneCursor& c, std::array<uint8_t, 16>* out) {
  out->fill(0);
  std::array<uint8_t, 16> a{};
  size_t bytes = 0;
  int zstart = -1;
  int ret = -1;
  if (c.at() == ':' && c.at(1) == ':') {
    zstart = 0;
    c.skip(2);
  }
  for (;;) {
    uint32_t v = 0;
    int digits = 0;
    while (absl::ascii_isxdigit(c.at())) {
      const char h = absl::ascii_tolower(c.at());
      v = (v << 4) + (IsZoneDigit(h) ? h - '0' : h - 'a' + 10);
      if (v > 0xffff) break;
      c.skip();
      ++digits;
    }
    if (digits == 0 || v > 0xffff) break;
    a[bytes++] = v >> 8;
    a[bytes++] = v & 0xff;
    if (c.at() != ':' || bytes + 2 > 16) {
      ret = static_cast<int>(bytes) * 8;
      break;
    }
    c.skip();
    if (zstart < 0 && c.at() == ':') {
      zstart = static_cast<int>(bytes);
      c.skip();
    }
  }
  if (zstart >= 0) {
    const size_t zeros = 16 - bytes;
    if (zeros == 0) return -1;
    std::copy(a.begin() + zstart, a.begin() + bytes,
              out->begin() + zstart + zeros);
    std::copy(a.begin(), a.begin() + zstart, out->begin());
    return 128;
  }
  *out = a;
  return ret;
}

int ParseIp6Cidr(ZoneCursor& c, std::array<uint8_t, 16>* out) {
  int bits = ParseIp6Prefix(c, out);
  if (bits >= 0 && c.at() == '/') {
    c.skip();
    return MaskBits(c, 128);
  }
  return bits == 16 ? -1 : bits;
}

absl::uint128 ToUint128(const std::array<uint8_t, 16>& bytes) {
  absl::uint128 v = 0;
  for (uint8_t x : bytes) v = (v << 8) | x;
  return v;
}

bool ParseZoneTime(absl::string_view text, uint32_t* seconds) {
  ZoneCursor c(text);
  uint64_t n = 0;
  if (!IsZoneDigit(c.at())) return false;
  while (IsZoneDigit(c.at())) {
    n = n * 10 + (c.at() - '0');
    if (n > 0xffffffffu) return false;
    c.skip();
  }
  uint64_t m = 1;
  switch (absl::ascii_tolower(c.at())) {
    case 'w':
      m = 7 * 24 * 3600;
      break;
    case 'd':
      m = 24 * 3600;
      break;
    case 'h':
      m = 3600;
      break;
    case 'm':
      m = 60;
      break;
    case 's':
      break;
    default:
      m = 0;
  }
  if (m != 0) {
    c.skip();
  } else {
    m = 1;
  }
  if (n * m > 0xffffffffu) return false;
  c.skip_space();
  if (!c.done()) return false;
  *seconds = static_cast<uint32_t>(n * m);
  return true;
}

bool ParseZoneTimestamp(absl::string_view text, absl::Time* out) {
  if (text == "0" || text == "-" || text == ":") {
    *out = absl::InfinitePast();
    return true;
  }
  int fields[6] = {0, 1, 1, 0, 0, 0};
  const int widths[6] = {4, 2, 2, 2, 2, 2};
  size_t i = 0;
  for (int f = 0; f < 6 && i < text.size(); ++f) {
    int n = 0;
    int w = 0;
    if (!IsZoneDigit(text[i])) return false;
    while (i < text.size() && IsZoneDigit(text[i]) && w < widths[f]) {
      n = n * 10 + (text[i++] - '0');
      ++w;
    }
    fields[f] = n;
    if (i < text.size() && (text[i] == ':' || text[i] == '-')) ++i;
  }
  if (i != text.size()) return false;
  absl::CivilSecond civil(fields[0], fields[1], fields[2], fields[3], fields[4],
                          fields[5]);
  if (civil.year() != fields[0] || civil.month() != fields[1] ||
      civil.day() != fields[2]) {
    return false;
  }
  *out = absl::FromCivil(civil, absl::UTCTimeZone());
  return true;
}

bool ParseAValue(ZoneCursor& c, uint32_t* a) {
  const int bits = ParseIp4Prefix(c, a);
  if (bits <= 0) return false;
  switch (bits) {
    case 8:
      *a >>= 24;
      break;
    case 16:
      *a = (*a & 0xff000000u) | ((*a >> 16) & 255);
      break;
    case 24:
      *a = (*a & 0xffff0000u) | ((*a >> 8) & 255);
      break;
  }
  if (*a == 0) return false;
  if (bits == 8) *a |= kLoopback;
  return true;
}

std::string ZoneIp6Text(const std::array<uint8_t, 16>& bytes) {
  int words[8];
  for (int i = 0; i < 8; ++i) words[i] = (bytes[2 * i] << 8) | bytes[2 * i + 1];
  int best = -1;
  int best_len = 1;
  for (int i = 0; i < 8; ++i) {
    int j = i;
    while (j < 8 && words[j] == 0) ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    absl::StrAppend(&out, absl::Hex(words[i]));
  }
  return out;
}

}  // namespace dnsbl

// dnsbl/localzone/internal/zone_line.h
//
// The lexical layer of rbldnsd's data files: one line at a time, the
// address forms each dataset takes (dotted prefixes, CIDR, ranges, IPv6
// with "::"), A values, rbldnsd's time and timestamp syntax. Each parser
// reads from a Cursor and accepts exactly what rbldnsd's own parsers in
// its ip4parse.c / ip6addr.c / rbldnsd_util.c accept, so a file reads here
// as rbldnsd reads it (tests/localzone_differential_test.cc).
//
// Example:
//
//   dnsbl::ZoneCursor c("10.0.0.0/8 :2:spam");
//   uint32_t a = 0;
//   int bits = dnsbl::ParseIp4Cidr(c, &a);  // 8; c now at " :2:spam".

#ifndef DNSBL_DNSBL_LOCALZONE_INTERNAL_ZONE_LINE_H_
#define DNSBL_DNSBL_LOCALZONE_INTERNAL_ZONE_LINE_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/numeric/int128.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace dnsbl {

inline bool IsZoneSpace(char c) { return c == ' ' || c == '\t'; }
inline bool IsZoneComment(char c) { return c == '#' || c == ';'; }
inline bool IsZoneDigit(char c) { return c >= '0' && c <= '9'; }

// A cursor over one line; `at()` is '\0' at its end, as in C strings.
class ZoneCursor {
 public:
  explicit ZoneCursor(absl::string_view s) : s_(s) {}
  char at(size_t k = 0) const { return i_ + k < s_.size() ? s_[i_ + k] : 0; }
  void skip(size_t n = 1) { i_ = std::min(s_.size(), i_ + n); }
  void skip_space() {
    while (IsZoneSpace(at())) skip();
  }
  bool done() const { return i_ >= s_.size(); }
  absl::string_view rest() const { return s_.substr(i_); }
  // Whether what follows an address ends it: the line's end, white space,
  // a comment or a value's ':'.
  bool AtEntryEnd() const {
    return done() || IsZoneSpace(at()) || IsZoneComment(at()) || at() == ':';
  }

 private:
  absl::string_view s_;
  size_t i_ = 0;
};

// What a line of a data file is, with its text trimmed of white space.
enum class ZoneLineKind {
  kBlank,    // Empty or white space.
  kComment,  // '#' or ';' first.
  kSpecial,  // "$NAME ...", or "#$", ";$", ":$" (text: after the '$').
  kValue,    // A default value line, ":A:TXT" (not "::1" in ip6trie).
  kEntry,    // An entry (text: the whole trimmed line).
};

struct ZoneLine {
  ZoneLineKind kind = ZoneLineKind::kBlank;
  absl::string_view text;
};

// Classifies `raw`; `ip6_colon_entries` for datasets whose entries may
// start with "::".
ZoneLine ClassifyZoneLine(absl::string_view raw, bool ip6_colon_entries);

// The top `bits` bits set.
inline uint32_t Mask4(int bits) {
  return bits <= 0 ? 0 : bits >= 32 ? 0xffffffffu : ~(0xffffffffu >> bits);
}
inline absl::uint128 Mask6(int bits) {
  if (bits <= 0) return 0;
  if (bits >= 128) return ~absl::uint128(0);
  return ~(~absl::uint128(0) >> bits);
}

absl::uint128 ToUint128(const std::array<uint8_t, 16>& bytes);

// One to four dotted decimal octets, left-aligned in `*addr`: returns 8
// per octet read, or -1.
int ParseIp4Prefix(ZoneCursor& c, uint32_t* addr);

// "a.b.c.d/n", or a prefix of 2-4 octets (a bare number needs "/n"):
// returns the prefix length or -1.
int ParseIp4Cidr(ZoneCursor& c, uint32_t* addr);

// A CIDR, a prefix or a range of two prefixes ("127.16-31" completes the
// last one as a suffix of the first): returns the prefix length, 32 for a
// range, or -1; [*a, *b] is inclusive.
int ParseIp4Range(ZoneCursor& c, uint32_t* a, uint32_t* b);

// Up to eight hex groups with an optional "::": returns 16 per group read
// (128 with "::"), or -1.
int ParseIp6Prefix(ZoneCursor& c, std::array<uint8_t, 16>* out);

// An IPv6 prefix with an optional "/n": returns its length or -1.
int ParseIp6Cidr(ZoneCursor& c, std::array<uint8_t, 16>* out);

// The A of ":A..." values: a whole address, or its last one to three
// octets (":2" is 127.0.0.2, ":127.3" is 127.0.0.3). Zero is invalid.
bool ParseAValue(ZoneCursor& c, uint32_t* a);

// rbldnsd's time syntax: a number with an optional s/m/h/d/w unit, in
// seconds.
bool ParseZoneTime(absl::string_view text, uint32_t* seconds);

// "YYYY:MM:DD[:hh[:mi[:ss]]]" (':' or '-' between, or none), in UTC;
// "0", "-" or ":" for none (InfinitePast).
bool ParseZoneTimestamp(absl::string_view text, absl::Time* out);

// IPv6 text as rbldnsd writes it in TXT answers: lower-case hex groups,
// the first longest run of two or more zero groups as "::". Not
// IpAddress::ToString() (inet_ntop), which writes mapped addresses such as
// the health probes' ::ffff:7f00:2 as "::ffff:127.0.0.2".
std::string ZoneIp6Text(const std::array<uint8_t, 16>& bytes);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_LOCALZONE_INTERNAL_ZONE_LINE_H_

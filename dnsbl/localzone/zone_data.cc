#include "dnsbl/localzone/zone_data.h"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <sstream>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "dnsbl/base/escape.h"

namespace dnsbl {
namespace {

constexpr int kDefaultTtl = 35 * 60;  // rbldnsd's -t default.
constexpr uint32_t kLoopback = 0x7f000000u;
constexpr size_t kMaxTxt = 255;       // Templates are cut here on load...
constexpr size_t kMaxExpanded = 254;  // ...and answers here on expansion.

bool IsSpace(char c) { return c == ' ' || c == '\t'; }
bool IsComment(char c) { return c == '#' || c == ';'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A cursor over one line; `at()` is '\0' at its end, as in C strings.
class Cursor {
 public:
  explicit Cursor(absl::string_view s) : s_(s) {}
  char at(size_t k = 0) const { return i_ + k < s_.size() ? s_[i_ + k] : 0; }
  void skip(size_t n = 1) { i_ = std::min(s_.size(), i_ + n); }
  void skip_space() {
    while (IsSpace(at())) skip();
  }
  bool done() const { return i_ >= s_.size(); }
  absl::string_view rest() const { return s_.substr(i_); }

 private:
  absl::string_view s_;
  size_t i_ = 0;
};

uint32_t Mask4(int bits) {
  return bits <= 0 ? 0 : bits >= 32 ? 0xffffffffu : ~(0xffffffffu >> bits);
}

// One to four dotted decimal octets, left-aligned: returns 8 per octet
// read, or -1.
int Ip4Prefix(Cursor& c, uint32_t* addr) {
  *addr = 0;
  int bits = 0;
  for (int shift = 24; shift >= 0; shift -= 8) {
    if (!IsDigit(c.at())) return -1;
    uint32_t octet = 0;
    while (IsDigit(c.at())) {
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

int MaskBits(Cursor& c, int max) {
  if (!IsDigit(c.at())) return -1;
  int bits = 0;
  while (IsDigit(c.at())) {
    bits = bits * 10 + (c.at() - '0');
    if (bits > max) return -1;
    c.skip();
  }
  return bits;
}

// "a.b.c.d/n", or a prefix of 2-4 octets (a bare number needs "/n").
int Ip4Cidr(Cursor& c, uint32_t* addr) {
  int bits = Ip4Prefix(c, addr);
  if (bits < 0) return -1;
  if (c.at() == '/') {
    c.skip();
    return MaskBits(c, 32);
  }
  return bits == 8 ? -1 : bits;
}

// A CIDR, a prefix or a range of two prefixes ("127.16-31" completes the
// last one as a suffix of the first): returns the prefix length, 32 for a
// range, or -1; [*a, *b] is inclusive.
int Ip4Range(Cursor& c, uint32_t* a, uint32_t* b) {
  int bits = Ip4Prefix(c, a);
  if (bits < 0) return -1;
  if (c.at() == '-') {
    c.skip();
    int bbits = Ip4Prefix(c, b);
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

// Up to eight hex groups with an optional "::"; returns 16 per group read
// (128 with "::"), or -1.
int Ip6Prefix(Cursor& c, std::array<uint8_t, 16>* out) {
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
      v = (v << 4) + (IsDigit(h) ? h - '0' : h - 'a' + 10);
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

int Ip6Cidr(Cursor& c, std::array<uint8_t, 16>* out) {
  int bits = Ip6Prefix(c, out);
  if (bits >= 0 && c.at() == '/') {
    c.skip();
    return MaskBits(c, 128);
  }
  return bits == 16 ? -1 : bits;
}

absl::uint128 ToUint128(const std::array<uint8_t, 16>& b) {
  absl::uint128 v = 0;
  for (uint8_t x : b) v = (v << 8) | x;
  return v;
}

absl::uint128 Mask6(int bits) {
  if (bits <= 0) return 0;
  if (bits >= 128) return ~absl::uint128(0);
  return ~(~absl::uint128(0) >> bits);
}

// rbldnsd's time syntax: a number with an optional s/m/h/d/w unit.
bool ParseTime(absl::string_view text, uint32_t* out) {
  Cursor c(text);
  uint64_t n = 0;
  if (!IsDigit(c.at())) return false;
  while (IsDigit(c.at())) {
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
  *out = static_cast<uint32_t>(n * m);
  return true;
}

// "YYYY:MM:DD[:hh[:mi[:ss]]]" (':' or '-' between, or none), "0" or "-".
bool ParseTimestamp(absl::string_view text, absl::Time* out) {
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
    if (!IsDigit(text[i])) return false;
    while (i < text.size() && IsDigit(text[i]) && w < widths[f]) {
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

// The A of ":A..." values: a whole address, or its last one to three
// octets (":2" is 127.0.0.2, ":127.3" is 127.0.0.3). Zero is invalid.
bool ParseAValue(Cursor& c, uint32_t* a) {
  const int bits = Ip4Prefix(c, a);
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

// IPv6 text as rbldnsd writes it in TXT answers: lower-case hex groups,
// the first longest run of two or more zero groups as "::". Not
// IpAddress::ToString() (inet_ntop), which writes mapped addresses such as
// the health probes' ::ffff:7f00:2 as "::ffff:127.0.0.2".
std::string Ip6Text(const std::array<uint8_t, 16>& b) {
  int words[8];
  for (int i = 0; i < 8; ++i) words[i] = (b[2 * i] << 8) | b[2 * i + 1];
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

// Sorts `items` by the 64-bit key(item), least significant byte first
// (a stable LSD radix sort): loading a large file was half sorting, and its
// keys are 32-bit addresses and small value numbers, so most of the eight
// byte passes are skipped as all-equal.
template <typename T, typename Key>
void RadixSort(std::vector<T>& items, Key key) {
  std::vector<T> scratch(items.size());
  for (int shift = 0; shift < 64; shift += 8) {
    std::array<size_t, 257> starts{};
    for (const T& item : items) ++starts[((key(item) >> shift) & 255) + 1];
    if (std::find(starts.begin() + 1, starts.end(), items.size()) !=
        starts.end()) {
      continue;  // One digit for all: this pass would not move anything.
    }
    for (size_t d = 1; d < starts.size(); ++d) starts[d] += starts[d - 1];
    for (T& item : items) {
      scratch[starts[(key(item) >> shift) & 255]++] = std::move(item);
    }
    items.swap(scratch);
  }
}

}  // namespace

// Builds a ZoneData line by line, as rbldnsd loads a dataset.
class ZoneDataBuilder {
 public:
  ZoneDataBuilder(DatasetType type, absl::Time now)
      : data_(new ZoneData()), now_(now) {
    data_->type_ = type;
    if (type == DatasetType::kIp4Trie || type == DatasetType::kIp6Trie) {
      data_->prefixes_.resize(type == DatasetType::kIp4Trie ? 33 : 129);
    }
  }

  // Starts a file: a default value holds to the end of its file.
  void StartFile(absl::string_view name) {
    file_ = std::string(name);
    default_ = Global();
    line_ = 0;
  }

  absl::Status Line(absl::string_view raw) {
    ++line_;
    size_t b = 0;
    while (b < raw.size() && IsSpace(raw[b])) ++b;
    size_t e = raw.size();
    while (e > b && IsSpace(raw[e - 1])) --e;
    absl::string_view line = raw.substr(b, e - b);
    if (line.empty()) return absl::OkStatus();
    if (line[0] == '$' || ((IsComment(line[0]) || line[0] == ':') &&
                           line.size() > 1 && line[1] == '$')) {
      return Special(line.substr(line[0] == '$' ? 1 : 2));
    }
    if (IsComment(line[0])) return absl::OkStatus();
    Entry(line);
    return absl::OkStatus();
  }

  std::shared_ptr<const ZoneData> Finish() {
    ZoneData& d = *data_;
    if (d.type_ == DatasetType::kIp4TSet || d.type_ == DatasetType::kIp6TSet) {
      if (d.values_.empty()) d.values_.push_back(Global());
      RadixSort(d.ip4_set_, [](uint32_t a) { return uint64_t{a}; });
      d.ip4_set_.erase(std::unique(d.ip4_set_.begin(), d.ip4_set_.end()),
                       d.ip4_set_.end());
      std::sort(d.ip6_set_.begin(), d.ip6_set_.end());
      d.ip6_set_.erase(std::unique(d.ip6_set_.begin(), d.ip6_set_.end()),
                       d.ip6_set_.end());
      std::sort(d.ip6_excluded_.begin(), d.ip6_excluded_.end());
    }
    for (auto& level : d.ip4_levels_) {
      RadixSort(level, [](const std::pair<uint32_t, uint32_t>& e) {
        return uint64_t{e.first} << 32 | e.second;
      });
      level.erase(std::unique(level.begin(), level.end()), level.end());
      level.shrink_to_fit();
    }
    for (size_t len = d.prefixes_.size(); len-- > 0;) {
      auto& p = d.prefixes_[len];
      if (p.empty()) continue;
      // Stable: the first of duplicated prefixes wins, as in rbldnsd.
      std::stable_sort(p.begin(), p.end(), [](const auto& x, const auto& y) {
        return x.first < y.first;
      });
      p.erase(std::unique(p.begin(), p.end(),
                          [](const auto& x, const auto& y) {
                            return x.first == y.first;
                          }),
              p.end());
      p.shrink_to_fit();
      d.lengths_.push_back(static_cast<int>(len));
    }
    d.ip4_set_.shrink_to_fit();
    d.ip6_set_.shrink_to_fit();
    for (int level = 0; level < 4; ++level) {
      d.ip4_index_[level] = BucketStarts(d.ip4_levels_[level],
                                         [](const auto& e) { return e.first; });
    }
    d.ip4_set_index_ = BucketStarts(d.ip4_set_, [](uint32_t a) { return a; });
    return std::shared_ptr<const ZoneData>(data_.release());
  }

  // Records a file read and its modification time.
  void AddFile(std::string name, absl::Time mtime) {
    data_->files_.push_back(std::move(name));
    data_->mtime_ = std::max(data_->mtime_, mtime);
  }

 private:
  static ZoneData::Value Global() { return ZoneData::Value{}; }

  void Warn(absl::string_view why) {
    data_->warnings_.push_back(absl::StrCat(file_, ":", line_, ": ", why));
  }

  uint32_t Intern(const ZoneData::Value& v) {
    auto [it, added] =
        interned_.try_emplace(std::make_pair(v.a, v.txt),
                              static_cast<uint32_t>(data_->values_.size()));
    if (added) data_->values_.push_back(v);
    return it->second;
  }

  // rbldnsd's ":A:TXT", ":A", ":A:" and "TXT" values; `def` fills what is
  // not given. Returns false (and warns) for a bad value.
  bool ParseValue(absl::string_view text, const ZoneData::Value& def,
                  ZoneData::Value* out) {
    Cursor c(text);
    if (c.at() == ':') {
      c.skip();
      uint32_t a = 0;
      if (!ParseAValue(c, &a)) {
        Warn("invalid A RR");
        return false;
      }
      out->a = a;
      c.skip_space();
      if (c.at() == ':') {
        c.skip();
        c.skip_space();
        out->txt = std::string(c.rest().substr(0, kMaxTxt));
      } else if (!c.done()) {
        Warn("unrecognized value for an entry");
        return false;
      } else {
        out->txt = def.txt;
      }
      return true;
    }
    out->a = def.a;
    out->txt = std::string(text.substr(0, kMaxTxt));
    return true;
  }

  // The value after an address: default when none (or a comment).
  bool EntryValue(Cursor& c, ZoneData::Value* out) {
    c.skip_space();
    if (c.done() || IsComment(c.at())) {
      *out = default_;
      return true;
    }
    return ParseValue(c.rest(), default_, out);
  }

  static bool TailOk(const Cursor& c) {
    return c.done() || IsSpace(c.at()) || IsComment(c.at()) || c.at() == ':';
  }

  void Entry(absl::string_view line) {
    ZoneData& d = *data_;
    const DatasetType t = d.type_;
    // Default value lines ("::1" is an address in ip6 datasets).
    if (line[0] == ':' &&
        !(t == DatasetType::kIp6Trie && line.size() > 1 && line[1] == ':')) {
      ZoneData::Value v;
      if (!ParseValue(line, Global(), &v)) return;
      if (t == DatasetType::kIp4TSet || t == DatasetType::kIp6TSet) {
        // Only the first default counts in these datasets.
        if (d.values_.empty()) d.values_.push_back(v);
        return;
      }
      default_ = v;
      return;
    }
    Cursor c(line);
    const bool excluded = c.at() == '!';
    if (excluded) {
      c.skip();
      c.skip_space();
    }
    switch (t) {
      case DatasetType::kIp4Set:
        return Ip4SetEntry(c, excluded);
      case DatasetType::kIp4TSet: {
        uint32_t a = 0;
        if (excluded || Ip4Prefix(c, &a) != 32 || !TailOk(c)) {
          Warn("invalid address");
          return;
        }
        d.ip4_set_.push_back(a);
        return;
      }
      case DatasetType::kIp4Trie: {
        uint32_t a = 0;
        const int bits = Ip4Cidr(c, &a);
        if (bits < 0 || !TailOk(c)) {
          Warn("invalid address");
          return;
        }
        if (a & ~Mask4(bits)) {
          Warn("invalid range (non-zero host part)");
          return;
        }
        if (max_range4_ != 0 && max_range4_ <= ~Mask4(bits)) {
          Warn("too large range ignored");
          return;
        }
        return AddPrefix(absl::uint128(a), bits, c, excluded);
      }
      case DatasetType::kIp6Trie: {
        std::array<uint8_t, 16> b;
        const int bits = Ip6Cidr(c, &b);
        if (bits < 0 || !TailOk(c)) {
          Warn("invalid address");
          return;
        }
        const absl::uint128 v = ToUint128(b);
        if (v & ~Mask6(bits)) {
          Warn("invalid range (non-zero host part)");
          return;
        }
        return AddPrefix(v, bits, c, excluded);
      }
      case DatasetType::kIp6TSet: {
        std::array<uint8_t, 16> b;
        const int bits = Ip6Prefix(c, &b);
        if (bits < 0 || !TailOk(c)) {
          Warn("invalid address");
          return;
        }
        if (bits != (excluded ? 128 : 64)) {
          Warn(excluded ? "invalid address for exclusion (should be 128 bits)"
                        : "invalid address for regular entry (should be 64 "
                          "bits)");
          return;
        }
        const absl::uint128 v = ToUint128(b);
        if (excluded) {
          d.ip6_excluded_.push_back(v);
        } else {
          d.ip6_set_.push_back(absl::Uint128High64(v));
        }
        return;
      }
    }
  }

  void AddPrefix(absl::uint128 prefix, int bits, Cursor& c, bool excluded) {
    uint32_t value = ZoneData::kExcluded;
    if (!excluded) {
      ZoneData::Value v;
      if (!EntryValue(c, &v)) return;
      value = Intern(v);
    }
    data_->prefixes_[bits].emplace_back(prefix, value);
  }

  void Ip4SetEntry(Cursor& c, bool excluded) {
    uint32_t a = 0;
    uint32_t b = 0;
    const int bits = Ip4Range(c, &a, &b);
    if (bits <= 0 || !TailOk(c)) {
      Warn("invalid address");
      return;
    }
    if (a & ~Mask4(bits)) {
      Warn("invalid range (non-zero host part)");
      return;
    }
    if (max_range4_ != 0 && max_range4_ <= b - a) {
      Warn("too large range ignored");
      return;
    }
    uint32_t value = ZoneData::kExcluded;
    if (!excluded) {
      ZoneData::Value v;
      if (!EntryValue(c, &v)) return;
      value = Intern(v);
    }
    // Split [a, b] into octet-aligned blocks, each stored at its level
    // (/32, /24, /16, /8), the most specific level first as rbldnsd does:
    // a block is at the coarsest level that holds it whole.
    uint64_t lo = a;
    uint64_t hi = b;
    for (int level = 0; level < 3; ++level) {
      const int shift = 8 * level;
      if ((lo | 255u) >= hi) {
        if (hi - lo == 255u) {
          Add(level + 1, static_cast<uint32_t>(lo << shift), 1, value);
        } else {
          Add(level, static_cast<uint32_t>(lo << shift),
              static_cast<uint32_t>(hi - lo + 1), value);
        }
        return;
      }
      if (lo & 255u) {
        Add(level, static_cast<uint32_t>(lo << shift),
            static_cast<uint32_t>(256 - (lo & 255u)), value);
        lo = (lo >> 8) + 1;
      } else {
        lo >>= 8;
      }
      if ((hi & 255u) != 255u) {
        Add(level, static_cast<uint32_t>((hi & ~uint64_t{255}) << shift),
            static_cast<uint32_t>((hi & 255u) + 1), value);
        hi = (hi >> 8) - 1;
      } else {
        hi >>= 8;
      }
    }
    Add(3, static_cast<uint32_t>(lo << 24), static_cast<uint32_t>(hi - lo + 1),
        value);
  }

  // Adds `count` consecutive blocks of level `level` (0: /32 ... 3: /8).
  void Add(int level, uint32_t start, uint32_t count, uint32_t value) {
    const uint32_t step = 1u << (8 * level);
    auto& entries = data_->ip4_levels_[level];
    for (uint32_t k = 0; k < count; ++k) {
      entries.emplace_back(start + k * step, value);
    }
  }

  absl::Status Special(absl::string_view text) {
    ZoneData& d = *data_;
    // "$word rest": the keyword case-insensitive, then white space.
    auto word = [&](absl::string_view kw, absl::string_view* rest) {
      if (text.size() <= kw.size() ||
          !absl::EqualsIgnoreCase(text.substr(0, kw.size()), kw) ||
          !IsSpace(text[kw.size()])) {
        return false;
      }
      size_t i = kw.size();
      while (i < text.size() && IsSpace(text[i])) ++i;
      *rest = text.substr(i);
      return true;
    };
    absl::string_view rest;
    if (word("soa", &rest)) {
      std::vector<absl::string_view> f =
          absl::StrSplit(rest, absl::ByAnyChar(" \t"), absl::SkipEmpty());
      if (f.size() != 8) {
        Warn("invalid or unrecognized special entry");
      } else {
        d.has_soa_ = true;
      }
      return absl::OkStatus();
    }
    if (word("ns", &rest) || word("nameserver", &rest)) {
      return absl::OkStatus();  // NS records do not change A/TXT answers.
    }
    if (word("ttl", &rest)) {
      uint32_t ttl = 0;
      if (!ParseTime(rest, &ttl)) {
        Warn("invalid or unrecognized special entry");
      } else {
        d.ttl_ = ttl == 0 ? kDefaultTtl : static_cast<int>(ttl);
      }
      return absl::OkStatus();
    }
    if (word("maxrange4", &rest)) {
      const bool cidr = !rest.empty() && rest[0] == '/';
      uint32_t r = 0;
      if (!absl::SimpleAtoi(rest.substr(cidr ? 1 : 0), &r) || r == 0 ||
          (cidr && r > 32)) {
        Warn("invalid or unrecognized special entry");
        return absl::OkStatus();
      }
      if (cidr) r = ~Mask4(static_cast<int>(r)) + 1;
      if (max_range4_ != 0 && max_range4_ < r) {
        Warn("ignoring attempt to increase $MAXRANGE4");
      } else {
        max_range4_ = r;
      }
      return absl::OkStatus();
    }
    if (word("timestamp", &rest)) {
      std::vector<absl::string_view> f =
          absl::StrSplit(rest, absl::ByAnyChar(" \t"), absl::SkipEmpty());
      absl::Time stamp;
      if (f.empty() || f.size() > 2 || !ParseTimestamp(f[0], &stamp)) {
        Warn("invalid or unrecognized special entry");
        return absl::OkStatus();
      }
      if (stamp != absl::InfinitePast() && stamp > now_) {
        return absl::FailedPreconditionError(
            absl::StrCat(file_, ":", line_,
                         ": $TIMESTAMP is in the future; rbldnsd "
                         "refuses to load such data"));
      }
      if (f.size() == 2) {
        absl::Time expires;
        uint32_t rel = 0;
        if (f[1][0] == '+' && ParseTime(f[1].substr(1), &rel)) {
          expires = stamp + absl::Seconds(rel);
        } else if (!ParseTimestamp(f[1], &expires)) {
          Warn("invalid or unrecognized special entry");
          return absl::OkStatus();
        }
        if (expires != absl::InfinitePast() && expires < now_) {
          return absl::FailedPreconditionError(
              absl::StrCat(file_, ":", line_, ": the data expired (", f[1],
                           "); rbldnsd stops serving expired data"));
        }
      }
      return absl::OkStatus();
    }
    if (text.size() >= 2 && (IsDigit(text[0]) || text[0] == '=') &&
        IsSpace(text[1])) {
      std::string* slot =
          text[0] == '=' ? &d.base_template_ : &d.subst_[text[0] - '0'];
      size_t i = 2;
      while (i < text.size() && IsSpace(text[i])) ++i;
      if (i == text.size()) {
        Warn("invalid or unrecognized special entry");
      } else if (slot->empty()) {  // The first assignment wins.
        *slot = std::string(text.substr(i));
      }
      return absl::OkStatus();
    }
    Warn("invalid or unrecognized special entry");
    return absl::OkStatus();
  }

  // For sorted `items`, where each 16-bit prefix of their keys starts:
  // entry k is the first item whose key is at least k << 16 (65537
  // entries), so a lookup searches one bucket, not the whole array.
  template <typename T, typename Key>
  static std::vector<uint32_t> BucketStarts(const std::vector<T>& items,
                                            Key key) {
    if (items.empty()) return {};
    std::vector<uint32_t> starts(65537);
    size_t i = 0;
    for (uint32_t k = 0; k <= 65536; ++k) {
      while (i < items.size() && (key(items[i]) >> 16) < k) ++i;
      starts[k] = static_cast<uint32_t>(i);
    }
    return starts;
  }

  std::unique_ptr<ZoneData> data_;
  absl::Time now_;
  std::string file_;
  int line_ = 0;
  ZoneData::Value default_;
  uint32_t max_range4_ = 0;
  std::map<std::pair<uint32_t, std::string>, uint32_t> interned_;
};

absl::StatusOr<DatasetType> ParseDatasetType(absl::string_view name) {
  if (name == "ip4set") return DatasetType::kIp4Set;
  if (name == "ip4tset") return DatasetType::kIp4TSet;
  if (name == "ip4trie") return DatasetType::kIp4Trie;
  if (name == "ip6trie") return DatasetType::kIp6Trie;
  if (name == "ip6tset") return DatasetType::kIp6TSet;
  return absl::InvalidArgumentError(
      absl::StrCat("dataset type ", QuoteInput(name),
                   " is not one of ip4set, ip4tset, ip4trie, ip6trie, "
                   "ip6tset"));
}

std::string ZoneData::ExpandTxt(const Value& value,
                                const std::string& address) const {
  if (value.txt.empty() && base_template_.empty()) return "";
  // As rbldnsd's txtsubst(): "$" is the address, "$$" a dollar, "$n" a
  // substitution variable (kept as "$n" when unset), and with a base
  // template ($=) the entry's text (or the address) fills its "$=".
  absl::string_view txt = value.txt;
  absl::string_view entry = address;
  if (!txt.empty() && txt[0] == '=') {
    txt.remove_prefix(1);
    entry = txt;
  } else if (!base_template_.empty()) {
    if (!txt.empty()) entry = txt;
    txt = base_template_;
  } else {
    entry = txt;
  }
  std::string out;
  size_t i = 0;
  while (i < txt.size() && out.size() < kMaxExpanded) {
    const size_t dollar = txt.find('$', i);
    if (dollar == absl::string_view::npos) {
      absl::StrAppend(&out, txt.substr(i));
      break;
    }
    absl::StrAppend(&out, txt.substr(i, dollar - i));
    i = dollar + 1;
    if (i >= txt.size()) {
      out.append(address);
      break;
    }
    const char n = txt[i];
    if (n == '$') {
      out += '$';
      ++i;
    } else if (IsDigit(n)) {
      const std::string& var = subst_[n - '0'];
      out.append(var.empty() ? absl::StrCat("$", std::string(1, n)) : var);
      ++i;
    } else if (n == '=') {
      absl::StrAppend(&out, entry);
      ++i;
    } else {
      out.append(address);
    }
  }
  if (out.size() > kMaxExpanded) out.resize(kMaxExpanded);
  return out;
}

uint32_t ZoneData::LongestPrefix(absl::uint128 q, int width) const {
  for (int len : lengths_) {
    // The top `len` of `width` bits, kept where the trie stores them.
    const absl::uint128 key =
        width == 32 ? absl::uint128(static_cast<uint32_t>(q) & Mask4(len))
                    : q & Mask6(len);
    const auto& p = prefixes_[len];
    auto it = std::lower_bound(
        p.begin(), p.end(), key,
        [](const auto& e, absl::uint128 k) { return e.first < k; });
    if (it != p.end() && it->first == key) return it->second;
  }
  return kExcluded;
}

void ZoneData::Prefetch(const IpAddress& address) const {
  if (!address.is_ipv4()) return;
  const size_t bucket = address.ipv4() >> 16;
  if (type_ == DatasetType::kIp4Set) {
    // The /32 level: where a single-address list holds nearly everything.
    if (!ip4_index_[0].empty()) __builtin_prefetch(&ip4_index_[0][bucket]);
  } else if (type_ == DatasetType::kIp4TSet && !ip4_set_index_.empty()) {
    __builtin_prefetch(&ip4_set_index_[bucket]);
  }
}

ZoneData::ValueIds ZoneData::FindValues(const IpAddress& address) const {
  ValueIds hits;
  if (address.is_ipv4()) {
    const uint32_t q = address.ipv4();
    switch (type_) {
      case DatasetType::kIp4Set: {
        static constexpr uint32_t kMasks[4] = {0xffffffffu, 0xffffff00u,
                                               0xffff0000u, 0xff000000u};
        // The most specific level holding the address decides, and an
        // exclusion there unlists it (rbldnsd sorts exclusions first).
        for (int level = 0; level < 4; ++level) {
          const auto& entries = ip4_levels_[level];
          if (entries.empty()) continue;
          const uint32_t key = q & kMasks[level];
          const auto& index = ip4_index_[level];
          auto it = std::lower_bound(entries.begin() + index[key >> 16],
                                     entries.begin() + index[(key >> 16) + 1],
                                     std::make_pair(key, 0u));
          if (it == entries.end() || it->first != key) continue;
          for (; it != entries.end() && it->first == key; ++it) {
            if (it->second == kExcluded) return {};
            hits.push_back(it->second);
          }
          break;
        }
        break;
      }
      case DatasetType::kIp4TSet: {
        if (ip4_set_.empty()) break;
        auto first = ip4_set_.begin() + ip4_set_index_[q >> 16];
        auto last = ip4_set_.begin() + ip4_set_index_[(q >> 16) + 1];
        if (std::binary_search(first, last, q)) hits.push_back(0);
        break;
      }
      case DatasetType::kIp4Trie:
        if (uint32_t v = LongestPrefix(absl::uint128(q), 32); v != kExcluded) {
          hits.push_back(v);
        }
        break;
      default:
        break;
    }
  } else {
    const absl::uint128 q = address.value();
    switch (type_) {
      case DatasetType::kIp6Trie:
        if (uint32_t v = LongestPrefix(q, 128); v != kExcluded) {
          hits.push_back(v);
        }
        break;
      case DatasetType::kIp6TSet:
        if (std::binary_search(ip6_set_.begin(), ip6_set_.end(),
                               absl::Uint128High64(q)) &&
            !std::binary_search(ip6_excluded_.begin(), ip6_excluded_.end(),
                                q)) {
          hits.push_back(0);
        }
        break;
      default:
        break;
    }
  }
  // Several values at one address answer in load order, each once.
  if (hits.size() > 1) {
    std::sort(hits.begin(), hits.end());
    hits.erase(std::unique(hits.begin(), hits.end()), hits.end());
  }
  return hits;
}

ZoneData::AValues ZoneData::LookupA(const IpAddress& address) const {
  AValues out;
  for (uint32_t id : FindValues(address)) out.push_back(values_[id].a);
  return out;
}

LocalAnswer ZoneData::Lookup(const IpAddress& address) const {
  LocalAnswer answer;
  const ValueIds hits = FindValues(address);
  if (hits.empty()) return answer;
  const std::string text =
      address.is_ipv4() ? address.ToString() : Ip6Text(address.bytes());
  for (uint32_t h : hits) {
    const Value& v = values_[h];
    answer.records.push_back({v.a, ExpandTxt(v, text)});
  }
  return answer;
}

size_t ZoneData::entries() const {
  size_t n = ip4_set_.size() + ip6_set_.size() + ip6_excluded_.size();
  for (const auto& level : ip4_levels_) n += level.size();
  for (const auto& p : prefixes_) n += p.size();
  return n;
}

size_t ZoneData::MemoryBytes() const {
  size_t n = ip4_set_.capacity() * sizeof(uint32_t) +
             ip6_set_.capacity() * sizeof(uint64_t) +
             ip6_excluded_.capacity() * sizeof(absl::uint128) +
             values_.capacity() * sizeof(Value);
  for (const auto& level : ip4_levels_) {
    n += level.capacity() * sizeof(level[0]);
  }
  for (const auto& index : ip4_index_) n += index.capacity() * sizeof(uint32_t);
  n += ip4_set_index_.capacity() * sizeof(uint32_t);
  for (const auto& p : prefixes_) n += p.capacity() * sizeof(p[0]);
  for (const Value& v : values_) n += v.txt.capacity();
  return n;
}

absl::StatusOr<std::shared_ptr<const ZoneData>> ParseZoneData(
    DatasetType type, absl::string_view text, absl::string_view name,
    absl::Time now) {
  ZoneDataBuilder builder(type, now);
  builder.StartFile(name);
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::Status s = builder.Line(line); !s.ok()) return s;
  }
  builder.AddFile(std::string(name), absl::InfinitePast());
  return builder.Finish();
}

absl::StatusOr<std::shared_ptr<const ZoneData>> LoadZoneData(
    DatasetType type, const std::vector<std::string>& files, absl::Time now) {
  if (files.empty()) return absl::InvalidArgumentError("no data file given");
  ZoneDataBuilder builder(type, now);
  for (const std::string& path : files) {
    std::ifstream in(path, std::ios::binary);
    struct stat st;
    if (!in.good() || stat(path.c_str(), &st) != 0) {
      return absl::NotFoundError(absl::StrCat(
          "zone data file '", EscapeForTerminal(path), "' cannot be read"));
    }
    builder.StartFile(path);
    std::string line;
    while (std::getline(in, line)) {
      if (absl::Status s = builder.Line(line); !s.ok()) return s;
    }
    builder.AddFile(path, absl::FromTimeT(st.st_mtime));
  }
  return builder.Finish();
}

}  // namespace dnsbl

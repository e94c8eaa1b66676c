#include "dnsbl/base/address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "dnsbl/base/escape.h"

namespace dnsbl {
namespace {

absl::StatusOr<IpAddress> ParseIpv4(absl::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, '.');
  if (parts.size() != 4) {
    return absl::InvalidArgumentError(absl::StrCat(
        QuoteInput(text), " is not a valid IPv4 address: expected 4 ",
        "dot-separated numbers, found ", parts.size()));
  }
  uint32_t value = 0;
  for (absl::string_view part : parts) {
    if (part.empty() || part.size() > 3 ||
        !std::all_of(part.begin(), part.end(), absl::ascii_isdigit)) {
      return absl::InvalidArgumentError(absl::StrCat(
          QuoteInput(text), " is not a valid IPv4 address: ", QuoteInput(part),
          " is not a number from 0 to 255"));
    }
    if (part.size() > 1 && part[0] == '0') {
      return absl::InvalidArgumentError(absl::StrCat(
          QuoteInput(text), " is not a valid IPv4 address: ", QuoteInput(part),
          " has a leading zero (octal or decimal is ambiguous)"));
    }
    int octet = 0;
    // Digits only (checked above), so SimpleAtoi reads exactly them.
    (void)absl::SimpleAtoi(part, &octet);
    if (octet > 255) {
      return absl::InvalidArgumentError(absl::StrCat(
          QuoteInput(text), " is not a valid IPv4 address: ", QuoteInput(part),
          " is over 255"));
    }
    value = (value << 8) | static_cast<uint32_t>(octet);
  }
  return IpAddress::FromIpv4(value);
}

absl::StatusOr<IpAddress> ParseIpv6(absl::string_view text) {
  // Longest valid form: 6 groups of 4 hex digits plus an embedded IPv4.
  constexpr size_t kMaxIpv6Text = 45;
  auto invalid = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat(QuoteInput(text), " is not a valid IPv6 address: ", why));
  };
  if (text.size() > kMaxIpv6Text) return invalid("too long");
  for (char c : text) {
    if (!absl::ascii_isxdigit(c) && c != ':' && c != '.') {
      if (c == '%') return invalid("scope ids are not allowed");
      if (c == '[' || c == ']') return invalid("remove the brackets");
      if (c == '/') return invalid("a network range is not an address");
      return invalid(absl::StrCat(QuoteInput(absl::string_view(&c, 1)),
                                  " is not a hex digit, ':' or '.'"));
    }
  }
  char buffer[kMaxIpv6Text + 1];
  memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  std::array<uint8_t, 16> bytes;
  if (inet_pton(AF_INET6, buffer, bytes.data()) != 1) {
    return invalid(
        "malformed groups (at most 8 groups of 1 to 4 hex digits, "
        "one '::')");
  }
  return IpAddress::FromIpv6(bytes);
}

bool IsLdh(char c) { return absl::ascii_isalnum(c) || c == '-' || c == '_'; }

}  // namespace

absl::StatusOr<IpAddress> IpAddress::Parse(absl::string_view text) {
  if (text.empty()) {
    return absl::InvalidArgumentError("empty address");
  }
  if (absl::StrContains(text, ':') || text.front() == '[') {
    return ParseIpv6(text);
  }
  for (char c : text) {
    if (!absl::ascii_isdigit(c) && c != '.') {
      if (c == '/') {
        return absl::InvalidArgumentError(absl::StrCat(
            QuoteInput(text), " is a network range, not an address"));
      }
      return absl::InvalidArgumentError(absl::StrCat(
          QuoteInput(text), " is not a valid IPv4 address: unexpected ",
          QuoteInput(absl::string_view(&c, 1))));
    }
  }
  return ParseIpv4(text);
}

IpAddress IpAddress::FromIpv4(uint32_t value) {
  IpAddress ip;
  ip.family_ = Family::kIpv4;
  ip.bytes_[0] = static_cast<uint8_t>(value >> 24);
  ip.bytes_[1] = static_cast<uint8_t>(value >> 16);
  ip.bytes_[2] = static_cast<uint8_t>(value >> 8);
  ip.bytes_[3] = static_cast<uint8_t>(value);
  return ip;
}

IpAddress IpAddress::FromIpv6(const std::array<uint8_t, 16>& bytes) {
  IpAddress ip;
  ip.family_ = Family::kIpv6;
  ip.bytes_ = bytes;
  return ip;
}

IpAddress IpAddress::FromValue(Family family, absl::uint128 value) {
  if (family == Family::kIpv4) {
    return FromIpv4(static_cast<uint32_t>(absl::Uint128Low64(value)));
  }
  std::array<uint8_t, 16> bytes;
  for (int i = 15; i >= 0; --i) {
    bytes[i] = static_cast<uint8_t>(absl::Uint128Low64(value) & 0xff);
    value >>= 8;
  }
  return FromIpv6(bytes);
}

absl::uint128 IpAddress::value() const {
  if (is_ipv4()) return ipv4();
  absl::uint128 v = 0;
  for (uint8_t b : bytes_) v = (v << 8) | b;
  return v;
}

uint32_t IpAddress::ipv4() const {
  return (uint32_t{bytes_[0]} << 24) | (uint32_t{bytes_[1]} << 16) |
         (uint32_t{bytes_[2]} << 8) | uint32_t{bytes_[3]};
}

std::string IpAddress::ToString() const {
  if (is_ipv4()) {
    return absl::StrCat(bytes_[0], ".", bytes_[1], ".", bytes_[2], ".",
                        bytes_[3]);
  }
  char buffer[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, bytes_.data(), buffer, sizeof(buffer));
  return buffer;
}

namespace {

// Writes the reverse form of `bytes` (an IPv4 or IPv6 address) to `out`,
// which must hold 63 characters. Returns the end. A bulk run builds one per
// question, so this avoids the allocations of the obvious StrCat.
char* WriteReverse(const uint8_t* bytes, bool ipv4, char* out) {
  if (ipv4) {
    // IPv4 addresses keep their four bytes first.
    for (int i = 3; i >= 0; --i) {
      uint8_t b = bytes[i];
      if (b >= 100) *out++ = static_cast<char>('0' + b / 100);
      if (b >= 10) *out++ = static_cast<char>('0' + b / 10 % 10);
      *out++ = static_cast<char>('0' + b % 10);
      if (i > 0) *out++ = '.';
    }
    return out;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 15; i >= 0; --i) {
    *out++ = kHex[bytes[i] & 0xf];
    *out++ = '.';
    *out++ = kHex[bytes[i] >> 4];
    if (i > 0) *out++ = '.';
  }
  return out;
}

}  // namespace

std::string IpAddress::ReverseName() const {
  char buffer[64];
  return std::string(buffer, WriteReverse(bytes_.data(), is_ipv4(), buffer));
}

std::string IpAddress::QueryName(absl::string_view zone) const {
  char buffer[64];
  char* end = WriteReverse(bytes_.data(), is_ipv4(), buffer);
  std::string out;
  out.reserve(static_cast<size_t>(end - buffer) + 1 + zone.size());
  out.append(buffer, end);
  out.push_back('.');
  out.append(zone.data(), zone.size());
  return out;
}

absl::uint128 IpRange::size() const {
  absl::uint128 span = last.value() - first.value();
  return span == absl::Uint128Max() ? span : span + 1;
}

absl::StatusOr<IpRange> IpRange::Parse(absl::string_view text) {
  size_t slash = text.find('/');
  absl::StatusOr<IpAddress> base = IpAddress::Parse(text.substr(0, slash));
  if (!base.ok()) return base.status();
  if (slash == absl::string_view::npos) return IpRange{*base, *base};
  absl::string_view prefix_text = text.substr(slash + 1);
  const int bits = base->is_ipv4() ? 32 : 128;
  int prefix = -1;
  if (!prefix_text.empty() && prefix_text.size() <= 3 &&
      std::all_of(prefix_text.begin(), prefix_text.end(),
                  absl::ascii_isdigit)) {
    (void)absl::SimpleAtoi(prefix_text, &prefix);
  }
  if (prefix < 0 || prefix > bits) {
    return absl::InvalidArgumentError(absl::StrCat(
        QuoteInput(text), " is not a valid network: the prefix length ",
        QuoteInput(prefix_text), " must be a number from 0 to ", bits));
  }
  const int host_bits = bits - prefix;
  absl::uint128 host_mask = host_bits == 128
                                ? absl::Uint128Max()
                                : (absl::uint128(1) << host_bits) - 1;
  absl::uint128 value = base->value();
  if ((value & host_mask) != 0) {
    IpAddress network =
        IpAddress::FromValue(base->family(), value & ~host_mask);
    return absl::InvalidArgumentError(
        absl::StrCat(QuoteInput(text), " has host bits set; did you mean ",
                     network.ToString(), "/", prefix, "?"));
  }
  return IpRange{*base,
                 IpAddress::FromValue(base->family(), value | host_mask)};
}

bool LooksLikeIpAddress(absl::string_view text) {
  if (text.empty()) return true;  // So it is reported as a missing address.
  if (absl::StrContains(text, ':')) return true;
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  size_t dot = text.rfind('.');
  absl::string_view last =
      dot == absl::string_view::npos ? text : text.substr(dot + 1);
  // "10.0.0.0/8" also counts: the '/' belongs to an address range.
  return !last.empty() && std::all_of(last.begin(), last.end(), [](char c) {
    return absl::ascii_isdigit(c) || c == '/';
  });
}

std::string Endpoint::ToString() const {
  if (address.is_ipv4()) return absl::StrCat(address.ToString(), ":", port);
  return absl::StrCat("[", address.ToString(), "]:", port);
}

absl::StatusOr<Endpoint> ParseEndpoint(absl::string_view text) {
  absl::string_view host = text;
  absl::string_view port_text;
  if (absl::StartsWith(text, "[")) {
    size_t close = text.find(']');
    if (close == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "nameserver ", QuoteInput(text), " has '[' without ']'"));
    }
    host = text.substr(1, close - 1);
    absl::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        return absl::InvalidArgumentError(absl::StrCat(
            "nameserver ", QuoteInput(text), ": expected ':PORT' after ']'"));
      }
      port_text = rest.substr(1);
    }
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    size_t colon = text.find(':');
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  Endpoint endpoint;
  absl::StatusOr<IpAddress> address = IpAddress::Parse(host);
  if (!address.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("nameserver ", QuoteInput(text),
                     " must be an IP address with an optional port: ",
                     address.status().message()));
  }
  endpoint.address = *address;
  if (!port_text.empty() || text.back() == ':') {
    int port = 0;
    bool digits =
        !port_text.empty() && port_text.size() <= 5 &&
        std::all_of(port_text.begin(), port_text.end(), absl::ascii_isdigit);
    if (digits) (void)absl::SimpleAtoi(port_text, &port);
    if (!digits || port < 1 || port > 65535) {
      return absl::InvalidArgumentError(absl::StrCat(
          "nameserver ", QuoteInput(text), ": port ", QuoteInput(port_text),
          " is not a number from 1 to 65535"));
    }
    endpoint.port = port;
  }
  return endpoint;
}

absl::Status ValidateAddressOrHost(absl::string_view text) {
  if (LooksLikeIpAddress(text)) return IpAddress::Parse(text).status();
  return ValidateDnsName(text, "host name");
}

bool NameAtOrBelow(absl::string_view name, absl::string_view zone) {
  if (absl::EndsWith(name, ".")) name.remove_suffix(1);
  if (absl::EndsWith(zone, ".")) zone.remove_suffix(1);
  if (zone.empty()) return true;
  if (name.size() == zone.size()) return absl::EqualsIgnoreCase(name, zone);
  return name.size() > zone.size() &&
         name[name.size() - zone.size() - 1] == '.' &&
         absl::EndsWithIgnoreCase(name, zone);
}

absl::Status ValidateDnsName(absl::string_view name, absl::string_view what) {
  constexpr size_t kMaxName = 253;
  constexpr size_t kMaxLabel = 63;
  absl::string_view bare = name;
  if (!bare.empty() && bare.back() == '.') bare.remove_suffix(1);
  if (bare.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(what, " is empty"));
  }
  if (bare.size() > kMaxName) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " ", QuoteInput(name), " is ", bare.size(),
                     " octets long; the limit is ", kMaxName));
  }
  for (absl::string_view label : absl::StrSplit(bare, '.')) {
    if (label.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, " ", QuoteInput(name), " has an empty label"));
    }
    if (label.size() > kMaxLabel) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, " ", QuoteInput(name), " has a label of ",
                       label.size(), " octets; the limit is ", kMaxLabel));
    }
    if (!std::all_of(label.begin(), label.end(), IsLdh) ||
        label.front() == '-' || label.back() == '-') {
      return absl::InvalidArgumentError(absl::StrCat(
          what, " ", QuoteInput(name), " has an invalid label ",
          QuoteInput(label),
          " (letters, digits, '-' and '_' only; no '-' at either end)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace dnsbl

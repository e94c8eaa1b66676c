// dnsbl/base/address.h
//
// IP addresses as DNS blocklists see them: strict parsing of IPv4 and IPv6
// text (with error messages that name what is wrong), the normalized text
// form used in reports, and the reversed query names of RFC 5782 section 2.
//
// Example:
//
//   absl::StatusOr<dnsbl::IpAddress> ip = dnsbl::IpAddress::Parse("192.0.2.7");
//   if (!ip.ok()) return ip.status();
//   std::string name = ip->QueryName("zen.spamhaus.org");
//   // name == "7.2.0.192.zen.spamhaus.org"
//
// IPv4-mapped IPv6 addresses (`::ffff:7f00:2`) stay IPv6: their query name is
// the 32-nibble form, because that is what IPv6 blocklists index.

#ifndef DNSBL_DNSBL_BASE_ADDRESS_H_
#define DNSBL_DNSBL_BASE_ADDRESS_H_

#include <array>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/numeric/int128.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace dnsbl {

// An IPv4 or IPv6 address. A value type; thread-compatible.
class IpAddress {
 public:
  enum class Family { kIpv4, kIpv6 };

  // Returns 0.0.0.0.
  IpAddress() = default;

  // Parses dotted-quad IPv4 ("192.0.2.1") or RFC 4291 IPv6 text
  // ("2001:db8::1", "::ffff:192.0.2.1"). Rejects leading zeros in IPv4
  // octets (octal or decimal is ambiguous), brackets, scope ids and
  // surrounding space. Returns InvalidArgument naming the bad part.
  static absl::StatusOr<IpAddress> Parse(absl::string_view text);

  // Builds an IPv4 address from its 32-bit value (host order).
  static IpAddress FromIpv4(uint32_t value);

  // Builds an IPv6 address from its 16 network-order bytes.
  static IpAddress FromIpv6(const std::array<uint8_t, 16>& bytes);

  Family family() const { return family_; }
  bool is_ipv4() const { return family_ == Family::kIpv4; }

  // Returns the IPv4 value in host order. REQUIRES: is_ipv4().
  uint32_t ipv4() const;

  // Builds an address of `family` from its value: the low 32 bits for
  // IPv4, all 128 for IPv6.
  static IpAddress FromValue(Family family, absl::uint128 value);

  // Returns the address as a number (IPv4 in the low 32 bits).
  absl::uint128 value() const;

  // Returns the address bytes in network order; an IPv4 address uses the
  // first 4 bytes and leaves the rest zero.
  const std::array<uint8_t, 16>& bytes() const { return bytes_; }

  // Returns the normalized text form: dotted quad, or RFC 5952 IPv6.
  std::string ToString() const;

  // Returns the reversed name without a zone: "1.2.0.192" for 192.0.2.1,
  // 32 dot-separated nibbles (lowest first) for IPv6.
  std::string ReverseName() const;

  // Returns ReverseName() + "." + zone.
  std::string QueryName(absl::string_view zone) const;

  friend bool operator==(const IpAddress& a, const IpAddress& b) {
    return a.family_ == b.family_ && a.bytes_ == b.bytes_;
  }
  friend bool operator!=(const IpAddress& a, const IpAddress& b) {
    return !(a == b);
  }
  friend bool operator<(const IpAddress& a, const IpAddress& b) {
    return std::make_pair(a.family_, a.bytes_) <
           std::make_pair(b.family_, b.bytes_);
  }
  template <typename H>
  friend H AbslHashValue(H h, const IpAddress& a) {
    return H::combine(std::move(h), a.family_, a.bytes_);
  }

 private:
  Family family_ = Family::kIpv4;
  std::array<uint8_t, 16> bytes_{};
};

// An inclusive range of addresses of one family, e.g. from a CIDR network.
// A value type.
struct IpRange {
  IpAddress first;
  IpAddress last;  // REQUIRES: same family as `first`, and first <= last.

  // Returns how many addresses the range holds (up to 2^128, which does
  // not fit: then the maximum uint128).
  absl::uint128 size() const;

  // Parses "ADDR/PREFIX" (a CIDR network; the host bits must be zero) or a
  // single "ADDR". Returns InvalidArgument naming the bad part.
  static absl::StatusOr<IpRange> Parse(absl::string_view text);
};

// Returns true when `text` is meant as an IP address rather than a host
// name: it contains ':' or its last label is all digits (no top-level
// domain is numeric, so "1.2.3" or "256.1.1.1" is a bad address, never a
// name to resolve). Empty text counts as a (missing) address.
bool LooksLikeIpAddress(absl::string_view text);

// Returns OK when `name` is a syntactically valid host or zone name: labels
// of 1 to 63 letters, digits, '-' or '_' (not starting or ending with '-'),
// at most 253 octets in all, an optional final dot. Otherwise returns
// InvalidArgument naming the bad label; `what` (e.g. "host name") starts the
// message.
absl::Status ValidateDnsName(absl::string_view name, absl::string_view what);

// Returns true when the DNS name `name` is `zone` or lies below it, at a
// label boundary ("x.bl.example" is below "bl.example", "xbl.example" is
// not), ignoring case and a trailing dot on either. The root ("" or ".")
// holds every name.
bool NameAtOrBelow(absl::string_view name, absl::string_view zone);

// Returns OK when `text` is an IP address (as IpAddress::Parse() takes
// it) or, when it does not look like one (LooksLikeIpAddress()), a valid
// host name (ValidateDnsName()). Otherwise InvalidArgument naming what is
// wrong: what Checker::CheckHost() accepts, checked before any query.
absl::Status ValidateAddressOrHost(absl::string_view text);

// A nameserver's address and UDP/TCP port.
struct Endpoint {
  IpAddress address;
  int port = 53;

  // Returns "192.0.2.1:53" or "[2001:db8::1]:53".
  std::string ToString() const;
};

// Parses a nameserver given as "ADDR", "ADDR:PORT", "[IPV6]" or
// "[IPV6]:PORT" (a bare IPv6 address takes port 53). ADDR must be an IP
// address: a nameserver cannot be found by name before there is one.
// Returns InvalidArgument naming the bad part.
absl::StatusOr<Endpoint> ParseEndpoint(absl::string_view text);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_BASE_ADDRESS_H_

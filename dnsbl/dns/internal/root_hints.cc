#include "dnsbl/dns/internal/root_hints.h"

#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "dnsbl/base/escape.h"
#include "dnsbl/base/internal/stable_hash.h"

namespace dnsbl {
namespace {

// IANA's root servers (named.root of 2024-04-18): name, IPv4, IPv6.
struct BuiltinRoot {
  const char* name;
  const char* ipv4;
  const char* ipv6;
};
constexpr BuiltinRoot kIanaRoots[] = {
    {"a.root-servers.net", "198.41.0.4", "2001:503:ba3e::2:30"},
    {"b.root-servers.net", "170.247.170.2", "2801:1b8:10::b"},
    {"c.root-servers.net", "192.33.4.12", "2001:500:2::c"},
    {"d.root-servers.net", "199.7.91.13", "2001:500:2d::d"},
    {"e.root-servers.net", "192.203.230.10", "2001:500:a8::e"},
    {"f.root-servers.net", "192.5.5.241", "2001:500:2f::f"},
    {"g.root-servers.net", "192.112.36.4", "2001:500:12::d0d"},
    {"h.root-servers.net", "198.97.190.53", "2001:500:1::53"},
    {"i.root-servers.net", "192.36.148.17", "2001:7fe::53"},
    {"j.root-servers.net", "192.58.128.30", "2001:503:c27::2:30"},
    {"k.root-servers.net", "193.0.14.129", "2001:7fd::1"},
    {"l.root-servers.net", "199.7.83.42", "2001:500:9f::42"},
    {"m.root-servers.net", "202.12.27.33", "2001:dc3::35"},
};

// Lower case, without the trailing dot ("" for the root).
std::string CanonicalName(absl::string_view name) {
  absl::ConsumeSuffix(&name, ".");
  return absl::AsciiStrToLower(name);
}

}  // namespace

const RootHints& RootHints::Builtin() {
  static const RootHints* hints = [] {
    auto* h = new RootHints();
    h->source_ = "IANA root hints of 2024-04-18";
    for (const BuiltinRoot& root : kIanaRoots) {
      h->servers_.push_back(NameServer{
          root.name,
          {*IpAddress::Parse(root.ipv4), *IpAddress::Parse(root.ipv6)}});
    }
    return h;
  }();
  return *hints;
}

absl::StatusOr<RootHints> RootHints::Parse(absl::string_view text,
                                           absl::string_view source) {
  RootHints hints;
  hints.source_ = std::string(source);
  std::vector<std::pair<std::string, IpAddress>> addresses;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    auto error = [&](absl::string_view what) {
      return absl::InvalidArgumentError(absl::StrCat(
          "root hints ", source, " line ", line_number, ": ", what, " in ",
          QuoteInput(absl::StripAsciiWhitespace(line.substr(0, 120)))));
    };
    if (size_t semicolon = line.find(';'); semicolon != line.npos) {
      line = line.substr(0, semicolon);
    }
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t\r"), absl::SkipEmpty());
    if (fields.empty()) continue;
    // OWNER [TTL] [CLASS] TYPE DATA, as named.root writes it.
    size_t i = 1;
    uint32_t ttl = 0;
    if (i < fields.size() && absl::SimpleAtoi(fields[i], &ttl)) ++i;
    if (i < fields.size() && absl::AsciiStrToUpper(fields[i]) == "IN") ++i;
    if (i + 2 != fields.size()) {
      return error("expected OWNER [TTL] [IN] TYPE DATA");
    }
    const std::string owner = CanonicalName(fields[0]);
    const std::string type = absl::AsciiStrToUpper(fields[i]);
    const absl::string_view data = fields[i + 1];
    if (type == "NS") {
      if (!owner.empty()) return error("an NS record not owned by the root");
      const std::string target = CanonicalName(data);
      if (absl::Status s = ValidateDnsName(target, "root server name");
          !s.ok() || target.empty()) {
        return error("a bad root server name");
      }
      hints.servers_.push_back(NameServer{target, {}});
    } else if (type == "A" || type == "AAAA") {
      absl::StatusOr<IpAddress> ip = IpAddress::Parse(data);
      if (!ip.ok() || ip->is_ipv4() != (type == "A")) {
        return error(absl::StrCat("a bad ", type, " address"));
      }
      addresses.emplace_back(owner, *ip);
    } else {
      return error(absl::StrCat("record type ", QuoteInput(fields[i]),
                                " (only NS, A and AAAA belong in hints)"));
    }
  }
  for (auto& [owner, ip] : addresses) {
    bool placed = false;
    for (NameServer& server : hints.servers_) {
      if (server.name == owner) {
        server.addresses.push_back(ip);
        placed = true;
      }
    }
    if (!placed) {
      return absl::InvalidArgumentError(
          absl::StrCat("root hints ", source, ": address of ",
                       QuoteInput(owner), " which is no root server"));
    }
  }
  if (hints.servers_.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("root hints ", source, " name no root server"));
  }
  for (const NameServer& server : hints.servers_) {
    if (server.addresses.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("root hints ", source, ": root server ",
                       QuoteInput(server.name), " has no address"));
    }
  }
  return hints;
}

absl::StatusOr<RootHints> RootHints::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read root hints ", QuoteInput(path)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

bool RootHints::AllLoopback() const {
  for (const NameServer& server : servers_) {
    for (const IpAddress& ip : server.addresses) {
      const bool loopback = ip.is_ipv4() ? (ip.ipv4() >> 24) == 127
                                         : ip == *IpAddress::Parse("::1");
      if (!loopback) return false;
    }
  }
  return true;
}

std::string RootHints::Fingerprint() const {
  std::string canonical;
  for (const NameServer& server : servers_) {
    absl::StrAppend(&canonical, server.name, "=");
    for (const IpAddress& ip : server.addresses) {
      absl::StrAppend(&canonical, ip.ToString(), ",");
    }
    canonical.push_back(';');
  }
  return absl::StrFormat("%016x", StableHash64(canonical));
}

}  // namespace dnsbl

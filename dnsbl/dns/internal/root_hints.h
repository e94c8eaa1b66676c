// dnsbl/dns/internal/root_hints.h
//
// Where direct resolution starts: the names and addresses of the root
// servers (the "root hints"), from which every delegation is followed.
//
// The built-in hints are IANA's (https://www.internic.net/domain/named.root,
// "last update: April 18, 2024", root zone version 2024041801, as Debian's
// dns-root-data package ships them): the 13 root server names with their
// IPv4 and IPv6 addresses. The root servers' addresses change rarely and
// resolvers only need one of them to answer to learn the rest, so hints
// years old still work. A file in the same format (named.root, BIND's
// "hint" zone) replaces them: RootHints::Parse(), --root_hints=FILE.
//
// Example:
//
//   absl::StatusOr<dnsbl::RootHints> hints =
//       dnsbl::RootHints::Parse(file_text, "named.root");
//   if (!hints.ok()) return hints.status();
//   for (const dnsbl::NameServer& root : hints->servers()) { ... }

#ifndef DNSBL_DNSBL_DNS_INTERNAL_ROOT_HINTS_H_
#define DNSBL_DNSBL_DNS_INTERNAL_ROOT_HINTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "dnsbl/base/address.h"
#include "dnsbl/dns/internal/delegation.h"

namespace dnsbl {

// The root servers. A value type; thread-compatible.
class RootHints {
 public:
  // Returns IANA's hints (see the file comment).
  static const RootHints& Builtin();

  // Parses `text` in named.root format: lines of "OWNER [TTL] [IN] TYPE
  // DATA" with ';' comments, where "." NS names the root servers and their
  // A and AAAA records give the addresses (other lines are refused).
  // `source` names the text in errors, e.g. a file name. Returns
  // InvalidArgument naming the line and what is wrong; a server without
  // an address and hints without any server are errors too.
  static absl::StatusOr<RootHints> Parse(absl::string_view text,
                                         absl::string_view source);

  // Reads and parses the file at `path`; NotFound if it cannot be read.
  static absl::StatusOr<RootHints> Load(const std::string& path);

  // The root servers, in the order the hints name them.
  const std::vector<NameServer>& servers() const { return servers_; }

  // Returns whether every address is a loopback address: a test or lab
  // root on this machine. Direct resolution queries loopback servers only
  // under such hints (anywhere else a loopback nameserver is a lie or a
  // mistake).
  bool AllLoopback() const;

  // Returns a short fingerprint of the servers and addresses (hex), so a
  // delegation cache written under other hints is not used under these.
  std::string Fingerprint() const;

  // Returns where the hints came from: "IANA root hints of 2024-04-18" or
  // the `source` given to Parse().
  const std::string& source() const { return source_; }

 private:
  std::vector<NameServer> servers_;
  std::string source_;
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_DNS_INTERNAL_ROOT_HINTS_H_

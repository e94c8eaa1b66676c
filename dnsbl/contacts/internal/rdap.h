// dnsbl/contacts/internal/rdap.h
//
// A registry's RDAP answer (RFC 9083) about an IP network read into report
// fields: the network (handle, name, range, country, registry, allocation
// date) and the mailboxes of its entities with the "abuse" role, wherever
// the registry nests them (ARIN and LACNIC below the registrant
// organization, RIPE NCC, APNIC and AFRINIC at the top). Pure functions:
// JSON is parsed with protobuf's parser into proto/rdap.proto; every
// string is escaped and every mailbox validated
// (dnsbl/contacts/internal/email.h). A failed fetch, a rate limit or a body
// that is not an RDAP network is a failed source with its reason, never "no
// contact".
//
// Example:
//
//   std::string url = dnsbl::RdapIpQuery("https://rdap.example/", ip);
//   // ... fetch it ...
//   dnsbl::RdapAnswer answer = dnsbl::InterpretRdap(ip, url, response);
//   for (const dnsbl::v1::Contact& c : answer.contacts) Notify(c.email());

#ifndef DNSBL_DNSBL_CONTACTS_INTERNAL_RDAP_H_
#define DNSBL_DNSBL_CONTACTS_INTERNAL_RDAP_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "dnsbl/base/address.h"
#include "dnsbl/http/internal/http_fetcher.h"
#include "proto/dnsbl.pb.h"
#include "proto/rdap.pb.h"

namespace dnsbl {

// The name of the source, as ContactSource.source and
// CheckerOptions::contact_sources spell it.
inline constexpr char kRdapSource[] = "rdap";

// Returns the URL that asks the RDAP server at `base_url` about `address`
// (RFC 9082 section 3.1.1): base_url, a '/' if it lacks one, "ip/", the
// address.
std::string RdapIpQuery(absl::string_view base_url, const IpAddress& address);

// Returns the registry serving `url` as Cymru and the RIRs' statistics
// name it ("arin", "ripencc", "apnic", "lacnic", "afrinic"), or the URL's
// host for any other server.
std::string RegistryOfUrl(absl::string_view url);

// Parses an RDAP JSON body into the subset dnsbl reads, ignoring unknown
// members. Returns InvalidArgument saying why for text that is not JSON
// or does not have RDAP's types.
absl::StatusOr<rdap::IpNetwork> ParseRdapJson(absl::string_view json);

struct AbuseMailboxes {
  std::vector<std::string> emails;    // Valid, unique, in document order.
  std::vector<std::string> rejected;  // Why each refused one was refused.
};

// Returns the mailboxes of every entity of `network` with the role
// "abuse", at any depth up to 8 (deeper entities are not read).
AbuseMailboxes FindAbuseMailboxes(const rdap::IpNetwork& network);

struct RdapAnswer {
  std::optional<v1::Network> network;  // When the registry named one.
  std::vector<v1::Contact> contacts;
  v1::ContactSource source;
  // The addresses the network holds, so later addresses inside it reuse
  // this answer instead of asking again; set with `network`.
  std::optional<IpRange> covers;
  // How long the server asked us to wait before asking again (HTTP 429 or
  // 503 with Retry-After); zero when it did not.
  absl::Duration retry_after;
};

// Reads the answer of fetching `url` (RdapIpQuery(base, `address`)).
RdapAnswer InterpretRdap(const IpAddress& address, absl::string_view url,
                         const HttpResponse& response);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_CONTACTS_INTERNAL_RDAP_H_

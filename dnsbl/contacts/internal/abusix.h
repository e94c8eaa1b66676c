// dnsbl/contacts/internal/abusix.h
//
// The Abusix Abuse Contact DB over DNS: the abuse mailbox for an address's
// network, as TXT records at <reversed address>.abuse-contacts.abusix.zone
// (IPv6 as 32 reversed nibbles). One or more addresses per answer; each is
// checked (ValidateEmail()), never trusted.
//
// Example:
//
//   std::string name = dnsbl::AbusixContactQuery(ip);
//   dnsbl::AbusixContacts found = dnsbl::ParseAbusixContacts(txt_records);

#ifndef DNSBL_DNSBL_CONTACTS_INTERNAL_ABUSIX_H_
#define DNSBL_DNSBL_CONTACTS_INTERNAL_ABUSIX_H_

#include <string>
#include <vector>

#include "absl/types/span.h"
#include "dnsbl/base/address.h"

namespace dnsbl {

// The zone Abusix answers from.
inline constexpr char kAbusixZone[] = "abuse-contacts.abusix.zone";

// Returns the name to ask for the abuse contact of `address`.
std::string AbusixContactQuery(const IpAddress& address);

// The mailboxes of an answer, and why any part of it was not one.
struct AbusixContacts {
  std::vector<std::string> emails;    // Valid, de-duplicated, in order.
  std::vector<std::string> rejected;  // Per bad record: why.
};

// Reads the TXT records of an answer: each may hold several addresses,
// separated by spaces, commas or semicolons. A record with anything but
// addresses in it is rejected whole.
AbusixContacts ParseAbusixContacts(absl::Span<const std::string> records);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_CONTACTS_INTERNAL_ABUSIX_H_

// dnsbl/contacts/internal/contact_answers.h
//
// The DNS answers of the contact sources read into report fields: a
// Network from Team Cymru, Contacts from Abusix, and for each source a
// ContactSource saying how it answered. Pure functions, like
// dnsbl/verdict/internal/interpret.h for the zones: an unanswered question is a
// failed source with its reason, never "no contact"; a negative answer
// from another zone's authority (a DNS firewall) is not the source's.
//
// Example:
//
//   dnsbl::CymruAnswer cymru = dnsbl::InterpretCymruOrigin(ip, origin_txt);
//   if (cymru.network.has_value()) ask for cymru.network->asn()'s name.

#ifndef DNSBL_DNSBL_CONTACTS_INTERNAL_CONTACT_ANSWERS_H_
#define DNSBL_DNSBL_CONTACTS_INTERNAL_CONTACT_ANSWERS_H_

#include <optional>
#include <vector>

#include "dnsbl/base/address.h"
#include "dnsbl/dns/internal/dns.h"
#include "proto/dnsbl.pb.h"

namespace dnsbl {

// Names of the contact sources, as ContactSource.source and
// CheckerOptions::contact_sources spell them.
inline constexpr char kCymruSource[] = "cymru";
inline constexpr char kAbusixSource[] = "abusix";

struct CymruAnswer {
  std::optional<v1::Network> network;  // When the source placed the address.
  v1::ContactSource source;
};

// Reads the answer to the TXT question CymruOriginQuery(`address`).
CymruAnswer InterpretCymruOrigin(const IpAddress& address,
                                 const DnsResponse& txt);

// Returns `network` with its AS name from the answer to
// CymruAsNameQuery(network.asn()), or unchanged when that gave none (the
// name is a nicety; the network stands without it).
v1::Network WithCymruAsName(v1::Network network, const DnsResponse& txt);

struct AbusixAnswer {
  std::vector<v1::Contact> contacts;
  v1::ContactSource source;
};

// Reads the answer to the TXT question AbusixContactQuery(`address`).
AbusixAnswer InterpretAbusix(const IpAddress& address, const DnsResponse& txt);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_CONTACTS_INTERNAL_CONTACT_ANSWERS_H_

#include "dnsbl/contacts/internal/abusix.h"

#include <algorithm>

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "dnsbl/contacts/internal/email.h"

namespace dnsbl {

std::string AbusixContactQuery(const IpAddress& address) {
  return address.QueryName(kAbusixZone);
}

AbusixContacts ParseAbusixContacts(absl::Span<const std::string> records) {
  AbusixContacts found;
  for (const std::string& record : records) {
    // A record is used whole or not at all: an address picked out of
    // garbage would be a guess.
    std::vector<std::string> emails;
    std::string rejected;
    for (absl::string_view part :
         absl::StrSplit(record, absl::ByAnyChar(" \t,;"), absl::SkipEmpty())) {
      absl::StatusOr<std::string> email = ValidateEmail(part);
      if (!email.ok()) {
        rejected = std::string(email.status().message());
        break;
      }
      emails.push_back(*email);
    }
    if (!rejected.empty()) {
      found.rejected.push_back(std::move(rejected));
      continue;
    }
    for (std::string& email : emails) {
      if (std::find(found.emails.begin(), found.emails.end(), email) ==
          found.emails.end()) {
        found.emails.push_back(std::move(email));
      }
    }
  }
  return found;
}

}  // namespace dnsbl

// Fuzzes notices built from hostile report strings (TXT reasons, code
// meanings, lookup links, AS and registry names, contact mailboxes): the
// message is always ASCII with CRLF line ends, every header line is a
// known header or a folded continuation (nothing from the report can add
// a header), the letter's lines stay within 76 characters, and a mailbox
// that fails validation never becomes a recipient.

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "dnsbl/contacts/internal/email.h"
#include "dnsbl/notice/delivery.h"

namespace {

void ExpectSafeMessage(const std::string& eml) {
  const size_t end = eml.find("\r\n\r\n");
  if (end == std::string::npos) abort();
  for (char c : eml) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u > 0x7e || (u < 0x20 && c != '\r' && c != '\n')) abort();
  }
  for (size_t i = 0; i < eml.size(); ++i) {
    if (eml[i] == '\n' && (i == 0 || eml[i - 1] != '\r')) abort();
  }
  static const char* const kHeaders[] = {"From: ",
                                         "To: ",
                                         "Reply-To: ",
                                         "Subject: ",
                                         "Date: ",
                                         "Message-ID: ",
                                         "Auto-Submitted: auto-generated",
                                         "X-Auto-Response-Suppress: All",
                                         "MIME-Version: ",
                                         "Content-Type: "};
  for (absl::string_view line :
       absl::StrSplit(absl::string_view(eml).substr(0, end), "\r\n")) {
    bool known = absl::StartsWith(line, " ");
    for (const char* h : kHeaders) known |= absl::StartsWith(line, h);
    if (!known) abort();
  }
  for (absl::string_view line : absl::StrSplit(eml, "\r\n")) {
    if (line.size() > 998) abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> f = absl::StrSplit(
      absl::string_view(reinterpret_cast<const char*>(data), size), '\0');
  f.resize(6);
  dnsbl::v1::Report r;
  r.set_address("192.0.2.7");
  dnsbl::v1::ZoneResult* z = r.add_results();
  z->set_zone("relays.example");
  z->set_status(dnsbl::v1::LISTED);
  z->add_codes("127.0.0.2");
  z->add_categories(dnsbl::v1::OPEN_RELAY);
  z->add_txt(f[0]);
  z->add_meanings(f[1]);
  z->set_lookup_url(f[2]);
  r.mutable_summary()->set_listed(true);
  r.mutable_summary()->set_answered(1);
  dnsbl::v1::Network* n = r.add_networks();
  n->set_source("cymru");
  n->set_asn(64500);
  n->set_as_name(f[3]);
  n->set_rdap_name(f[4]);
  dnsbl::v1::Contact* c = r.add_contacts();
  c->set_email(f[5]);
  c->set_source("abusix");
  for (auto language :
       {dnsbl::NoticeLanguage::kEnglish, dnsbl::NoticeLanguage::kDanish,
        dnsbl::NoticeLanguage::kPortuguese}) {
    dnsbl::DeliveryOptions options;
    options.letter.language = language;
    options.from = "desk@example.org";
    options.date = absl::FromUnixSeconds(1796140800);
    absl::StatusOr<std::string> eml =
        dnsbl::BuildNoticeMessage({r}, {f[5]}, options);
    if (!eml.ok()) {
      // Refused only for a recipient that is not a valid mailbox.
      if (dnsbl::ValidateEmail(f[5]).ok()) abort();
      continue;
    }
    if (!dnsbl::ValidateEmail(f[5]).ok()) abort();
    ExpectSafeMessage(*eml);
  }
  return 0;
}

// dnsbl/serve/internal/page.h
//
// The page for the desk at "/": an address field, then the verdict, the
// evidence (each database's answer, codes and meanings, the TXT reason as
// the database gave it, lookup links), the network and abuse contacts, and
// the letter in the chosen language with a link to download it as a
// message. Server-rendered HTML with no script; every string from the
// network or the request is escaped (a TXT reason is hostile input), and
// the page loads nothing but its own stylesheet (kPageCss), so a strict
// Content-Security-Policy (kPageCsp) holds.
//
// Example:
//
//   dnsbl::PageInput in;
//   in.address = "192.0.2.7";
//   in.report = &report;
//   std::string html = dnsbl::RenderPage(in);

#ifndef DNSBL_DNSBL_SERVE_INTERNAL_PAGE_H_
#define DNSBL_DNSBL_SERVE_INTERNAL_PAGE_H_

#include <string>

#include "absl/strings/string_view.h"
#include "dnsbl/notice/language.h"
#include "proto/dnsbl.pb.h"

namespace dnsbl {

struct PageInput {
  std::string address;  // As typed (may be bad: shown back, escaped).
  NoticeLanguage language = NoticeLanguage::kEnglish;
  std::string from;                    // The desk's mailbox, for the letter.
  std::string error;                   // Why the address was not checked.
  const v1::Report* report = nullptr;  // The check, when there is one.
};

// Returns the whole page.
std::string RenderPage(const PageInput& input);

// Returns `text` with & < > " ' as character references.
std::string HtmlEscape(absl::string_view text);

// The page's stylesheet (served at /static/dnsbl.css) and policy.
extern const char kPageCss[];
extern const char kPageCsp[];

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_SERVE_INTERNAL_PAGE_H_

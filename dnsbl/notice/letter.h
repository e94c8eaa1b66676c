// dnsbl/notice/letter.h
//
// The text of a notice: subject and body in the chosen language, from one
// Report (one address) or several (one abuse desk's addresses, as a table),
// with the claim ClaimFor() allows and the evidence the reports hold
// (databases, what they list the address as, codes and their meanings, TXT
// reasons escaped, lookup links, when and through which nameserver it was
// checked, the network and abuse contacts). Pure functions.
//
// Example:
//
//   dnsbl::NoticeOptions options;
//   options.language = dnsbl::NoticeLanguage::kDanish;
//   options.reply_to = "abuse-desk@example.org";
//   absl::StatusOr<dnsbl::Notice> notice =
//       dnsbl::ComposeNotice({report}, options);

#ifndef DNSBL_DNSBL_NOTICE_LETTER_H_
#define DNSBL_DNSBL_NOTICE_LETTER_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "dnsbl/notice/language.h"
#include "proto/dnsbl.pb.h"

namespace dnsbl {

struct NoticeOptions {
  // The language of the built-in template and of every phrase the notice
  // fills in. Default: English.
  NoticeLanguage language = NoticeLanguage::kEnglish;

  // The user's own letter (placeholders: dnsbl/notice/template.h), used for
  // one address and for several. Default: empty, the built-in template.
  // REQUIRES: passes CheckTemplate() with NoticePlaceholders().
  std::string template_text;

  // The mailbox the recipient should answer, shown as {reply_to}.
  // REQUIRES: non-empty.
  std::string reply_to;

  // Lines are wrapped at this many code points, as mail is read. Default:
  // 72. 0 leaves paragraphs whole, for a screen that wraps them itself.
  size_t wrap_width = 72;

  // For evidence that was re-checked before the letter (--max_age): when an
  // earlier report first found each address listed. The letter then says
  // the listing was re-confirmed at the report's time and first found at
  // this one. Default: empty (the reports are the first evidence).
  std::map<std::string, absl::Time> first_found;
};

struct Notice {
  std::string subject;  // One line, UTF-8, no control characters.
  std::string body;     // UTF-8, '\n' line ends, lines wrapped at 72.
  // The abuse mailboxes the reports name, each once, in report order.
  std::vector<std::string> contacts;
};

// Composes the notice about `reports` (one, or several for one abuse desk).
// Returns InvalidArgument when a report's evidence supports no letter
// (ClaimFor() is not kSend: naming the address and why), when there are no
// reports, or when the template is bad.
absl::StatusOr<Notice> ComposeNotice(absl::Span<const v1::Report> reports,
                                     const NoticeOptions& options);

// Returns `text` with every line longer than `width` code points broken at
// spaces; continuation lines keep the line's indentation (and align under
// the text of a "- " item). Words longer than `width` (links) stay whole.
std::string WrapLines(const std::string& text, size_t width);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_NOTICE_LETTER_H_

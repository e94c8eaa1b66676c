// dnsbl/notice/language.h
//
// The words of a notice in each language dnsbl writes (English, Danish,
// Portuguese): category names, claims, explanations, remedies, labels of
// the evidence block, subjects, and the built-in letter templates (placeholder
// syntax: dnsbl/notice/template.h). Written for dnsbl, following the
// structure of the notices our users send (what the databases suggest; what
// it is and why it hurts the recipient; how to fix it; where to learn more;
// whom to answer), not copied from them.
//
// Example:
//
//   absl::StatusOr<dnsbl::NoticeLanguage> lang =
//   dnsbl::ParseNoticeLanguage("da"); const dnsbl::NoticePhrases& words =
//   dnsbl::PhrasesFor(*lang);

#ifndef DNSBL_DNSBL_NOTICE_LANGUAGE_H_
#define DNSBL_DNSBL_NOTICE_LANGUAGE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/dnsbl.pb.h"

namespace dnsbl {

enum class NoticeLanguage { kEnglish, kDanish, kPortuguese };

// Parses "en", "da" or "pt"; InvalidArgument naming anything else.
absl::StatusOr<NoticeLanguage> ParseNoticeLanguage(absl::string_view code);

// Returns "en", "da" or "pt".
absl::string_view NoticeLanguageCode(NoticeLanguage language);

// Every phrase of one language. Plain UTF-8; `%s` marks where a list goes.
struct NoticePhrases {
  // Category names (OPEN_RELAY ... OTHER), indexed by v1::Category.
  const char* const* categories;
  // The same as used inside a sentence ("listed as a spam source").
  const char* const* categories_in_sentence;
  const char* claim_relay_and_proxy;
  const char* claim_relay;
  const char* claim_proxy;
  const char* claim_listed_as;  // "%s": the categories.
  const char* claim_also;       // "%s": further categories after a claim.
  const char* and_word;         // Joins the last two items of a list.
  // Explanation and remedy paragraphs by kind. A letter explains and
  // remedies exactly what its claim names: the relay, the proxy, or both
  // (what it is, then `consequences`, which both share).
  const char* explain_relay;
  const char* explain_proxy;
  const char* explain_relay_proxy;
  const char* consequences;
  const char* explain_exploited;
  const char* explain_spam;
  const char* explain_abuse;
  const char* explain_tor;
  const char* explain_other;
  const char* remedy_relay;
  const char* remedy_proxy;
  const char* remedy_relay_proxy;
  const char* remedy_exploited;
  const char* remedy_spam;
  const char* remedy_abuse;
  const char* remedy_tor;
  const char* remedy_other;
  // Evidence block labels.
  const char* listed_as;  // "%s": the categories.
  const char* code;
  // Text the database supplied, quoted as such: "%s" the code's meaning
  // (after the code) and the TXT reason (a line of its own).
  const char* meaning_quoted;
  const char* reason_quoted;
  const char* lookup;
  const char* via_word;  // "TIME via RESOLVER".
  // "TIME directly from each blocklist's own servers", for reports of
  // direct resolution.
  const char* direct_words;
  // After the time checked, when the evidence was re-checked: "%s" when
  // it was first found.
  const char* reconfirmed;
  const char* network;
  const char* allocated;  // "%s": the date a registry allocated a network.
  const char* abuse_contact;
  const char* no_contact;
  const char* unknown_source;  // "%s": source and why.
  const char* table_address;
  const char* table_claim;
  const char* table_databases;
  // Subjects: "%s" the address and the short claim / the count.
  const char* subject_one;
  const char* subject_many;
  // Built-in templates for one address and for several (a table), and
  // the closing paragraphs both end with.
  const char* template_one;
  const char* template_many;
  const char* closing;
  // {address} of a letter about several addresses: "%s" the count.
  const char* many_addresses;
  // {claim} of a letter about several addresses.
  const char* many_claim;
};

// Returns the phrases of `language`.
const NoticePhrases& PhrasesFor(NoticeLanguage language);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_NOTICE_LANGUAGE_H_

#include "dnsbl/notice/letter.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "dnsbl/base/escape.h"
#include "dnsbl/base/time_text.h"
#include "dnsbl/notice/claim.h"
#include "dnsbl/notice/template.h"
#include "dnsbl/output/text.h"

namespace dnsbl {
namespace {

size_t CodePoints(absl::string_view text) {
  return std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
}

std::string Fill(const char* pattern, absl::string_view value) {
  return absl::StrReplaceAll(pattern, {{"%s", value}});
}

// `pattern` with its first "%s" replaced by `a` and its second by `b`.
std::string Fill2(const char* pattern, absl::string_view a,
                  absl::string_view b) {
  std::vector<absl::string_view> parts = absl::StrSplit(pattern, "%s");
  parts.resize(3);
  return absl::StrCat(parts[0], a, parts[1], b, parts[2]);
}

// "a", "a and b", "a, b and c".
std::string JoinList(const std::vector<std::string>& items,
                     const NoticePhrases& words) {
  if (items.size() <= 1) return items.empty() ? "" : items[0];
  return absl::StrCat(absl::StrJoin(items.begin(), items.end() - 1, ", "), " ",
                      words.and_word, " ", items.back());
}

// The names of `cats`, bare (subjects, tables) or as used in a sentence.
std::vector<std::string> CategoryNames(const std::vector<v1::Category>& cats,
                                       const NoticePhrases& words,
                                       bool in_sentence = false) {
  std::vector<std::string> names;
  for (v1::Category c : cats) {
    int i = static_cast<int>(c);
    if (i < 0 || i >= 10) i = 9;
    names.push_back(in_sentence ? words.categories_in_sentence[i]
                                : words.categories[i]);
  }
  return names;
}

std::string ClaimText(const NoticeClaim& claim, const NoticePhrases& words) {
  const std::string others =
      JoinList(CategoryNames(claim.other, words, /*in_sentence=*/true), words);
  if (claim.open_relay || claim.open_proxy) {
    std::string text =
        claim.open_relay && claim.open_proxy
            ? words.claim_relay_and_proxy
            : (claim.open_relay ? words.claim_relay : words.claim_proxy);
    if (!others.empty()) absl::StrAppend(&text, Fill(words.claim_also, others));
    return text;
  }
  return Fill(words.claim_listed_as, others);
}

// What the subject and table say: the categories, relay and proxy first.
std::vector<v1::Category> ClaimCategories(const NoticeClaim& claim) {
  std::vector<v1::Category> cats;
  if (claim.open_relay) cats.push_back(v1::OPEN_RELAY);
  if (claim.open_proxy) cats.push_back(v1::OPEN_PROXY);
  cats.insert(cats.end(), claim.other.begin(), claim.other.end());
  return cats;
}

std::string Evidence(const NoticeClaim& claim, const NoticePhrases& words) {
  std::vector<std::string> lines;
  for (const NoticeListing& l : claim.listings) {
    lines.push_back(absl::StrCat(
        "- ", EscapeForTerminal(l.zone), ": ",
        Fill(words.listed_as,
             JoinList(CategoryNames(l.categories, words, /*in_sentence=*/true),
                      words))));
    for (size_t i = 0; i < l.codes.size(); ++i) {
      std::string line =
          absl::StrCat("  ", words.code, " ", EscapeForTerminal(l.codes[i]));
      if (i < l.meanings.size() && !l.meanings[i].empty()) {
        absl::StrAppend(
            &line, " (",
            Fill(words.meaning_quoted, EscapeForTerminal(l.meanings[i])), ")");
      }
      lines.push_back(std::move(line));
    }
    for (const std::string& txt : l.txt) {
      lines.push_back(absl::StrCat(
          "  ", Fill(words.reason_quoted, EscapeForTerminal(txt))));
    }
    if (!l.lookup_url.empty()) {
      lines.push_back(absl::StrCat("  ", words.lookup, ": ",
                                   EscapeForTerminal(l.lookup_url)));
    }
  }
  return absl::StrJoin(lines, "\n");
}

// NetworkLine() (dnsbl/output/text.h) in the letter's language: the
// registry's facts as given, the words around them translated.
std::string LocalNetworkLine(const v1::Network& n, const NoticePhrases& words) {
  v1::Network bare = n;
  bare.clear_allocated();
  std::string line = NetworkLine(bare);
  if (n.allocated().empty()) return line;
  const size_t source = line.rfind(" [");
  return absl::StrCat(line.substr(0, source), ", ",
                      Fill(words.allocated, n.allocated()),
                      line.substr(source));
}

std::string NetworkBlock(absl::Span<const v1::Report> reports,
                         const NoticePhrases& words) {
  std::vector<std::string> lines;
  std::set<std::string> seen;
  auto add = [&](std::string line) {
    if (seen.insert(line).second) lines.push_back(std::move(line));
  };
  bool any_contact = false;
  bool any_source = false;
  for (const v1::Report& r : reports) {
    for (const v1::Network& n : r.networks()) {
      add(absl::StrCat(words.network, ": ",
                       EscapeForTerminal(LocalNetworkLine(n, words))));
    }
  }
  for (const v1::Report& r : reports) {
    for (const v1::Contact& c : r.contacts()) {
      any_contact = true;
      add(absl::StrCat(words.abuse_contact, ": ", c.email(), " [", c.source(),
                       "]"));
    }
    for (const v1::ContactSource& s : r.contact_sources()) {
      any_source = true;
      if (!s.answered()) {
        add(Fill(words.unknown_source, EscapeForTerminal(absl::StrCat(
                                           s.source(), ": ", s.detail()))));
      }
    }
  }
  if (any_source && !any_contact) lines.push_back(words.no_contact);
  return absl::StrJoin(lines, "\n");
}

std::string Checked(absl::Span<const v1::Report> reports,
                    const NoticeOptions& options, const NoticePhrases& words) {
  int64_t first = INT64_MAX;
  int64_t last = INT64_MIN;
  std::set<std::string> resolvers;
  bool direct = false;
  for (const v1::Report& r : reports) {
    first = std::min<int64_t>(first, r.started().seconds());
    last = std::max<int64_t>(last, r.started().seconds());
    if (r.resolution() == v1::DIRECT) {
      direct = true;
    } else if (!r.resolver().empty()) {
      resolvers.insert(r.resolver());
    }
  }
  auto format = [](int64_t s) { return UtcText(absl::FromUnixSeconds(s)); };
  std::string when = format(first);
  if (last != first) absl::StrAppend(&when, " - ", format(last));
  // Re-checked evidence: the letter says since when the listing is known.
  absl::Time found = absl::InfiniteFuture();
  for (const v1::Report& r : reports) {
    auto it = options.first_found.find(r.address());
    if (it != options.first_found.end()) found = std::min(found, it->second);
  }
  std::vector<std::string> paths;
  if (direct) paths.push_back(words.direct_words);
  if (!resolvers.empty()) {
    paths.push_back(
        absl::StrCat(words.via_word, " ",
                     EscapeForTerminal(absl::StrJoin(resolvers, ", "))));
  }
  if (!paths.empty()) absl::StrAppend(&when, " ", absl::StrJoin(paths, ", "));
  if (found != absl::InfiniteFuture()) {
    absl::StrAppend(
        &when, " ",
        Fill(words.reconfirmed, format(absl::ToUnixSeconds(found))));
  }
  return when;
}

std::string Paragraphs(const std::vector<NoticeClaim>& claims,
                       const NoticePhrases& words, bool remedies) {
  bool relay = false;
  bool proxy = false;
  std::set<v1::Category> kinds;
  for (const NoticeClaim& c : claims) {
    relay |= c.open_relay;
    proxy |= c.open_proxy;
    kinds.insert(c.other.begin(), c.other.end());
  }
  std::vector<std::string> out;
  if (relay || proxy) {
    // Only what the claim names: a relay-only letter says nothing of
    // proxies, and the other way round.
    const char* what =
        relay && proxy ? words.explain_relay_proxy
                       : (relay ? words.explain_relay : words.explain_proxy);
    const char* fix = relay && proxy
                          ? words.remedy_relay_proxy
                          : (relay ? words.remedy_relay : words.remedy_proxy);
    out.push_back(remedies ? fix : absl::StrCat(what, " ", words.consequences));
  }
  for (v1::Category k : kinds) {
    switch (k) {
      case v1::EXPLOITED:
        out.push_back(remedies ? words.remedy_exploited
                               : words.explain_exploited);
        break;
      case v1::SPAM_SOURCE:
        out.push_back(remedies ? words.remedy_spam : words.explain_spam);
        break;
      case v1::ABUSE:
        out.push_back(remedies ? words.remedy_abuse : words.explain_abuse);
        break;
      case v1::TOR_EXIT:
        out.push_back(remedies ? words.remedy_tor : words.explain_tor);
        break;
      default:
        out.push_back(remedies ? words.remedy_other : words.explain_other);
        break;
    }
  }
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return absl::StrJoin(out, "\n\n");
}

std::string Padded(absl::string_view text, size_t width) {
  const size_t n = CodePoints(text);
  return absl::StrCat(text, std::string(n < width ? width - n : 0, ' '));
}

std::string Table(absl::Span<const v1::Report> reports,
                  const std::vector<NoticeClaim>& claims,
                  const NoticePhrases& words) {
  std::vector<std::vector<std::string>> rows = {
      {words.table_address, words.table_claim, words.table_databases}};
  for (size_t i = 0; i < reports.size(); ++i) {
    std::vector<std::string> zones;
    for (const NoticeListing& l : claims[i].listings) zones.push_back(l.zone);
    rows.push_back(
        {reports[i].address(),
         absl::StrJoin(CategoryNames(ClaimCategories(claims[i]), words), ", "),
         EscapeForTerminal(absl::StrJoin(zones, ", "))});
  }
  size_t w0 = 0;
  size_t w1 = 0;
  for (const auto& row : rows) {
    w0 = std::max(w0, CodePoints(row[0]));
    w1 = std::max(w1, CodePoints(row[1]));
  }
  std::vector<std::string> lines;
  for (const auto& row : rows) {
    lines.push_back(absl::StrCat(Padded(row[0], w0), " | ", Padded(row[1], w1),
                                 " | ", row[2]));
  }
  return absl::StrJoin(lines, "\n");
}

}  // namespace

std::string WrapLines(const std::string& text, size_t width) {
  std::vector<std::string> out;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    size_t indent = line.find_first_not_of(' ');
    if (indent == absl::string_view::npos) indent = 0;
    std::string hang(indent, ' ');
    if (line.substr(indent, 2) == "- ") hang += "  ";
    std::string current(line.substr(0, indent));
    size_t current_len = indent;
    bool first_word = true;
    for (absl::string_view word :
         absl::StrSplit(line.substr(indent), ' ', absl::SkipEmpty())) {
      const size_t n = CodePoints(word);
      if (!first_word && current_len + 1 + n > width) {
        out.push_back(current);
        current = hang;
        current_len = hang.size();
        first_word = true;
      }
      if (!first_word) {
        current += ' ';
        ++current_len;
      }
      absl::StrAppend(&current, word);
      current_len += n;
      first_word = false;
    }
    out.push_back(current);
  }
  return absl::StrJoin(out, "\n");
}

absl::StatusOr<Notice> ComposeNotice(absl::Span<const v1::Report> reports,
                                     const NoticeOptions& options) {
  if (reports.empty()) return absl::InvalidArgumentError("no reports");
  if (options.reply_to.empty()) {
    return absl::InvalidArgumentError(
        "a notice needs a reply-to address: it tells the recipient whom to "
        "answer");
  }
  const NoticePhrases& words = PhrasesFor(options.language);
  std::vector<NoticeClaim> claims;
  for (const v1::Report& r : reports) {
    NoticeClaim claim = ClaimFor(r);
    if (claim.decision != NoticeDecision::kSend) {
      return absl::InvalidArgumentError(
          absl::StrCat("no notice for ", r.address(), ": ", claim.why));
    }
    claims.push_back(std::move(claim));
  }
  const bool one = reports.size() == 1;
  std::map<std::string, std::string> values;
  if (one) {
    values["address"] = reports[0].address();
    values["claim"] = ClaimText(claims[0], words);
    values["evidence"] = Evidence(claims[0], words);
  } else {
    values["address"] =
        Fill(words.many_addresses, absl::StrCat(reports.size()));
    values["claim"] = words.many_claim;
    std::vector<std::string> blocks = {Table(reports, claims, words)};
    for (size_t i = 0; i < reports.size(); ++i) {
      blocks.push_back(absl::StrCat(reports[i].address(), ":\n",
                                    Evidence(claims[i], words)));
    }
    values["evidence"] = absl::StrJoin(blocks, "\n\n");
  }
  values["explanation"] = Paragraphs(claims, words, /*remedies=*/false);
  values["remedy"] = Paragraphs(claims, words, /*remedies=*/true);
  values["network"] = NetworkBlock(reports, words);
  values["checked"] = Checked(reports, options, words);
  values["reply_to"] = EscapeForTerminal(options.reply_to);

  const std::string tmpl =
      !options.template_text.empty()
          ? options.template_text
          : absl::StrCat(one ? words.template_one : words.template_many,
                         words.closing);
  absl::StatusOr<std::string> body = RenderTemplate(tmpl, values);
  if (!body.ok()) return body.status();

  // A block that came out empty (no network known) leaves one blank line,
  // not three.
  std::string text = *std::move(body);
  while (absl::StrContains(text, "\n\n\n")) {
    absl::StrReplaceAll({{"\n\n\n", "\n\n"}}, &text);
  }
  Notice notice;
  notice.body =
      options.wrap_width > 0 ? WrapLines(text, options.wrap_width) : text;
  notice.subject =
      one ? Fill2(words.subject_one, reports[0].address(),
                  absl::StrJoin(
                      CategoryNames(ClaimCategories(claims[0]), words), ", "))
          : Fill(words.subject_many, absl::StrCat(reports.size()));
  for (const v1::Report& r : reports) {
    for (const v1::Contact& c : r.contacts()) {
      if (std::find(notice.contacts.begin(), notice.contacts.end(),
                    c.email()) == notice.contacts.end()) {
        notice.contacts.push_back(c.email());
      }
    }
  }
  return notice;
}

}  // namespace dnsbl

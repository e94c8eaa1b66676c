#include "dnsbl/serve/internal/page.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "dnsbl/base/time_text.h"
#include "dnsbl/notice/claim.h"
#include "dnsbl/notice/letter.h"
#include "dnsbl/output/text.h"
#include "dnsbl/verdict/verdict.h"

namespace dnsbl {

const char kPageCsp[] =
    "default-src 'none'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const char kPageCss[] = R"css(:root { color-scheme: light dark; }
body { font: 16px/1.45 system-ui, sans-serif; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.4rem; margin: 0 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
form { display: grid; gap: .5rem; grid-template-columns: 1fr; }
@media (min-width: 40rem) {
  form { grid-template-columns: auto 1fr; align-items: center; }
  form button { grid-column: 2; justify-self: start; }
}
input, select, button { font: inherit; padding: .45rem .6rem; min-width: 0; }
button { cursor: pointer; }
:focus-visible { outline: 3px solid #2a6cd6; outline-offset: 2px; }
.verdict { padding: .75rem 1rem; border-radius: .4rem; border: 2px solid; }
.listed { border-color: #b3261e; } .clean { border-color: #1e7b34; }
.incomplete { border-color: #a15c00; }
.table { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem;
         border-bottom: 1px solid #8884; overflow-wrap: break-word; }
@media (max-width: 40rem) {
  /* One card per database: each answer under its own label. */
  table, tbody, tr, td { display: block; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
          clip: rect(0 0 0 0); }
  tr { border-bottom: 1px solid #8886; padding: .5rem 0; }
  td { border: 0; padding: .1rem 0; }
  td:empty { display: none; }
  td::before { content: attr(data-label) ": "; font-weight: 600; }
}
pre { white-space: pre-wrap; overflow-wrap: break-word; padding: .75rem;
      font: .95rem/1.45 ui-monospace, monospace;
      border: 1px solid #8886; border-radius: .4rem; }
.quoted { font-style: italic; }
)css";

namespace {

constexpr const char* kLanguages[][2] = {
    {"en", "English"}, {"da", "Dansk"}, {"pt", "Português"}};

std::string Attr(absl::string_view name, absl::string_view value) {
  return absl::StrCat(" ", name, "=\"", HtmlEscape(value), "\"");
}

// "a=b&c=d" with each value percent-encoded, for a link.
std::string Query(
    std::initializer_list<std::pair<absl::string_view, absl::string_view>>
        args) {
  std::vector<std::string> parts;
  for (const auto& [k, v] : args) {
    std::string value;
    for (unsigned char c : v) {
      if (absl::ascii_isalnum(c) || c == '.' || c == '-' || c == '_' ||
          c == ':' || c == '@') {
        value += static_cast<char>(c);
      } else {
        absl::StrAppend(&value, "%", absl::Hex(c, absl::kZeroPad2));
      }
    }
    parts.push_back(absl::StrCat(k, "=", value));
  }
  return absl::StrJoin(parts, "&");
}

std::string Form(const PageInput& in) {
  std::string options;
  for (const auto& [code, name] : kLanguages) {
    const bool chosen = NoticeLanguageCode(in.language) == code;
    absl::StrAppend(&options, "<option", Attr("value", code),
                    chosen ? " selected" : "", ">", name, "</option>");
  }
  return absl::StrCat(
      "<form method=\"get\" action=\"/\">\n"
      "<label for=\"address\">IP address</label>\n"
      "<input id=\"address\" name=\"address\" autocomplete=\"off\" "
      "spellcheck=\"false\" required autofocus",
      Attr("value", in.address),
      ">\n<label for=\"lang\">Letter language</label>\n"
      "<select id=\"lang\" name=\"lang\">",
      options,
      "</select>\n<label for=\"from\">Your mailbox</label>\n"
      "<input id=\"from\" name=\"from\" type=\"email\"",
      Attr("value", in.from),
      ">\n<button type=\"submit\">Check</button>\n</form>\n");
}

std::string StatusWord(v1::Status status) {
  switch (status) {
    case v1::LISTED:
      return "listed";
    case v1::NOT_LISTED:
      return "not listed";
    case v1::ERROR:
      return "no usable answer";
    case v1::REFUSED:
      return "refused to answer";
    case v1::SKIPPED:
      return "not asked";
    default:
      return "unknown";
  }
}

std::string Evidence(const v1::Report& r) {
  std::string rows;
  for (const v1::ZoneResult& z : r.results()) {
    std::vector<std::string> cats;
    for (int c : z.categories()) {
      cats.push_back(HtmlEscape(CategoryLabel(static_cast<v1::Category>(c))));
    }
    std::vector<std::string> codes;
    for (int i = 0; i < z.codes_size(); ++i) {
      std::string code = HtmlEscape(z.codes(i));
      if (i < z.meanings_size() && !z.meanings(i).empty()) {
        absl::StrAppend(&code, " <span class=\"quoted\">(",
                        HtmlEscape(z.meanings(i)), ")</span>");
      }
      codes.push_back(std::move(code));
    }
    std::vector<std::string> txt;
    for (const std::string& t : z.txt()) {
      txt.push_back(
          absl::StrCat("<q class=\"quoted\">", HtmlEscape(t), "</q>"));
    }
    std::string why = z.detail().empty() ? "" : HtmlEscape(z.detail());
    std::string link;
    // Only links the catalog made (https), never one from the network.
    if (absl::StartsWith(z.lookup_url(), "https://")) {
      link = absl::StrCat("<a", Attr("href", z.lookup_url()),
                          " rel=\"noreferrer\">lookup</a>");
    }
    absl::StrAppend(
        &rows, "<tr><td data-label=\"Database\">", HtmlEscape(z.zone()),
        "</td><td data-label=\"Answer\">", StatusWord(z.status()),
        why.empty() ? "" : absl::StrCat(": ", why),
        "</td><td data-label=\"Listed as\">", absl::StrJoin(cats, ", "),
        "</td><td data-label=\"Codes\">", absl::StrJoin(codes, "<br>"),
        "</td><td data-label=\"Reason\">", absl::StrJoin(txt, "<br>"),
        "</td><td data-label=\"Link\">", link, "</td></tr>\n");
  }
  const std::string when =
      UtcText(absl::FromUnixSeconds(r.started().seconds()));
  return absl::StrCat(
      "<section id=\"evidence\"><h2>Evidence</h2>\n<div class=\"table\">"
      "<table><thead><tr><th>Database</th><th>Answer</th><th>Listed as</th>"
      "<th>Codes (meaning)</th><th>Reason, as the database gives it</th>"
      "<th>Link</th></tr></thead><tbody>\n",
      rows, "</tbody></table></div>\n<p>Checked ", HtmlEscape(when), " via ",
      HtmlEscape(r.resolver()), ".</p></section>\n");
}

std::string Contacts(const v1::Report& r) {
  std::vector<std::string> items;
  for (const v1::Network& n : r.networks()) {
    items.push_back(
        absl::StrCat("<li>Network: ", HtmlEscape(NetworkLine(n)), "</li>"));
  }
  for (const v1::Contact& c : r.contacts()) {
    items.push_back(absl::StrCat("<li>Abuse contact: ", HtmlEscape(c.email()),
                                 " [", HtmlEscape(c.source()), "]</li>"));
  }
  for (const v1::ContactSource& s : r.contact_sources()) {
    if (!s.answered()) {
      items.push_back(absl::StrCat("<li>Not available from ",
                                   HtmlEscape(s.source()), ": ",
                                   HtmlEscape(s.detail()), "</li>"));
    }
  }
  if (items.empty()) items.push_back("<li>No contact sources were asked.</li>");
  return absl::StrCat(
      "<section id=\"network\"><h2>Network and abuse contacts</h2><ul>\n",
      absl::StrJoin(items, "\n"), "\n</ul></section>\n");
}

std::string Letter(const PageInput& in, const v1::Report& r) {
  const NoticeClaim claim = ClaimFor(r);
  std::string body;
  if (claim.decision != NoticeDecision::kSend) {
    body = absl::StrCat("<p>No letter: ", HtmlEscape(claim.why), ".</p>");
  } else if (in.from.empty()) {
    body = "<p>Give your mailbox above to see the letter.</p>";
  } else {
    NoticeOptions options;
    options.language = in.language;
    options.reply_to = in.from;
    options.wrap_width = 0;  // The screen wraps; the download is mail's.
    absl::StatusOr<Notice> notice = ComposeNotice({r}, options);
    if (!notice.ok()) {
      body = absl::StrCat(
          "<p>No letter: ", HtmlEscape(notice.status().message()), ".</p>");
    } else {
      body = absl::StrCat(
          "<p><strong>", HtmlEscape(notice->subject), "</strong></p>\n<pre",
          Attr("lang", NoticeLanguageCode(in.language)), ">",
          HtmlEscape(notice->body), "</pre>\n<p><a",
          Attr("href",
               absl::StrCat("/v1/notice?",
                            Query({{"address", r.address()},
                                   {"lang", NoticeLanguageCode(in.language)},
                                   {"from", in.from}}))),
          " download>Download the message (.eml)</a></p>");
    }
  }
  return absl::StrCat("<section id=\"letter\"><h2>The letter</h2>\n", body,
                      "\n</section>\n");
}

}  // namespace

std::string HtmlEscape(absl::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string RenderPage(const PageInput& in) {
  std::string content;
  if (!in.error.empty()) {
    content = absl::StrCat("<p class=\"verdict incomplete\" role=\"alert\">",
                           HtmlEscape(in.error), "</p>\n");
  } else if (in.report != nullptr) {
    const v1::Report& r = *in.report;
    const char* kind =
        r.summary().listed() ? "listed" : (IsClean(r) ? "clean" : "incomplete");
    content = absl::StrCat("<section id=\"verdict\"><h2>Verdict</h2><p",
                           Attr("class", absl::StrCat("verdict ", kind)),
                           " role=\"status\">", HtmlEscape(VerdictLine(r)),
                           "</p></section>\n", Evidence(r), Contacts(r),
                           Letter(in, r));
  }
  const std::string title =
      in.address.empty() ? "dnsbl" : absl::StrCat("dnsbl: ", in.address);
  return absl::StrCat(
      "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\">\n<title>",
      HtmlEscape(title),
      "</title>\n<link rel=\"stylesheet\" href=\"/static/dnsbl.css\">\n"
      "</head>\n<body>\n<main>\n<h1>Is this address on a blocklist?</h1>\n",
      Form(in), content, "</main>\n</body>\n</html>\n");
}

}  // namespace dnsbl

#include "dnsbl/notice/template.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "dnsbl/base/escape.h"

namespace dnsbl {
namespace {

// Walks `text`, calling `literal` for plain text and `field` for each
// placeholder name; stops at the first error.
template <typename Literal, typename Field>
absl::Status Walk(absl::string_view text, Literal literal, Field field) {
  int line = 1;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') ++line;
    if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      literal("{");
      i += 2;
    } else if (c == '}' && i + 1 < text.size() && text[i + 1] == '}') {
      literal("}");
      i += 2;
    } else if (c == '{') {
      const size_t end = text.find_first_of("}\n", i + 1);
      if (end == absl::string_view::npos || text[end] != '}') {
        return absl::InvalidArgumentError(absl::StrCat(
            "unclosed '{' on line ", line, " (write {{ for a literal brace)"));
      }
      if (absl::Status s = field(text.substr(i + 1, end - i - 1), line);
          !s.ok()) {
        return s;
      }
      i = end + 1;
    } else if (c == '}') {
      return absl::InvalidArgumentError(absl::StrCat(
          "stray '}' on line ", line, " (write }} for a literal brace)"));
    } else {
      const size_t next = text.find_first_of("{}\n", i + 1);
      const size_t stop = next == absl::string_view::npos ? text.size() : next;
      literal(text.substr(i, stop - i));
      i = stop;
    }
  }
  return absl::OkStatus();
}

absl::Status Unknown(absl::string_view name, int line) {
  return absl::InvalidArgumentError(
      absl::StrCat("unknown placeholder ",
                   QuoteInput(absl::StrCat("{", name, "}")), " on line ", line,
                   " (known: {address}, {claim}, "
                   "{explanation}, {remedy}, {evidence}, {network}, "
                   "{checked}, {reply_to})"));
}

}  // namespace

const std::vector<std::string>& NoticePlaceholders() {
  static const auto* names = new std::vector<std::string>{
      "address",  "claim",   "explanation", "remedy",
      "evidence", "network", "checked",     "reply_to"};
  return *names;
}

absl::Status CheckTemplate(absl::string_view text,
                           const std::vector<std::string>& known) {
  return Walk(
      text, [](absl::string_view) {},
      [&](absl::string_view name, int line) {
        if (std::find(known.begin(), known.end(), name) == known.end()) {
          return Unknown(name, line);
        }
        return absl::OkStatus();
      });
}

absl::StatusOr<std::string> RenderTemplate(
    absl::string_view text, const std::map<std::string, std::string>& values) {
  std::string out;
  absl::Status s = Walk(
      text, [&](absl::string_view piece) { absl::StrAppend(&out, piece); },
      [&](absl::string_view name, int line) {
        auto it = values.find(std::string(name));
        if (it == values.end()) return Unknown(name, line);
        absl::StrAppend(&out, it->second);
        return absl::OkStatus();
      });
  if (!s.ok()) return s;
  return out;
}

}  // namespace dnsbl

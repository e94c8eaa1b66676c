#include "dnsbl/base/escape.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace dnsbl {
namespace {

// Returns the length of the valid UTF-8 sequence at the start of `text`
// (1 to 4), or 0 when it is not valid: overlong forms, surrogates and code
// points over U+10FFFF are invalid.
size_t Utf8SequenceLength(absl::string_view text, uint32_t* code_point) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
  uint8_t lead = byte(0);
  if (lead < 0x80) {
    *code_point = lead;
    return 1;
  }
  size_t length;
  uint32_t cp;
  uint32_t min;
  if ((lead & 0xe0) == 0xc0) {
    length = 2, cp = lead & 0x1f, min = 0x80;
  } else if ((lead & 0xf0) == 0xe0) {
    length = 3, cp = lead & 0x0f, min = 0x800;
  } else if ((lead & 0xf8) == 0xf0) {
    length = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i) & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  *code_point = cp;
  return length;
}

void AppendHexByte(std::string* out, uint8_t b) {
  absl::StrAppend(out, "\\x", absl::Hex(b, absl::kZeroPad2));
}

}  // namespace

std::string EscapeForTerminal(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    uint32_t cp = 0;
    size_t length = Utf8SequenceLength(text, &cp);
    if (length == 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f)) {
      // A C1 control is escaped byte by byte, like invalid input.
      size_t n = length == 0 ? 1 : length;
      for (size_t i = 0; i < n; ++i) {
        AppendHexByte(&out, static_cast<uint8_t>(text[i]));
      }
      text.remove_prefix(n);
      continue;
    }
    if (cp == '\\') {
      out.append("\\\\");
    } else {
      out.append(text.data(), length);
    }
    text.remove_prefix(length);
  }
  return out;
}

std::string ToValidUtf8(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    uint32_t cp = 0;
    size_t length = Utf8SequenceLength(text, &cp);
    if (length == 0) {
      AppendHexByte(&out, static_cast<uint8_t>(text[0]));
      text.remove_prefix(1);
    } else {
      out.append(text.data(), length);
      text.remove_prefix(length);
    }
  }
  return out;
}

std::string QuoteInput(absl::string_view text) {
  constexpr size_t kMaxShown = 64;
  if (text.size() <= kMaxShown) {
    return absl::StrCat("'", EscapeForTerminal(text), "'");
  }
  return absl::StrCat("'", EscapeForTerminal(text.substr(0, kMaxShown)),
                      "...' (", text.size(), " bytes)");
}

std::string JsonQuote(absl::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      absl::StrAppend(&out, absl::StrFormat("\\u%04x", u));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace dnsbl

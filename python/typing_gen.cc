#include "python/typing_gen.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace dnsbl::python {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;
using google::protobuf::SourceLocation;

constexpr absl::string_view kTimestamp = "google.protobuf.Timestamp";

bool IsPythonKeyword(absl::string_view name) {
  static const auto* keywords = new absl::flat_hash_set<absl::string_view>{
      "False",  "None",   "True",    "and",      "as",       "assert", "async",
      "await",  "break",  "class",   "continue", "def",      "del",    "elif",
      "else",   "except", "finally", "for",      "from",     "global", "if",
      "import", "in",     "is",      "lambda",   "nonlocal", "not",    "or",
      "pass",   "raise",  "return",  "try",      "while",    "with",   "yield"};
  return keywords->contains(name);
}

// The comment lines of a .proto element (leading, then trailing), each
// without its "//" and the space after it; none without source info.
template <typename D>
std::vector<std::string> CommentLines(const D& d) {
  SourceLocation where;
  std::vector<std::string> lines;
  if (!d.GetSourceLocation(&where)) return lines;
  for (const std::string* text :
       {&where.leading_comments, &where.trailing_comments}) {
    for (absl::string_view line : absl::StrSplit(*text, '\n')) {
      absl::ConsumePrefix(&line, " ");
      line = absl::StripTrailingAsciiWhitespace(line);
      if (!line.empty()) lines.emplace_back(line);
    }
  }
  return lines;
}

// `lines` as a docstring indented by `indent`, or nothing.
std::string Docstring(const std::vector<std::string>& lines,
                      absl::string_view indent) {
  if (lines.empty()) return "";
  std::string out = absl::StrCat(indent, "\"\"\"");
  for (size_t i = 0; i < lines.size(); ++i) {
    // Neither can end the string early or start an escape.
    const std::string line = absl::StrReplaceAll(
        lines[i], {{"\\", "\\\\"}, {"\"\"\"", "\\\"\\\"\\\""}});
    if (i > 0) absl::StrAppend(&out, "\n", line.empty() ? "" : indent);
    out += line;
  }
  if (lines.size() > 1) absl::StrAppend(&out, "\n", indent);
  return absl::StrCat(out, "\"\"\"\n");
}

// The annotation of one value of `f` (one element when repeated).
absl::StatusOr<std::string> ValueType(const FieldDescriptor& f,
                                      const FileDescriptor& file) {
  switch (f.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_UINT32:
      return "int";
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_UINT64:
      return "str";  // The JSON mapping's: beyond a double's precision.
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT:
      return "float";
    case FieldDescriptor::CPPTYPE_BOOL:
      return "bool";
    case FieldDescriptor::CPPTYPE_STRING:
      return "str";  // bytes too: base64.
    case FieldDescriptor::CPPTYPE_ENUM:
      if (f.enum_type()->file() == &file) return f.enum_type()->name();
      break;
    case FieldDescriptor::CPPTYPE_MESSAGE:
      if (f.message_type()->full_name() == kTimestamp) return "str";
      if (f.message_type()->file() == &file) return f.message_type()->name();
      break;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("field ", f.full_name(), " has a type of another file (",
                   f.type_name(), ") that has no Python type here"));
}

absl::StatusOr<std::string> FieldType(const FieldDescriptor& f,
                                      const FileDescriptor& file) {
  if (f.is_map()) {
    absl::StatusOr<std::string> value =
        ValueType(*f.message_type()->map_value(), file);
    if (!value.ok()) return value.status();
    return absl::StrCat("Dict[str, ", *value, "]");
  }
  absl::StatusOr<std::string> value = ValueType(f, file);
  if (!value.ok() || !f.is_repeated()) return value;
  return absl::StrCat("List[", *value, "]");
}

std::string EnumAlias(const EnumDescriptor& e) {
  std::string out = absl::StrCat(e.name(), " = Literal[\n");
  for (int i = 0; i < e.value_count(); ++i) {
    const std::vector<std::string> comment = CommentLines(*e.value(i));
    const std::string value = absl::StrCat("    \"", e.value(i)->name(), "\",");
    if (comment.size() == 1 && value.size() + comment[0].size() < 76) {
      absl::StrAppend(&out, value, "  # ", comment[0], "\n");
      continue;
    }
    for (const std::string& line : comment) {
      absl::StrAppend(&out, "    # ", line, "\n");
    }
    absl::StrAppend(&out, value, "\n");
  }
  absl::StrAppend(&out, "]\n", Docstring(CommentLines(e), ""), "\n\n");
  return out;
}

absl::StatusOr<std::string> MessageClass(const Descriptor& m,
                                         const FileDescriptor& file) {
  // The keys go in the class body; their comments in the docstring, which
  // help() shows, under the message's own.
  std::string required, optional;
  std::vector<std::string> doc = CommentLines(m);
  if (m.field_count() > 0) {
    if (!doc.empty()) doc.emplace_back("");
    doc.emplace_back("Keys:");
  }
  for (int i = 0; i < m.field_count(); ++i) {
    const FieldDescriptor& f = *m.field(i);
    if (IsPythonKeyword(f.name())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "field ", f.full_name(), " is named by a Python keyword"));
    }
    absl::StatusOr<std::string> type = FieldType(f, file);
    if (!type.ok()) return type.status();
    absl::StrAppend(f.has_presence() ? &optional : &required, "    ", f.name(),
                    ": ", *type, "\n");
    doc.push_back(absl::StrCat("  ", f.name(), ": ", *type,
                               f.has_presence() ? " (only when set)" : ""));
    for (const std::string& line : CommentLines(f)) {
      doc.push_back(absl::StrCat("      ", line));
    }
  }
  const std::string docstring = Docstring(doc, "    ");
  if (optional.empty()) {
    return absl::StrCat(
        "class ", m.name(), "(TypedDict):\n", docstring, required,
        docstring.empty() && required.empty() ? "    pass\n" : "", "\n\n");
  }
  // The keys with presence go in a total=False class over the others
  // (typing.NotRequired is Python 3.11's; this works from 3.8 on).
  std::string out;
  if (!required.empty()) {
    absl::StrAppend(&out, "class _", m.name(), "Keys(TypedDict):\n", required,
                    "\n\n");
  }
  absl::StrAppend(
      &out, "class ", m.name(), "(",
      required.empty() ? "TypedDict" : absl::StrCat("_", m.name(), "Keys"),
      ", total=False):\n", docstring, optional, "\n\n");
  return out;
}

}  // namespace

absl::StatusOr<std::string> ReportsModule(const FileDescriptor& file) {
  std::vector<std::string> names;
  std::string body;
  for (int i = 0; i < file.enum_type_count(); ++i) {
    names.push_back(file.enum_type(i)->name());
    body += EnumAlias(*file.enum_type(i));
  }
  for (int i = 0; i < file.message_type_count(); ++i) {
    const Descriptor& m = *file.message_type(i);
    if (m.nested_type_count() > 0 || m.enum_type_count() > 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "message ", m.full_name(),
          " has nested types; give them names of their own at the top"));
    }
    names.push_back(m.name());
    absl::StatusOr<std::string> type = MessageClass(m, file);
    if (!type.ok()) return type.status();
    body += *type;
  }
  std::string out = absl::StrCat(
      "# Generated from ", file.name(),
      " by python/typing_gen (//python:typed_sources); do not edit.\n",
      "\"\"\"The shapes of what dnsbl returns, from ", file.name(),
      " (package ", file.package(),
      ").\n\n"
      "Each message is a TypedDict and each enum a Literal of its value\n"
      "names. Reports, health reports and zones are dicts of the protobuf "
      "JSON\nmapping with the .proto's field names: every key is present "
      "but those\nof message fields and fields with presence, which are "
      "there only when\nset; 64-bit integers and Timestamps (RFC 3339) are "
      "str.\n\"\"\"\n\n"
      "from __future__ import annotations\n\n"
      "from typing import Dict, List, Literal, TypedDict\n\n"
      "__all__ = [\n");
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    absl::StrAppend(&out, "    \"", name, "\",\n");
  }
  absl::StrAppend(&out, "]\n\n\n", body);
  // One blank line at the end, not three.
  while (absl::EndsWith(out, "\n\n")) out.pop_back();
  return out;
}

std::string PythonType(const OptionSpec& spec) {
  switch (spec.type) {
    case OptionType::kBool:
      return "bool";
    case OptionType::kInt:
      return "int";
    case OptionType::kDouble:
    case OptionType::kDuration:
      return "float";
    case OptionType::kText:
      // A file name may also be a pathlib.Path (module.cc takes
      // os.PathLike).
      return absl::StrContains(spec.value_name, "FILE") ||
                     absl::StrContains(spec.value_name, "DIR")
                 ? "str | os.PathLike[str]"
                 : "str";
    case OptionType::kList:
      return "str | Iterable[str]";
    case OptionType::kKeyValues:
      return "Mapping[str, str]";
  }
  return "object";
}

std::string OptionsJson() {
  std::vector<std::string> entries;
  for (const OptionSpec& spec : AllOptions()) {
    if (!spec.In(Tool::kPython)) continue;
    const ToolCommand command = spec.UsedBy(ToolCommand::kCheck)
                                    ? ToolCommand::kCheck
                                    : ToolCommand::kBulk;
    std::vector<std::string> used_by;
    for (const std::string& entry : PythonEntryPoints(spec)) {
      used_by.push_back(JsonQuote(entry));
    }
    entries.push_back(absl::StrCat(
        "{\"name\": ", JsonQuote(spec.NameIn(Tool::kPython)), ", \"type\": ",
        JsonQuote(PythonType(spec)), ", \"help\": ", JsonQuote(spec.help),
        ", \"default\": ", JsonQuote(DefaultText(spec, command, Tool::kPython)),
        ", \"used_by\": [", absl::StrJoin(used_by, ", "), "]}"));
  }
  return absl::StrCat("[\n", absl::StrJoin(entries, ",\n"), "\n]\n");
}

}  // namespace dnsbl::python

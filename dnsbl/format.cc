#include "dnsbl/format.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <memory>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "dnsbl/catalog.h"
#include "dnsbl/escape.h"
#include "dnsbl/interpret.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"

namespace dnsbl {
namespace {

absl::Time ToTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

std::string StatusLabel(v1::Status status) {
  switch (status) {
    case v1::LISTED:
      return "LISTED";
    case v1::NOT_LISTED:
      return "not listed";
    case v1::ERROR:
      return "ERROR";
    case v1::REFUSED:
      return "REFUSED";
    case v1::SKIPPED:
      return "skipped";
    default:
      return "?";
  }
}

std::string Plural(int n, absl::string_view one, absl::string_view many) {
  return absl::StrCat(n, " ", n == 1 ? one : many);
}

// Quotes one CSV field when it needs it (RFC 4180).
std::string CsvField(absl::string_view text) {
  std::string escaped = EscapeForTerminal(text);
  if (escaped.find_first_of(",\"") == std::string::npos) return escaped;
  std::string out = "\"";
  for (char c : escaped) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string CategoryNames(const v1::ZoneResult& r) {
  std::vector<std::string> names;
  for (int c : r.categories()) {
    names.push_back(v1::Category_Name(static_cast<v1::Category>(c)));
  }
  return absl::StrJoin(names, ";");
}

// How the verdict line names a category: "as an open proxy by ...".
absl::string_view VerdictPhrase(v1::Category category) {
  switch (category) {
    case v1::OPEN_RELAY:
      return "as an open relay";
    case v1::OPEN_PROXY:
      return "as an open proxy";
    case v1::EXPLOITED:
      return "as an exploited host";
    case v1::SPAM_SOURCE:
      return "as a spam source";
    case v1::POLICY:
      return "as a policy listing (end-user or dynamic range, not abuse)";
    case v1::TOR_EXIT:
      return "as a Tor exit";
    case v1::ABUSE:
      return "as an abuse source (attacks, brute force)";
    default:
      return "for other reasons";
  }
}

}  // namespace

absl::string_view CategoryLabel(v1::Category category) {
  switch (category) {
    case v1::OPEN_RELAY:
      return "open relay";
    case v1::OPEN_PROXY:
      return "open proxy";
    case v1::EXPLOITED:
      return "exploited host";
    case v1::SPAM_SOURCE:
      return "spam source";
    case v1::POLICY:
      return "policy listing (end-user or dynamic range)";
    case v1::TOR_EXIT:
      return "Tor exit";
    case v1::ABUSE:
      return "abuse source (attacks, brute force)";
    case v1::ALLOWLISTED:
      return "allowlisted";
    case v1::OTHER:
      return "other listing";
    default:
      return "unspecified";
  }
}

std::string VerdictLine(const v1::Report& report) {
  const v1::Summary& s = report.summary();
  const std::string& ip = report.address();
  std::string subject = report.hostname().empty()
                            ? ip
                            : absl::StrCat(ip, " (", report.hostname(), ")");
  std::string unanswered =
      s.errors() == 0
          ? ""
          : absl::StrCat("; ", Plural(s.errors(), "blocklist", "blocklists"),
                         " gave no usable answer");
  switch (VerdictOf(s)) {
    case Verdict::kListed: {
      std::vector<std::string> parts;
      // Category by category, so the words a notice needs come first.
      for (int c : s.categories()) {
        std::vector<std::string> zones;
        for (const v1::ZoneResult& r : report.results()) {
          if (r.status() == v1::LISTED &&
              std::find(r.categories().begin(), r.categories().end(), c) !=
                  r.categories().end()) {
            zones.push_back(r.zone());
          }
        }
        parts.push_back(
            absl::StrCat(VerdictPhrase(static_cast<v1::Category>(c)), " by ",
                         absl::StrJoin(zones, ", ")));
      }
      bool policy_only =
          std::all_of(s.categories().begin(), s.categories().end(),
                      [](int c) { return c == v1::POLICY; });
      if (policy_only) {
        // A policy list names ranges that should not send mail directly; it
        // says nothing about abuse, and must not read as if it did.
        return absl::StrCat(
            subject, " is on ",
            Plural(s.listed_by_size(), "policy list", "policy lists"),
            " only (", absl::StrJoin(s.listed_by(), ", "),
            "): an end-user or dynamic range, not evidence of abuse",
            unanswered);
      }
      return absl::StrCat(
          subject, " is LISTED by ", s.listed_by_size(), " of ", s.asked(),
          " blocklists: ", absl::StrJoin(parts, "; "), unanswered);
    }
    case Verdict::kIncomplete:
      if (s.answered() == 0) {
        return absl::StrCat(subject, ": no blocklist gave a usable answer (",
                            Plural(s.errors(), "blocklist", "blocklists"),
                            " asked): the verdict is INCOMPLETE");
      }
      return absl::StrCat(subject, " is not listed by the ",
                          Plural(s.answered(), "blocklist", "blocklists"),
                          " that answered, but ",
                          Plural(s.errors(), "blocklist", "blocklists"),
                          " gave no usable answer: the verdict is INCOMPLETE");
    case Verdict::kNotListed:
      break;
  }
  if (s.asked() == 0) {
    return absl::StrCat(subject,
                        ": no blocklist was asked (all zones skipped)");
  }
  return absl::StrCat(subject, " is not listed by any of ",
                      Plural(s.asked(), "blocklist", "blocklists"), " asked");
}

std::string FormatText(const v1::Report& report) {
  std::string out = absl::StrCat(EscapeForTerminal(VerdictLine(report)), "\n");
  const v1::Summary& s = report.summary();
  if (s.allowlisted_by_size() > 0) {
    absl::StrAppend(&out, "  allowlisted by: ",
                    absl::StrJoin(s.allowlisted_by(), ", "), "\n");
  }
  absl::Time started = ToTime(report.started());
  absl::Duration took = ToTime(report.finished()) - started;
  absl::StrAppend(
      &out, "  checked ",
      absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", started, absl::UTCTimeZone()),
      " in ", absl::StrFormat("%.0f", absl::ToDoubleMilliseconds(took)),
      " ms via ",
      report.resolver().empty() ? "the system resolver" : report.resolver(),
      "\n\n");

  size_t width = 4;
  for (const v1::ZoneResult& r : report.results()) {
    width = std::max(width, r.zone().size());
  }
  absl::StrAppend(
      &out, absl::StrFormat("  %-*s  %-10s  %s\n", static_cast<int>(width),
                            "ZONE", "RESULT", "EVIDENCE"));
  const std::string indent(width + 16, ' ');
  for (const v1::ZoneResult& r : report.results()) {
    std::string evidence;
    if (r.status() == v1::LISTED) {
      std::vector<std::string> codes;
      for (int i = 0; i < r.codes_size(); ++i) {
        std::string code = r.codes(i);
        if (i < r.meanings_size() && !r.meanings(i).empty()) {
          absl::StrAppend(&code, " (", r.meanings(i), ")");
        }
        codes.push_back(code);
      }
      std::vector<std::string> categories;
      for (int c : r.categories()) {
        categories.push_back(
            std::string(CategoryLabel(static_cast<v1::Category>(c))));
      }
      evidence = absl::StrCat(
          absl::StrJoin(categories, ", "), ": ", absl::StrJoin(codes, ", "),
          absl::StrFormat(", %.1f ms, ttl %d", r.latency_ms(), r.ttl()));
    } else if (r.status() == v1::NOT_LISTED) {
      evidence = absl::StrFormat("%.1f ms", r.latency_ms());
    } else {
      evidence = r.detail();
      if (r.codes_size() > 0) {
        absl::StrAppend(&evidence, " [", absl::StrJoin(r.codes(), ", "), "]");
      }
    }
    absl::StrAppend(
        &out, absl::StrFormat("  %-*s  %-10s  %s\n", static_cast<int>(width),
                              r.zone(), StatusLabel(r.status()),
                              EscapeForTerminal(evidence)));
    for (const std::string& txt : r.txt()) {
      absl::StrAppend(&out, indent, "reason: \"", EscapeForTerminal(txt),
                      "\"\n");
    }
    if (r.status() == v1::LISTED) {
      if (!r.detail().empty()) {
        absl::StrAppend(&out, indent, "note: ", EscapeForTerminal(r.detail()),
                        "\n");
      }
      if (!r.lookup_url().empty()) {
        absl::StrAppend(&out, indent,
                        "lookup: ", EscapeForTerminal(r.lookup_url()), "\n");
      }
    }
  }
  return out;
}

std::string FormatMessageJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string out;
  // Cannot fail: every string field holds valid UTF-8 (see AttachTxt).
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

std::string FormatMessageTextproto(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::TextFormat::PrintToString(message, &out);
  return out;
}

namespace {

// A growable character buffer without std::string's per-call checks and
// zero fill: the JSON encoder below makes ~600 small writes per record.
class JsonBuffer {
 public:
  void clear() { size_ = 0; }
  void Reserve(size_t n) {
    if (n > capacity_) Grow(n);
  }
  absl::string_view view() const {
    return absl::string_view(data_.get(), size_);
  }
  char back() const { return data_[size_ - 1]; }
  // Grows the buffer by `n` characters and returns where they go.
  char* Extend(size_t n) {
    if (size_ + n > capacity_) Grow(std::max(size_ + n, 2 * capacity_));
    char* p = data_.get() + size_;
    size_ += n;
    return p;
  }
  void push_back(char c) { *Extend(1) = c; }
  void append(absl::string_view text) {
    // (An empty view may have no data pointer, which memcpy must not get.)
    if (!text.empty())
      std::memcpy(Extend(text.size()), text.data(), text.size());
  }

 private:
  void Grow(size_t n) {
    // Not make_unique: it would zero the whole buffer.
    std::unique_ptr<char[]> bigger(new char[n]);
    if (size_ > 0) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ = n;
  }

  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

// Printable ASCII but '"' and '\\': what a JSON string holds as it is.
constexpr std::array<bool, 256> kJsonPlain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x7f; ++c) plain[c] = c != '"' && c != '\\';
  return plain;
}();

}  // namespace

// A JSON encoder for Report, the one message bulk runs write millions of:
// protobuf's generic printer costs about 100 microseconds per report,
// several times the cost of asking every zone. It prints what the protobuf
// JSON mapping prints (every field, names as in the schema, enums by name,
// timestamps in RFC 3339); a test holds it to protobuf's own parser.
class ReportJson {
 public:
  // Returns `r` encoded, with a newline at the end if `newline`. The view
  // is valid until the next call.
  absl::string_view Encode(const v1::Report& r, bool newline) {
    out_.clear();
    out_.Reserve(512 + 320 * static_cast<size_t>(r.results_size()));
    out_.push_back('{');
    Str("address", r.address());
    Key("results");
    out_.push_back('[');
    for (int i = 0; i < r.results_size(); ++i) {
      if (i > 0) out_.push_back(',');
      Result(r.results(i));
    }
    out_.push_back(']');
    if (r.has_summary()) {
      Key("summary");
      Summary(r.summary());
    }
    if (r.has_started()) Timestamp("started", r.started());
    if (r.has_finished()) Timestamp("finished", r.finished());
    Str("resolver", r.resolver());
    Str("hostname", r.hostname());
    out_.push_back('}');
    if (newline) out_.push_back('\n');
    return out_.view();
  }

 private:
  void Key(absl::string_view key) {
    const bool comma = out_.back() != '{';
    char* p = out_.Extend(comma + key.size() + 3);
    if (comma) *p++ = ',';
    *p++ = '"';
    std::memcpy(p, key.data(), key.size());
    p += key.size();
    *p++ = '"';
    *p = ':';
  }

  void Quoted(absl::string_view text) {
    out_.push_back('"');
    // Most strings (zone names, queries, addresses) need no escaping: one
    // table lookup a character, then one copy.
    const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
      return kJsonPlain[static_cast<unsigned char>(c)];
    });
    if (plain) {
      out_.append(text);
      out_.push_back('"');
      return;
    }
    for (char c : ToValidUtf8(text)) {
      unsigned char u = static_cast<unsigned char>(c);
      switch (c) {
        case '"':
          out_.append("\\\"");
          break;
        case '\\':
          out_.append("\\\\");
          break;
        case '\n':
          out_.append("\\n");
          break;
        case '\r':
          out_.append("\\r");
          break;
        case '\t':
          out_.append("\\t");
          break;
        default:
          if (u < 0x20 || u == 0x7f) {
            out_.append(absl::StrCat("\\u00", absl::Hex(u, absl::kZeroPad2)));
          } else {
            out_.push_back(c);
          }
      }
    }
    out_.push_back('"');
  }

  void Str(absl::string_view key, absl::string_view value) {
    Key(key);
    Quoted(value);
  }

  template <typename T>
  void Int(absl::string_view key, T value) {
    Key(key);
    out_.append(absl::AlphaNum(value).Piece());
  }

  void Bool(absl::string_view key, bool value) {
    Key(key);
    out_.append(value ? "true" : "false");
  }

  void Double(absl::string_view key, double value) {
    Key(key);
    // The shortest text that reads back as the same double.
    char buffer[32];
    std::to_chars_result r =
        std::to_chars(buffer, buffer + sizeof(buffer), value);
    out_.append(absl::string_view(buffer, static_cast<size_t>(r.ptr - buffer)));
  }

  void Strings(absl::string_view key,
               const google::protobuf::RepeatedPtrField<std::string>& values) {
    Key(key);
    out_.push_back('[');
    for (int i = 0; i < values.size(); ++i) {
      if (i > 0) out_.push_back(',');
      Quoted(values.Get(i));
    }
    out_.push_back(']');
  }

  void Categories(absl::string_view key,
                  const google::protobuf::RepeatedField<int>& values) {
    Key(key);
    out_.push_back('[');
    for (int i = 0; i < values.size(); ++i) {
      if (i > 0) out_.push_back(',');
      Quoted(v1::Category_Name(values.Get(i)));
    }
    out_.push_back(']');
  }

  void Timestamp(absl::string_view key, const google::protobuf::Timestamp& t) {
    Key(key);
    absl::CivilSecond c = absl::ToCivilSecond(
        absl::FromUnixSeconds(t.seconds()), absl::UTCTimeZone());
    // "YYYY-MM-DDTHH:MM:SS" by hand: StrFormat costs more than the rest of
    // the record's header, and a bulk run writes two per record.
    char text[64];
    char* p = text;
    auto digits = [&p](int64_t value, int width) {
      for (int i = width - 1; i >= 0; --i) {
        p[i] = static_cast<char>('0' + value % 10);
        value /= 10;
      }
      p += width;
    };
    if (c.year() >= 0 && c.year() <= 9999) {
      digits(c.year(), 4);
      *p++ = '-';
      digits(c.month(), 2);
      *p++ = '-';
      digits(c.day(), 2);
      *p++ = 'T';
      digits(c.hour(), 2);
      *p++ = ':';
      digits(c.minute(), 2);
      *p++ = ':';
      digits(c.second(), 2);
    } else {
      // Outside RFC 3339 (protobuf refuses such timestamps): as printed
      // before, by StrFormat.
      const std::string date =
          absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02d", c.year(), c.month(),
                          c.day(), c.hour(), c.minute(), c.second());
      p = std::copy(date.begin(), date.end(), p);
    }
    int32_t nanos = t.nanos();
    if (nanos != 0) {
      *p++ = '.';
      if (nanos % 1000000 == 0) {
        digits(nanos / 1000000, 3);
      } else if (nanos % 1000 == 0) {
        digits(nanos / 1000, 6);
      } else {
        digits(nanos, 9);
      }
    }
    *p++ = 'Z';
    Quoted(absl::string_view(text, static_cast<size_t>(p - text)));
  }

  void Result(const v1::ZoneResult& r) {
    out_.push_back('{');
    Str("zone", r.zone());
    Str("status", v1::Status_Name(r.status()));
    Strings("codes", r.codes());
    Categories("categories", r.categories());
    Strings("txt", r.txt());
    Str("detail", r.detail());
    Str("query", r.query());
    Int("ttl", r.ttl());
    Double("latency_ms", r.latency_ms());
    Int("attempts", r.attempts());
    Str("lookup_url", r.lookup_url());
    Strings("meanings", r.meanings());
    Str("health", v1::HealthState_Name(r.health()));
    Str("error", v1::ErrorKind_Name(r.error()));
    out_.push_back('}');
  }

  void Summary(const v1::Summary& s) {
    out_.push_back('{');
    Bool("listed", s.listed());
    Strings("listed_by", s.listed_by());
    Categories("categories", s.categories());
    Strings("open_relay_by", s.open_relay_by());
    Strings("open_proxy_by", s.open_proxy_by());
    Int("errors", s.errors());
    Int("answered", s.answered());
    Int("asked", s.asked());
    Strings("allowlisted_by", s.allowlisted_by());
    out_.push_back('}');
  }

  JsonBuffer out_;
};

std::string FormatJson(const v1::Report& report) {
  ReportJson json;
  return std::string(json.Encode(report, /*newline=*/false));
}

JsonLineEncoder::JsonLineEncoder() : json_(std::make_unique<ReportJson>()) {}
JsonLineEncoder::~JsonLineEncoder() = default;

absl::string_view JsonLineEncoder::EncodeLine(const v1::Report& report) {
  return json_->Encode(report, /*newline=*/true);
}

std::string FormatTextproto(const v1::Report& report) {
  return FormatMessageTextproto(report);
}

std::string FormatZonesText(const v1::Catalog& catalog,
                            const SettingNames& settings) {
  size_t width = 4;
  for (const v1::Zone& zone : catalog.zone()) {
    width = std::max(width, zone.name().size());
  }
  std::string out =
      absl::StrFormat("%-*s  %-9s  %-4s  %s\n", static_cast<int>(width), "ZONE",
                      "STATUS", "IPV6", "LISTS");
  for (const v1::Zone& zone : catalog.zone()) {
    std::string status = zone.retired()     ? "retired"
                         : zone.disabled()  ? "disabled"
                         : zone.needs_key() ? "needs key"
                                            : "live";
    std::vector<std::string> lists;
    for (v1::Category c : ZoneCategories(zone)) {
      lists.push_back(std::string(CategoryLabel(c)));
    }
    absl::StrAppend(
        &out,
        absl::StrFormat("%-*s  %-9s  %-4s  %s\n", static_cast<int>(width),
                        zone.name(), status, zone.ipv6() ? "yes" : "no",
                        absl::StrJoin(lists, ", ")),
        "    ", EscapeForTerminal(zone.description()), "\n");
    if (zone.retired()) {
      absl::StrAppend(
          &out, "    retired: ", EscapeForTerminal(zone.retired_note()), "\n");
    }
    if (zone.needs_key()) {
      absl::StrAppend(&out, "    key: ", settings.KeyFor(zone.key_name()),
                      "\n");
    }
    if (std::any_of(zone.code().begin(), zone.code().end(),
                    [](const v1::ReturnCode& c) { return c.bitmask(); })) {
      absl::StrAppend(&out,
                      "    answers: a bit mask; one answer can name several "
                      "categories\n");
    }
    if (zone.exhaustive_codes()) {
      absl::StrAppend(&out,
                      "    answers: only its documented codes; any other is "
                      "an error, not a listing\n");
    }
    if (!zone.txt_must_contain().empty()) {
      absl::StrAppend(&out,
                      "    TXT guard: a listing counts only when its "
                      "reason contains \"",
                      EscapeForTerminal(zone.txt_must_contain()), "\"\n");
    }
    if (zone.max_qps() > 0) {
      absl::StrAppend(&out, "    rate: at most ", zone.max_qps(),
                      " queries per second in bulk runs, as its operator "
                      "asks\n");
    }
    if (zone.test_entry() && !zone.retired()) {
      absl::StrAppend(
          &out, "    test entry: ", zone.ipv4() ? "127.0.0.2" : "::ffff:7f00:2",
          " always listed, as its operator documents (checked "
          "before its answers are used)\n");
    }
  }
  return out;
}

std::string FormatHealthText(const v1::HealthReport& report) {
  size_t width = 4;
  for (const v1::ZoneHealth& zone : report.zones()) {
    width = std::max(width, zone.zone().size());
  }
  std::string out =
      absl::StrFormat("%-*s  %-13s  %8s  %s\n", static_cast<int>(width), "ZONE",
                      "STATE", "PROBE", "DETAIL");
  for (const v1::ZoneHealth& zone : report.zones()) {
    std::string state = zone.state() == v1::HEALTH_STATE_UNSPECIFIED
                            ? "-"
                            : v1::HealthState_Name(zone.state());
    absl::StrAppend(&out, absl::StrFormat("%-*s  %-13s  %5.0f ms  %s\n",
                                          static_cast<int>(width), zone.zone(),
                                          state, zone.latency_ms(),
                                          EscapeForTerminal(zone.detail())));
  }
  absl::StrAppend(
      &out, "  via ",
      report.resolver().empty() ? "the system resolver" : report.resolver(),
      "\n");
  return out;
}

std::string CsvHeader() {
  return "address,zone,status,codes,categories,txt,detail\n";
}

std::string FormatCsv(const v1::Report& report) {
  std::string out;
  for (const v1::ZoneResult& r : report.results()) {
    absl::StrAppend(
        &out, CsvField(report.address()), ",", CsvField(r.zone()), ",",
        v1::Status_Name(r.status()), ",",
        CsvField(absl::StrJoin(r.codes(), ";")), ",", CategoryNames(r), ",",
        CsvField(absl::StrJoin(r.txt(), ";")), ",", CsvField(r.detail()), "\n");
  }
  return out;
}

}  // namespace dnsbl

#include "dnsbl/output/encode.h"

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
#include "dnsbl/base/escape.h"
#include "dnsbl/output/text.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/delimited_message_util.h"
#include "google/protobuf/util/json_util.h"

namespace dnsbl {
namespace {

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

}  // namespace

std::string FormatMessageJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
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
    if (!text.empty()) {
      std::memcpy(Extend(text.size()), text.data(), text.size());
    }
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
// several times the cost of asking every zone. It prints what protobuf's
// printer prints (names as in the schema, enums by name, timestamps in RFC
// 3339, fields at their defaults left out); a test holds it to protobuf's
// own printer and parser.
class ReportJson {
 public:
  // Returns `r` encoded, with a newline at the end if `newline`. The view
  // is valid until the next call.
  absl::string_view Encode(const v1::Report& r, bool newline) {
    out_.clear();
    out_.Reserve(512 + 320 * static_cast<size_t>(r.results_size()));
    out_.push_back('{');
    Str("address", r.address());
    Objects("results", r.results(),
            [this](const v1::ZoneResult& z) { Result(z); });
    if (r.has_summary()) {
      Key("summary");
      Summary(r.summary());
    }
    if (r.has_started()) Timestamp("started", r.started());
    if (r.has_finished()) Timestamp("finished", r.finished());
    Str("resolver", r.resolver());
    Str("hostname", r.hostname());
    Objects("networks", r.networks(),
            [this](const v1::Network& n) { Network(n); });
    Objects("contacts", r.contacts(),
            [this](const v1::Contact& c) { Contact(c); });
    Objects("contact_sources", r.contact_sources(),
            [this](const v1::ContactSource& s) { ContactSource(s); });
    Enum("resolution", r.resolution(), v1::Resolution_Name(r.resolution()));
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

  // Each writer below leaves out a field at its default value (empty,
  // zero, false, the enum's first value), as protobuf's printer does: a
  // bulk run's clean results are mostly defaults.
  void Str(absl::string_view key, absl::string_view value) {
    if (value.empty()) return;
    Key(key);
    Quoted(value);
  }

  template <typename T>
  void Int(absl::string_view key, T value) {
    if (value == 0) return;
    Key(key);
    out_.append(absl::AlphaNum(value).Piece());
  }

  void Bool(absl::string_view key, bool value) {
    if (!value) return;
    Key(key);
    out_.append("true");
  }

  void Double(absl::string_view key, double value) {
    if (value == 0) return;
    Key(key);
    // The shortest text that reads back as the same double.
    char buffer[32];
    std::to_chars_result r =
        std::to_chars(buffer, buffer + sizeof(buffer), value);
    out_.append(absl::string_view(buffer, static_cast<size_t>(r.ptr - buffer)));
  }

  void Strings(absl::string_view key,
               const google::protobuf::RepeatedPtrField<std::string>& values) {
    if (values.empty()) return;
    Key(key);
    out_.push_back('[');
    for (int i = 0; i < values.size(); ++i) {
      if (i > 0) out_.push_back(',');
      Quoted(values.Get(i));
    }
    out_.push_back(']');
  }

  // `name` is the name of `value`; the first value of every enum in the
  // schema is its "unspecified" default.
  void Enum(absl::string_view key, int value, absl::string_view name) {
    if (value != 0) Str(key, name);
  }

  template <typename Message, typename Each>
  void Objects(absl::string_view key,
               const google::protobuf::RepeatedPtrField<Message>& values,
               Each each) {
    if (values.empty()) return;
    Key(key);
    out_.push_back('[');
    for (int i = 0; i < values.size(); ++i) {
      if (i > 0) out_.push_back(',');
      each(values.Get(i));
    }
    out_.push_back(']');
  }

  void Network(const v1::Network& n) {
    out_.push_back('{');
    Str("source", n.source());
    Int("asn", n.asn());
    if (!n.other_asns().empty()) {
      Key("other_asns");
      out_.push_back('[');
      for (int i = 0; i < n.other_asns_size(); ++i) {
        if (i > 0) out_.push_back(',');
        out_.append(absl::AlphaNum(n.other_asns(i)).Piece());
      }
      out_.push_back(']');
    }
    Str("as_name", n.as_name());
    Str("prefix", n.prefix());
    Str("country", n.country());
    Str("registry", n.registry());
    Str("allocated", n.allocated());
    Str("rdap_handle", n.rdap_handle());
    Str("rdap_name", n.rdap_name());
    out_.push_back('}');
  }

  void Contact(const v1::Contact& c) {
    out_.push_back('{');
    Str("email", c.email());
    Str("source", c.source());
    Str("role", c.role());
    Str("network", c.network());
    out_.push_back('}');
  }

  void ContactSource(const v1::ContactSource& s) {
    out_.push_back('{');
    Str("source", s.source());
    Bool("answered", s.answered());
    Str("detail", s.detail());
    Enum("error", s.error(), v1::ErrorKind_Name(s.error()));
    Str("query", s.query());
    out_.push_back('}');
  }

  void Categories(absl::string_view key,
                  const google::protobuf::RepeatedField<int>& values) {
    if (values.empty()) return;
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
    Enum("status", r.status(), v1::Status_Name(r.status()));
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
    Enum("health", r.health(), v1::HealthState_Name(r.health()));
    Enum("error", r.error(), v1::ErrorKind_Name(r.error()));
    Str("data_file", r.data_file());
    if (r.has_data_mtime()) Timestamp("data_mtime", r.data_mtime());
    Str("server_name", r.server_name());
    Str("server_address", r.server_address());
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

std::string CsvHeader(CsvLayout layout) {
  return layout == CsvLayout::kCurrent
             ? "address,zone,status,codes,categories,txt,detail,network,"
               "notify,resolution,server\n"
             : "address,zone,status,codes,categories,txt,detail,network,"
               "notify\n";
}

std::string FormatCsv(const v1::Report& report, CsvLayout layout) {
  // Who to notify, repeated on each of the address's rows so every row
  // stands alone: the networks, then the mailboxes and the sources that
  // could not answer (an empty list is then never "no contact exists").
  std::vector<std::string> networks;
  for (const v1::Network& n : report.networks()) {
    networks.push_back(NetworkLine(n));
  }
  std::vector<std::string> notify;
  for (const v1::Contact& c : report.contacts()) {
    notify.push_back(absl::StrCat(c.email(), " [", c.source(), "]"));
  }
  for (const v1::ContactSource& source : report.contact_sources()) {
    if (!source.answered()) {
      notify.push_back(
          absl::StrCat("unknown: ", source.source(), ": ", source.detail()));
    }
  }
  const std::string contact_fields =
      absl::StrCat(CsvField(absl::StrJoin(networks, "; ")), ",",
                   CsvField(absl::StrJoin(notify, "; ")));
  std::string out;
  for (const v1::ZoneResult& r : report.results()) {
    absl::StrAppend(&out, CsvField(report.address()), ",", CsvField(r.zone()),
                    ",", v1::Status_Name(r.status()), ",",
                    CsvField(absl::StrJoin(r.codes(), ";")), ",",
                    CategoryNames(r), ",",
                    CsvField(absl::StrJoin(r.txt(), ";")), ",",
                    CsvField(r.detail()), ",", contact_fields);
    if (layout == CsvLayout::kCurrent) {
      absl::StrAppend(&out, ",",
                      report.resolution() == v1::RESOLUTION_UNSPECIFIED
                          ? ""
                          : v1::Resolution_Name(report.resolution()),
                      ",",
                      r.server_address().empty()
                          ? ""
                          : CsvField(absl::StrCat(r.server_name(), " (",
                                                  r.server_address(), ")")));
    }
    out.push_back('\n');
  }
  return out;
}

absl::StatusOr<OutputFormat> ParseOutputFormat(absl::string_view name) {
  for (OutputFormat f :
       {OutputFormat::kText, OutputFormat::kJson, OutputFormat::kTextproto,
        OutputFormat::kCsv, OutputFormat::kBinary}) {
    if (name == OutputFormatName(f)) return f;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown format ", QuoteInput(name),
                   " (use text, json, textproto, csv or binary)"));
}

absl::string_view OutputFormatName(OutputFormat format) {
  switch (format) {
    case OutputFormat::kText:
      return "text";
    case OutputFormat::kJson:
      return "json";
    case OutputFormat::kTextproto:
      return "textproto";
    case OutputFormat::kCsv:
      return "csv";
    case OutputFormat::kBinary:
      return "binary";
  }
  return "?";
}

bool AbslParseFlag(absl::string_view text, OutputFormat* format,
                   std::string* error) {
  absl::StatusOr<OutputFormat> parsed = ParseOutputFormat(text);
  if (!parsed.ok()) {
    *error = std::string(parsed.status().message());
    return false;
  }
  *format = *parsed;
  return true;
}

std::string AbslUnparseFlag(OutputFormat format) {
  return std::string(OutputFormatName(format));
}

std::string OutputPreamble(OutputFormat format) {
  return format == OutputFormat::kCsv ? CsvHeader() : "";
}

namespace {

// A varint length, then `message`.
std::string Frame(const google::protobuf::MessageLite& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    (void)google::protobuf::util::SerializeDelimitedToZeroCopyStream(message,
                                                                     &stream);
  }
  return out;
}

}  // namespace

std::string EncodeMessage(const google::protobuf::Message& message,
                          OutputFormat format) {
  switch (format) {
    case OutputFormat::kJson:
      return absl::StrCat(FormatMessageJson(message), "\n");
    case OutputFormat::kTextproto:
      return FormatMessageTextproto(message);
    case OutputFormat::kBinary:
      return Frame(message);
    default:
      return "";
  }
}

std::string EncodeReport(const v1::Report& report, OutputFormat format) {
  switch (format) {
    case OutputFormat::kText:
      return absl::StrCat(FormatText(report), "\n");
    case OutputFormat::kJson:
      return std::string(JsonLineEncoder().EncodeLine(report));
    case OutputFormat::kTextproto:
      return absl::StrCat(FormatTextproto(report), "\n");
    case OutputFormat::kCsv:
      return FormatCsv(report);
    case OutputFormat::kBinary:
      return Frame(report);
  }
  return "";
}

}  // namespace dnsbl

#include "dnsbl/tool_options.h"

#include <cstdlib>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "dnsbl/base/escape.h"
#include "dnsbl/catalog/catalog.h"
#include "dnsbl/contacts/internal/email.h"
#include "dnsbl/dns/resolution.h"
#include "dnsbl/input/shard.h"
#include "dnsbl/notice/language.h"
#include "dnsbl/notice/template.h"

namespace dnsbl {
namespace {

// Bits of OptionSpec::commands and ::tools.
constexpr uint8_t kCheck = 1 << static_cast<int>(ToolCommand::kCheck);
constexpr uint8_t kBulk = 1 << static_cast<int>(ToolCommand::kBulk);
constexpr uint8_t kHealth = 1 << static_cast<int>(ToolCommand::kHealth);
constexpr uint8_t kZones = 1 << static_cast<int>(ToolCommand::kZones);
constexpr uint8_t kNotice = 1 << static_cast<int>(ToolCommand::kNotice);
constexpr uint8_t kServe = 1 << static_cast<int>(ToolCommand::kServe);
constexpr uint8_t kAsking = kCheck | kBulk | kHealth | kNotice | kServe;
constexpr uint8_t kChecking = kCheck | kBulk | kNotice | kServe;
constexpr uint8_t kCli = 1 << static_cast<int>(Tool::kCli);
constexpr uint8_t kPython = 1 << static_cast<int>(Tool::kPython);
constexpr uint8_t kBoth = kCli | kPython;

absl::Status Bad(absl::string_view why) {
  return absl::InvalidArgumentError(why);
}

// Field values to and from OptionValue.
OptionValue ToValue(bool v) { return v; }
OptionValue ToValue(int v) { return int64_t{v}; }
OptionValue ToValue(int64_t v) { return v; }
OptionValue ToValue(double v) { return v; }
OptionValue ToValue(absl::Duration v) { return v; }
OptionValue ToValue(const std::string& v) { return v; }
OptionValue ToValue(const std::vector<std::string>& v) { return v; }

absl::Status FromValue(OptionValue v, bool& out) {
  out = std::get<bool>(v);
  return absl::OkStatus();
}
absl::Status FromValue(OptionValue v, int& out) {
  const int64_t n = std::get<int64_t>(v);
  if (n < 1 || n > std::numeric_limits<int>::max()) {
    return Bad(absl::StrCat("must be from 1 to ",
                            std::numeric_limits<int>::max(), ", not ", n));
  }
  out = static_cast<int>(n);
  return absl::OkStatus();
}
// A count where 0 means "none" (--cache_size).
absl::Status FromValue(OptionValue v, int64_t& out) {
  const int64_t n = std::get<int64_t>(v);
  if (n < 0) return Bad(absl::StrCat("cannot be negative, not ", n));
  out = n;
  return absl::OkStatus();
}
absl::Status FromValue(OptionValue v, double& out) {
  out = std::get<double>(v);
  return absl::OkStatus();
}
absl::Status FromValue(OptionValue v, absl::Duration& out) {
  out = std::get<absl::Duration>(v);
  return absl::OkStatus();
}
absl::Status FromValue(OptionValue v, std::string& out) {
  out = std::get<std::string>(std::move(v));
  return absl::OkStatus();
}
absl::Status FromValue(OptionValue v, std::vector<std::string>& out) {
  out = std::get<std::vector<std::string>>(std::move(v));
  return absl::OkStatus();
}

template <typename T, typename M>
auto& Follow(T& t, M m) {
  return t.*m;
}
template <typename T, typename M, typename... Ms>
auto& Follow(T& t, M m, Ms... ms) {
  return Follow(t.*m, ms...);
}

// An option that is one field of ToolOptions, reached by `Path`.
struct Access {
  OptionValue (*get)(const ToolOptions&);
  absl::Status (*set)(OptionValue, ToolOptions&);
};
template <auto... Path>
OptionValue GetField(const ToolOptions& o) {
  return ToValue(Follow(o, Path...));
}
template <auto... Path>
absl::Status SetField(OptionValue v, ToolOptions& o) {
  return FromValue(std::move(v), Follow(o, Path...));
}
template <auto... Path>
constexpr Access Field() {
  return {&GetField<Path...>, &SetField<Path...>};
}
// A field of the Checker's options.
template <auto Member>
constexpr Access Checker() {
  return Field<&ToolOptions::bulk, &BulkOptions::checker, Member>();
}

CheckerOptions& C(ToolOptions& o) { return o.bulk.checker; }
const CheckerOptions& C(const ToolOptions& o) { return o.bulk.checker; }

// Options whose value is not a field as it is: parsed, checked, spread.
constexpr Access kResolution = {
    [](const ToolOptions& o) -> OptionValue {
      return std::string(ResolutionModeName(C(o).resolution));
    },
    [](OptionValue v, ToolOptions& o) {
      absl::StatusOr<ResolutionMode> mode =
          ParseResolutionMode(std::get<std::string>(v));
      if (!mode.ok()) return mode.status();
      C(o).resolution = *mode;
      return absl::OkStatus();
    }};

constexpr Access kDelegationCache = {
    [](const ToolOptions& o) -> OptionValue {
      return C(o).delegation_cache.empty() ? "none" : C(o).delegation_cache;
    },
    [](OptionValue v, ToolOptions& o) {
      const std::string path = std::get<std::string>(std::move(v));
      C(o).delegation_cache = path == "none" ? ""
                              : path.empty() ? DefaultDelegationCachePath()
                                             : path;
      return absl::OkStatus();
    }};

// Both windows: a check's fixed one and a bulk run's cap.
constexpr Access kMaxInflight = {
    [](const ToolOptions& o) -> OptionValue {
      return int64_t{C(o).max_inflight};
    },
    [](OptionValue v, ToolOptions& o) {
      if (absl::Status s = FromValue(v, C(o).max_inflight); !s.ok()) return s;
      o.bulk.max_inflight = C(o).max_inflight;
      return absl::OkStatus();
    }};

// A list flag splits at commas; a piece without ':' is a further file of
// the spec before it ("zone:ip4set:a.zone,b.zone").
constexpr Access kZoneData = {
    [](const ToolOptions& o) -> OptionValue { return C(o).zone_data; },
    [](OptionValue v, ToolOptions& o) {
      std::vector<std::string> specs;
      for (std::string& piece :
           std::get<std::vector<std::string>>(std::move(v))) {
        if (!specs.empty() && piece.find(':') == std::string::npos) {
          absl::StrAppend(&specs.back(), ",", piece);
        } else {
          specs.push_back(std::move(piece));
        }
      }
      C(o).zone_data = std::move(specs);
      return absl::OkStatus();
    }};

constexpr Access kKeys = {
    [](const ToolOptions& o) -> OptionValue {
      // Keys are secrets: never shown.
      return std::map<std::string, std::string>();
    },
    [](OptionValue v, ToolOptions& o) {
      for (auto& [name, key] :
           std::get<std::map<std::string, std::string>>(std::move(v))) {
        C(o).keys[absl::AsciiStrToLower(name)] = std::move(key);
      }
      return absl::OkStatus();
    }};

constexpr Access kCatalogFile = Field<&ToolOptions::catalog_file>();
constexpr Access kCatalogText = Field<&ToolOptions::catalog_text>();

constexpr Access kFormat = {
    [](const ToolOptions& o) -> OptionValue {
      return o.format.has_value() ? std::string(OutputFormatName(*o.format))
                                  : "";
    },
    [](OptionValue v, ToolOptions& o) {
      absl::StatusOr<OutputFormat> format =
          ParseOutputFormat(std::get<std::string>(v));
      if (!format.ok()) return format.status();
      o.format = *format;
      return absl::OkStatus();
    }};

constexpr Access kMaxQps = {
    [](const ToolOptions& o) -> OptionValue { return o.bulk.max_qps; },
    [](OptionValue v, ToolOptions& o) {
      const double qps = std::get<double>(v);
      if (!(qps >= 0)) return Bad("must not be negative");
      o.bulk.max_qps = qps;
      return absl::OkStatus();
    }};

constexpr Access kMaxRangeSize = {
    [](const ToolOptions& o) -> OptionValue {
      return static_cast<int64_t>(
          absl::Uint128Low64(o.bulk.input.max_range_size));
    },
    [](OptionValue v, ToolOptions& o) {
      const int64_t n = std::get<int64_t>(v);
      if (n < 1) return Bad("must be at least 1");
      o.bulk.input.max_range_size = static_cast<uint64_t>(n);
      return absl::OkStatus();
    }};

constexpr Access kThreads = {[](const ToolOptions& o) -> OptionValue {
                               return static_cast<int64_t>(o.bulk.threads);
                             },
                             [](OptionValue v, ToolOptions& o) {
                               const int64_t n = std::get<int64_t>(v);
                               if (n < 0 || n > 1024)
                                 return Bad("must be from 0 to 1024");
                               o.bulk.threads = static_cast<int>(n);
                               return absl::OkStatus();
                             }};

constexpr Access kShard = {
    [](const ToolOptions& o) -> OptionValue {
      const Shard& s = o.bulk.shard;
      return s.count == 1 ? "" : absl::StrCat(s.index, "/", s.count);
    },
    [](OptionValue v, ToolOptions& o) {
      absl::StatusOr<Shard> shard =
          ParseShard(std::get<std::string>(v), [](const char* name) {
            return static_cast<const char*>(std::getenv(name));
          });
      if (!shard.ok()) return shard.status();
      o.bulk.shard = *shard;
      return absl::OkStatus();
    }};

constexpr Access kProgress = {
    [](const ToolOptions& o) -> OptionValue {
      switch (o.progress) {
        case ProgressMode::kAlways:
          return "always";
        case ProgressMode::kNever:
          return "never";
        case ProgressMode::kAuto:
          break;
      }
      return "auto";
    },
    [](OptionValue v, ToolOptions& o) {
      const std::string text = std::get<std::string>(v);
      if (text == "auto") {
        o.progress = ProgressMode::kAuto;
      } else if (text == "always") {
        o.progress = ProgressMode::kAlways;
      } else if (text == "never") {
        o.progress = ProgressMode::kNever;
      } else {
        return Bad(absl::StrCat("unknown value ", QuoteInput(text),
                                " (use auto, always or never)"));
      }
      return absl::OkStatus();
    }};

constexpr Access kCategory = {
    [](const ToolOptions& o) -> OptionValue {
      return o.category.has_value()
                 ? absl::AsciiStrToLower(v1::Category_Name(*o.category))
                 : "";
    },
    [](OptionValue v, ToolOptions& o) {
      const std::string text = std::get<std::string>(v);
      v1::Category category;
      if (v1::Category_Parse(absl::AsciiStrToUpper(text), &category) &&
          category != v1::CATEGORY_UNSPECIFIED) {
        o.category = category;
        return absl::OkStatus();
      }
      std::vector<std::string> names;
      for (int c = v1::Category_MIN + 1; c <= v1::Category_MAX; ++c) {
        names.push_back(absl::AsciiStrToLower(v1::Category_Name(c)));
      }
      return Bad(absl::StrCat("unknown category ", QuoteInput(text),
                              " (use one of ", absl::StrJoin(names, ", "),
                              ")"));
    }};

constexpr Access kLang = {
    [](const ToolOptions& o) -> OptionValue {
      return std::string(NoticeLanguageCode(o.delivery.letter.language));
    },
    [](OptionValue v, ToolOptions& o) {
      absl::StatusOr<NoticeLanguage> lang =
          ParseNoticeLanguage(std::get<std::string>(v));
      if (!lang.ok()) return lang.status();
      o.delivery.letter.language = *lang;
      return absl::OkStatus();
    }};

// The sender answers too: it is the letter's reply-to.
constexpr Access kFrom = {
    [](const ToolOptions& o) -> OptionValue { return o.delivery.from; },
    [](OptionValue v, ToolOptions& o) {
      absl::StatusOr<std::string> email =
          ValidateEmail(std::get<std::string>(v));
      if (!email.ok()) return email.status();
      o.delivery.from = *email;
      return absl::OkStatus();
    }};

// An optional mailbox (--reply_to, --bounce_to): checked when given.
template <std::string DeliveryOptions::*kField>
constexpr Access kMailbox = {
    [](const ToolOptions& o) -> OptionValue { return o.delivery.*kField; },
    [](OptionValue v, ToolOptions& o) {
      const std::string& text = std::get<std::string>(v);
      if (text.empty()) {
        (o.delivery.*kField).clear();
        return absl::OkStatus();
      }
      absl::StatusOr<std::string> email = ValidateEmail(text);
      if (!email.ok()) return email.status();
      o.delivery.*kField = *email;
      return absl::OkStatus();
    }};

// Unset means "when sending", so it is kept apart from the bool it sets.
constexpr Access kRecheck = {[](const ToolOptions& o) -> OptionValue {
                               return o.recheck.value_or(o.delivery.send);
                             },
                             [](OptionValue v, ToolOptions& o) {
                               o.recheck = std::get<bool>(v);
                               return absl::OkStatus();
                             }};

constexpr Access kTo = {
    [](const ToolOptions& o) -> OptionValue { return o.delivery.to; },
    [](OptionValue v, ToolOptions& o) {
      std::vector<std::string> to;
      for (const std::string& text : std::get<std::vector<std::string>>(v)) {
        absl::StatusOr<std::string> email = ValidateEmail(text);
        if (!email.ok()) return email.status();
        to.push_back(*email);
      }
      o.delivery.to = std::move(to);
      return absl::OkStatus();
    }};

OptionSpec Option(absl::string_view name, absl::string_view python_name,
                  OptionType type, absl::string_view value_name,
                  absl::string_view help, absl::string_view shown_default,
                  uint8_t commands, uint8_t tools, Access access) {
  return OptionSpec{name,          python_name, type,  value_name, help,
                    shown_default, commands,    tools, access.get, access.set};
}

std::vector<OptionSpec> MakeTable() {
  using T = OptionType;
  return {
      Option("resolution", "", T::kText, "MODE",
             "How answers are reached. direct: ask each blocklist's own "
             "servers, found from the root servers, so no resolver between "
             "here and the blocklists can spoil the answers; recursive: ask "
             "--nameserver or the system resolver; auto: recursive when "
             "--nameserver is given, else direct where the internet's root "
             "is reachable and recursive (with a warning saying why) where "
             "it is not, without sending anything to a public address from "
             "a machine whose resolver cannot see the root.",
             "", kAsking, kBoth, kResolution),
      Option("nameserver", "nameservers", T::kList, "ADDR[:PORT]",
             "Nameservers to ask: ADDR, ADDR:PORT or [IPV6]:PORT; repeat the "
             "flag or separate with commas. Empty: those of "
             "/etc/resolv.conf. Giving one means recursive resolution unless "
             "--resolution says otherwise. Use a recursive resolver of your "
             "own: several blocklists refuse public resolvers.",
             "", kAsking, kBoth, Checker<&CheckerOptions::nameservers>()),
      Option("root_hints", "", T::kText, "FILE",
             "Direct resolution: a named.root file of the root servers to "
             "start from. Empty: IANA's (of 2024-04-18), built in.",
             "", kAsking, kBoth, Checker<&CheckerOptions::root_hints>()),
      Option("delegation_cache", "", T::kText, "FILE",
             "Direct resolution: the file each blocklist's servers are kept "
             "in between runs (until their TTL runs out), or 'none'. Empty: "
             "the user's cache.",
             "$XDG_CACHE_HOME/dnsbl/delegations, else "
             "~/.cache/dnsbl/delegations",
             kAsking, kBoth, kDelegationCache),
      Option("catalog", "", T::kText, "FILE",
             "Catalog of blocklists in protobuf text format (start from "
             "'dnsbl zones --format=textproto'). Empty: the built-in "
             "catalog.",
             "", kAsking | kZones, kBoth, kCatalogFile),
      Option("catalog_text", "", T::kText, "TEXT",
             "A catalog given as its text instead of a file (not both).", "",
             kAsking, kPython, kCatalogText),
      Option("zones", "", T::kList, "NAME,...",
             "Zones to use, by name. Naming a disabled zone asks it; naming "
             "a retired one reports why it is not asked. Empty: every zone "
             "of the catalog that is neither disabled nor retired.",
             "", kAsking, kBoth, Checker<&CheckerOptions::zones>()),
      Option("format", "", T::kText, "FORMAT",
             "Output. check: text (for a person; the default), json (one "
             "Report per line, protobuf JSON), textproto or csv. bulk: json "
             "(the default), binary (length-delimited Reports) or csv. "
             "health and zones: text, json or textproto. notice: text prints "
             "the letter alone.",
             "text (bulk: json; notice: the whole message)", kAsking | kZones,
             kCli, kFormat),
      Option("timeout", "", T::kDuration, "DURATION",
             "How long to wait for one try of one question, e.g. 2s or "
             "500ms (Python: seconds).",
             "", kAsking, kBoth, Checker<&CheckerOptions::timeout>()),
      Option("tries", "", T::kInt, "N",
             "How often to send a question that got no answer. In bulk runs "
             "the extra tries go out as soon as a question is a few round "
             "trips overdue, each waiting twice as long as the one before.",
             "", kAsking, kBoth, Checker<&CheckerOptions::tries>()),
      Option("txt", "", T::kBool, "",
             "Also fetch the TXT reason of each listing (--notxt to skip).", "",
             kChecking, kBoth, Checker<&CheckerOptions::fetch_txt>()),
      Option("max_inflight", "", T::kInt, "N",
             "The most DNS questions on the wire at once: for check and "
             "health the window itself, for bulk the cap of its adaptive "
             "window.",
             "", kAsking, kBoth, kMaxInflight),
      Option("adaptive_window", "", T::kBool, "",
             "Whether the window of questions in flight adapts to the path "
             "and keeps the zones' rate limits, as in bulk runs (for "
             "check_many and asyncio rounds; bulk runs always adapt).",
             "", kCheck | kBulk, kPython,
             Checker<&CheckerOptions::adaptive_window>()),
      Option("health_check", "", T::kBool, "",
             "Probe each zone's RFC 5782 test points and its own name first, "
             "and skip the answers of zones that are DEAD, WILDCARD (list "
             "everything), REFUSING, NO_SUCH_ZONE, FILTERED or TEST_FAILED. "
             "--nohealth_check trusts the path: a resolver that answers "
             "NXDOMAIN for everything then makes every address look clean.",
             "", kChecking, kBoth, Checker<&CheckerOptions::health_check>()),
      Option("key", "keys", T::kKeyValues, "NAME=KEY",
             "Keys for zones that need one, as NAME=KEY (e.g. "
             "spamhaus_dqs=...); the dnsbl command also reads "
             "DNSBL_KEY_<NAME>. Keys are never printed.",
             "(none)", kAsking, kBoth, kKeys),
      Option("contacts", "", T::kBool, "",
             "Also find who to notify: the network announcing each address "
             "(Team Cymru) and its abuse mailbox (Abusix) over DNS, and the "
             "registry's network and abuse contact over RDAP (HTTPS, one "
             "question per network).",
             "", kCheck | kBulk | kServe, kBoth,
             Checker<&CheckerOptions::contacts>()),
      Option("contact_sources", "", T::kList, "SOURCE,...",
             "Contact sources to ask, of cymru, abusix and rdap.", "",
             kChecking, kBoth, Checker<&CheckerOptions::contact_sources>()),
      Option("rdap_url", "", T::kText, "URL",
             "Ask this RDAP server (https://...) about every address instead "
             "of the registry IANA's bootstrap names, e.g. a mirror.",
             "", kChecking, kBoth, Checker<&CheckerOptions::rdap_url>()),
      Option("rdap_ca_file", "", T::kText, "FILE",
             "PEM file of certificate authorities to trust for RDAP instead "
             "of the system's.",
             "", kChecking, kBoth, Checker<&CheckerOptions::rdap_ca_file>()),
      Option("rdap_timeout", "", T::kDuration, "DURATION",
             "Time for one RDAP question, redirects included (Python: "
             "seconds).",
             "", kChecking, kBoth, Checker<&CheckerOptions::rdap_timeout>()),
      Option("rdap_qps", "", T::kDouble, "N",
             "RDAP questions per second to one registry (they rate-limit per "
             "client; a network is asked once per run).",
             "", kChecking, kBoth,
             Checker<&CheckerOptions::rdap_queries_per_second>()),
      Option("zone_data", "", T::kList, "ZONE:TYPE:FILE[,FILE...]",
             "Read a zone's data from local files instead of asking a "
             "nameserver, in rbldnsd's syntax (types ip4set, ip4tset, "
             "ip4trie, ip6trie, ip6tset); repeatable. A zone given more than "
             "once is served from all its datasets, as rbldnsd serves it. "
             "Answers are the ones rbldnsd would give for the same files.",
             "", kAsking, kBoth, kZoneData),
      Option("output", "", T::kText, "FILE",
             "bulk: where reports go, a file; empty or - for stdout.", "",
             kBulk, kCli, Field<&ToolOptions::bulk, &BulkOptions::output>()),
      Option("resume", "", T::kBool, "",
             "bulk: skip the addresses already reported in --output (a torn "
             "last record is dropped) and append.",
             "", kBulk, kCli,
             Field<&ToolOptions::bulk, &BulkOptions::resume>()),
      Option("progress", "", T::kText, "WHEN",
             "bulk: progress on stderr: auto (only on a terminal), always, "
             "never.",
             "", kBulk, kCli, kProgress),
      Option("fixed_window", "", T::kBool, "",
             "bulk: keep the window of questions in flight at "
             "--max_inflight instead of adapting it (for a server whose "
             "capacity you know).",
             "", kBulk, kBoth,
             Field<&ToolOptions::bulk, &BulkOptions::fixed_window>()),
      Option("max_qps", "", T::kDouble, "N",
             "bulk: the most DNS questions per second overall; 0 for no "
             "limit. Catalog zones may set their own limit (max_qps).",
             "", kBulk, kBoth, kMaxQps),
      Option("listed_only", "", T::kBool, "",
             "bulk: write a report only for an address some zone lists or "
             "whose verdict is incomplete (never dropped), holding only "
             "those zones' results; clean addresses are counted in the "
             "summary, not written. With --output, the finished addresses "
             "are kept in OUTPUT.checkpoint so --resume skips clean ones "
             "too. The way to sweep large ranges.",
             "", kBulk, kBoth,
             Field<&ToolOptions::bulk, &BulkOptions::listed_only>()),
      Option("checkpoint_interval", "", T::kDuration, "DURATION",
             "bulk --listed_only: how often the finished addresses are "
             "saved to OUTPUT.checkpoint (and at the end); a kill loses at "
             "most this much clean work, which --resume checks again.",
             "", kBulk, kCli,
             Field<&ToolOptions::bulk, &BulkOptions::checkpoint_interval>()),
      Option("strict", "", T::kBool, "",
             "bulk: stop at the first bad input line (exit 2) instead of "
             "reporting and skipping it.",
             "", kBulk, kBoth,
             Field<&ToolOptions::bulk, &BulkOptions::strict>()),
      Option("threads", "", T::kInt, "N",
             "bulk: threads that check when every zone is read from local "
             "data (--zone_data) and no contact source is asked, each with "
             "its own share of the input; one writer. The reports are the "
             "same as one thread's, in another order. Runs that ask over "
             "DNS use one thread. 0: one per core.",
             "0 (one per core)", kBulk, kBoth, kThreads),
      Option("max_range_size", "", T::kInt, "N",
             "bulk: the most addresses one input line (a CIDR network) may "
             "hold; larger networks are input errors unless this is raised.",
             "", kBulk, kBoth, kMaxRangeSize),
      Option("shard", "", T::kText, "K/N",
             "bulk: check only shard K of N of the input (every address is "
             "in exactly one shard): K/N with 0 <= K < N, or N with K from "
             "JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs) or the Slurm "
             "job array.",
             "the Slurm job array's, else all", kBulk, kBoth, kShard),
      Option("category", "", T::kText, "CATEGORY",
             "zones: list only zones that can report this category, e.g. "
             "open_proxy or open_relay.",
             "", kZones, kCli, kCategory),
      Option("lang", "", T::kText, "LANG",
             "Language of the notice: en, da (Danish) or pt (Portuguese).", "",
             kNotice, kCli, kLang),
      Option("template", "", T::kText, "FILE",
             "A letter of your own with placeholders {address} {claim} "
             "{explanation} {remedy} {evidence} {network} {checked} "
             "{reply_to} ({{ and }} for braces).",
             "", kNotice, kCli, Field<&ToolOptions::template_file>()),
      Option("from", "", T::kText, "SENDER",
             "The sender of notices, and the mailbox the letter asks to "
             "answer (required; serve: the page's and /v1/notice's default).",
             "", kNotice | kServe, kCli, kFrom),
      Option("to", "", T::kList, "MAILBOX,...",
             "Recipients instead of the abuse contacts the reports name.", "",
             kNotice, kCli, kTo),
      Option("outdir", "", T::kText, "DIR",
             "Write one .eml per abuse mailbox here (and without-notice.tsv).",
             "", kNotice, kCli,
             Field<&ToolOptions::delivery, &DeliveryOptions::outdir>()),
      Option("mbox", "", T::kText, "FILE",
             "Write all messages to this mbox file.", "", kNotice, kCli,
             Field<&ToolOptions::delivery, &DeliveryOptions::mbox>()),
      Option("reports", "", T::kText, "FILE",
             "Make notices from this bulk output (json or binary) instead of "
             "checking addresses.",
             "", kNotice, kCli, Field<&ToolOptions::reports>()),
      Option("send", "", T::kBool, "",
             "Send the messages through --smtp (needs --outdir; outcomes in "
             "OUTDIR/sent.log, a re-run sends only what was not sent).",
             "", kNotice, kCli,
             Field<&ToolOptions::delivery, &DeliveryOptions::send>()),
      Option("smtp", "", T::kText, "URL",
             "Your mail server: smtp://HOST:PORT or smtps://HOST:PORT.", "",
             kNotice, kCli,
             Field<&ToolOptions::delivery, &DeliveryOptions::smtp,
                   &SmtpOptions::url>()),
      Option("smtp_starttls", "", T::kBool, "",
             "Require STARTTLS (otherwise used when the server offers it).", "",
             kNotice, kCli,
             Field<&ToolOptions::delivery, &DeliveryOptions::smtp,
                   &SmtpOptions::starttls_required>()),
      Option("smtp_user", "", T::kText, "USER",
             "SMTP login; the password is read from DNSBL_SMTP_PASSWORD.", "",
             kNotice, kCli,
             Field<&ToolOptions::delivery, &DeliveryOptions::smtp,
                   &SmtpOptions::username>()),
      Option("smtp_ca_file", "", T::kText, "FILE",
             "PEM file of certificate authorities to trust for SMTP TLS.", "",
             kNotice, kCli,
             Field<&ToolOptions::delivery, &DeliveryOptions::smtp,
                   &SmtpOptions::ca_file>()),
      Option("listen", "", T::kText, "ADDRESS:PORT",
             "serve: where to listen, e.g. 127.0.0.1:8053 or [::1]:8053 (port "
             "0: any free one). Beyond loopback only with --token_file.",
             "", kServe, kCli,
             Field<&ToolOptions::serve, &ServeOptions::listen>()),
      Option("token_file", "", T::kText, "FILE",
             "serve: a file holding the bearer token every request but "
             "/healthz must carry (Authorization: Bearer TOKEN).",
             "", kServe, kCli, Field<&ToolOptions::token_file>()),
      Option("cache_size", "", T::kInt, "N",
             "serve: answers kept for their TTL (negative ones for their "
             "SOA's), shared by every request, so repeated checks and "
             "scrapes ask each blocklist once per TTL; 0 for none.",
             "", kServe, kCli, Checker<&CheckerOptions::answer_cache_size>()),
      Option("client_qps", "", T::kDouble, "N",
             "serve: requests a second one client address may make (a burst "
             "of twice as many); over it, 429. 0 for no limit.",
             "", kServe, kCli,
             Field<&ToolOptions::serve, &ServeOptions::client_qps>()),
      Option("smtp_rate", "", T::kDouble, "N",
             "Send at most N messages a second (e.g. 0.5), so a big batch "
             "does not flood your mail server; 0 for no limit.",
             "", kNotice, kCli,
             Field<&ToolOptions::delivery, &DeliveryOptions::smtp_rate>()),
      Option("reply_to", "", T::kText, "MAILBOX",
             "The mailbox the letter asks to answer, sent as Reply-To.",
             "--from", kNotice, kCli, kMailbox<&DeliveryOptions::reply_to>),
      Option("bounce_to", "", T::kText, "MAILBOX",
             "The envelope sender (SMTP MAIL FROM): where bounces go.",
             "--from", kNotice, kCli, kMailbox<&DeliveryOptions::bounce_to>),
      Option("max_age", "", T::kDuration, "DURATION",
             "--reports: evidence older than this (e.g. 24h, 2d) is "
             "re-checked before a letter claims it (--recheck), or gets no "
             "letter; the reason goes to without-notice.tsv.",
             "", kNotice, kCli,
             Field<&ToolOptions::freshness, &FreshnessOptions::max_age>()),
      Option("recheck", "", T::kBool, "",
             "--reports: re-check evidence older than --max_age; a listing "
             "that is gone gets no letter.",
             "on with --send, else off", kNotice, kCli, kRecheck),
      Option("renotify_after", "", T::kDuration, "DURATION",
             "--outdir: a desk gets at most one notice about an address in "
             "this long (e.g. 7d), unless the claim names something new; "
             "0 for no limit. Kept in OUTDIR/notified.tsv.",
             "", kNotice, kCli,
             Field<&ToolOptions::delivery, &DeliveryOptions::renotify_after>()),
  };
}

}  // namespace

absl::Span<const OptionSpec> AllOptions() {
  static const std::vector<OptionSpec>* table =
      new std::vector<OptionSpec>(MakeTable());
  return *table;
}

const OptionSpec* FindOption(Tool tool, absl::string_view name) {
  for (const OptionSpec& spec : AllOptions()) {
    if (spec.In(tool) && spec.NameIn(tool) == name) return &spec;
  }
  return nullptr;
}

ToolOptions DefaultToolOptions(ToolCommand command, Tool tool) {
  ToolOptions options;
  CheckerOptions& checker = options.bulk.checker;
  if (command != ToolCommand::kBulk) {
    // BulkOptions tries more often than a one-off check.
    checker.tries = CheckerOptions().tries;
  } else {
    // The cap of the window is what --max_inflight sets for bulk.
    checker.max_inflight = options.bulk.max_inflight;
  }
  checker.delegation_cache = DefaultDelegationCachePath();
  if (command == ToolCommand::kServe) {
    checker.answer_cache_size = 100000;
    // A service runs for months: zones die and come back.
    checker.health_max_age = absl::Minutes(5);
  }
  checker.setting_names = SettingNamesFor(tool);
  options.bulk.input.setting_names = checker.setting_names;
  if (tool == Tool::kCli) {
    checker.contacts = command == ToolCommand::kCheck ||
                       command == ToolCommand::kNotice ||
                       command == ToolCommand::kServe;
  } else {
    // Python callers check many addresses at once (check_many, asyncio):
    // the window adapts and zones' rate limits hold unless they say not.
    checker.adaptive_window = true;
  }
  return options;
}

absl::StatusOr<OptionValue> ParseOptionText(const OptionSpec& spec,
                                            absl::string_view text) {
  switch (spec.type) {
    case OptionType::kBool: {
      bool b = false;
      if (absl::SimpleAtob(text, &b)) return b;
      return Bad(
          absl::StrCat("expected true or false, not ", QuoteInput(text)));
    }
    case OptionType::kInt: {
      int64_t n = 0;
      if (absl::SimpleAtoi(text, &n)) return n;
      return Bad(
          absl::StrCat("expected a whole number, not ", QuoteInput(text)));
    }
    case OptionType::kDouble: {
      double d = 0;
      if (absl::SimpleAtod(text, &d)) return d;
      return Bad(absl::StrCat("expected a number, not ", QuoteInput(text)));
    }
    case OptionType::kDuration: {
      absl::Duration d;
      if (absl::ParseDuration(text, &d)) return d;
      // Days, which Abseil does not parse: "7d", "1.5d".
      double days = 0;
      if (absl::EndsWith(text, "d") &&
          absl::SimpleAtod(text.substr(0, text.size() - 1), &days) &&
          days >= 0) {
        return absl::Hours(24 * days);
      }
      return Bad(
          absl::StrCat("expected a duration such as 2s, 500ms, 24h or 7d, not ",
                       QuoteInput(text)));
    }
    case OptionType::kText:
      return std::string(text);
    case OptionType::kList:
      if (text.empty()) return std::vector<std::string>();
      return std::vector<std::string>(absl::StrSplit(text, ','));
    case OptionType::kKeyValues: {
      std::map<std::string, std::string> pairs;
      for (absl::string_view entry : absl::StrSplit(text, ',')) {
        const size_t eq = entry.find('=');
        if (eq == absl::string_view::npos || eq == 0) {
          // The value may be a secret: name only its form.
          return Bad(absl::StrCat("expected ", spec.value_name, " (e.g. ",
                                  "spamhaus_dqs=...)"));
        }
        pairs[std::string(entry.substr(0, eq))] =
            std::string(entry.substr(eq + 1));
      }
      return pairs;
    }
  }
  return Bad("unknown option type");
}

std::string FormatOptionValue(const OptionValue& value) {
  struct Format {
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(int64_t n) const { return absl::StrCat(n); }
    std::string operator()(double d) const { return absl::StrCat(d); }
    std::string operator()(absl::Duration d) const {
      return absl::FormatDuration(d);
    }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(const std::vector<std::string>& v) const {
      return absl::StrJoin(v, ",");
    }
    std::string operator()(const std::map<std::string, std::string>&) const {
      return "";
    }
  };
  return std::visit(Format(), value);
}

std::string DefaultText(const OptionSpec& spec, ToolCommand command,
                        Tool tool) {
  if (!spec.shown_default.empty()) return std::string(spec.shown_default);
  const OptionValue value = spec.get(DefaultToolOptions(command, tool));
  const std::string text = FormatOptionValue(value);
  if (tool == Tool::kCli) return text.empty() ? "(none)" : text;
  // As Python writes it.
  if (text.empty()) return "None";
  if (const bool* b = std::get_if<bool>(&value)) return *b ? "True" : "False";
  if (const auto* d = std::get_if<absl::Duration>(&value)) {
    return absl::StrCat(absl::ToDoubleSeconds(*d));
  }
  if (const auto* list = std::get_if<std::vector<std::string>>(&value)) {
    return absl::StrCat("['", absl::StrJoin(*list, "', '"), "']");
  }
  if (std::holds_alternative<std::string>(value)) {
    return absl::StrCat("'", text, "'");
  }
  return text;
}

absl::Status FinishToolOptions(ToolOptions& options) {
  if (!options.catalog_file.empty() && !options.catalog_text.empty()) {
    return Bad("give catalog (a file) or catalog_text, not both");
  }
  if (!options.catalog_file.empty() || !options.catalog_text.empty()) {
    absl::StatusOr<v1::Catalog> catalog =
        options.catalog_file.empty()
            ? ParseCatalog(options.catalog_text, "catalog_text")
            : LoadCatalogFile(options.catalog_file);
    if (!catalog.ok()) return catalog.status();
    options.bulk.checker.catalog =
        std::make_shared<const v1::Catalog>(*std::move(catalog));
  }
  if (!options.template_file.empty()) {
    const std::string& path = options.template_file;
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in.is_open() || (!in.good() && !in.eof())) {
      return Bad(absl::StrCat("--template: cannot read '",
                              EscapeForTerminal(path), "'"));
    }
    if (absl::Status s = CheckTemplate(text.str(), NoticePlaceholders());
        !s.ok()) {
      return Bad(absl::StrCat("--template '", EscapeForTerminal(path),
                              "': ", s.message()));
    }
    options.delivery.letter.template_text = text.str();
  }
  options.freshness.recheck = options.recheck.value_or(options.delivery.send);
  if (!options.token_file.empty()) {
    std::ifstream in(options.token_file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    options.serve.token = std::string(absl::StripAsciiWhitespace(text.str()));
    if (!in.is_open() || options.serve.token.empty()) {
      return Bad(absl::StrCat("--token_file: cannot read a token from '",
                              EscapeForTerminal(options.token_file), "'"));
    }
  }
  if (options.freshness.max_age <= absl::ZeroDuration()) {
    return Bad("max_age must be more than 0");
  }
  if (options.delivery.renotify_after < absl::ZeroDuration() ||
      options.delivery.smtp_rate < 0) {
    return Bad("renotify_after and smtp_rate cannot be negative");
  }
  return absl::OkStatus();
}

SettingNames SettingNamesFor(Tool tool) {
  SettingNames names;
  auto named = [tool](absl::string_view option, absl::string_view value = "") {
    const OptionSpec* spec = FindOption(Tool::kCli, option);
    if (spec == nullptr) return std::string(option);
    if (tool == Tool::kPython) return absl::StrCat(spec->NameIn(tool), value);
    return absl::StrCat("--", spec->name, value);
  };
  if (tool == Tool::kCli) {
    names.key = "--key={name}=KEY or set DNSBL_KEY_{NAME}";
    names.output = "--output=FILE";
    names.resume = "--resume";
    names.strict = "--strict";
    names.listed_only = "--listed_only";
    names.list_zones = "run 'dnsbl zones' to list them";
    names.resolution = named("resolution", "=direct");
  } else {
    names.key = "keys={\"{name}\": ...}";
    names.output = "(bulk output)";
    names.resume = "(resume)";
    names.strict = "strict=True";
    names.listed_only = "listed_only=True";
    names.list_zones = "dnsbl.zones()";
    names.resolution = named("resolution", "=\"direct\"");
  }
  names.keys = named("key");
  names.nameserver = named("nameserver");
  names.max_range_size = named("max_range_size");
  return names;
}

namespace {

constexpr std::pair<ToolCommand, const char*> kCommandNames[] = {
    {ToolCommand::kCheck, "check"},   {ToolCommand::kBulk, "bulk"},
    {ToolCommand::kHealth, "health"}, {ToolCommand::kZones, "zones"},
    {ToolCommand::kNotice, "notice"}, {ToolCommand::kServe, "serve"}};

// The reference's lines about `spec` in the dnsbl command: the commands
// that take it and its default, the most common one first and the others
// as exceptions.
std::string CliLines(const OptionSpec& spec) {
  std::vector<std::string> commands;
  std::vector<std::pair<std::string, std::string>> defaults;
  std::map<std::string, int> counts;
  for (const auto& [command, name] : kCommandNames) {
    if (!spec.UsedBy(command)) continue;
    commands.push_back(name);
    defaults.emplace_back(name, DefaultText(spec, command, Tool::kCli));
    ++counts[defaults.back().second];
  }
  std::string common;
  for (const auto& [text, n] : counts) {
    if (common.empty() || n > counts[common]) common = text;
  }
  std::vector<std::string> exceptions;
  for (const auto& [name, text] : defaults) {
    if (text != common) {
      exceptions.push_back(absl::StrCat(name, ": `", text, "`"));
    }
  }
  std::string out = absl::StrCat("- commands: ", absl::StrJoin(commands, ", "),
                                 "\n- default: `", common, "`");
  if (!exceptions.empty()) {
    absl::StrAppend(&out, " (", absl::StrJoin(exceptions, "; "), ")");
  }
  return absl::StrCat(out, "\n");
}

// The reference's line about `spec` in the Python package.
std::string PythonLine(const OptionSpec& spec) {
  if (!spec.In(Tool::kPython)) return "- Python: not an option there\n";
  const std::string checker =
      spec.UsedBy(ToolCommand::kCheck)
          ? DefaultText(spec, ToolCommand::kCheck, Tool::kPython)
          : "";
  const std::string bulk =
      spec.UsedBy(ToolCommand::kBulk)
          ? DefaultText(spec, ToolCommand::kBulk, Tool::kPython)
          : "";
  std::string shown = absl::StrCat("`", checker.empty() ? bulk : checker, "`");
  if (!checker.empty() && !bulk.empty() && checker != bulk) {
    absl::StrAppend(&shown, " (bulk: `", bulk, "`)");
  }
  return absl::StrCat("- Python: `", spec.NameIn(Tool::kPython), "` (",
                      absl::StrJoin(PythonEntryPoints(spec), ", "),
                      "), default ", shown, "\n");
}

}  // namespace

std::vector<std::string> PythonEntryPoints(const OptionSpec& spec) {
  std::vector<std::string> entry_points;
  if (!spec.In(Tool::kPython)) return entry_points;
  if (spec.UsedBy(ToolCommand::kCheck)) {
    entry_points.push_back("Checker");
    entry_points.push_back("zones");
  }
  if (spec.UsedBy(ToolCommand::kBulk)) entry_points.push_back("bulk");
  return entry_points;
}

std::string OptionsReference() {
  std::string out =
      "# Options\n\n"
      "<!-- Made by `dnsbl help options` from dnsbl/tool_options.cc; "
      "//docs:options_test fails when they differ. -->\n\n"
      "Every option of the `dnsbl` command (`--NAME=VALUE`; a boolean also "
      "`--NAME` and `--noNAME`; a list is comma-separated or repeated) and "
      "of the Python package (keyword arguments of `dnsbl.Checker`, "
      "`dnsbl.bulk` and `dnsbl.zones`; `None` keeps the default). Each is "
      "written once, in `dnsbl/tool_options.cc`; the flags, the keywords "
      "and this page are made from it.\n";
  for (const OptionSpec& spec : AllOptions()) {
    if (spec.In(Tool::kCli)) {
      absl::StrAppend(&out, "\n## `--", spec.name,
                      spec.value_name.empty() ? "" : "=", spec.value_name,
                      "`\n\n", spec.help, "\n\n", CliLines(spec));
    } else {
      absl::StrAppend(&out, "\n## `", spec.NameIn(Tool::kPython), "`\n\n",
                      spec.help, "\n\n");
    }
    absl::StrAppend(&out, PythonLine(spec));
  }
  return out;
}

}  // namespace dnsbl

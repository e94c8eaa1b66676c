// dnsbl: ask many DNS blocklists at once whether an address is listed.
// A thin shell over //dnsbl: parse flags, call the library, print, exit.

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "cli/flags.h"
#include "dnsbl/dnsbl.h"

namespace dnsbl::cli {

// When bulk shows its progress.
enum class ProgressMode { kAuto, kAlways, kNever };

bool AbslParseFlag(absl::string_view text, ProgressMode* mode,
                   std::string* error) {
  if (text == "auto") {
    *mode = ProgressMode::kAuto;
  } else if (text == "always") {
    *mode = ProgressMode::kAlways;
  } else if (text == "never") {
    *mode = ProgressMode::kNever;
  } else {
    *error = absl::StrCat("unknown value ", QuoteInput(text),
                          " (use auto, always or never)");
    return false;
  }
  return true;
}

std::string AbslUnparseFlag(ProgressMode mode) {
  switch (mode) {
    case ProgressMode::kAlways:
      return "always";
    case ProgressMode::kNever:
      return "never";
    default:
      return "auto";
  }
}

}  // namespace dnsbl::cli

// Resolution modes as flags: "auto", "recursive", "direct".
namespace dnsbl {

bool AbslParseFlag(absl::string_view text, ResolutionMode* mode,
                   std::string* error) {
  absl::StatusOr<ResolutionMode> parsed = ParseResolutionMode(text);
  if (!parsed.ok()) {
    *error = std::string(parsed.status().message());
    return false;
  }
  *mode = *parsed;
  return true;
}

std::string AbslUnparseFlag(ResolutionMode mode) {
  return std::string(ResolutionModeName(mode));
}

}  // namespace dnsbl

// Categories as flags: their schema names in lower case.
namespace dnsbl::v1 {

bool AbslParseFlag(absl::string_view text, Category* category,
                   std::string* error) {
  if (Category_Parse(absl::AsciiStrToUpper(text), category) &&
      *category != CATEGORY_UNSPECIFIED) {
    return true;
  }
  std::vector<std::string> names;
  for (int c = Category_MIN + 1; c <= Category_MAX; ++c) {
    names.push_back(absl::AsciiStrToLower(Category_Name(c)));
  }
  *error = absl::StrCat("unknown category ", QuoteInput(text), " (use one of ",
                        absl::StrJoin(names, ", "), ")");
  return false;
}

std::string AbslUnparseFlag(Category category) {
  return absl::AsciiStrToLower(Category_Name(category));
}

}  // namespace dnsbl::v1

ABSL_FLAG(dnsbl::ResolutionMode, resolution, dnsbl::ResolutionMode::kAuto,
          "How answers are reached. direct: ask each blocklist's own "
          "servers, found from the root servers, so no resolver between "
          "here and the blocklists can spoil the answers; recursive: ask "
          "--nameserver or the system resolver; auto: recursive when "
          "--nameserver is given, else direct where the internet's root is "
          "reachable and recursive (with a warning saying why) where it is "
          "not, without sending anything to a public address from a machine "
          "whose resolver cannot see the root.");
ABSL_FLAG(std::vector<std::string>, nameserver, {},
          "Nameservers to ask: ADDR, ADDR:PORT or [IPV6]:PORT; repeat the "
          "flag or separate with commas. Empty: those of /etc/resolv.conf. "
          "Giving one means --resolution=recursive unless --resolution says "
          "otherwise. Use a recursive resolver of your own: several "
          "blocklists refuse public resolvers.");
ABSL_FLAG(std::string, root_hints, "",
          "Direct resolution: a named.root file of the root servers to start "
          "from. Empty: IANA's (of 2024-04-18), built in.");
ABSL_FLAG(std::string, delegation_cache, "",
          "Direct resolution: the file each blocklist's servers are kept in "
          "between runs (until their TTL runs out), or 'none'. Empty: "
          "$XDG_CACHE_HOME/dnsbl/delegations, else "
          "~/.cache/dnsbl/delegations.");
ABSL_FLAG(std::string, catalog, "",
          "Catalog of blocklists in protobuf text format (start from 'dnsbl "
          "zones --format=textproto'). Empty: the built-in catalog.");
ABSL_FLAG(std::vector<std::string>, zones, {},
          "Zones to use, by name (comma list). Naming a disabled zone asks "
          "it; naming a retired one reports why it is not asked. Empty: "
          "every zone of the catalog that is neither disabled nor retired.");
ABSL_FLAG(std::optional<dnsbl::OutputFormat>, format, std::nullopt,
          "Output. check: text (for a person; the default), json (one Report "
          "per line, protobuf JSON), textproto or csv. bulk: json (the "
          "default), binary (length-delimited Reports) or csv. health and "
          "zones: text, json or textproto.");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(2),
          "How long to wait for one try of one question, e.g. 2s or 500ms.");
ABSL_FLAG(int, tries, 0,
          "How often to send a question that got no answer. 0: 2 for check "
          "and health; 6 for bulk, whose extra tries go out as soon as a "
          "question is a few round trips overdue, each waiting twice as "
          "long as the one before.");
ABSL_FLAG(bool, txt, true,
          "Also fetch the TXT reason of each listing (--notxt to skip).");
ABSL_FLAG(int, max_inflight, 0,
          "The most DNS questions on the wire at once. 0: 256 for check and "
          "health; for bulk, the cap of the adaptive window, 4000.");
ABSL_FLAG(bool, health_check, true,
          "Probe each zone's RFC 5782 test points and its own name first, and "
          "skip the answers of zones that are DEAD, WILDCARD (list "
          "everything), REFUSING, NO_SUCH_ZONE, FILTERED or TEST_FAILED. "
          "--nohealth_check trusts the path: a resolver that answers NXDOMAIN "
          "for everything then makes every address look clean.");
ABSL_FLAG(std::optional<bool>, contacts, std::nullopt,
          "Also find who to notify: the network announcing each address "
          "(Team Cymru) and its abuse mailbox (Abusix) over DNS, and the "
          "registry's network and abuse contact over RDAP (HTTPS, one "
          "question per network). Default: on for check, off for bulk "
          "(--contacts turns it on).");
ABSL_FLAG(std::vector<std::string>, contact_sources, {},
          "Contact sources to ask (comma list): cymru, abusix, rdap. Empty: "
          "all three.");
ABSL_FLAG(std::string, rdap_url, "",
          "Ask this RDAP server (https://...) about every address instead of "
          "the registry IANA's bootstrap names, e.g. a mirror.");
ABSL_FLAG(std::string, rdap_ca_file, "",
          "PEM file of certificate authorities to trust for RDAP instead of "
          "the system's.");
ABSL_FLAG(absl::Duration, rdap_timeout, absl::Seconds(10),
          "Time for one RDAP question, redirects included.");
ABSL_FLAG(double, rdap_qps, 1.0,
          "RDAP questions per second to one registry (they rate-limit per "
          "client; a network is asked once per run).");
ABSL_FLAG(std::vector<std::string>, zone_data, {},
          "Read a zone's data from local files instead of asking a "
          "nameserver: ZONE:TYPE:FILE[,FILE...] in rbldnsd's syntax (types "
          "ip4set, ip4tset, ip4trie, ip6trie, ip6tset); repeatable. Answers "
          "are the ones rbldnsd would give for the same files.");
ABSL_FLAG(std::string, shard, "",
          "Check only shard K of N of the input (every address is in exactly "
          "one shard): K/N with 0 <= K < N, or N with K from "
          "JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs) or the Slurm job "
          "array; by default taken from a Slurm job array's environment.");
ABSL_FLAG(std::string, lang, "en",
          "Language of the notice: en, da (Danish) or pt (Portuguese).");
ABSL_FLAG(std::string, template, "",
          "A letter of your own with placeholders {address} {claim} "
          "{explanation} {remedy} {evidence} {network} {checked} {reply_to} "
          "({{ and }} for braces).");
ABSL_FLAG(std::string, from, "",
          "The sender of notices (required for messages).");
ABSL_FLAG(std::vector<std::string>, to, {},
          "Recipients instead of the abuse contacts the reports name.");
ABSL_FLAG(std::string, outdir, "",
          "Write one .eml per abuse mailbox here (and without-notice.tsv).");
ABSL_FLAG(std::string, mbox, "", "Write all messages to this mbox file.");
ABSL_FLAG(std::string, reports, "",
          "Make notices from this bulk output (json or binary) instead of "
          "checking addresses.");
ABSL_FLAG(bool, send, false,
          "Send the messages through --smtp (needs --outdir; outcomes in "
          "OUTDIR/sent.log, a re-run sends only what was not sent).");
ABSL_FLAG(std::string, smtp, "",
          "Your mail server: smtp://HOST:PORT or smtps://HOST:PORT.");
ABSL_FLAG(bool, smtp_starttls, false,
          "Require STARTTLS (otherwise used when the server offers it).");
ABSL_FLAG(std::string, smtp_user, "",
          "SMTP login; the password is read from DNSBL_SMTP_PASSWORD.");
ABSL_FLAG(std::string, smtp_ca_file, "",
          "PEM file of certificate authorities to trust for SMTP TLS.");
ABSL_FLAG(std::vector<std::string>, key, {},
          "Keys for zones that need one, as NAME=KEY (e.g. "
          "spamhaus_dqs=...); also read from DNSBL_KEY_<NAME>. Keys are never "
          "printed.");
ABSL_FLAG(std::string, output, "",
          "bulk: where reports go, a file; empty or - for stdout.");
ABSL_FLAG(bool, resume, false,
          "bulk: skip the addresses already reported in --output (a torn last "
          "record is dropped) and append.");
ABSL_FLAG(dnsbl::cli::ProgressMode, progress, dnsbl::cli::ProgressMode::kAuto,
          "bulk: progress on stderr: auto (only on a terminal), always, "
          "never.");
ABSL_FLAG(double, max_qps, 0,
          "bulk: the most DNS questions per second overall; 0 for no limit. "
          "Catalog zones may set their own limit (max_qps).");
ABSL_FLAG(bool, strict, false,
          "bulk: stop at the first bad input line (exit 2) instead of "
          "reporting and skipping it.");
ABSL_FLAG(uint64_t, max_range_size, 65536,
          "bulk: the most addresses one input line (a CIDR network) may "
          "hold; larger networks are input errors unless this is raised.");
ABSL_FLAG(std::optional<dnsbl::v1::Category>, category, std::nullopt,
          "zones: list only zones that can report this category, e.g. "
          "open_proxy or open_relay.");

extern char** environ;

namespace dnsbl::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitListed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitIncomplete = 3;

struct Command;
using Handler = int (*)(const Command& command,
                        const std::vector<std::string>& args);

// A subcommand: its help, the flags it takes, the output formats it writes
// (the first is its default), and what runs it.
struct Command {
  const char* name;
  const char* synopsis;  // Its arguments, for 'dnsbl --help'.
  const char* summary;   // One line, for 'dnsbl --help'.
  const char* usage;
  std::vector<std::string> flags;
  std::vector<OutputFormat> formats;
  Handler run;
};

int RunCheck(const Command& command, const std::vector<std::string>& args);
int RunBulk(const Command& command, const std::vector<std::string>& args);
int RunHealth(const Command& command, const std::vector<std::string>& args);
int RunZones(const Command& command, const std::vector<std::string>& args);
int RunNotice(const Command& command, const std::vector<std::string>& args);

const Command kCheck = {
    "check",
    "ADDRESS_OR_HOST...",
    "check addresses against DNS blocklists",
    "usage: dnsbl check [flags] ADDRESS_OR_HOST...\n"
    "\n"
    "Asks every blocklist of the catalog at once whether each address is\n"
    "listed (host names: each of their A and AAAA addresses), and prints a\n"
    "verdict with its evidence.\n"
    "\n"
    "Exit status: 0 listed nowhere; 1 listed somewhere; 2 usage or input\n"
    "error (nothing was queried); 3 nothing listed, but at least one\n"
    "blocklist gave no usable answer, so the verdict is incomplete.\n",
    {"resolution",   "nameserver",   "root_hints",      "delegation_cache",
     "catalog",      "zones",        "format",          "timeout",
     "tries",        "txt",          "max_inflight",    "health_check",
     "key",          "contacts",     "contact_sources", "rdap_url",
     "rdap_ca_file", "rdap_timeout", "rdap_qps",        "zone_data"},
    {OutputFormat::kText, OutputFormat::kJson, OutputFormat::kTextproto,
     OutputFormat::kCsv},
    &RunCheck};

const Command kHealth = {
    "health",
    "",
    "test whether each blocklist's answers can be trusted",
    "usage: dnsbl health [flags]\n"
    "\n"
    "Asks each zone about its RFC 5782 test points (127.0.0.2 must be\n"
    "listed, 127.0.0.1 must not; ::ffff:7f00:2 and ::ffff:7f00:1 for IPv6),\n"
    "a random documentation address and its own name, and says whether its\n"
    "answers can be trusted: HEALTHY, NO_TEST_ENTRY (usable), WILDCARD\n"
    "(lists everything), DEAD (no usable answer), REFUSING (refuses this\n"
    "resolver), NO_SUCH_ZONE (the resolver says the zone does not exist),\n"
    "FILTERED (a policy zone answers for it) or TEST_FAILED (its documented\n"
    "test entry is missing).\n"
    "\n"
    "Exit status: 0 every zone usable; 2 usage error; 3 some zone is not.\n",
    {"resolution", "nameserver", "root_hints", "delegation_cache", "catalog",
     "zones", "format", "timeout", "tries", "max_inflight", "key", "zone_data"},
    {OutputFormat::kText, OutputFormat::kJson, OutputFormat::kTextproto},
    &RunHealth};

const Command kBulk = {
    "bulk",
    "[INPUT]",
    "check every address of a file or stdin, resumably",
    "usage: dnsbl bulk [flags] [INPUT]\n"
    "\n"
    "Checks every address of INPUT (a file; none or - reads stdin): one\n"
    "IPv4/IPv6 address or CIDR network per line, '#' comments and blank\n"
    "lines ignored, networks expanded to every address they hold, each\n"
    "distinct address checked once. Writes one record per address the\n"
    "moment its last zone has answered; the number of questions in flight\n"
    "adapts to what the servers answer. Bad lines are reported on stderr\n"
    "and skipped (--strict stops instead). SIGINT or SIGTERM stop taking\n"
    "new addresses, let the questions in flight finish and flush (a second\n"
    "one stops at once); --resume continues where a stopped or killed run\n"
    "left off.\n"
    "\n"
    "Exit status: 0 done; 1 done and some address is listed; 2 usage or\n"
    "input error; 3 done, nothing listed, some verdict incomplete; 130\n"
    "interrupted.\n",
    {"resolution",
     "nameserver",
     "root_hints",
     "delegation_cache",
     "catalog",
     "zones",
     "format",
     "timeout",
     "tries",
     "txt",
     "max_inflight",
     "health_check",
     "key",
     "contacts",
     "contact_sources",
     "rdap_url",
     "rdap_ca_file",
     "rdap_timeout",
     "rdap_qps",
     "output",
     "resume",
     "progress",
     "max_qps",
     "strict",
     "max_range_size",
     "shard",
     "zone_data"},
    {OutputFormat::kJson, OutputFormat::kBinary, OutputFormat::kCsv},
    &RunBulk};

const Command kZones = {
    "zones",
    "",
    "list the catalog of blocklists",
    "usage: dnsbl zones [flags]\n"
    "\n"
    "Lists the catalog: each zone's status (live, disabled, retired, needs\n"
    "key), IPv6 support, what it lists, and for retired zones what\n"
    "happened. --format=json or textproto prints the Catalog itself, a\n"
    "starting point for a catalog of your own (--catalog).\n",
    {"catalog", "category", "format"},
    {OutputFormat::kText, OutputFormat::kJson, OutputFormat::kTextproto},
    &RunZones};

const Command kNotice = {
    "notice",
    "[ADDRESS...]",
    "write (and send) the abuse notice the evidence supports",
    "usage: dnsbl notice [flags] --from=SENDER ADDRESS...\n"
    "       dnsbl notice [flags] --from=SENDER --reports=FILE --outdir=DIR\n"
    "\n"
    "Checks each ADDRESS (as check does, with contacts) and writes the\n"
    "notice its evidence supports as an RFC 5322 message to stdout: \"may\n"
    "be an open mail relay\" only when a blocklist lists it as one, \"open\n"
    "proxy\" likewise, other listings named for what they are, the\n"
    "evidence block and the reports (JSON) attached. No notice for an\n"
    "address that is not listed, listed only by policy lists, allowlisted,\n"
    "or incomplete with nothing listed: the reason goes to stderr.\n"
    "--format=text prints the letter alone. With --reports, reads bulk\n"
    "output and writes one message per abuse mailbox covering all its\n"
    "addresses to --outdir (or --mbox), listing the addresses without a\n"
    "notice in DIR/without-notice.tsv. --send sends them through --smtp.\n"
    "\n"
    "Exit status: 0 done (including nothing to send); 2 usage or input\n"
    "error; 3 some verdict incomplete, or some message not sent.\n",
    {"resolution",   "nameserver",
     "root_hints",   "delegation_cache",
     "catalog",      "zones",
     "format",       "timeout",
     "tries",        "txt",
     "max_inflight", "health_check",
     "key",          "contact_sources",
     "rdap_url",     "rdap_ca_file",
     "rdap_timeout", "rdap_qps",
     "lang",         "template",
     "from",         "to",
     "outdir",       "mbox",
     "reports",      "send",
     "smtp",         "smtp_starttls",
     "smtp_user",    "smtp_ca_file",
     "zone_data"},
    {OutputFormat::kText},
    &RunNotice};

const Command* const kCommands[] = {&kCheck, &kBulk, &kHealth, &kZones,
                                    &kNotice};

// The exit status a set of verdicts calls for; `unresolved` when some input
// could not be checked at all.
int ExitStatus(const VerdictTally& tally, bool unresolved) {
  switch (tally.overall()) {
    case Verdict::kListed:
      return kExitListed;
    case Verdict::kIncomplete:
      return kExitIncomplete;
    case Verdict::kNotListed:
      break;
  }
  return unresolved ? kExitIncomplete : kExitOk;
}

// The settings library messages point to, as this tool's flags.
const SettingNames& CliSettingNames() {
  static const SettingNames* names = [] {
    auto* n = new SettingNames();
    n->key = "--key={name}=KEY or set DNSBL_KEY_{NAME}";
    n->keys = "--key";
    n->nameserver = "--nameserver";
    n->resolution = "--resolution=direct";
    n->output = "--output=FILE";
    n->resume = "--resume";
    n->strict = "--strict";
    n->max_range_size = "--max_range_size";
    n->list_zones = "run 'dnsbl zones' to list them";
    return n;
  }();
  return *names;
}

int UsageError(const Command& command, absl::string_view message) {
  std::cerr << "dnsbl: " << message << "\n"
            << "Run 'dnsbl " << command.name << " --help' for usage.\n";
  return kExitUsage;
}

bool WantsHelp(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    if (arg == "--") return false;
    if (arg == "--help" || arg == "-h" || arg == "--helpfull") return true;
  }
  return false;
}

// Returns --format, or `command`'s default when it is not given;
// InvalidArgument when `command` does not write that format.
absl::StatusOr<OutputFormat> FormatFor(const Command& command) {
  const OutputFormat format =
      absl::GetFlag(FLAGS_format).value_or(command.formats.front());
  if (std::find(command.formats.begin(), command.formats.end(), format) !=
      command.formats.end()) {
    return format;
  }
  std::vector<std::string> names;
  for (OutputFormat f : command.formats) {
    names.push_back(std::string(OutputFormatName(f)));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "flag --format: 'dnsbl ", command.name, "' does not write ",
      OutputFormatName(format), " (use ", absl::StrJoin(names, ", "), ")"));
}

absl::StatusOr<std::shared_ptr<const v1::Catalog>> LoadCatalog() {
  const std::string path = absl::GetFlag(FLAGS_catalog);
  absl::StatusOr<v1::Catalog> catalog =
      path.empty() ? BuiltinCatalog() : LoadCatalogFile(path);
  if (!catalog.ok()) return catalog.status();
  return std::make_shared<const v1::Catalog>(*std::move(catalog));
}

// Keys from DNSBL_KEY_<NAME> variables, then --key=NAME=KEY flags.
absl::StatusOr<std::map<std::string, std::string>> CollectKeys() {
  std::map<std::string, std::string> keys;
  constexpr absl::string_view kPrefix = "DNSBL_KEY_";
  for (char** env = environ; env != nullptr && *env != nullptr; ++env) {
    absl::string_view var = *env;
    if (!absl::StartsWith(var, kPrefix)) continue;
    size_t eq = var.find('=');
    if (eq == absl::string_view::npos) continue;
    keys[absl::AsciiStrToLower(
        var.substr(kPrefix.size(), eq - kPrefix.size()))] =
        std::string(var.substr(eq + 1));
  }
  for (const std::string& entry : absl::GetFlag(FLAGS_key)) {
    size_t eq = entry.find('=');
    if (eq == std::string::npos || eq == 0) {
      // The value may be a secret: name only the part before '='.
      return absl::InvalidArgumentError(
          "flag --key: expected NAME=KEY (e.g. spamhaus_dqs=...)");
    }
    keys[absl::AsciiStrToLower(entry.substr(0, eq))] = entry.substr(eq + 1);
  }
  return keys;
}

// `contacts` is the command's default for --contacts.
absl::StatusOr<CheckerOptions> OptionsFromFlags(bool contacts) {
  CheckerOptions options;
  options.contacts = absl::GetFlag(FLAGS_contacts).value_or(contacts);
  if (std::vector<std::string> sources = absl::GetFlag(FLAGS_contact_sources);
      !sources.empty()) {
    options.contact_sources = std::move(sources);
  }
  // A list flag splits at commas; a piece without ':' is a further file
  // of the spec before it ("zone:ip4set:a.zone,b.zone").
  for (const std::string& piece : absl::GetFlag(FLAGS_zone_data)) {
    if (!options.zone_data.empty() && piece.find(':') == std::string::npos) {
      absl::StrAppend(&options.zone_data.back(), ",", piece);
    } else {
      options.zone_data.push_back(piece);
    }
  }
  options.rdap_url = absl::GetFlag(FLAGS_rdap_url);
  options.rdap_ca_file = absl::GetFlag(FLAGS_rdap_ca_file);
  options.rdap_timeout = absl::GetFlag(FLAGS_rdap_timeout);
  options.rdap_queries_per_second = absl::GetFlag(FLAGS_rdap_qps);
  options.resolution = absl::GetFlag(FLAGS_resolution);
  options.nameservers = absl::GetFlag(FLAGS_nameserver);
  options.root_hints = absl::GetFlag(FLAGS_root_hints);
  const std::string cache = absl::GetFlag(FLAGS_delegation_cache);
  options.delegation_cache =
      cache == "none" ? ""
                      : (cache.empty() ? DefaultDelegationCachePath() : cache);
  options.zones = absl::GetFlag(FLAGS_zones);
  options.timeout = absl::GetFlag(FLAGS_timeout);
  if (int n = absl::GetFlag(FLAGS_tries); n != 0) options.tries = n;
  options.fetch_txt = absl::GetFlag(FLAGS_txt);
  if (int n = absl::GetFlag(FLAGS_max_inflight); n != 0) {
    options.max_inflight = n;
  }
  options.health_check = absl::GetFlag(FLAGS_health_check);
  options.setting_names = CliSettingNames();
  absl::StatusOr<std::map<std::string, std::string>> keys = CollectKeys();
  if (!keys.ok()) return keys.status();
  options.keys = *std::move(keys);
  absl::StatusOr<std::shared_ptr<const v1::Catalog>> catalog = LoadCatalog();
  if (!catalog.ok()) return catalog.status();
  options.catalog = *std::move(catalog);
  return options;
}

void PrintWarnings(const std::vector<std::string>& warnings) {
  for (const std::string& w : warnings) {
    std::cerr << "dnsbl: warning: " << w << "\n";
  }
}

// Builds a Checker from the flags; on failure says why and sets
// `exit_status`.
absl::StatusOr<std::unique_ptr<Checker>> MakeChecker(const Command& command,
                                                     int* exit_status) {
  absl::StatusOr<CheckerOptions> options = OptionsFromFlags(
      /*contacts=*/command.run == &RunCheck || command.run == &RunNotice);
  absl::StatusOr<std::unique_ptr<Checker>> checker =
      options.ok() ? Checker::Create(*options)
                   : absl::StatusOr<std::unique_ptr<Checker>>(options.status());
  if (!checker.ok()) {
    if (absl::IsInvalidArgument(checker.status()) ||
        absl::IsNotFound(checker.status())) {
      *exit_status = UsageError(command, checker.status().message());
    } else {
      std::cerr << "dnsbl: " << checker.status().message() << "\n";
      *exit_status = kExitIncomplete;
    }
  } else if (command.run != &RunHealth) {
    // (health reports them with its findings.)
    PrintWarnings((*checker)->warnings());
  }
  return checker;
}

// Checks every input before any query, so bad input queries nothing.
absl::Status ValidateInputs(const std::vector<std::string>& inputs) {
  if (inputs.empty()) {
    return absl::InvalidArgumentError(
        "check needs at least one ADDRESS_OR_HOST");
  }
  for (const std::string& input : inputs) {
    if (absl::Status s = ValidateAddressOrHost(input); !s.ok()) return s;
  }
  return absl::OkStatus();
}

int RunCheck(const Command& command, const std::vector<std::string>& args) {
  absl::StatusOr<std::vector<std::string>> inputs =
      ParseFlags(args, command.flags);
  if (!inputs.ok()) return UsageError(command, inputs.status().message());
  if (absl::Status s = ValidateInputs(*inputs); !s.ok()) {
    return UsageError(command, s.message());
  }
  absl::StatusOr<OutputFormat> format = FormatFor(command);
  if (!format.ok()) return UsageError(command, format.status().message());
  int exit_status = kExitOk;
  absl::StatusOr<std::unique_ptr<Checker>> checker =
      MakeChecker(command, &exit_status);
  if (!checker.ok()) return exit_status;

  std::cout << OutputPreamble(*format);
  VerdictTally tally;
  // A host name that could not be resolved leaves addresses unchecked.
  bool unresolved = false;
  for (const std::string& input : *inputs) {
    absl::StatusOr<std::vector<v1::Report>> reports =
        (*checker)->CheckHost(input);
    if (!reports.ok()) {
      std::cerr << "dnsbl: " << reports.status().message() << "\n";
      unresolved = true;
      continue;
    }
    for (const v1::Report& report : *reports) {
      tally.Add(report);
      std::cout << EncodeReport(report, *format);
    }
    std::cout.flush();
  }
  PrintWarnings(ResolverWarnings((*checker)->resolver_description(),
                                 tally.refusing_zones, CliSettingNames()));
  PrintWarnings(PathWarnings((*checker)->resolver_description(),
                             (*checker)->ProbedHealth(), CliSettingNames()));
  return ExitStatus(tally, unresolved);
}

int RunHealth(const Command& command, const std::vector<std::string>& args) {
  absl::StatusOr<std::vector<std::string>> rest =
      ParseFlags(args, command.flags);
  if (!rest.ok()) return UsageError(command, rest.status().message());
  if (!rest->empty()) {
    return UsageError(
        command, absl::StrCat("unexpected argument ", QuoteInput((*rest)[0])));
  }
  absl::StatusOr<OutputFormat> format = FormatFor(command);
  if (!format.ok()) return UsageError(command, format.status().message());
  int exit_status = kExitOk;
  absl::StatusOr<std::unique_ptr<Checker>> checker =
      MakeChecker(command, &exit_status);
  if (!checker.ok()) return exit_status;
  v1::HealthReport report = (*checker)->ProbeHealth();
  std::cout << (*format == OutputFormat::kText
                    ? FormatHealthText(report)
                    : EncodeMessage(report, *format));
  PrintWarnings({report.warnings().begin(), report.warnings().end()});
  for (const v1::ZoneHealth& zone : report.zones()) {
    if (!HealthUsable(zone.state())) return kExitIncomplete;
  }
  return kExitOk;
}

volatile std::sig_atomic_t g_stop = 0;

void OnStopSignal(int signal) {
  if (g_stop) {
    // A second signal: stop now, as the user insists.
    std::signal(signal, SIG_DFL);
    std::raise(signal);
  }
  g_stop = 1;
}

int RunBulk(const Command& command, const std::vector<std::string>& args) {
  absl::StatusOr<std::vector<std::string>> inputs =
      ParseFlags(args, command.flags);
  if (!inputs.ok()) return UsageError(command, inputs.status().message());
  if (inputs->size() > 1) {
    return UsageError(command, absl::StrCat("bulk reads one INPUT; unexpected ",
                                            QuoteInput((*inputs)[1])));
  }
  absl::StatusOr<OutputFormat> format = FormatFor(command);
  if (!format.ok()) return UsageError(command, format.status().message());
  const ProgressMode progress = absl::GetFlag(FLAGS_progress);
  BulkOptions options;
  absl::StatusOr<CheckerOptions> checker_options =
      OptionsFromFlags(/*contacts=*/false);
  if (!checker_options.ok()) {
    return UsageError(command, checker_options.status().message());
  }
  options.checker = *std::move(checker_options);
  if (absl::GetFlag(FLAGS_tries) == 0) {
    options.checker.tries = BulkOptions().checker.tries;
  }
  if (int n = absl::GetFlag(FLAGS_max_inflight); n != 0) {
    if (n < 1) {
      return UsageError(command, "flag --max_inflight must be at least 1");
    }
    options.adaptive.max_inflight = n;
  }
  options.adaptive.max_qps = absl::GetFlag(FLAGS_max_qps);
  if (options.adaptive.max_qps < 0) {
    return UsageError(command, "flag --max_qps must not be negative");
  }
  if (uint64_t n = absl::GetFlag(FLAGS_max_range_size); n >= 1) {
    options.input.max_range_size = n;
  } else {
    return UsageError(command, "flag --max_range_size must be at least 1");
  }
  options.input.setting_names = CliSettingNames();
  options.output = absl::GetFlag(FLAGS_output);
  options.format = *format;
  options.resume = absl::GetFlag(FLAGS_resume);
  options.strict = absl::GetFlag(FLAGS_strict);
  absl::StatusOr<Shard> shard =
      ParseShard(absl::GetFlag(FLAGS_shard), [](const char* name) {
        return static_cast<const char*>(std::getenv(name));
      });
  if (!shard.ok()) {
    return UsageError(command,
                      absl::StrCat("flag --shard: ", shard.status().message()));
  }
  options.shard = *shard;

  const std::string path = inputs->empty() ? "-" : (*inputs)[0];
  std::ifstream file;
  std::istream* input = &std::cin;
  if (path != "-") {
    absl::StatusOr<InputCount> count = CountInputAddresses(path, options.input);
    if (!count.ok()) return UsageError(command, count.status().message());
    if (options.strict && count->first_error.has_value()) {
      // Nothing is queried for input that --strict would reject.
      return UsageError(
          command, absl::StrCat(path, ": line ", count->first_error->line, ": ",
                                count->first_error->text, ": ",
                                count->first_error->message, " (--strict)"));
    }
    options.total = count->addresses;
    file.open(path, std::ios::binary);
    input = &file;
  }
  options.on_input_error = [](const InputError& e) {
    std::cerr << "dnsbl: input line " << e.line << ": " << e.text << ": "
              << EscapeForTerminal(e.message) << "\n";
  };
  const bool show_progress = progress == ProgressMode::kAlways ||
                             (progress == ProgressMode::kAuto && isatty(2));
  if (show_progress) {
    options.on_progress = [](const BulkSummary& s) {
      std::cerr << "\r" << FormatBulkProgress(s) << "\x1b[K" << std::flush;
    };
  }
  options.stop = &g_stop;
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);

  absl::StatusOr<std::unique_ptr<BulkRunner>> runner =
      BulkRunner::Create(std::move(options));
  if (!runner.ok()) {
    if (absl::IsInvalidArgument(runner.status()) ||
        absl::IsNotFound(runner.status()) ||
        absl::IsDataLoss(runner.status())) {
      return UsageError(command, runner.status().message());
    }
    std::cerr << "dnsbl: " << runner.status().message() << "\n";
    return kExitIncomplete;
  }
  PrintWarnings((*runner)->warnings());
  PrintWarnings(ResolverWarnings((*runner)->resolver_description(), {},
                                 CliSettingNames()));
  absl::StatusOr<BulkSummary> summary = (*runner)->Run(input);
  if (show_progress) std::cerr << "\n";
  if (!summary.ok()) {
    std::cerr << "dnsbl: " << summary.status().message() << "\n";
    return absl::IsInvalidArgument(summary.status()) ? kExitUsage
                                                     : kExitIncomplete;
  }
  std::cerr << "dnsbl bulk: " << FormatBulkSummary(*summary);
  PrintWarnings(ResolverWarnings("", summary->verdicts.refusing_zones,
                                 CliSettingNames()));
  PrintWarnings(PathWarnings((*runner)->resolver_description(),
                             (*runner)->zone_health(), CliSettingNames()));
  if (summary->interrupted) return 130;
  return ExitStatus(summary->verdicts, /*unresolved=*/false);
}

int RunZones(const Command& command, const std::vector<std::string>& args) {
  absl::StatusOr<std::vector<std::string>> rest =
      ParseFlags(args, command.flags);
  if (!rest.ok()) return UsageError(command, rest.status().message());
  if (!rest->empty()) {
    return UsageError(
        command, absl::StrCat("unexpected argument ", QuoteInput((*rest)[0])));
  }
  absl::StatusOr<OutputFormat> format = FormatFor(command);
  if (!format.ok()) return UsageError(command, format.status().message());
  absl::StatusOr<std::shared_ptr<const v1::Catalog>> catalog = LoadCatalog();
  if (!catalog.ok()) return UsageError(command, catalog.status().message());
  const std::optional<v1::Category> category = absl::GetFlag(FLAGS_category);
  const v1::Catalog shown = category.has_value()
                                ? ZonesWithCategory(**catalog, *category)
                                : **catalog;
  std::cout << (*format == OutputFormat::kText
                    ? FormatZonesText(shown, CliSettingNames())
                    : EncodeMessage(shown, *format));
  return kExitOk;
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "help" || args[0] == "--help" ||
      args[0] == "-h") {
    std::cout << "usage: dnsbl COMMAND [flags] ...\n\nCommands:\n";
    for (const Command* command : kCommands) {
      std::cout << absl::StrFormat(
          "  %-26s %s\n", absl::StrCat(command->name, " ", command->synopsis),
          command->summary);
    }
    std::cout << "\nRun 'dnsbl COMMAND --help' for the flags of a command, "
                 "'dnsbl --version' for the version.\n";
    return args.empty() ? kExitUsage : kExitOk;
  }
  if (args[0] == "--version" || args[0] == "version") {
    std::cout << "dnsbl " << DNSBL_VERSION_STRING << "\n";
    return kExitOk;
  }
  const std::string name = args[0];
  args.erase(args.begin());
  for (const Command* command : kCommands) {
    if (name != command->name) continue;
    if (WantsHelp(args)) {
      std::cout << command->usage << "\nFlags:\n" << FlagsHelp(command->flags);
      return kExitOk;
    }
    return command->run(*command, args);
  }
  std::cerr << "dnsbl: unknown command " << QuoteInput(name)
            << "\nRun 'dnsbl --help' for the commands.\n";
  return kExitUsage;
}

// A file name in a message: whole (QuoteInput() would cut a long path),
// escaped.
std::string QuotePath(absl::string_view path) {
  return absl::StrCat("'", EscapeForTerminal(path), "'");
}

// Reads bulk output written as JSON lines or as binary records.
absl::StatusOr<std::vector<v1::Report>> ReadBulkOutput(
    const std::string& path) {
  if (access(path.c_str(), R_OK) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--reports: cannot read ", QuotePath(path)));
  }
  absl::StatusOr<std::vector<v1::Report>> json =
      ReadReports(path, OutputFormat::kJson);
  if (json.ok()) return json;
  absl::StatusOr<std::vector<v1::Report>> binary =
      ReadReports(path, OutputFormat::kBinary);
  if (binary.ok()) return binary;
  return absl::InvalidArgumentError(absl::StrCat(
      "--reports: ", QuotePath(path),
      " is not dnsbl bulk output (json or binary): ", json.status().message()));
}

void PrintDelivery(const DeliveryResult& r, const DeliveryOptions& options) {
  std::cerr << "dnsbl: " << r.written << " message(s) written to "
            << (options.mbox.empty() ? options.outdir : options.mbox);
  if (options.send) {
    std::cerr << ", " << r.sent << " sent, " << r.already_sent
              << " sent before, " << r.failed << " failed";
  }
  std::cerr << "; " << r.without_notice << " address(es) without a notice"
            << (options.outdir.empty() ? ""
                                       : absl::StrCat(" (", options.outdir,
                                                      "/without-notice.tsv)"))
            << "\n";
  for (const std::string& e : r.errors) std::cerr << "dnsbl: " << e << "\n";
}

int RunNotice(const Command& command, const std::vector<std::string>& args) {
  absl::StatusOr<std::vector<std::string>> inputs =
      ParseFlags(args, command.flags);
  if (!inputs.ok()) return UsageError(command, inputs.status().message());
  absl::StatusOr<OutputFormat> format = FormatFor(command);
  if (!format.ok()) return UsageError(command, format.status().message());
  const bool letter_only = absl::GetFlag(FLAGS_format).has_value();
  const std::string reports_path = absl::GetFlag(FLAGS_reports);
  if (reports_path.empty() == inputs->empty()) {
    return UsageError(command,
                      "give ADDRESS... or --reports=FILE (not both, not none)");
  }
  if (!reports_path.empty() && letter_only) {
    return UsageError(command,
                      "--format=text is for ADDRESS..., not --reports");
  }
  absl::StatusOr<NoticeLanguage> lang =
      ParseNoticeLanguage(absl::GetFlag(FLAGS_lang));
  if (!lang.ok()) {
    return UsageError(command,
                      absl::StrCat("flag --lang: ", lang.status().message()));
  }
  DeliveryOptions options;
  options.letter.language = *lang;
  if (const std::string path = absl::GetFlag(FLAGS_template); !path.empty()) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in.good() && !in.eof()) {
      return UsageError(
          command, absl::StrCat("--template: cannot read ", QuotePath(path)));
    }
    if (absl::Status s = CheckTemplate(text.str(), NoticePlaceholders());
        !s.ok()) {
      return UsageError(command, absl::StrCat("--template ", QuotePath(path),
                                              ": ", s.message()));
    }
    options.letter.template_text = text.str();
  }
  // Required even for the letter alone: it tells the recipient whom to
  // answer.
  options.from = absl::GetFlag(FLAGS_from);
  if (options.from.empty()) {
    return UsageError(command, "--from=SENDER is required");
  }
  if (absl::Status s = ValidateEmail(options.from).status(); !s.ok()) {
    return UsageError(command, absl::StrCat("--from: ", s.message()));
  }
  options.letter.reply_to = options.from;
  for (const std::string& to : absl::GetFlag(FLAGS_to)) {
    absl::StatusOr<std::string> email = ValidateEmail(to);
    if (!email.ok()) {
      return UsageError(command,
                        absl::StrCat("--to: ", email.status().message()));
    }
    options.to.push_back(*email);
  }
  options.outdir = absl::GetFlag(FLAGS_outdir);
  options.mbox = absl::GetFlag(FLAGS_mbox);
  options.send = absl::GetFlag(FLAGS_send);
  if (!options.outdir.empty() && !options.mbox.empty()) {
    return UsageError(command, "give --outdir or --mbox, not both");
  }
  if (options.send) {
    if (options.outdir.empty()) {
      return UsageError(command, "--send needs --outdir (for sent.log)");
    }
    options.smtp.url = absl::GetFlag(FLAGS_smtp);
    if (!absl::StartsWith(options.smtp.url, "smtp://") &&
        !absl::StartsWith(options.smtp.url, "smtps://")) {
      return UsageError(command,
                        "--send needs --smtp=smtp://HOST:PORT or smtps://...");
    }
    options.smtp.starttls_required = absl::GetFlag(FLAGS_smtp_starttls);
    options.smtp.username = absl::GetFlag(FLAGS_smtp_user);
    if (const char* p = std::getenv("DNSBL_SMTP_PASSWORD"); p != nullptr) {
      options.smtp.password = p;
    }
    options.smtp.ca_file = absl::GetFlag(FLAGS_smtp_ca_file);
  }
  const bool to_files = !options.outdir.empty() || !options.mbox.empty();
  if (!reports_path.empty() && !to_files) {
    return UsageError(command, "--reports needs --outdir=DIR or --mbox=FILE");
  }

  std::vector<v1::Report> reports;
  std::vector<NoticeDecision> decisions;
  if (!reports_path.empty()) {
    absl::StatusOr<std::vector<v1::Report>> read = ReadBulkOutput(reports_path);
    if (!read.ok()) return UsageError(command, read.status().message());
    reports = *std::move(read);
  } else {
    if (absl::Status s = ValidateInputs(*inputs); !s.ok()) {
      return UsageError(command, s.message());
    }
    int exit_status = kExitOk;
    absl::StatusOr<std::unique_ptr<Checker>> checker =
        MakeChecker(command, &exit_status);
    if (!checker.ok()) return exit_status;
    for (const std::string& input : *inputs) {
      absl::StatusOr<std::vector<v1::Report>> checked =
          (*checker)->CheckHost(input);
      if (!checked.ok()) {
        std::cerr << "dnsbl: " << checked.status().message() << "\n";
        decisions.push_back(NoticeDecision::kIncomplete);
        continue;
      }
      for (v1::Report& r : *checked) reports.push_back(std::move(r));
    }
    PrintWarnings(PathWarnings((*checker)->resolver_description(),
                               (*checker)->ProbedHealth(), CliSettingNames()));
  }
  for (const v1::Report& r : reports) {
    NoticeClaim claim = ClaimFor(r);
    decisions.push_back(claim.decision);
    if (claim.decision != NoticeDecision::kSend && !to_files) {
      std::cerr << "dnsbl: no notice for " << r.address() << ": " << claim.why
                << "\n";
    }
  }
  int status = NoticeExitStatus(decisions);
  if (to_files) {
    absl::StatusOr<DeliveryResult> result =
        DeliverBatch(GroupByContact(reports), options);
    if (!result.ok()) {
      if (absl::IsInvalidArgument(result.status())) {
        return UsageError(command, result.status().message());
      }
      std::cerr << "dnsbl: " << result.status().message() << "\n";
      return kExitIncomplete;
    }
    PrintDelivery(*result, options);
    return result->failed > 0 ? kExitIncomplete : status;
  }
  for (const v1::Report& r : reports) {
    if (ClaimFor(r).decision != NoticeDecision::kSend) continue;
    if (letter_only) {
      absl::StatusOr<Notice> notice = ComposeNotice({r}, options.letter);
      if (!notice.ok()) {
        std::cerr << "dnsbl: " << notice.status().message() << "\n";
        status = kExitIncomplete;
        continue;
      }
      std::cout << notice->body;
      continue;
    }
    std::vector<std::string> contacts;
    for (const v1::Contact& c : r.contacts()) contacts.push_back(c.email());
    absl::StatusOr<std::string> message =
        BuildNoticeMessage({r}, contacts, options);
    if (!message.ok()) {
      std::cerr << "dnsbl: " << message.status().message() << "\n";
      status = kExitIncomplete;
      continue;
    }
    std::cout << *message;
  }
  return status;
}

}  // namespace
}  // namespace dnsbl::cli

int main(int argc, char** argv) { return dnsbl::cli::Main(argc, argv); }

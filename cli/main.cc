// dnsbl: ask many DNS blocklists at once whether an address is listed.
// A thin shell over //dnsbl: parse flags, call the library, print, exit.

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "cli/flags.h"
#include "dnsbl/dnsbl.h"
#include "dnsbl/escape.h"

ABSL_FLAG(std::vector<std::string>, nameserver, {},
          "Nameservers to ask: ADDR, ADDR:PORT or [IPV6]:PORT; repeat the "
          "flag or separate with commas. Empty: those of /etc/resolv.conf.");
ABSL_FLAG(std::string, catalog, "",
          "Catalog of blocklists in protobuf text format (see 'dnsbl zones "
          "--format=textproto'). Empty: the built-in catalog.");
ABSL_FLAG(std::vector<std::string>, zones, {},
          "Zones to ask, by name (comma list). Naming a disabled zone asks "
          "it. Empty: every zone of the catalog that is not disabled.");
ABSL_FLAG(std::string, format, "text",
          "Output: text (verdict and evidence for a person), json (one "
          "Report per line, protobuf JSON), textproto, or csv.");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(2),
          "How long to wait for one try of one question, e.g. 2s or 500ms.");
ABSL_FLAG(int, tries, 2, "How often to send a question that got no answer.");
ABSL_FLAG(bool, txt, true,
          "Also fetch the TXT reason of each listing (--notxt to skip).");
ABSL_FLAG(int, max_inflight, 100,
          "The most DNS questions on the wire at once.");

namespace dnsbl::cli {
namespace {

constexpr int kExitNotListed = 0;
constexpr int kExitListed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitIncomplete = 3;

constexpr char kUsage[] =
    "usage: dnsbl check [flags] ADDRESS_OR_HOST...\n"
    "\n"
    "Asks every blocklist of the catalog at once whether each address is\n"
    "listed (host names: each of their A and AAAA addresses), and prints a\n"
    "verdict with its evidence.\n"
    "\n"
    "Exit status: 0 listed nowhere; 1 listed somewhere; 2 usage or input\n"
    "error (nothing was queried); 3 nothing listed, but at least one\n"
    "blocklist could not be asked, so the verdict is incomplete.\n";

const std::vector<std::string>& CheckFlags() {
  static const auto* flags = new std::vector<std::string>{
      "nameserver", "catalog", "zones", "format",
      "timeout",    "tries",   "txt",   "max_inflight"};
  return *flags;
}

int UsageError(absl::string_view message) {
  std::cerr << "dnsbl: " << message << "\n"
            << "Run 'dnsbl check --help' for usage.\n";
  return kExitUsage;
}

// Checks every input before any query, so bad input queries nothing.
absl::Status ValidateInputs(const std::vector<std::string>& inputs) {
  if (inputs.empty()) {
    return absl::InvalidArgumentError(
        "check needs at least one ADDRESS_OR_HOST");
  }
  for (const std::string& input : inputs) {
    if (LooksLikeIpAddress(input)) {
      if (absl::StatusOr<IpAddress> ip = IpAddress::Parse(input); !ip.ok()) {
        return ip.status();
      }
    } else if (absl::Status s = ValidateDnsName(input, "host name"); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

int RunCheck(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-h" || arg == "--helpfull") {
      std::cout << kUsage << "\nFlags:\n" << FlagsHelp(CheckFlags());
      return kExitNotListed;
    }
  }
  absl::StatusOr<std::vector<std::string>> inputs =
      ParseFlags(args, CheckFlags());
  if (!inputs.ok()) return UsageError(inputs.status().message());
  if (absl::Status s = ValidateInputs(*inputs); !s.ok()) {
    return UsageError(s.message());
  }
  const std::string format = absl::GetFlag(FLAGS_format);
  if (format != "text" && format != "json" && format != "textproto" &&
      format != "csv") {
    return UsageError(absl::StrCat("flag --format: unknown format ",
                                   QuoteInput(format),
                                   " (use text, json, textproto or csv)"));
  }

  CheckerOptions options;
  options.nameservers = absl::GetFlag(FLAGS_nameserver);
  options.zones = absl::GetFlag(FLAGS_zones);
  options.timeout = absl::GetFlag(FLAGS_timeout);
  options.tries = absl::GetFlag(FLAGS_tries);
  options.fetch_txt = absl::GetFlag(FLAGS_txt);
  options.max_inflight = absl::GetFlag(FLAGS_max_inflight);
  if (const std::string path = absl::GetFlag(FLAGS_catalog); !path.empty()) {
    absl::StatusOr<v1::Catalog> catalog = LoadCatalogFile(path);
    if (!catalog.ok()) return UsageError(catalog.status().message());
    options.catalog = std::make_shared<const v1::Catalog>(*std::move(catalog));
  }
  absl::StatusOr<std::unique_ptr<Checker>> checker = Checker::Create(options);
  if (!checker.ok()) {
    if (absl::IsInvalidArgument(checker.status()) ||
        absl::IsNotFound(checker.status())) {
      return UsageError(checker.status().message());
    }
    std::cerr << "dnsbl: " << checker.status().message() << "\n";
    return kExitIncomplete;
  }

  if (format == "csv") std::cout << CsvHeader();
  bool listed = false;
  bool incomplete = false;
  for (const std::string& input : *inputs) {
    absl::StatusOr<std::vector<v1::Report>> reports =
        (*checker)->CheckHost(input);
    if (!reports.ok()) {
      std::cerr << "dnsbl: " << reports.status().message() << "\n";
      incomplete = true;
      continue;
    }
    for (const v1::Report& report : *reports) {
      switch (VerdictOf(report.summary())) {
        case Verdict::kListed:
          listed = true;
          break;
        case Verdict::kIncomplete:
          incomplete = true;
          break;
        case Verdict::kNotListed:
          break;
      }
      if (format == "json") {
        std::cout << FormatJson(report) << "\n";
      } else if (format == "textproto") {
        std::cout << FormatTextproto(report) << "\n";
      } else if (format == "csv") {
        std::cout << FormatCsv(report);
      } else {
        std::cout << FormatText(report) << "\n";
      }
    }
    std::cout.flush();
  }
  if (listed) return kExitListed;
  return incomplete ? kExitIncomplete : kExitNotListed;
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "help" || args[0] == "--help" ||
      args[0] == "-h") {
    std::cout << "usage: dnsbl COMMAND [flags] ...\n\n"
              << "Commands:\n"
              << "  check ADDRESS_OR_HOST...   check addresses against DNS "
                 "blocklists\n\n"
              << "Run 'dnsbl COMMAND --help' for the flags of a command.\n";
    return args.empty() ? kExitUsage : kExitNotListed;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  if (command == "check") return RunCheck(args);
  return UsageError(absl::StrCat("unknown command ", QuoteInput(command)));
}

}  // namespace
}  // namespace dnsbl::cli

int main(int argc, char** argv) { return dnsbl::cli::Main(argc, argv); }

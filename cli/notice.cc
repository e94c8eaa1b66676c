// dnsbl notice: the abuse notice the evidence supports, written or sent.

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "cli/command.h"

namespace dnsbl::cli {
namespace {

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

// Returns InvalidArgument for options that do not go together: what to
// read (addresses or --reports), where messages go, how they are sent.
absl::Status CheckNoticeOptions(const Invocation& call) {
  const ToolOptions& o = call.options;
  const DeliveryOptions& d = o.delivery;
  if (o.reports.empty() == call.args().empty()) {
    return absl::InvalidArgumentError(
        "give ADDRESS... or --reports=FILE (not both, not none)");
  }
  if (!o.reports.empty() && o.format.has_value()) {
    return absl::InvalidArgumentError(
        "--format=text is for ADDRESS..., not --reports");
  }
  // Required even for the letter alone: it tells the recipient whom to
  // answer.
  if (d.from.empty()) {
    return absl::InvalidArgumentError("--from=SENDER is required");
  }
  if (!d.outdir.empty() && !d.mbox.empty()) {
    return absl::InvalidArgumentError("give --outdir or --mbox, not both");
  }
  if (d.send) {
    if (d.outdir.empty()) {
      return absl::InvalidArgumentError("--send needs --outdir (for sent.log)");
    }
    if (!absl::StartsWith(d.smtp.url, "smtp://") &&
        !absl::StartsWith(d.smtp.url, "smtps://")) {
      return absl::InvalidArgumentError(
          "--send needs --smtp=smtp://HOST:PORT or smtps://...");
    }
  }
  if (!o.reports.empty() && d.outdir.empty() && d.mbox.empty()) {
    return absl::InvalidArgumentError(
        "--reports needs --outdir=DIR or --mbox=FILE");
  }
  return absl::OkStatus();
}

// Checks each address of the command line; a host name that could not be
// checked counts as an incomplete verdict.
absl::Status CheckAddresses(const Invocation& call,
                            std::vector<v1::Report>& reports,
                            std::vector<NoticeDecision>& decisions) {
  if (absl::Status s = ValidateInputs(call.args()); !s.ok()) return s;
  absl::StatusOr<std::unique_ptr<Checker>> checker = MakeChecker(call.options);
  if (!checker.ok()) return checker.status();
  for (const std::string& input : call.args()) {
    absl::StatusOr<std::vector<v1::Report>> checked =
        (*checker)->CheckHost(input);
    if (!checked.ok()) {
      PrintError(checked.status().message());
      decisions.push_back(NoticeDecision::kIncomplete);
      continue;
    }
    for (v1::Report& r : *checked) reports.push_back(std::move(r));
  }
  PrintWarnings(PathWarnings((*checker)->resolver_description(),
                             (*checker)->ProbedHealth(),
                             call.options.bulk.checker.setting_names));
  return absl::OkStatus();
}

// Reads bulk output and sorts it into fresh evidence (re-checking or
// refusing what is older than --max_age); says what it did on stderr.
absl::StatusOr<FreshEvidence> ReadFreshReports(const ToolOptions& options) {
  absl::StatusOr<std::vector<v1::Report>> read =
      ReadBulkOutput(options.reports);
  if (!read.ok()) return read.status();
  FreshEvidence fresh = FreshenEvidence(*std::move(read), options.freshness,
                                        RecheckWith(options.bulk.checker));
  if (fresh.stale > 0) {
    std::cerr << "dnsbl: " << fresh.stale << " listing(s) older than --max_age="
              << absl::FormatDuration(options.freshness.max_age) << ": "
              << (options.freshness.recheck
                      ? absl::StrCat(fresh.reconfirmed, " re-confirmed, ",
                                     fresh.refused.size(), " not confirmed")
                      : "not re-checked (--recheck), no notice")
              << "\n";
  }
  return fresh;
}

void PrintDelivery(const DeliveryResult& r, const DeliveryOptions& options) {
  std::cerr << "dnsbl: " << r.written << " message(s) written to "
            << (options.mbox.empty() ? options.outdir : options.mbox);
  if (options.send) {
    std::cerr << ", " << r.sent << " sent, " << r.already_sent
              << " sent before, " << r.failed << " failed";
  }
  if (r.not_renotified > 0) {
    std::cerr << "; " << r.not_renotified
              << " address(es) not notified again within --renotify_after";
  }
  std::cerr << "; " << r.without_notice << " address(es) without a notice"
            << (options.outdir.empty() ? ""
                                       : absl::StrCat(" (", options.outdir,
                                                      "/without-notice.tsv)"))
            << "\n";
  for (const std::string& e : r.errors) PrintError(e);
}

// Writes to stdout the message (or with `letter_only` the letter) of each
// report whose evidence supports a notice. Returns kExitIncomplete when
// one could not be written, else `status`.
int PrintNotices(const std::vector<v1::Report>& reports,
                 const DeliveryOptions& options, bool letter_only, int status) {
  for (const v1::Report& r : reports) {
    if (ClaimFor(r).decision != NoticeDecision::kSend) continue;
    absl::StatusOr<std::string> text;
    if (letter_only) {
      absl::StatusOr<Notice> notice =
          ComposeNotice({r}, LetterOptionsOf(options));
      text = notice.ok() ? absl::StatusOr<std::string>(notice->body)
                         : notice.status();
    } else {
      std::vector<std::string> contacts;
      for (const v1::Contact& c : r.contacts()) contacts.push_back(c.email());
      text = BuildNoticeMessage({r}, contacts, options);
    }
    if (!text.ok()) {
      PrintError(text.status().message());
      status = kExitIncomplete;
      continue;
    }
    std::cout << *text;
  }
  return status;
}

int RunNotice(const Command& command, Invocation& call) {
  if (absl::StatusOr<OutputFormat> format = FormatFor(command, call.options);
      !format.ok()) {
    return UsageError(command, format.status().message());
  }
  if (absl::Status s = CheckNoticeOptions(call); !s.ok()) {
    return UsageError(command, s.message());
  }
  DeliveryOptions& options = call.options.delivery;
  if (options.send) {
    if (const char* p = std::getenv("DNSBL_SMTP_PASSWORD"); p != nullptr) {
      options.smtp.password = p;
    }
  }
  const bool to_files = !options.outdir.empty() || !options.mbox.empty();
  std::vector<v1::Report> reports;
  std::vector<NoticeDecision> decisions;
  std::vector<WithoutNotice> refused;
  if (!call.options.reports.empty()) {
    absl::StatusOr<FreshEvidence> fresh = ReadFreshReports(call.options);
    if (!fresh.ok()) return UsageError(command, fresh.status().message());
    reports = std::move(fresh->reports);
    refused = std::move(fresh->refused);
    decisions = std::move(fresh->refused_decisions);
    options.letter.first_found = std::move(fresh->first_found);
  } else if (absl::Status s = CheckAddresses(call, reports, decisions);
             !s.ok()) {
    return Fail(command, s);
  }
  for (const v1::Report& r : reports) {
    NoticeClaim claim = ClaimFor(r);
    decisions.push_back(claim.decision);
    if (claim.decision != NoticeDecision::kSend && !to_files) {
      PrintError(absl::StrCat("no notice for ", r.address(), ": ", claim.why));
    }
  }
  const int status = NoticeExitStatus(decisions);
  if (!to_files) {
    return PrintNotices(reports, options,
                        /*letter_only=*/call.options.format.has_value(),
                        status);
  }
  NoticeBatch batch = GroupByContact(reports);
  batch.without_notice.insert(batch.without_notice.end(), refused.begin(),
                              refused.end());
  absl::StatusOr<DeliveryResult> result = DeliverBatch(batch, options);
  if (!result.ok()) return Fail(command, result.status());
  PrintDelivery(*result, options);
  return result->failed > 0 ? kExitIncomplete : status;
}

}  // namespace

const Command kNoticeCommand = {
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
    "Evidence older than --max_age is re-checked first (--recheck, on with\n"
    "--send) or gets no notice; a desk is told about an address at most\n"
    "once per --renotify_after unless the claim names something new.\n"
    "\n"
    "Exit status: 0 done (including nothing to send); 2 usage or input\n"
    "error; 3 some verdict incomplete, or some message not sent.\n",
    ToolCommand::kNotice,
    {OutputFormat::kText},
    &RunNotice};

}  // namespace dnsbl::cli

#include "dnsbl/notice/delivery.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "dnsbl/base/escape.h"
#include "dnsbl/contacts/internal/email.h"
#include "dnsbl/notice/internal/mime.h"
#include "dnsbl/notice/internal/smtp.h"

namespace dnsbl {
namespace {

absl::Status WriteFile(const std::string& path, absl::string_view data) {
  const std::string tmp = absl::StrCat(path, ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(data.data(), data.size());
    if (!out.good()) {
      return absl::PermissionDeniedError(absl::StrCat(
          "cannot write ", QuoteInput(tmp), ": ", std::strerror(errno)));
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::PermissionDeniedError(absl::StrCat(
        "cannot write ", QuoteInput(path), ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

// The Message-IDs sent.log says went out.
std::set<std::string> SentIds(const std::string& path) {
  std::set<std::string> ids;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields = absl::StrSplit(line, '\t');
    if (fields.size() >= 2 && fields[1] == "sent") ids.insert(fields[0]);
  }
  return ids;
}

absl::Status AppendLine(const std::string& path, const std::string& line) {
  std::ofstream out(path, std::ios::app);
  out << line << "\n";
  out.flush();
  if (!out.good()) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot append to ", QuoteInput(path)));
  }
  return absl::OkStatus();
}

std::string MessageIdOf(absl::string_view message) {
  for (absl::string_view line : absl::StrSplit(message, "\r\n")) {
    if (line.empty()) break;
    if (absl::ConsumePrefix(&line, "Message-ID: ")) return std::string(line);
  }
  return "";
}

}  // namespace

absl::StatusOr<std::string> BuildNoticeMessage(
    absl::Span<const v1::Report> reports, const std::vector<std::string>& to,
    const DeliveryOptions& options) {
  NoticeOptions letter = options.letter;
  if (letter.reply_to.empty()) letter.reply_to = options.from;
  absl::StatusOr<Notice> notice = ComposeNotice(reports, letter);
  if (!notice.ok()) return notice.status();
  MailMessage message;
  message.from = options.from;
  message.to = options.to.empty() ? to : options.to;
  if (message.to.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "no recipient for ", reports[0].address(),
        ": the sources know no abuse contact; give one with --to"));
  }
  message.subject = notice->subject;
  message.body = notice->body;
  message.attachment_json =
      ReportsJson(std::vector<v1::Report>(reports.begin(), reports.end()));
  message.date = options.date;
  if (message.date == absl::InfinitePast()) {
    for (const v1::Report& r : reports) {
      message.date =
          std::max(message.date, absl::FromUnixSeconds(r.finished().seconds()) +
                                     absl::Nanoseconds(r.finished().nanos()));
    }
  }
  return FormatMailMessage(message);
}

absl::StatusOr<DeliveryResult> DeliverBatch(const NoticeBatch& batch,
                                            const DeliveryOptions& options) {
  if (options.outdir.empty() == options.mbox.empty()) {
    return absl::InvalidArgumentError(
        "give exactly one of an output directory and an mbox file");
  }
  if (options.send && options.outdir.empty()) {
    return absl::InvalidArgumentError(
        "sending needs an output directory (for sent.log)");
  }
  if (absl::Status s = ValidateEmail(options.from).status(); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("sender: ", s.message()));
  }
  if (!options.outdir.empty() && mkdir(options.outdir.c_str(), 0755) != 0 &&
      errno != EEXIST) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot create ", QuoteInput(options.outdir), ": ",
                     std::strerror(errno)));
  }
  DeliveryResult result;
  result.without_notice = static_cast<int>(batch.without_notice.size());
  const std::string sent_log = absl::StrCat(options.outdir, "/sent.log");
  const std::set<std::string> already =
      options.send ? SentIds(sent_log) : std::set<std::string>();
  std::string mbox;
  for (const NoticeGroup& group : batch.groups) {
    absl::StatusOr<std::string> message =
        BuildNoticeMessage(group.reports, {group.contact}, options);
    if (!message.ok()) {
      ++result.failed;
      result.errors.push_back(
          absl::StrCat(group.contact, ": ", message.status().message()));
      continue;
    }
    ++result.written;
    if (!options.mbox.empty()) {
      absl::StrAppend(&mbox, MboxEntry(*message, options.from, options.date));
      continue;
    }
    if (absl::Status s = WriteFile(
            absl::StrCat(options.outdir, "/", NoticeFileName(group.contact)),
            *message);
        !s.ok()) {
      return s;
    }
    if (!options.send) continue;
    const std::string id = MessageIdOf(*message);
    if (already.count(id) > 0) {
      ++result.already_sent;
      continue;
    }
    const std::vector<std::string> to =
        options.to.empty() ? std::vector<std::string>{group.contact}
                           : options.to;
    absl::Status sent = SendMail(options.smtp, options.from, to, *message);
    if (sent.ok()) {
      ++result.sent;
    } else {
      ++result.failed;
      result.errors.push_back(
          absl::StrCat(group.contact, ": ", sent.message()));
    }
    if (absl::Status s = AppendLine(
            sent_log, absl::StrCat(id, "\t", sent.ok() ? "sent" : "failed",
                                   "\t", group.contact, "\t",
                                   EscapeForTerminal(sent.message())));
        !s.ok()) {
      return s;
    }
  }
  if (!options.mbox.empty()) {
    if (absl::Status s = WriteFile(options.mbox, mbox); !s.ok()) return s;
  } else {
    if (absl::Status s =
            WriteFile(absl::StrCat(options.outdir, "/without-notice.tsv"),
                      FormatWithoutNotice(batch.without_notice));
        !s.ok()) {
      return s;
    }
  }
  return result;
}

}  // namespace dnsbl

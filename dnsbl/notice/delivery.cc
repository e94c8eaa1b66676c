#include "dnsbl/notice/delivery.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "dnsbl/base/escape.h"
#include "dnsbl/contacts/internal/email.h"
#include "dnsbl/notice/internal/mime.h"
#include "dnsbl/notice/internal/renotify.h"
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

NoticeOptions LetterOptionsOf(const DeliveryOptions& options) {
  NoticeOptions letter = options.letter;
  if (!options.reply_to.empty()) {
    letter.reply_to = options.reply_to;
  } else if (letter.reply_to.empty()) {
    letter.reply_to = options.from;
  }
  return letter;
}

absl::StatusOr<std::string> BuildNoticeMessage(
    absl::Span<const v1::Report> reports, const std::vector<std::string>& to,
    const DeliveryOptions& options) {
  absl::StatusOr<Notice> notice =
      ComposeNotice(reports, LetterOptionsOf(options));
  if (!notice.ok()) return notice.status();
  MailMessage message;
  message.from = options.from;
  message.reply_to = options.reply_to;
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

namespace {

absl::Status CheckDeliveryOptions(const DeliveryOptions& options) {
  if (options.outdir.empty() == options.mbox.empty()) {
    return absl::InvalidArgumentError(
        "give exactly one of an output directory and an mbox file");
  }
  if (options.send && options.outdir.empty()) {
    return absl::InvalidArgumentError(
        "sending needs an output directory (for sent.log)");
  }
  if (options.smtp_rate < 0 || options.renotify_after < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "the sending rate and the renotify interval cannot be negative");
  }
  for (auto [what, mailbox] :
       {std::pair{"sender", &options.from},
        std::pair{"reply-to", &options.reply_to},
        std::pair{"bounce address", &options.bounce_to}}) {
    if (mailbox->empty() && mailbox != &options.from) continue;
    if (absl::Status s = ValidateEmail(*mailbox).status(); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(what, ": ", s.message()));
    }
  }
  return absl::OkStatus();
}

// The recipients a group's message goes to, as notified.tsv keys them.
std::string MailboxOf(const NoticeGroup& group,
                      const DeliveryOptions& options) {
  return options.to.empty() ? group.contact : absl::StrJoin(options.to, ",");
}

std::string Utc(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M UTC", t, absl::UTCTimeZone());
}

// Leaves out of `group` the addresses its mailbox was told about since
// `since` with the same claim or a stronger one; returns them, with when.
std::vector<WithoutNotice> DropNotified(NoticeGroup& group,
                                        const NotifiedLog& log,
                                        const std::string& mailbox,
                                        absl::Time since,
                                        absl::Duration renotify_after) {
  std::vector<WithoutNotice> dropped;
  std::vector<v1::Report> kept;
  for (v1::Report& r : group.reports) {
    std::optional<absl::Time> earlier =
        log.CoveredSince(mailbox, r.address(), ClaimCategoryNames(r), since);
    if (!earlier.has_value()) {
      kept.push_back(std::move(r));
      continue;
    }
    dropped.push_back(
        {r.address(),
         absl::StrCat(mailbox, " was sent a notice about it on ", Utc(*earlier),
                      "; not again before ", Utc(*earlier + renotify_after),
                      " unless the claim names something new")});
  }
  group.reports = std::move(kept);
  return dropped;
}

// Spaces messages at least 1/rate apart.
class Pacer {
 public:
  explicit Pacer(double rate) : rate_(rate) {}
  void Wait() {
    if (rate_ <= 0) return;
    Clock* clock = Clock::Monotonic();
    const absl::Time now = clock->Now();
    if (now < next_) absl::SleepFor(next_ - now);
    next_ = std::max(now, next_) + absl::Seconds(1.0 / rate_);
  }

 private:
  double rate_;
  absl::Time next_ = absl::InfinitePast();
};

// Sends one group's `message` unless sent.log has it; records the outcome
// in sent.log and, when sent, each address in notified.tsv.
absl::Status SendGroup(const NoticeGroup& group, const std::string& message,
                       const DeliveryOptions& options,
                       const std::set<std::string>& already, absl::Time now,
                       Pacer& pacer, DeliveryResult& result) {
  const std::string id = MessageIdOf(message);
  if (already.count(id) > 0) {
    ++result.already_sent;
    return absl::OkStatus();
  }
  const std::vector<std::string> to =
      options.to.empty() ? std::vector<std::string>{group.contact} : options.to;
  pacer.Wait();
  absl::Status sent =
      SendMail(options.smtp,
               options.bounce_to.empty() ? options.from : options.bounce_to, to,
               message);
  if (sent.ok()) {
    ++result.sent;
  } else {
    ++result.failed;
    result.errors.push_back(absl::StrCat(group.contact, ": ", sent.message()));
  }
  if (absl::Status s = AppendLine(
          absl::StrCat(options.outdir, "/sent.log"),
          absl::StrCat(id, "\t", sent.ok() ? "sent" : "failed", "\t",
                       group.contact, "\t", EscapeForTerminal(sent.message())));
      !s.ok()) {
    return s;
  }
  if (!sent.ok()) return absl::OkStatus();
  std::string lines;
  for (const v1::Report& r : group.reports) {
    absl::StrAppend(&lines, NotifiedLog::FormatLine(
                                {now, MailboxOf(group, options), r.address(),
                                 ClaimCategoryNames(r), id}));
  }
  lines.pop_back();  // AppendLine adds the last '\n'.
  return AppendLine(absl::StrCat(options.outdir, "/notified.tsv"), lines);
}

}  // namespace

absl::StatusOr<DeliveryResult> DeliverBatch(const NoticeBatch& batch,
                                            const DeliveryOptions& options) {
  if (absl::Status s = CheckDeliveryOptions(options); !s.ok()) return s;
  if (!options.outdir.empty() && mkdir(options.outdir.c_str(), 0755) != 0 &&
      errno != EEXIST) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot create ", QuoteInput(options.outdir), ": ",
                     std::strerror(errno)));
  }
  const absl::Time now =
      (options.clock != nullptr ? options.clock : Clock::Real())->Now();
  absl::StatusOr<NotifiedLog> notified =
      options.outdir.empty()
          ? NotifiedLog()
          : NotifiedLog::Read(absl::StrCat(options.outdir, "/notified.tsv"));
  if (!notified.ok()) return notified.status();
  DeliveryResult result;
  std::vector<WithoutNotice> without = batch.without_notice;
  const std::set<std::string> already =
      options.send ? SentIds(absl::StrCat(options.outdir, "/sent.log"))
                   : std::set<std::string>();
  Pacer pacer(options.smtp_rate);
  std::string mbox;
  for (NoticeGroup group : batch.groups) {
    if (options.renotify_after > absl::ZeroDuration()) {
      std::vector<WithoutNotice> dropped =
          DropNotified(group, *notified, MailboxOf(group, options),
                       now - options.renotify_after, options.renotify_after);
      result.not_renotified += static_cast<int>(dropped.size());
      without.insert(without.end(), dropped.begin(), dropped.end());
      if (group.reports.empty()) continue;
    }
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
    if (absl::Status s =
            SendGroup(group, *message, options, already, now, pacer, result);
        !s.ok()) {
      return s;
    }
  }
  result.without_notice = static_cast<int>(without.size());
  absl::Status written =
      options.mbox.empty()
          ? WriteFile(absl::StrCat(options.outdir, "/without-notice.tsv"),
                      FormatWithoutNotice(without))
          : WriteFile(options.mbox, mbox);
  if (!written.ok()) return written;
  return result;
}

}  // namespace dnsbl

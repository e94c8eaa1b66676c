// dnsbl/notice/delivery.h
//
// From reports to messages on disk or on the wire: composes each notice
// (letter.h), wraps it as a message (mime.h) with the reports attached,
// and writes it (one .eml per abuse mailbox in a directory, or one mbox)
// or sends it (smtp.h). Re-running is safe: file names and Message-IDs are
// derived from the content, sending records each outcome in
// DIR/sent.log, and a message already sent is not sent again; one failure
// never stops the rest. A desk is not pestered: once told about an
// address it is not told again within `renotify_after` unless the claim
// names something new (DIR/notified.tsv). Messages ask auto-responders not
// to answer (RFC 3834), and sending can be paced (`smtp_rate`).
//
// Example:
//
//   dnsbl::DeliveryOptions options;
//   options.from = "abuse-desk@example.org";
//   options.outdir = "notices";
//   absl::StatusOr<dnsbl::DeliveryResult> result =
//       dnsbl::DeliverBatch(dnsbl::GroupByContact(reports), options);

#ifndef DNSBL_DNSBL_NOTICE_DELIVERY_H_
#define DNSBL_DNSBL_NOTICE_DELIVERY_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "dnsbl/base/clock.h"
#include "dnsbl/notice/batch.h"
#include "dnsbl/notice/letter.h"
#include "dnsbl/notice/smtp_options.h"
#include "proto/dnsbl.pb.h"

namespace dnsbl {

struct DeliveryOptions {
  // The letter's language and template. Its reply_to defaults to `from`.
  NoticeOptions letter;

  // The sender. REQUIRES: passes ValidateEmail().
  std::string from;

  // Where the recipient's answers go: named in the letter and, when set,
  // the message's Reply-To. Default: empty, `from` (and no Reply-To).
  // REQUIRES: empty or passes ValidateEmail().
  std::string reply_to;

  // The envelope sender (SMTP MAIL FROM), where bounces go. Default:
  // empty, `from`. REQUIRES: empty or passes ValidateEmail().
  std::string bounce_to;

  // Recipients instead of the abuse mailboxes the reports name. Default:
  // empty, the reports' mailboxes. REQUIRES: each passes ValidateEmail().
  std::vector<std::string> to;

  // Where messages go: one .eml per message in `outdir` (NoticeFileName()),
  // with DIR/without-notice.tsv listing the addresses that got none; or
  // all in the mbox file `mbox` (rewritten whole, so re-runs do not
  // duplicate). REQUIRES: exactly one of them for DeliverBatch().
  std::string outdir;
  std::string mbox;

  // Whether to send each message through `smtp` (after writing it);
  // outcomes go to OUTDIR/sent.log (REQUIRES: outdir). Default: false.
  bool send = false;
  SmtpOptions smtp;

  // At most this many messages a second through `smtp`, so a big batch
  // does not flood one mail server. Default: 0, no limit. REQUIRES: >= 0.
  double smtp_rate = 0;

  // A mailbox gets at most one notice about an address per this long,
  // whatever the evidence's bytes, unless the claim names a kind its
  // earlier notices did not (relay, then relay and proxy). Applies to
  // `outdir` (its notified.tsv, written as messages are sent); the
  // addresses left out go to without-notice.tsv with the earlier notice's
  // date. Default: 7 days. REQUIRES: >= 0; 0 turns the rule off.
  absl::Duration renotify_after = absl::Hours(7 * 24);

  // What "now" is for renotify_after and notified.tsv. Default: null,
  // Clock::Real(). REQUIRES: outlives the call.
  Clock* clock = nullptr;

  // The messages' Date. Default: InfinitePast, meaning when the evidence
  // was gathered (the latest `finished` of the message's reports), so a
  // re-run writes the same bytes and sent.log recognizes the message.
  absl::Time date = absl::InfinitePast();
};

// Returns the letter's options: `letter` with the reply-to mailbox
// (`reply_to`, else the letter's, else `from`).
NoticeOptions LetterOptionsOf(const DeliveryOptions& options);

// Returns the message about `reports` (one address, or one mailbox's
// addresses) to `to` (or options.to when set), or InvalidArgument when the
// evidence supports no notice, a mailbox is invalid, or there is no
// recipient.
absl::StatusOr<std::string> BuildNoticeMessage(
    absl::Span<const v1::Report> reports, const std::vector<std::string>& to,
    const DeliveryOptions& options);

struct DeliveryResult {
  int written = 0;       // Messages written.
  int sent = 0;          // Sent in this run.
  int already_sent = 0;  // Found in sent.log, not sent again.
  // Addresses left out of a mailbox's message: told within renotify_after.
  int not_renotified = 0;
  int failed = 0;  // Could not be sent (see errors).
  int without_notice = 0;
  std::vector<std::string> errors;  // One per failure, naming the mailbox.
};

// Writes (and with `send`, sends) one message per group of `batch`.
// Returns InvalidArgument for bad options, or an I/O error when a file
// cannot be written; failed sends are counted in the result instead.
absl::StatusOr<DeliveryResult> DeliverBatch(const NoticeBatch& batch,
                                            const DeliveryOptions& options);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_NOTICE_DELIVERY_H_

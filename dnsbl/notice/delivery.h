// dnsbl/notice/delivery.h
//
// From reports to messages on disk or on the wire: composes each notice
// (letter.h), wraps it as a message (mime.h) with the reports attached,
// and writes it (one .eml per abuse mailbox in a directory, or one mbox)
// or sends it (smtp.h). Re-running is safe: file names and Message-IDs are
// derived from the content, sending records each outcome in
// DIR/sent.log, and a message already sent is not sent again; one failure
// never stops the rest.
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

  // The messages' Date. Default: InfinitePast, meaning when the evidence
  // was gathered (the latest `finished` of the message's reports), so a
  // re-run writes the same bytes and sent.log recognizes the message.
  absl::Time date = absl::InfinitePast();
};

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
  int failed = 0;        // Could not be sent (see errors).
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

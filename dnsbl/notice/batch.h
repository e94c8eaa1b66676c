// dnsbl/notice/batch.h
//
// Notices for many reports (a bulk run's output): grouped per abuse
// mailbox, one message per mailbox covering all its listed addresses, with
// every address that gets no message kept in a summary with the reason
// (not listed, policy only, incomplete, no abuse contact known), never
// dropped. File names are deterministic, so re-running replaces, never
// duplicates.
//
// Example:
//
//   dnsbl::NoticeBatch batch = dnsbl::GroupByContact(reports);
//   for (const dnsbl::NoticeGroup& g : batch.groups) Compose(g.reports);
//   WriteSummary(batch.without_notice);

#ifndef DNSBL_DNSBL_NOTICE_BATCH_H_
#define DNSBL_DNSBL_NOTICE_BATCH_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "proto/dnsbl.pb.h"

namespace dnsbl {

struct NoticeGroup {
  std::string contact;              // The abuse mailbox.
  std::vector<v1::Report> reports;  // Its listed addresses, by address.
};

struct WithoutNotice {
  std::string address;
  std::string why;
};

struct NoticeBatch {
  std::vector<NoticeGroup> groups;            // By mailbox.
  std::vector<WithoutNotice> without_notice;  // In input order.
};

// Groups `reports` by the abuse mailboxes they name. An address whose
// evidence supports a notice goes to each of its mailboxes (sources that
// disagree each get it); the last report of an address seen twice wins.
NoticeBatch GroupByContact(const std::vector<v1::Report>& reports);

// Returns the file name of `contact`'s message: its characters outside
// [A-Za-z0-9._+-] as '_', '@' as "_at_", a short hash of the mailbox (so
// two mailboxes never share a name), and ".eml".
std::string NoticeFileName(absl::string_view contact);

// Returns the summary file's text: one line per address without a notice,
// "ADDRESS<TAB>WHY".
std::string FormatWithoutNotice(const std::vector<WithoutNotice>& rows);

// Returns `message` (CRLF lines) as one mbox entry (mboxrd: "From "
// separator line, '\n' line ends, ">From " quoting).
std::string MboxEntry(absl::string_view message, absl::string_view sender,
                      absl::Time date);

// Returns the JSON attachment of `reports`: an array of Reports in the
// protobuf JSON mapping.
std::string ReportsJson(const std::vector<v1::Report>& reports);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_NOTICE_BATCH_H_

// dnsbl/notice/internal/renotify.h
//
// The notices already sent, so that a desk is not written to about the
// same address again and again: one line per address per message sent, in
// OUTDIR/notified.tsv ("TIME<TAB>MAILBOX<TAB>ADDRESS<TAB>CATEGORIES<TAB>
// MESSAGE-ID", TIME in RFC 3339 UTC, CATEGORIES the claim's category names
// joined by ','). Keyed by mailbox, address and claim, never by the
// message's bytes: new evidence of the same listing is not news to the desk,
// a listing of a kind it was not told of is.
//
// Example:
//
//   absl::StatusOr<dnsbl::NotifiedLog> log =
//       dnsbl::NotifiedLog::Read(dir + "/notified.tsv");
//   std::optional<absl::Time> earlier = log->CoveredSince(
//       "abuse@example.net", "192.0.2.7", {"OPEN_RELAY"}, now - week);

#ifndef DNSBL_DNSBL_NOTICE_INTERNAL_RENOTIFY_H_
#define DNSBL_DNSBL_NOTICE_INTERNAL_RENOTIFY_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "proto/dnsbl.pb.h"

namespace dnsbl {

struct NotifiedEntry {
  absl::Time when;
  std::string mailbox;
  std::string address;
  std::vector<std::string> categories;  // v1::Category names.
  std::string message_id;
};

// The notices sent. Not thread-safe.
class NotifiedLog {
 public:
  // Reads `path`; a missing file is an empty log. Lines that do not parse
  // (a torn last line after a crash) are skipped, since losing one only
  // allows a repeat notice. Returns an I/O error when the file exists but
  // cannot be read.
  static absl::StatusOr<NotifiedLog> Read(const std::string& path);

  // Records `entry` (in memory; FormatLine() is what to append to the file).
  void Add(NotifiedEntry entry);

  // Returns when `mailbox` was first told about `address` since `since`,
  // if the notices it got since then named every one of `categories`;
  // nullopt when it was not told, or the claim names something new.
  std::optional<absl::Time> CoveredSince(
      absl::string_view mailbox, absl::string_view address,
      const std::vector<std::string>& categories, absl::Time since) const;

  // Returns `entry` as one line of the file, '\n' included.
  static std::string FormatLine(const NotifiedEntry& entry);

 private:
  std::map<std::pair<std::string, std::string>, std::vector<NotifiedEntry>>
      entries_;
};

// Returns the category names of what a notice about `report` claims
// (relay, proxy, then the other kinds), the key the log compares.
std::vector<std::string> ClaimCategoryNames(const v1::Report& report);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_NOTICE_INTERNAL_RENOTIFY_H_

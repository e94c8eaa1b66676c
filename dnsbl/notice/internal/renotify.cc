#include "dnsbl/notice/internal/renotify.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "dnsbl/base/escape.h"
#include "dnsbl/notice/claim.h"

namespace dnsbl {

absl::StatusOr<NotifiedLog> NotifiedLog::Read(const std::string& path) {
  NotifiedLog log;
  std::ifstream in(path);
  if (!in.is_open()) {
    if (errno == ENOENT) return log;
    return absl::PermissionDeniedError(absl::StrCat(
        "cannot read ", QuoteInput(path), ": ", std::strerror(errno)));
  }
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields = absl::StrSplit(line, '\t');
    NotifiedEntry entry;
    std::string error;
    if (fields.size() != 5 ||
        !absl::ParseTime(absl::RFC3339_full, fields[0], &entry.when, &error) ||
        fields[1].empty() || fields[2].empty()) {
      continue;
    }
    entry.mailbox = fields[1];
    entry.address = fields[2];
    entry.categories = absl::StrSplit(fields[3], ',', absl::SkipEmpty());
    entry.message_id = fields[4];
    log.Add(std::move(entry));
  }
  return log;
}

void NotifiedLog::Add(NotifiedEntry entry) {
  entries_[{entry.mailbox, entry.address}].push_back(std::move(entry));
}

std::optional<absl::Time> NotifiedLog::CoveredSince(
    absl::string_view mailbox, absl::string_view address,
    const std::vector<std::string>& categories, absl::Time since) const {
  auto it = entries_.find({std::string(mailbox), std::string(address)});
  if (it == entries_.end()) return std::nullopt;
  std::set<std::string> told;
  absl::Time first = absl::InfiniteFuture();
  for (const NotifiedEntry& e : it->second) {
    if (e.when < since) continue;
    told.insert(e.categories.begin(), e.categories.end());
    first = std::min(first, e.when);
  }
  if (first == absl::InfiniteFuture()) return std::nullopt;
  for (const std::string& c : categories) {
    if (told.count(c) == 0) return std::nullopt;
  }
  return first;
}

std::string NotifiedLog::FormatLine(const NotifiedEntry& entry) {
  return absl::StrCat(
      absl::FormatTime(absl::RFC3339_full, entry.when, absl::UTCTimeZone()),
      "\t", entry.mailbox, "\t", entry.address, "\t",
      absl::StrJoin(entry.categories, ","), "\t", entry.message_id, "\n");
}

std::vector<std::string> ClaimCategoryNames(const v1::Report& report) {
  const NoticeClaim claim = ClaimFor(report);
  std::vector<std::string> names;
  if (claim.open_relay) names.push_back(v1::Category_Name(v1::OPEN_RELAY));
  if (claim.open_proxy) names.push_back(v1::Category_Name(v1::OPEN_PROXY));
  for (v1::Category c : claim.other) names.push_back(v1::Category_Name(c));
  return names;
}

}  // namespace dnsbl

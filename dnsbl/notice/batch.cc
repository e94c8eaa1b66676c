#include "dnsbl/notice/batch.h"

#include <algorithm>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "dnsbl/base/escape.h"
#include "dnsbl/base/internal/stable_hash.h"
#include "dnsbl/notice/claim.h"
#include "dnsbl/output/encode.h"

namespace dnsbl {

NoticeBatch GroupByContact(const std::vector<v1::Report>& reports) {
  // The last report of each address, in first-seen order.
  std::vector<std::string> order;
  std::map<std::string, const v1::Report*> latest;
  for (const v1::Report& r : reports) {
    if (latest.emplace(r.address(), &r).second) order.push_back(r.address());
    latest[r.address()] = &r;
  }
  NoticeBatch batch;
  std::map<std::string, std::vector<v1::Report>> by_contact;
  for (const std::string& address : order) {
    const v1::Report& r = *latest[address];
    NoticeClaim claim = ClaimFor(r);
    if (claim.decision != NoticeDecision::kSend) {
      batch.without_notice.push_back({address, claim.why});
      continue;
    }
    std::vector<std::string> seen;
    for (const v1::Contact& c : r.contacts()) {
      if (std::find(seen.begin(), seen.end(), c.email()) != seen.end()) {
        continue;
      }
      seen.push_back(c.email());
      by_contact[c.email()].push_back(r);
    }
    if (seen.empty()) {
      std::vector<std::string> gaps;
      for (const v1::ContactSource& s : r.contact_sources()) {
        if (!s.answered()) {
          gaps.push_back(absl::StrCat(s.source(), ": ", s.detail()));
        }
      }
      batch.without_notice.push_back(
          {address,
           r.contact_sources().empty()
               ? "listed, but no contacts were asked (bulk --contacts)"
               : absl::StrCat("listed, but no abuse contact is known",
                              gaps.empty() ? "" : " (unknown: ",
                              EscapeForTerminal(absl::StrJoin(gaps, "; ")),
                              gaps.empty() ? "" : ")")});
    }
  }
  for (auto& [contact, group] : by_contact) {
    std::sort(group.begin(), group.end(),
              [](const v1::Report& a, const v1::Report& b) {
                return a.address() < b.address();
              });
    batch.groups.push_back({contact, std::move(group)});
  }
  return batch;
}

std::string NoticeFileName(absl::string_view contact) {
  std::string name;
  for (char c : contact) {
    if (c == '@') {
      name += "_at_";
    } else if (absl::ascii_isalnum(c) || c == '.' || c == '_' || c == '+' ||
               c == '-') {
      name += c;
    } else {
      name += '_';
    }
  }
  return absl::StrFormat("%s-%08x.eml", name, StableHash32(contact));
}

std::string FormatWithoutNotice(const std::vector<WithoutNotice>& rows) {
  std::string out;
  for (const WithoutNotice& row : rows) {
    absl::StrAppend(&out, row.address, "\t", EscapeForTerminal(row.why), "\n");
  }
  return out;
}

std::string MboxEntry(absl::string_view message, absl::string_view sender,
                      absl::Time date) {
  std::string out = absl::StrCat(
      "From ", sender, " ",
      absl::FormatTime("%a %b %e %H:%M:%S %Y", date, absl::UTCTimeZone()),
      "\n");
  for (absl::string_view line : absl::StrSplit(message, "\r\n")) {
    absl::string_view rest = line;
    while (absl::ConsumePrefix(&rest, ">")) {
    }
    if (absl::StartsWith(rest, "From ")) out += '>';
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

std::string ReportsJson(const std::vector<v1::Report>& reports) {
  std::vector<std::string> items;
  for (const v1::Report& r : reports) items.push_back(FormatJson(r));
  return absl::StrCat("[", absl::StrJoin(items, ",\n"), "]\n");
}

}  // namespace dnsbl

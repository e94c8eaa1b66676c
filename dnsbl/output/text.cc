#include "dnsbl/output/text.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "dnsbl/base/escape.h"
#include "dnsbl/base/time_text.h"
#include "dnsbl/catalog/catalog.h"
#include "dnsbl/verdict/internal/interpret.h"
#include "google/protobuf/util/time_util.h"

namespace dnsbl {
namespace {

absl::Time ToTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixNanos(
      google::protobuf::util::TimeUtil::TimestampToNanoseconds(t));
}

std::string StatusLabel(v1::Status status) {
  switch (status) {
    case v1::LISTED:
      return "LISTED";
    case v1::NOT_LISTED:
      return "not listed";
    case v1::ERROR:
      return "ERROR";
    case v1::REFUSED:
      return "REFUSED";
    case v1::SKIPPED:
      return "skipped";
    default:
      return "?";
  }
}

std::string Plural(int n, absl::string_view one, absl::string_view many) {
  return absl::StrCat(n, " ", n == 1 ? one : many);
}

// How the verdict line names a category: "as an open proxy by ...".
absl::string_view VerdictPhrase(v1::Category category) {
  switch (category) {
    case v1::OPEN_RELAY:
      return "as an open relay";
    case v1::OPEN_PROXY:
      return "as an open proxy";
    case v1::EXPLOITED:
      return "as an exploited host";
    case v1::SPAM_SOURCE:
      return "as a spam source";
    case v1::POLICY:
      return "as a policy listing (end-user or dynamic range, not abuse)";
    case v1::TOR_EXIT:
      return "as a Tor exit";
    case v1::ABUSE:
      return "as an abuse source (attacks, brute force)";
    default:
      return "for other reasons";
  }
}

// The "network:" and "notify:" lines, when contacts were asked for. A
// source that could not answer is named with why, so an empty list never
// reads as "no contact exists".
std::string ContactLines(const v1::Report& report) {
  if (report.contact_sources_size() == 0) return "";
  std::string out;
  for (const v1::Network& n : report.networks()) {
    absl::StrAppend(&out, "  network: ", EscapeForTerminal(NetworkLine(n)),
                    "\n");
  }
  std::vector<std::string> mailboxes;
  for (const v1::Contact& c : report.contacts()) {
    mailboxes.push_back(absl::StrCat(c.email(), " [", c.source(), "]"));
  }
  std::vector<std::string> unknown;
  for (const v1::ContactSource& source : report.contact_sources()) {
    if (!source.answered()) {
      unknown.push_back(absl::StrCat(source.source(), ": ", source.detail()));
    }
  }
  if (!mailboxes.empty()) {
    absl::StrAppend(&out, "  notify: ",
                    EscapeForTerminal(absl::StrJoin(mailboxes, ", ")), "\n");
  } else if (unknown.empty()) {
    absl::StrAppend(&out,
                    "  notify: no abuse contact known to the sources "
                    "asked\n");
  }
  if (!unknown.empty()) {
    absl::StrAppend(&out, "  unknown (a source gave no usable answer): ",
                    EscapeForTerminal(absl::StrJoin(unknown, "; ")), "\n");
  }
  return out;
}

}  // namespace

std::string NetworkLine(const v1::Network& n) {
  // Who holds it: the origin AS (routing sources) and the registry's
  // network object (RDAP), whichever the source gave; then the facts.
  std::vector<std::string> parts;
  if (n.asn() != 0) {
    std::string as = absl::StrCat("AS", n.asn());
    for (uint32_t other : n.other_asns()) absl::StrAppend(&as, "/AS", other);
    if (!n.as_name().empty()) absl::StrAppend(&as, " (", n.as_name(), ")");
    parts.push_back(std::move(as));
  }
  if (!n.rdap_handle().empty() || !n.rdap_name().empty()) {
    parts.push_back(n.rdap_name().empty() ? n.rdap_handle()
                                          : absl::StrCat(n.rdap_handle(), " (",
                                                         n.rdap_name(), ")"));
  }
  for (const std::string* fact : {&n.prefix(), &n.country(), &n.registry()}) {
    if (!fact->empty()) parts.push_back(*fact);
  }
  if (!n.allocated().empty()) {
    parts.push_back(absl::StrCat("allocated ", n.allocated()));
  }
  return absl::StrCat(absl::StrJoin(parts, ", "), " [", n.source(), "]");
}

absl::string_view CategoryLabel(v1::Category category) {
  switch (category) {
    case v1::OPEN_RELAY:
      return "open relay";
    case v1::OPEN_PROXY:
      return "open proxy";
    case v1::EXPLOITED:
      return "exploited host";
    case v1::SPAM_SOURCE:
      return "spam source";
    case v1::POLICY:
      return "policy listing (end-user or dynamic range)";
    case v1::TOR_EXIT:
      return "Tor exit";
    case v1::ABUSE:
      return "abuse source (attacks, brute force)";
    case v1::ALLOWLISTED:
      return "allowlisted";
    case v1::OTHER:
      return "other listing";
    default:
      return "unspecified";
  }
}

std::string VerdictLine(const v1::Report& report) {
  const v1::Summary& s = report.summary();
  const std::string& ip = report.address();
  std::string subject = report.hostname().empty()
                            ? ip
                            : absl::StrCat(ip, " (", report.hostname(), ")");
  std::string unanswered =
      s.errors() == 0
          ? ""
          : absl::StrCat("; ", Plural(s.errors(), "blocklist", "blocklists"),
                         " gave no usable answer");
  switch (VerdictOf(s)) {
    case Verdict::kListed: {
      std::vector<std::string> parts;
      // Category by category, so the words a notice needs come first.
      for (int c : s.categories()) {
        std::vector<std::string> zones;
        for (const v1::ZoneResult& r : report.results()) {
          if (r.status() == v1::LISTED &&
              std::find(r.categories().begin(), r.categories().end(), c) !=
                  r.categories().end()) {
            zones.push_back(r.zone());
          }
        }
        parts.push_back(
            absl::StrCat(VerdictPhrase(static_cast<v1::Category>(c)), " by ",
                         absl::StrJoin(zones, ", ")));
      }
      bool policy_only =
          std::all_of(s.categories().begin(), s.categories().end(),
                      [](int c) { return c == v1::POLICY; });
      if (policy_only) {
        // A policy list names ranges that should not send mail directly; it
        // says nothing about abuse, and must not read as if it did.
        return absl::StrCat(
            subject, " is on ",
            Plural(s.listed_by_size(), "policy list", "policy lists"),
            " only (", absl::StrJoin(s.listed_by(), ", "),
            "): an end-user or dynamic range, not evidence of abuse",
            unanswered);
      }
      return absl::StrCat(
          subject, " is LISTED by ", s.listed_by_size(), " of ", s.asked(),
          " blocklists: ", absl::StrJoin(parts, "; "), unanswered);
    }
    case Verdict::kIncomplete:
      if (s.answered() == 0) {
        return absl::StrCat(subject, ": no blocklist gave a usable answer (",
                            Plural(s.errors(), "blocklist", "blocklists"),
                            " asked): the verdict is INCOMPLETE");
      }
      return absl::StrCat(subject, " is not listed by the ",
                          Plural(s.answered(), "blocklist", "blocklists"),
                          " that answered, but ",
                          Plural(s.errors(), "blocklist", "blocklists"),
                          " gave no usable answer: the verdict is INCOMPLETE");
    case Verdict::kNotListed:
      break;
  }
  if (s.asked() == 0) {
    return absl::StrCat(subject,
                        ": no blocklist was asked (all zones skipped)");
  }
  return absl::StrCat(subject, " is not listed by any of ",
                      Plural(s.asked(), "blocklist", "blocklists"), " asked");
}

namespace {

// How the answers were reached, for a person: "via 127.0.0.1:53", or
// "from each blocklist's own servers (direct from IANA ...)".
std::string PathText(v1::Resolution resolution, absl::string_view resolver) {
  if (resolution == v1::DIRECT) {
    return absl::StrCat("from each blocklist's own servers (", resolver, ")");
  }
  return absl::StrCat("via ",
                      resolver.empty() ? "the system resolver" : resolver);
}

}  // namespace

std::string FormatText(const v1::Report& report) {
  std::string out = absl::StrCat(EscapeForTerminal(VerdictLine(report)), "\n");
  const v1::Summary& s = report.summary();
  if (s.allowlisted_by_size() > 0) {
    absl::StrAppend(&out, "  allowlisted by: ",
                    absl::StrJoin(s.allowlisted_by(), ", "), "\n");
  }
  absl::Time started = ToTime(report.started());
  absl::Duration took = ToTime(report.finished()) - started;
  absl::StrAppend(&out, "  checked ", UtcText(started), " in ",
                  absl::StrFormat("%.0f", absl::ToDoubleMilliseconds(took)),
                  " ms ", PathText(report.resolution(), report.resolver()),
                  "\n");
  absl::StrAppend(&out, ContactLines(report), "\n");

  size_t width = 4;
  for (const v1::ZoneResult& r : report.results()) {
    width = std::max(width, r.zone().size());
  }
  absl::StrAppend(
      &out, absl::StrFormat("  %-*s  %-10s  %s\n", static_cast<int>(width),
                            "ZONE", "RESULT", "EVIDENCE"));
  const std::string indent(width + 16, ' ');
  for (const v1::ZoneResult& r : report.results()) {
    std::string evidence;
    if (r.status() == v1::LISTED) {
      std::vector<std::string> codes;
      for (int i = 0; i < r.codes_size(); ++i) {
        std::string code = r.codes(i);
        if (i < r.meanings_size() && !r.meanings(i).empty()) {
          absl::StrAppend(&code, " (", r.meanings(i), ")");
        }
        codes.push_back(code);
      }
      std::vector<std::string> categories;
      for (int c : r.categories()) {
        categories.push_back(
            std::string(CategoryLabel(static_cast<v1::Category>(c))));
      }
      evidence = absl::StrCat(
          absl::StrJoin(categories, ", "), ": ", absl::StrJoin(codes, ", "),
          absl::StrFormat(", %.1f ms, ttl %d", r.latency_ms(), r.ttl()));
    } else if (r.status() == v1::NOT_LISTED) {
      evidence = absl::StrFormat("%.1f ms", r.latency_ms());
    } else {
      evidence = r.detail();
      if (r.codes_size() > 0) {
        absl::StrAppend(&evidence, " [", absl::StrJoin(r.codes(), ", "), "]");
      }
    }
    if (!r.data_file().empty() &&
        (r.status() == v1::LISTED || r.status() == v1::NOT_LISTED)) {
      absl::StrAppend(&evidence, ", from ", r.data_file());
    }
    if (!r.server_address().empty()) {
      absl::StrAppend(&evidence, ", answered by ", r.server_name(), " (",
                      r.server_address(), ")");
    }
    absl::StrAppend(
        &out, absl::StrFormat("  %-*s  %-10s  %s\n", static_cast<int>(width),
                              r.zone(), StatusLabel(r.status()),
                              EscapeForTerminal(evidence)));
    for (const std::string& txt : r.txt()) {
      absl::StrAppend(&out, indent, "reason: \"", EscapeForTerminal(txt),
                      "\"\n");
    }
    if (r.status() == v1::LISTED) {
      if (!r.detail().empty()) {
        absl::StrAppend(&out, indent, "note: ", EscapeForTerminal(r.detail()),
                        "\n");
      }
      if (!r.lookup_url().empty()) {
        absl::StrAppend(&out, indent,
                        "lookup: ", EscapeForTerminal(r.lookup_url()), "\n");
      }
    }
  }
  return out;
}

std::string FormatZonesText(const v1::Catalog& catalog,
                            const SettingNames& settings) {
  size_t width = 4;
  for (const v1::Zone& zone : catalog.zone()) {
    width = std::max(width, zone.name().size());
  }
  std::string out =
      absl::StrFormat("%-*s  %-9s  %-4s  %s\n", static_cast<int>(width), "ZONE",
                      "STATUS", "IPV6", "LISTS");
  for (const v1::Zone& zone : catalog.zone()) {
    std::string status = zone.retired()     ? "retired"
                         : zone.disabled()  ? "disabled"
                         : zone.needs_key() ? "needs key"
                                            : "live";
    std::vector<std::string> lists;
    for (v1::Category c : ZoneCategories(zone)) {
      lists.push_back(std::string(CategoryLabel(c)));
    }
    absl::StrAppend(
        &out,
        absl::StrFormat("%-*s  %-9s  %-4s  %s\n", static_cast<int>(width),
                        zone.name(), status, zone.ipv6() ? "yes" : "no",
                        absl::StrJoin(lists, ", ")),
        "    ", EscapeForTerminal(zone.description()), "\n");
    if (zone.retired()) {
      absl::StrAppend(
          &out, "    retired: ", EscapeForTerminal(zone.retired_note()), "\n");
    }
    if (zone.needs_key()) {
      absl::StrAppend(&out, "    key: ", settings.KeyFor(zone.key_name()),
                      "\n");
    }
    if (std::any_of(zone.code().begin(), zone.code().end(),
                    [](const v1::ReturnCode& c) { return c.bitmask(); })) {
      absl::StrAppend(&out,
                      "    answers: a bit mask; one answer can name several "
                      "categories\n");
    }
    if (zone.exhaustive_codes()) {
      absl::StrAppend(&out,
                      "    answers: only its documented codes; any other is "
                      "an error, not a listing\n");
    }
    if (!zone.txt_must_contain().empty()) {
      absl::StrAppend(&out,
                      "    TXT guard: a listing counts only when its "
                      "reason contains \"",
                      EscapeForTerminal(zone.txt_must_contain()), "\"\n");
    }
    if (zone.max_qps() > 0) {
      absl::StrAppend(&out, "    rate: at most ", zone.max_qps(),
                      " queries per second in bulk runs, as its operator "
                      "asks\n");
    }
    if (zone.test_entry() && !zone.retired()) {
      absl::StrAppend(
          &out, "    test entry: ", zone.ipv4() ? "127.0.0.2" : "::ffff:7f00:2",
          " always listed, as its operator documents (checked "
          "before its answers are used)\n");
    }
  }
  return out;
}

std::string FormatHealthText(const v1::HealthReport& report) {
  size_t width = 4;
  for (const v1::ZoneHealth& zone : report.zones()) {
    width = std::max(width, zone.zone().size());
  }
  std::string out =
      absl::StrFormat("%-*s  %-13s  %8s  %s\n", static_cast<int>(width), "ZONE",
                      "STATE", "PROBE", "DETAIL");
  for (const v1::ZoneHealth& zone : report.zones()) {
    std::string state = zone.state() == v1::HEALTH_STATE_UNSPECIFIED
                            ? "-"
                            : v1::HealthState_Name(zone.state());
    absl::StrAppend(&out, absl::StrFormat("%-*s  %-13s  %5.0f ms  %s\n",
                                          static_cast<int>(width), zone.zone(),
                                          state, zone.latency_ms(),
                                          EscapeForTerminal(zone.detail())));
  }
  absl::StrAppend(&out, "  ", PathText(report.resolution(), report.resolver()),
                  "\n");
  return out;
}

}  // namespace dnsbl

// dnsbl/notice/claim.h
//
// What a notice may claim about an address, decided from its Report alone:
// "may be an open mail relay" only when a blocklist lists it as one, "open
// proxy" likewise, other listings named for what they are, and no letter
// at all when the evidence does not support one (not listed, listed only by
// policy lists that say nothing about abuse, vouched for by an allowlist,
// or an incomplete verdict with nothing listed). A wrong claim harms the
// recipient and the sender's credibility, so this is the one place that
// decides it, as a pure function.
//
// Example:
//
//   dnsbl::NoticeClaim claim = dnsbl::ClaimFor(report);
//   if (claim.decision != dnsbl::NoticeDecision::kSend) Explain(claim.why);

#ifndef DNSBL_DNSBL_NOTICE_CLAIM_H_
#define DNSBL_DNSBL_NOTICE_CLAIM_H_

#include <string>
#include <vector>

#include "proto/dnsbl.pb.h"

namespace dnsbl {

enum class NoticeDecision {
  kSend,         // The evidence supports a letter.
  kNotListed,    // Every usable answer says "not listed".
  kPolicyOnly,   // Listed only by policy lists (end-user or dynamic space).
  kAllowlisted,  // An allowlist vouches for it: the evidence conflicts.
  kIncomplete,   // Nothing listed, and some blocklist gave no usable answer.
};

// One blocklist's listing, as the evidence block shows it.
struct NoticeListing {
  std::string zone;
  std::vector<v1::Category> categories;
  std::vector<std::string> codes;
  std::vector<std::string> meanings;  // Parallel to codes; may be empty.
  std::vector<std::string> txt;       // Untrusted: escape before use.
  std::string lookup_url;
};

struct NoticeClaim {
  NoticeDecision decision = NoticeDecision::kNotListed;
  bool open_relay = false;  // Some blocklist lists it as an open relay.
  bool open_proxy = false;  // ... as an open proxy.
  // Further abuse categories some blocklist gives (EXPLOITED, SPAM_SOURCE,
  // ABUSE, TOR_EXIT, OTHER), in enum order, without relay and proxy.
  std::vector<v1::Category> other;
  // Every listing with a category that names abuse (policy-only listings
  // are left out: they say nothing about this address's behaviour).
  std::vector<NoticeListing> listings;
  // Why there is no letter (English, for the person running the tool);
  // empty with kSend.
  std::string why;
};

// Decides what `report` supports.
NoticeClaim ClaimFor(const v1::Report& report);

// Returns the exit status for a run whose addresses got `decisions`: 3 if
// any is kIncomplete, else 0 (a letter is not a finding).
int NoticeExitStatus(const std::vector<NoticeDecision>& decisions);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_NOTICE_CLAIM_H_

#include "tests/fakes.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace dnsbl::testing {

void FakeResolver::Set(const std::string& name, RecordType type,
                       DnsResponse response) {
  table_[{name, type}] = std::move(response);
}

void FakeResolver::SetZone(const std::string& zone, RecordType type,
                           DnsResponse response) {
  zones_[{zone, type}] = std::move(response);
}

void FakeResolver::Lookup(absl::string_view name, RecordType type,
                          Callback done) {
  asked_.push_back(absl::StrCat(name, "/",
                                type == RecordType::kA     ? "A"
                                : type == RecordType::kTxt ? "TXT"
                                                           : "AAAA"));
  DnsResponse response;
  response.outcome = DnsOutcome::kTimeout;
  response.attempts = 1;
  auto it = table_.find({std::string(name), type});
  if (it != table_.end()) {
    response = it->second;
  } else {
    for (const auto& [key, zone_response] : zones_) {
      if (key.second == type &&
          absl::EndsWith(name, absl::StrCat(".", key.first))) {
        response = zone_response;
      }
    }
  }
  queue_.emplace_back(std::move(response), std::move(done));
  max_pending_ = std::max(max_pending_, queue_.size());
}

size_t FakeResolver::Poll(absl::Duration) {
  // Answers only what was queued before this call; callbacks may queue more.
  size_t n = queue_.size();
  for (size_t i = 0; i < n; ++i) {
    auto [response, done] = std::move(queue_.front());
    queue_.pop_front();
    done(std::move(response));
  }
  return queue_.size();
}

}  // namespace dnsbl::testing

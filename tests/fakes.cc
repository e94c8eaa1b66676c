#include "tests/fakes.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/dns_packet.h"

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

void FakeHttpFetcher::Set(const std::string& url, HttpResponse response) {
  table_[url] = std::move(response);
}

void FakeHttpFetcher::Fetch(const HttpRequest& request, Callback done) {
  fetched_.push_back(request.url);
  requests_.push_back(request);
  HttpResponse response;
  if (auto it = table_.find(request.url); it != table_.end()) {
    response = it->second;
  } else {
    response.failure = HttpResponse::Failure::kTransport;
    response.error = "connection refused";
  }
  if (response.final_url.empty()) response.final_url = request.url;
  queue_.emplace_back(std::move(response), std::move(done));
}

size_t FakeHttpFetcher::Poll(absl::Duration) {
  std::deque<std::pair<HttpResponse, Callback>> due;
  due.swap(queue_);
  for (auto& [response, done] : due) done(std::move(response));
  return queue_.size();
}

void FakeRecursor::Set(const std::string& name, uint16_t type,
                       DnsMessage message) {
  message.response = true;
  message.questions = {DnsQuestion{name, type, 1}};
  RecursorAnswer answer;
  answer.packet = EncodeDnsMessage(message);
  table_[{name, type}] = std::move(answer);
}

void FakeRecursor::Fail(const std::string& name, uint16_t type,
                        absl::Status status) {
  RecursorAnswer answer;
  answer.status = std::move(status);
  table_[{name, type}] = std::move(answer);
}

void FakeRecursor::Resolve(absl::string_view name, uint16_t type,
                           Callback done) {
  asked_.push_back(absl::StrCat(name, "/", type));
  auto it = table_.find({std::string(name), type});
  RecursorAnswer answer;
  if (it != table_.end()) {
    answer = it->second;
  } else {
    DnsMessage failure;
    failure.response = true;
    failure.rcode = kRcodeServFail;
    failure.questions = {DnsQuestion{std::string(name), type, 1}};
    answer.packet = EncodeDnsMessage(failure);
  }
  queue_.emplace_back(std::move(answer), std::move(done));
}

size_t FakeRecursor::Poll(absl::Duration) {
  // Answers to resolutions started by callbacks wait for the next Poll().
  std::deque<std::pair<RecursorAnswer, Callback>> due;
  due.swap(queue_);
  for (auto& [answer, done] : due) done(std::move(answer));
  return queue_.size();
}

DnsMessage Answer(int rcode, std::vector<DnsRecord> answers,
                  std::vector<DnsRecord> authority) {
  DnsMessage m;
  m.response = true;
  m.rcode = rcode;
  m.answers = std::move(answers);
  m.authority = std::move(authority);
  return m;
}

}  // namespace dnsbl::testing

// tests/fakes.h
//
// Test doubles for dnsbl's seams: a Resolver and an HttpFetcher that
// answer from a table (for behaviour no real server can be made to show on
// demand) and a Clock that moves only when told.
//
// Example:
//
//   auto resolver = std::make_unique<dnsbl::testing::FakeResolver>();
//   resolver->Set("2.0.0.127.bl.test", dnsbl::RecordType::kA, answer);

#ifndef DNSBL_TESTS_FAKES_H_
#define DNSBL_TESTS_FAKES_H_

#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "dnsbl/base/clock.h"
#include "dnsbl/dns/internal/dns_message.h"
#include "dnsbl/dns/internal/recursor.h"
#include "dnsbl/dns/internal/resolver.h"
#include "dnsbl/http/internal/http_fetcher.h"

namespace dnsbl::testing {

// Answers from a table; questions not in the table time out. Answers are
// delivered by Poll(), in the order asked. Not thread-safe.
class FakeResolver : public Resolver {
 public:
  // Makes questions for `name` and `type` get `response`.
  void Set(const std::string& name, RecordType type, DnsResponse response);

  // Makes questions of `type` for names ending in "." + `zone`, and not Set()
  // one by one, get `response`: a wildcard zone.
  void SetZone(const std::string& zone, RecordType type, DnsResponse response);

  // Returns every question asked so far, as "name/TYPE".
  const std::vector<std::string>& asked() const { return asked_; }

  // Returns the most questions that were pending at once.
  size_t max_pending() const { return max_pending_; }

  void Lookup(absl::string_view name, RecordType type, Callback done) override;
  size_t Poll(absl::Duration max_wait) override;
  size_t pending() const override { return queue_.size(); }
  std::string Describe() const override { return "fake"; }

 private:
  std::map<std::pair<std::string, RecordType>, DnsResponse> table_;
  std::map<std::pair<std::string, RecordType>, DnsResponse> zones_;
  std::deque<std::pair<DnsResponse, Callback>> queue_;
  std::vector<std::string> asked_;
  size_t max_pending_ = 0;
};

// Answers GETs from a table by URL; URLs not in it get a transport
// failure. Answers are delivered by Poll(), in the order asked, never
// inside Fetch(). Not thread-safe.
class FakeHttpFetcher : public HttpFetcher {
 public:
  void Set(const std::string& url, HttpResponse response);

  // Returns every URL fetched so far.
  const std::vector<std::string>& fetched() const { return fetched_; }

  // Returns every request, whole (its resolve entries, say).
  const std::vector<HttpRequest>& requests() const { return requests_; }

  void Fetch(const HttpRequest& request, Callback done) override;
  size_t Poll(absl::Duration max_wait) override;
  size_t pending() const override { return queue_.size(); }

 private:
  std::map<std::string, HttpResponse> table_;
  std::deque<std::pair<HttpResponse, Callback>> queue_;
  std::vector<std::string> fetched_;
  std::vector<HttpRequest> requests_;
};

// A Recursor answering from a table of DNS messages; names not in it get
// SERVFAIL. Answers are delivered by Poll(), in the order asked. Not
// thread-safe.
class FakeRecursor : public Recursor {
 public:
  // Makes resolutions of `name` and `type` answer `message` (its question
  // is filled in).
  void Set(const std::string& name, uint16_t type, DnsMessage message);

  // Makes resolutions of `name` and `type` fail with `status`.
  void Fail(const std::string& name, uint16_t type, absl::Status status);

  // Returns every resolution asked so far, as "name/TYPE".
  const std::vector<std::string>& asked() const { return asked_; }

  void Resolve(absl::string_view name, uint16_t type, Callback done) override;
  size_t Poll(absl::Duration max_wait) override;
  size_t pending() const override { return queue_.size(); }

 private:
  std::map<std::pair<std::string, uint16_t>, RecursorAnswer> table_;
  std::deque<std::pair<RecursorAnswer, Callback>> queue_;
  std::vector<std::string> asked_;
};

// Returns an answer message of `rcode` with `answers` and `authority`.
DnsMessage Answer(int rcode, std::vector<DnsRecord> answers,
                  std::vector<DnsRecord> authority = {});

// A clock that advances by `step` each time it is read, and to wherever
// Set() puts it.
class FakeClock : public Clock {
 public:
  explicit FakeClock(absl::Time start,
                     absl::Duration step = absl::ZeroDuration())
      : now_(start), step_(step) {}
  absl::Time Now() override {
    absl::Time t = now_;
    now_ += step_;
    return t;
  }
  void Set(absl::Time now) { now_ = now; }

 private:
  absl::Time now_;
  absl::Duration step_;
};

}  // namespace dnsbl::testing

#endif  // DNSBL_TESTS_FAKES_H_

// The only file that includes <unbound.h>. libunbound calls back through a
// capture-free trampoline that copies the answer packet out before the
// result is freed.

#include "dnsbl/dns/internal/unbound_recursor.h"

#include <unbound.h>

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace dnsbl {
namespace {

class UnboundRecursor final : public Recursor {
 public:
  UnboundRecursor(absl::Duration timeout, Clock* clock)
      : timeout_(timeout), clock_(clock) {}

  ~UnboundRecursor() override {
    // Drops the callbacks of resolutions still under way, uncalled.
    if (ctx_ != nullptr) ub_ctx_delete(ctx_);
  }

  absl::Status Init(const RootHints& hints) {
    ctx_ = ub_ctx_create();
    if (ctx_ == nullptr) return absl::InternalError("libunbound: no context");
    auto set = [&](const char* option, const std::string& value) {
      int err = ub_ctx_set_option(ctx_, option, value.c_str());
      if (err != 0) {
        return absl::InternalError(absl::StrCat("libunbound rejected ", option,
                                                " ", value, ": ",
                                                ub_strerror(err)));
      }
      return absl::OkStatus();
    };
    for (const auto& [option, value] :
         std::vector<std::pair<const char*, std::string>>{
             {"qname-minimisation:", "no"},
             {"harden-glue:", "yes"},
             {"edns-buffer-size:", "1232"},
             {"module-config:", "iterator"},
             {"do-not-query-localhost:", hints.AllLoopback() ? "no" : "yes"},
         }) {
      if (absl::Status s = set(option, value); !s.ok()) return s;
    }
    // The root as a primed stub: libunbound then never falls back to the
    // root servers compiled into it.
    for (const NameServer& root : hints.servers()) {
      for (const IpAddress& ip : root.addresses) {
        int err = ub_ctx_set_stub(ctx_, ".", ip.ToString().c_str(), 1);
        if (err != 0) {
          return absl::InternalError(
              absl::StrCat("libunbound rejected root server ", ip.ToString(),
                           ": ", ub_strerror(err)));
        }
      }
    }
    // Resolve on a thread rather than a forked process.
    if (int err = ub_ctx_async(ctx_, 1); err != 0) {
      return absl::InternalError(
          absl::StrCat("libunbound: ", ub_strerror(err)));
    }
    return absl::OkStatus();
  }

  void Resolve(absl::string_view name, uint16_t type, Callback done) override {
    auto query = std::make_unique<Query>();
    query->owner = this;
    query->done = std::move(done);
    query->deadline = clock_->Now() + timeout_;
    const std::string absolute = absl::StrCat(name, ".");
    Query* raw = query.get();
    int err = ub_resolve_async(ctx_, absolute.c_str(), type, 1 /* IN */, raw,
                               &UnboundRecursor::OnResult, &raw->async_id);
    if (err != 0) {
      RecursorAnswer answer;
      answer.status = absl::InternalError(absl::StrCat(
          "libunbound could not resolve ", absolute, ": ", ub_strerror(err)));
      query->done(std::move(answer));
      return;
    }
    queries_.emplace(raw, std::move(query));
  }

  size_t Poll(absl::Duration max_wait) override {
    return WaitAndProcess(*this, max_wait);
  }

  size_t pending() const override { return queries_.size(); }

  std::vector<FdEvents> Descriptors() const override {
    if (queries_.empty()) return {};
    return {FdEvents{ub_fd(ctx_), /*readable=*/true, /*writable=*/false}};
  }

  absl::Duration NextTimeout() override {
    if (queries_.empty()) return absl::InfiniteDuration();
    absl::Time first = absl::InfiniteFuture();
    for (const auto& [raw, query] : queries_) {
      first = std::min(first, query->deadline);
    }
    return std::max(absl::ZeroDuration(), first - clock_->Now());
  }

  size_t Process(absl::Span<const FdEvents> ready) override {
    (void)ready;
    // Cheap when nothing is waiting: ub_poll() only peeks at the pipe.
    if (!queries_.empty() && ub_poll(ctx_)) ub_process(ctx_);
    // Callbacks run here, outside libunbound, so they may resolve more.
    std::vector<std::pair<std::unique_ptr<Query>, RecursorAnswer>> finished;
    finished.swap(finished_);
    for (auto& [query, answer] : finished) query->done(std::move(answer));
    ExpireOverdue();
    return queries_.size();
  }

 private:
  struct Query {
    UnboundRecursor* owner = nullptr;
    Callback done;
    absl::Time deadline;
    int async_id = 0;
  };

  static void OnResult(void* data, int err, ub_result* result) {
    auto* raw = static_cast<Query*>(data);
    UnboundRecursor* self = raw->owner;
    auto it = self->queries_.find(raw);
    RecursorAnswer answer;
    if (err != 0) {
      answer.status =
          absl::InternalError(absl::StrCat("libunbound: ", ub_strerror(err)));
    } else if (result == nullptr || result->answer_packet == nullptr) {
      answer.status = absl::InternalError("libunbound gave no answer packet");
    } else {
      const auto* bytes = static_cast<const uint8_t*>(result->answer_packet);
      answer.packet.assign(bytes, bytes + result->answer_len);
    }
    if (result != nullptr) ub_resolve_free(result);
    if (it == self->queries_.end()) return;  // Given up on already.
    self->finished_.emplace_back(std::move(it->second), std::move(answer));
    self->queries_.erase(it);
  }

  void ExpireOverdue() {
    const absl::Time now = clock_->Now();
    std::vector<std::unique_ptr<Query>> overdue;
    for (auto it = queries_.begin(); it != queries_.end();) {
      if (it->second->deadline <= now) {
        ub_cancel(ctx_, it->second->async_id);
        overdue.push_back(std::move(it->second));
        it = queries_.erase(it);
      } else {
        ++it;
      }
    }
    for (std::unique_ptr<Query>& query : overdue) {
      RecursorAnswer answer;
      answer.status = absl::DeadlineExceededError(
          absl::StrCat("no answer within ", absl::FormatDuration(timeout_)));
      query->done(std::move(answer));
    }
  }

  const absl::Duration timeout_;
  Clock* const clock_;
  ub_ctx* ctx_ = nullptr;
  std::map<Query*, std::unique_ptr<Query>> queries_;
  // Answered inside ub_process(), called back after it.
  std::vector<std::pair<std::unique_ptr<Query>, RecursorAnswer>> finished_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Recursor>> CreateUnboundRecursor(
    const RecursorOptions& options) {
  if (options.timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("recursion timeout must be > 0, not ",
                     absl::FormatDuration(options.timeout)));
  }
  if (options.hints.servers().empty()) {
    return absl::InvalidArgumentError("root hints name no root server");
  }
  auto recursor = std::make_unique<UnboundRecursor>(
      options.timeout,
      options.clock != nullptr ? options.clock : Clock::Real());
  if (absl::Status s = recursor->Init(options.hints); !s.ok()) return s;
  return std::unique_ptr<Recursor>(std::move(recursor));
}

}  // namespace dnsbl

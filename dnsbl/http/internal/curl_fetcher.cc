// The only file that sees libcurl (as ares_resolver.cc is for c-ares).

#include "dnsbl/http/internal/curl_fetcher.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "dnsbl/base/escape.h"
#include "dnsbl/base/fd_events.h"

namespace dnsbl {
namespace {

// One fetch: its easy handle and what its callbacks collect.
struct Transfer {
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  curl_slist* resolve = nullptr;
  HttpFetcher::Callback done;
  size_t max_body_bytes = 0;
  bool too_large = false;
  std::string body;
  absl::Duration retry_after;
  char error[CURL_ERROR_SIZE] = {0};

  ~Transfer() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    curl_slist_free_all(headers);
    curl_slist_free_all(resolve);
  }
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (transfer->body.size() + n > transfer->max_body_bytes) {
    transfer->too_large = true;
    return 0;  // Aborts the transfer with CURLE_WRITE_ERROR.
  }
  transfer->body.append(data, n);
  return n;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t n = size * count;
  absl::string_view line(data, n);
  // A new status line starts the headers of the next hop of a redirect:
  // only the final answer's headers count.
  if (absl::StartsWith(line, "HTTP/")) {
    transfer->retry_after = absl::ZeroDuration();
    transfer->body.clear();
    return n;
  }
  constexpr absl::string_view kRetryAfter = "retry-after:";
  if (line.size() > kRetryAfter.size() &&
      absl::EqualsIgnoreCase(line.substr(0, kRetryAfter.size()), kRetryAfter)) {
    int seconds = 0;
    // The HTTP-date form is not read: no wait is better than a wrong one.
    if (absl::SimpleAtoi(
            absl::StripAsciiWhitespace(line.substr(kRetryAfter.size())),
            &seconds) &&
        seconds > 0) {
      transfer->retry_after = absl::Seconds(seconds);
    }
  }
  return n;
}

class CurlFetcherImpl : public HttpFetcher {
 public:
  explicit CurlFetcherImpl(const CurlFetcherOptions& options)
      : options_(options),
        clock_(options.clock != nullptr ? options.clock : Clock::Monotonic()) {}

  ~CurlFetcherImpl() override {
    for (auto& [easy, transfer] : transfers_) {
      curl_multi_remove_handle(multi_, easy);
    }
    transfers_.clear();
    if (multi_ != nullptr) curl_multi_cleanup(multi_);
  }

  absl::Status Init() {
    multi_ = curl_multi_init();
    if (multi_ == nullptr) return absl::InternalError("curl_multi_init failed");
    curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &OnSocket);
    curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &OnTimer);
    curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
    return absl::OkStatus();
  }

  void Fetch(const HttpRequest& request, Callback done) override {
    auto transfer = std::make_unique<Transfer>();
    transfer->done = std::move(done);
    transfer->max_body_bytes = request.max_body_bytes;
    CURL* easy = curl_easy_init();
    if (easy == nullptr) {
      Fail(std::move(transfer), "curl_easy_init failed");
      return;
    }
    transfer->easy = easy;
    transfer->headers = curl_slist_append(
        nullptr, absl::StrCat("Accept: ", request.accept).c_str());
    curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION,
                     request.follow_redirects ? 1L : 0L);
    for (const std::string& entry : request.resolve) {
      transfer->resolve = curl_slist_append(transfer->resolve, entry.c_str());
    }
    if (transfer->resolve != nullptr) {
      curl_easy_setopt(easy, CURLOPT_RESOLVE, transfer->resolve);
    }
    curl_easy_setopt(easy, CURLOPT_MAXREDIRS,
                     static_cast<long>(options_.max_redirects));
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(std::max<int64_t>(
                         1, absl::ToInt64Milliseconds(request.timeout))));
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, options_.user_agent.c_str());
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer->headers);
    if (!options_.ca_file.empty()) {
      curl_easy_setopt(easy, CURLOPT_CAINFO, options_.ca_file.c_str());
    }
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &OnBody);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, transfer.get());
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &OnHeader);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, transfer.get());
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer->error);
    if (CURLMcode code = curl_multi_add_handle(multi_, easy);
        code != CURLM_OK) {
      Fail(std::move(transfer), curl_multi_strerror(code));
      return;
    }
    transfers_.emplace(easy, std::move(transfer));
  }

  size_t Poll(absl::Duration max_wait) override {
    return WaitAndProcess(*this, max_wait);
  }

  size_t pending() const override { return transfers_.size() + failed_.size(); }

  std::vector<FdEvents> Descriptors() const override {
    std::vector<FdEvents> watch;
    for (const auto& [fd, what] : sockets_) {
      watch.push_back(
          FdEvents{fd, what == CURL_POLL_IN || what == CURL_POLL_INOUT,
                   what == CURL_POLL_OUT || what == CURL_POLL_INOUT});
    }
    return watch;
  }

  absl::Duration NextTimeout() override {
    if (!failed_.empty()) return absl::ZeroDuration();
    if (!timer_.has_value()) return absl::InfiniteDuration();
    return std::max(absl::ZeroDuration(), *timer_ - clock_->Now());
  }

  size_t Process(absl::Span<const FdEvents> ready) override {
    int running = 0;
    for (const FdEvents& e : ready) {
      if (sockets_.find(e.fd) == sockets_.end()) continue;
      const int mask = (e.readable ? CURL_CSELECT_IN : 0) |
                       (e.writable ? CURL_CSELECT_OUT : 0);
      curl_multi_socket_action(multi_, e.fd, mask, &running);
    }
    if (timer_.has_value() && *timer_ <= clock_->Now()) {
      timer_.reset();
      curl_multi_socket_action(multi_, CURL_SOCKET_TIMEOUT, 0, &running);
    }
    Finish();
    return pending();
  }

 private:
  static int OnSocket(CURL*, curl_socket_t fd, int what, void* user, void*) {
    auto* self = static_cast<CurlFetcherImpl*>(user);
    if (what == CURL_POLL_REMOVE) {
      self->sockets_.erase(fd);
    } else {
      self->sockets_[fd] = what;
    }
    return 0;
  }

  static int OnTimer(CURLM*, long timeout_ms, void* user) {
    auto* self = static_cast<CurlFetcherImpl*>(user);
    if (timeout_ms < 0) {
      self->timer_.reset();
    } else {
      self->timer_ = self->clock_->Now() + absl::Milliseconds(timeout_ms);
    }
    return 0;
  }

  // A fetch that could not start is answered on the next Process(), never
  // inside Fetch(), as the interface promises.
  void Fail(std::unique_ptr<Transfer> transfer, absl::string_view why) {
    HttpResponse response;
    response.failure = HttpResponse::Failure::kTransport;
    response.error = EscapeForTerminal(why);
    failed_.emplace_back(std::move(transfer->done), std::move(response));
  }

  void Finish() {
    std::vector<std::pair<Callback, HttpResponse>> done;
    done.swap(failed_);
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* easy = msg->easy_handle;
      const CURLcode code = msg->data.result;
      auto it = transfers_.find(easy);
      if (it == transfers_.end()) continue;
      std::unique_ptr<Transfer> transfer = std::move(it->second);
      transfers_.erase(it);
      curl_multi_remove_handle(multi_, easy);
      done.emplace_back(std::move(transfer->done), Response(*transfer, code));
    }
    for (auto& [callback, response] : done) callback(std::move(response));
  }

  static HttpResponse Response(Transfer& transfer, CURLcode code) {
    HttpResponse response;
    long redirects = 0;
    curl_easy_getinfo(transfer.easy, CURLINFO_REDIRECT_COUNT, &redirects);
    response.redirects = static_cast<int>(redirects);
    char* url = nullptr;
    if (curl_easy_getinfo(transfer.easy, CURLINFO_EFFECTIVE_URL, &url) ==
            CURLE_OK &&
        url != nullptr) {
      response.final_url = EscapeForTerminal(url);
    }
    if (code == CURLE_OK) {
      long status = 0;
      curl_easy_getinfo(transfer.easy, CURLINFO_RESPONSE_CODE, &status);
      response.status = static_cast<int>(status);
      char* target = nullptr;
      if (curl_easy_getinfo(transfer.easy, CURLINFO_REDIRECT_URL, &target) ==
              CURLE_OK &&
          target != nullptr) {
        response.redirect_url = target;
      }
      response.body = std::move(transfer.body);
      response.retry_after = transfer.retry_after;
      return response;
    }
    std::string detail =
        transfer.error[0] != '\0' ? transfer.error : curl_easy_strerror(code);
    if (transfer.too_large) {
      response.failure = HttpResponse::Failure::kTooLarge;
      response.error = absl::StrCat("answer larger than ",
                                    transfer.max_body_bytes, " bytes");
    } else if (code == CURLE_OPERATION_TIMEDOUT) {
      response.failure = HttpResponse::Failure::kTimeout;
      response.error = absl::StrCat("timed out: ", EscapeForTerminal(detail));
    } else if (code == CURLE_TOO_MANY_REDIRECTS) {
      response.failure = HttpResponse::Failure::kTooManyRedirects;
      response.error = absl::StrCat("more than ", redirects, " redirects");
    } else {
      response.failure = HttpResponse::Failure::kTransport;
      response.error = EscapeForTerminal(detail);
    }
    return response;
  }

  const CurlFetcherOptions options_;
  Clock* const clock_;
  CURLM* multi_ = nullptr;
  std::map<curl_socket_t, int> sockets_;  // fd -> CURL_POLL_* interest.
  std::optional<absl::Time> timer_;
  std::map<CURL*, std::unique_ptr<Transfer>> transfers_;
  std::vector<std::pair<Callback, HttpResponse>> failed_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<HttpFetcher>> CreateCurlFetcher(
    const CurlFetcherOptions& options) {
  if (options.max_redirects < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_redirects must be >= 0, not ", options.max_redirects));
  }
  if (!options.ca_file.empty()) {
    if (FILE* f = std::fopen(options.ca_file.c_str(), "r"); f != nullptr) {
      std::fclose(f);
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "CA file ", QuoteInput(options.ca_file), " cannot be read"));
    }
  }
  static std::once_flag once;
  static CURLcode global = CURLE_OK;
  std::call_once(once, [] { global = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (global != CURLE_OK) {
    return absl::InternalError(
        absl::StrCat("curl_global_init: ", curl_easy_strerror(global)));
  }
  auto fetcher = std::make_unique<CurlFetcherImpl>(options);
  if (absl::Status s = fetcher->Init(); !s.ok()) return s;
  return fetcher;
}

}  // namespace dnsbl

// The only file that includes <ares.h>. c-ares calls back through
// capture-free trampolines that copy each answer into a plain DnsResponse
// before anything else sees it.

#include "dnsbl/dns/internal/ares_resolver.h"

#include <ares.h>
#include <arpa/inet.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <deque>
#include <limits>
#include <mutex>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "dnsbl/base/address.h"
#include "dnsbl/dns/internal/dns_message.h"

namespace dnsbl {
namespace {

// More A records than any blocklist returns for one name.
constexpr int kMaxAddresses = 64;

absl::Status InitLibraryOnce() {
  static int status = ares_library_init(ARES_LIB_INIT_ALL);
  if (status != ARES_SUCCESS) {
    return absl::InternalError(
        absl::StrCat("c-ares failed to initialize: ", ares_strerror(status)));
  }
  return absl::OkStatus();
}

DnsOutcome OutcomeFromStatus(int status) {
  switch (status) {
    case ARES_SUCCESS:
      return DnsOutcome::kAnswer;
    case ARES_ENOTFOUND:
      return DnsOutcome::kNxDomain;
    case ARES_ENODATA:
      return DnsOutcome::kNoData;
    case ARES_ETIMEOUT:
      return DnsOutcome::kTimeout;
    case ARES_ESERVFAIL:
      return DnsOutcome::kServFail;
    case ARES_EREFUSED:
      return DnsOutcome::kRefused;
    case ARES_EBADRESP:
    case ARES_EBADNAME:
      return DnsOutcome::kMalformed;
    case ARES_ECONNREFUSED:
      return DnsOutcome::kNetworkError;
    default:
      return DnsOutcome::kOtherError;
  }
}

std::string AddressText(int family, const void* bytes) {
  char buffer[INET6_ADDRSTRLEN];
  if (inet_ntop(family, bytes, buffer, sizeof(buffer)) == nullptr) return "";
  return buffer;
}

// Appends the addresses of an A or AAAA answer and their smallest TTL to
// `response`; returns the c-ares parse status.
template <typename AddrTtl, typename Parser, typename AddressOf>
int ParseAddresses(const unsigned char* abuf, int alen, int family,
                   Parser parse, AddressOf address_of, DnsResponse& response) {
  AddrTtl ttls[kMaxAddresses];
  int count = kMaxAddresses;
  int status = parse(abuf, alen, nullptr, ttls, &count);
  if (status != ARES_SUCCESS) return status;
  for (int i = 0; i < count; ++i) {
    response.records.push_back(AddressText(family, address_of(ttls[i])));
    response.ttl = i == 0 ? ttls[i].ttl : std::min(response.ttl, ttls[i].ttl);
  }
  return status;
}

// Fills `response` (outcome kAnswer on entry) from a NOERROR answer.
void ParseAnswer(RecordType type, const unsigned char* abuf, int alen,
                 DnsResponse& response) {
  int status = ARES_SUCCESS;
  switch (type) {
    case RecordType::kA:
      status = ParseAddresses<ares_addrttl>(
          abuf, alen, AF_INET, &ares_parse_a_reply,
          [](const ares_addrttl& t) { return &t.ipaddr; }, response);
      break;
    case RecordType::kAaaa:
      status = ParseAddresses<ares_addr6ttl>(
          abuf, alen, AF_INET6, &ares_parse_aaaa_reply,
          [](const ares_addr6ttl& t) { return &t.ip6addr; }, response);
      break;
    case RecordType::kTxt: {
      ares_txt_ext* txt = nullptr;
      status = ares_parse_txt_reply_ext(abuf, alen, &txt);
      if (status != ARES_SUCCESS) break;
      for (ares_txt_ext* t = txt; t != nullptr; t = t->next) {
        if (t->record_start || response.records.empty()) {
          response.records.emplace_back();
        }
        response.records.back().append(reinterpret_cast<const char*>(t->txt),
                                       t->length);
      }
      ares_free_data(txt);
      break;
    }
  }
  if (status != ARES_SUCCESS) {
    response.outcome = OutcomeFromStatus(status);
    if (response.outcome == DnsOutcome::kAnswer) {
      response.outcome = DnsOutcome::kMalformed;
    }
    response.records.clear();
    response.error = ares_strerror(status);
  } else if (response.records.empty()) {
    response.outcome = DnsOutcome::kNoData;
  }
}

// Reads what the header and, for a negative answer (NXDOMAIN or NODATA),
// the sections of the DNS message `abuf` say beyond the outcome: the AA
// bit, whose SOA came with a negative answer, whether a NODATA is really a
// referral or a dangling alias. Negative answers are most answers of a
// bulk run: they are only summarized, not parsed into records.
void ReadMessageFacts(const unsigned char* abuf, int alen,
                      DnsResponse& response) {
  if (abuf == nullptr || alen < 4) return;
  response.authoritative = (abuf[2] & 0x04) != 0;
  // TXT answers (rare: reasons of listed addresses) are summarized for
  // their TTL, which c-ares's TXT parser does not give.
  const bool txt_answer = response.outcome == DnsOutcome::kAnswer &&
                          response.ttl == 0 && !response.records.empty();
  if (response.outcome != DnsOutcome::kNxDomain &&
      response.outcome != DnsOutcome::kNoData && !txt_answer) {
    return;
  }
  absl::StatusOr<DnsMessageSummary> summary =
      SummarizeDnsMessage(absl::MakeConstSpan(abuf, static_cast<size_t>(alen)));
  if (!summary.ok()) return;
  if (txt_answer) {
    response.ttl = static_cast<int>(std::max<int64_t>(0, summary->answer_ttl));
    return;
  }
  response.soa_owner = std::move(summary->authority_soa_owner);
  response.negative_ttl =
      static_cast<int>(std::max<int64_t>(0, summary->negative_ttl));
  if (response.outcome != DnsOutcome::kNoData) return;
  response.referral = summary->referral();
  response.alias_only = summary->answer_cname;
}

class AresResolver final : public Resolver {
 public:
  AresResolver(const ResolverOptions& options)
      : tries_(options.tries),
        max_inflight_(options.max_inflight),
        clock_(options.clock != nullptr ? options.clock : Clock::Monotonic()),
        timeout_(absl::Milliseconds(TimeoutMs(options.timeout))),
        // Late by this much at most, a timeout costs nothing: the caller
        // resends on its own clock long before c-ares gives up, and a
        // question given up on is reported at most this much later. Each
        // ask walks every query c-ares holds (up to ~12,000 through a lossy
        // 40 ms path): at 10 ms it still took 5% of the client's CPU.
        timeout_slack_(std::min(timeout_ / 8, absl::Milliseconds(100))) {}

  ~AresResolver() override {
    destroying_ = true;
    if (channel_ != nullptr) ares_destroy(channel_);
  }

  absl::Status Init(const ResolverOptions& options) {
    ares_options opts{};
    opts.sock_state_cb = &AresResolver::OnSocketState;
    opts.sock_state_cb_data = this;
    opts.timeout = TimeoutMs(options.timeout);
    // One pass over the nameservers per c-ares query; Lookup() retries
    // itself, so every try waits exactly `timeout` (c-ares would double it).
    opts.tries = 1;
    // Hand SERVFAIL and REFUSED to us instead of retrying them as if no
    // answer had come: the reason is evidence.
    opts.flags = ARES_FLAG_NOCHECKRESP;
    // Keep the sockets open when no question is out: a server asked in
    // bursts (one of a zone's several, in direct resolution) would
    // otherwise cost a socket, a connect() and a close() per burst.
    opts.flags |= ARES_FLAG_STAYOPEN;
    if (!options.recursion_desired) opts.flags |= ARES_FLAG_NORECURSE;
    // Without EDNS, servers must fit answers in 512 bytes: rbldnsd then
    // drops the TXT records that do not fit without setting TC, so evidence
    // is lost silently. c-ares retries over TCP on TC, and without EDNS
    // when a server answers FORMERR without an OPT record.
    if (options.edns_payload > 0) {
      opts.flags |= ARES_FLAG_EDNS;
      opts.ednspsz = options.edns_payload;
    }
    // Room for a burst of answers to every question in flight (the kernel
    // caps it at net.core.rmem_max).
    opts.socket_receive_buffer_size = 1 << 20;
    int mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES |
               ARES_OPT_FLAGS | ARES_OPT_SOCK_RCVBUF;
    if (options.edns_payload > 0) mask |= ARES_OPT_EDNSPSZ;
    int status = ares_init_options(&channel_, &opts, mask);
    if (status != ARES_SUCCESS) {
      channel_ = nullptr;
      return absl::InternalError(
          absl::StrCat("c-ares could not start: ", ares_strerror(status)));
    }
    if (!options.nameservers.empty()) {
      std::vector<std::string> servers;
      for (const std::string& text : options.nameservers) {
        absl::StatusOr<Endpoint> endpoint = ParseEndpoint(text);
        if (!endpoint.ok()) return endpoint.status();
        servers.push_back(endpoint->ToString());
      }
      std::string csv = absl::StrJoin(servers, ",");
      status = ares_set_servers_ports_csv(channel_, csv.c_str());
      if (status != ARES_SUCCESS) {
        return absl::InvalidArgumentError(
            absl::StrCat("c-ares rejected nameservers '", csv,
                         "': ", ares_strerror(status)));
      }
    }
    return absl::OkStatus();
  }

  void Lookup(absl::string_view name, RecordType type, Callback done) override {
    auto query = std::make_unique<Query>();
    query->owner = this;
    query->name = std::string(name);
    query->type = type;
    query->done = std::move(done);
    ++pending_;
    queued_.push_back(std::move(query));
    StartQueued();
  }

  size_t Poll(absl::Duration max_wait) override {
    if (pending_ == 0) return 0;
    StartQueued();
    // To the microsecond: the caller paces its sends with these waits, and
    // rounding each up to a millisecond would send them in bursts.
    timespec wait_ts = absl::ToTimespec(
        std::max(absl::ZeroDuration(), std::min(max_wait, UntilTimeout())));
    poll_fds_.clear();
    for (const auto& [fd, events] : sockets_) {
      poll_fds_.push_back(pollfd{fd, events, 0});
    }
    int ready = ppoll(poll_fds_.data(), poll_fds_.size(), &wait_ts, nullptr);
    if (ready < 0) {
      // EINTR: let the caller look at its signals; timeouts are handled on
      // the next call.
      return pending_;
    }
    ready_.clear();
    for (const pollfd& p : poll_fds_) {
      if (p.revents == 0) continue;
      ready_.push_back(FdEvents{p.fd,
                                (p.revents & (POLLIN | POLLERR | POLLHUP)) != 0,
                                (p.revents & POLLOUT) != 0});
    }
    return Process(ready_);
  }

  std::vector<FdEvents> Descriptors() const override {
    std::vector<FdEvents> watch;
    watch.reserve(sockets_.size());
    for (const auto& [fd, events] : sockets_) {
      watch.push_back(
          FdEvents{fd, (events & POLLIN) != 0, (events & POLLOUT) != 0});
    }
    return watch;
  }

  absl::Duration NextTimeout() override {
    if (pending_ == 0) return absl::InfiniteDuration();
    // Queued questions start as soon as Process() runs.
    if (!queued_.empty() && inflight_ < max_inflight_) {
      return absl::ZeroDuration();
    }
    return std::max(absl::ZeroDuration(), UntilTimeout());
  }

  size_t Process(absl::Span<const FdEvents> ready) override {
    StartQueued();
    if (ready.empty()) {
      // Timeouts only.
      ares_process_fd(channel_, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
    }
    for (const FdEvents& e : ready) {
      ares_process_fd(channel_, e.readable ? e.fd : ARES_SOCKET_BAD,
                      e.writable ? e.fd : ARES_SOCKET_BAD);
    }
    StartQueued();
    return pending_;
  }

  size_t pending() const override { return pending_; }

  std::string Describe() const override {
    ares_addr_port_node* servers = nullptr;
    if (ares_get_servers_ports(channel_, &servers) != ARES_SUCCESS) return "";
    std::vector<std::string> names;
    for (ares_addr_port_node* s = servers; s != nullptr; s = s->next) {
      std::string address = AddressText(s->family, &s->addr);
      int port = s->udp_port == 0 ? 53 : s->udp_port;
      names.push_back(s->family == AF_INET6
                          ? absl::StrCat("[", address, "]:", port)
                          : absl::StrCat(address, ":", port));
    }
    ares_free_data(servers);
    return absl::StrJoin(names, ",");
  }

 private:
  struct Query {
    AresResolver* owner = nullptr;
    std::string name;
    RecordType type = RecordType::kA;
    Callback done;
    int attempts = 0;
  };

  // Returns `timeout` as c-ares takes it: whole milliseconds in an int
  // (24 days at most).
  static int TimeoutMs(absl::Duration timeout) {
    return static_cast<int>(std::min<int64_t>(
        absl::ToInt64Milliseconds(timeout), std::numeric_limits<int>::max()));
  }

  // Returns how long until c-ares may next time a query out (zero if one is
  // due). ares_timeout() walks every query in flight, thousands in bulk
  // work; asking it on each wakeup cost an eighth of the CPU. So its answer
  // is kept as a lower bound on every deadline (a new query's deadline is
  // folded in as it starts; c-ares only ever moves a deadline later), and
  // asked again once that bound has passed, at most once per
  // `timeout_slack_`.
  absl::Duration UntilTimeout() {
    const absl::Time now = clock_->Now();
    // No deadline of c-ares is more than a try away; a note further off
    // means the clock went back, and c-ares is asked again.
    if (now < next_timeout_ &&
        next_timeout_ - now <= timeout_ + timeout_slack_) {
      return next_timeout_ - now;
    }
    timeval tv;
    const timeval* left = ares_timeout(channel_, nullptr, &tv);
    if (left == nullptr) {
      next_timeout_ = absl::InfiniteFuture();
      return absl::InfiniteDuration();
    }
    const absl::Duration until = absl::DurationFromTimeval(*left);
    next_timeout_ = now + std::max(until, timeout_slack_);
    return until;
  }

  static void OnSocketState(void* data, ares_socket_t fd, int readable,
                            int writable) {
    auto* self = static_cast<AresResolver*>(data);
    if (!readable && !writable) {
      self->sockets_.erase(fd);
      return;
    }
    short events = 0;
    if (readable) events |= POLLIN;
    if (writable) events |= POLLOUT;
    self->sockets_[fd] = events;
  }

  static void OnAnswer(void* arg, int status, int timeouts, unsigned char* abuf,
                       int alen) {
    std::unique_ptr<Query> query(static_cast<Query*>(arg));
    AresResolver* self = query->owner;
    if (status == ARES_EDESTRUCTION || self->destroying_) return;
    --self->inflight_;
    query->attempts +=
        status == ARES_ETIMEOUT ? std::max(timeouts, 1) : timeouts + 1;
    bool unanswered = status == ARES_ETIMEOUT || status == ARES_ECONNREFUSED;
    if (unanswered && query->attempts < self->tries_) {
      self->queued_.push_front(std::move(query));
      self->StartQueued();
      return;
    }
    DnsResponse response;
    response.outcome = OutcomeFromStatus(status);
    response.attempts = query->attempts;
    if (status == ARES_SUCCESS) {
      ParseAnswer(query->type, abuf, alen, response);
    } else {
      response.error = ares_strerror(status);
    }
    ReadMessageFacts(abuf, alen, response);
    --self->pending_;
    query->done(std::move(response));
  }

  void StartQueued() {
    // Guards against recursion: ares_query() may call OnAnswer() at once.
    if (starting_) return;
    starting_ = true;
    if (!queued_.empty() && inflight_ < max_inflight_) {
      // Read before c-ares reads its clock: never later than its deadline.
      next_timeout_ = std::min(next_timeout_, clock_->Now() + timeout_);
    }
    while (!queued_.empty() && inflight_ < max_inflight_) {
      std::unique_ptr<Query> query = std::move(queued_.front());
      queued_.pop_front();
      ++inflight_;
      Query* raw = query.release();
      ares_query(channel_, raw->name.c_str(), 1 /* class IN */,
                 static_cast<int>(raw->type), &AresResolver::OnAnswer, raw);
    }
    starting_ = false;
  }

  const int tries_;
  const int max_inflight_;
  Clock* const clock_;
  const absl::Duration timeout_;
  const absl::Duration timeout_slack_;
  // No query of c-ares's times out before this (see UntilTimeout()).
  absl::Time next_timeout_ = absl::InfiniteFuture();
  ares_channel channel_ = nullptr;
  absl::flat_hash_map<ares_socket_t, short> sockets_;
  std::vector<pollfd> poll_fds_;
  std::vector<FdEvents> ready_;
  std::deque<std::unique_ptr<Query>> queued_;
  int inflight_ = 0;
  size_t pending_ = 0;
  bool starting_ = false;
  bool destroying_ = false;
};

}  // namespace

DnsResponse ParseDnsAnswer(RecordType type, absl::Span<const uint8_t> answer) {
  constexpr size_t kHeader = 12;
  DnsResponse response;
  response.attempts = 1;
  if (answer.size() < kHeader) {
    response.outcome = DnsOutcome::kMalformed;
    response.error = "answer shorter than a DNS header";
    return response;
  }
  // As c-ares maps rcodes in ares_query().
  const int rcode = answer[3] & 0x0f;
  const int ancount = (answer[6] << 8) | answer[7];
  int status = ARES_SUCCESS;
  switch (rcode) {
    case 0:
      status = ancount > 0 ? ARES_SUCCESS : ARES_ENODATA;
      break;
    case 1:
      status = ARES_EFORMERR;
      break;
    case 2:
      status = ARES_ESERVFAIL;
      break;
    case 3:
      status = ARES_ENOTFOUND;
      break;
    case 4:
      status = ARES_ENOTIMP;
      break;
    case 5:
      status = ARES_EREFUSED;
      break;
    default:
      status = ARES_EBADRESP;
      break;
  }
  response.outcome = OutcomeFromStatus(status);
  if (status == ARES_SUCCESS) {
    ParseAnswer(type, answer.data(), static_cast<int>(answer.size()), response);
  } else {
    response.error = ares_strerror(status);
  }
  ReadMessageFacts(answer.data(), static_cast<int>(answer.size()), response);
  return response;
}

absl::StatusOr<std::unique_ptr<Resolver>> CreateAresResolver(
    const ResolverOptions& options) {
  if (options.timeout < absl::Milliseconds(1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("timeout ", absl::FormatDuration(options.timeout),
                     " is too short; it must be at least 1ms"));
  }
  if (options.tries < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("tries must be at least 1, not ", options.tries));
  }
  if (options.max_inflight < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_inflight must be at least 1, not ", options.max_inflight));
  }
  if (options.edns_payload != 0 &&
      (options.edns_payload < 512 || options.edns_payload > 65535)) {
    return absl::InvalidArgumentError(
        absl::StrCat("EDNS payload must be 0 or 512 to 65535 bytes, not ",
                     options.edns_payload));
  }
  if (absl::Status s = InitLibraryOnce(); !s.ok()) return s;
  auto resolver = std::make_unique<AresResolver>(options);
  if (absl::Status s = resolver->Init(options); !s.ok()) return s;
  return std::unique_ptr<Resolver>(std::move(resolver));
}

}  // namespace dnsbl

#include "dnsbl/internal/parallel_checks.h"

#include <utility>

namespace dnsbl {

ParallelChecks::ParallelChecks(
    std::vector<std::unique_ptr<CheckerImpl>> checkers, ParallelOptions options)
    : options_(options), checkers_(std::move(checkers)) {
  for (size_t i = 0; i < checkers_.size(); ++i) {
    threads_.emplace_back([this, i] { Work(i); });
  }
}

ParallelChecks::~ParallelChecks() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = true;
  }
  work_ready_.notify_all();
  for (std::thread& t : threads_) t.join();
}

bool ParallelChecks::HasRoom() const {
  std::lock_guard<std::mutex> lock(mu_);
  return outstanding_ < 3 * checkers_.size();
}

void ParallelChecks::Submit(std::vector<IpAddress> batch) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    todo_.push_back(std::move(batch));
    ++outstanding_;
  }
  work_ready_.notify_one();
}

std::optional<BatchResult> ParallelChecks::Take(absl::Duration max_wait) {
  std::unique_lock<std::mutex> lock(mu_);
  done_ready_.wait_for(lock, absl::ToChronoNanoseconds(max_wait),
                       [this] { return !done_.empty(); });
  if (done_.empty()) return std::nullopt;
  BatchResult result = std::move(done_.front());
  done_.pop_front();
  --outstanding_;
  return result;
}

size_t ParallelChecks::outstanding() const {
  std::lock_guard<std::mutex> lock(mu_);
  return outstanding_;
}

void ParallelChecks::Work(size_t i) {
  while (true) {
    std::vector<IpAddress> batch;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_ready_.wait(lock, [this] { return closing_ || !todo_.empty(); });
      if (todo_.empty()) return;  // Closing, and nothing left.
      batch = std::move(todo_.front());
      todo_.pop_front();
    }
    BatchResult result = CheckBatch(*checkers_[i], std::move(batch));
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_.push_back(std::move(result));
    }
    done_ready_.notify_one();
  }
}

BatchResult ParallelChecks::CheckBatch(CheckerImpl& checker,
                                       std::vector<IpAddress> batch) const {
  BatchResult result;
  RecordEncoder encoder(options_.format, options_.csv_layout);
  const int64_t answers_before = checker.local_answers();
  for (const IpAddress& address : batch) {
    // Most addresses of a sweep are clean: no report is built for them.
    if (options_.listed_only && checker.CleanWithoutReport(address)) {
      ++result.verdicts.reports;
      ++result.clean;
      continue;
    }
    checker.CheckAsync(address, [&](v1::Report report) {
      result.verdicts.Add(report);
      if (options_.listed_only) {
        if (IsClean(report)) {
          ++result.clean;
          return;
        }
        report = FindingsOf(std::move(report));
      }
      if (options_.keep_reports) {
        result.reports.push_back(std::move(report));
      } else {
        const absl::string_view record = encoder.Encode(report);
        result.records.append(record.data(), record.size());
      }
    });
  }
  // Every zone is local: each report arrives in the next rounds, with no
  // waiting on the network.
  while (checker.pending() > 0) checker.Poll(absl::Milliseconds(10));
  result.local_answers = checker.local_answers() - answers_before;
  result.addresses = std::move(batch);
  return result;
}

}  // namespace dnsbl

// dnsbl/internal/parallel_checks.h (internal to the library)
//
// A bulk run over local zone data on every core. The caller's thread reads
// the input and hands out batches of addresses; each worker thread checks
// its batches with a Checker of its own (CreateLocalCheckers(): the zone
// data is loaded once and shared read-only) and encodes the records; the
// caller's thread takes the finished batches back and writes them, so the
// output has one writer and every record stays whole. Batches finish in
// any order, so the output's order differs from one thread's.
//
// Example:
//
//   dnsbl::ParallelChecks pool(*std::move(checkers), options);
//   while (pool.HasRoom()) pool.Submit(NextBatch());
//   while (std::optional<dnsbl::BatchResult> done =
//              pool.Take(absl::Milliseconds(100))) {
//     writer->WriteEncoded(done->records);
//   }

#ifndef DNSBL_DNSBL_INTERNAL_PARALLEL_CHECKS_H_
#define DNSBL_DNSBL_INTERNAL_PARALLEL_CHECKS_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "dnsbl/base/address.h"
#include "dnsbl/internal/checker_impl.h"
#include "dnsbl/output/encode.h"
#include "dnsbl/output/internal/report_io.h"
#include "dnsbl/verdict/verdict.h"
#include "proto/dnsbl.pb.h"

namespace dnsbl {

struct ParallelOptions {
  // How records are encoded. REQUIRES: kJson, kCsv or kBinary.
  OutputFormat format = OutputFormat::kJson;
  CsvLayout csv_layout = CsvLayout::kCurrent;
  // Clean reports are counted, not kept (BulkOptions::listed_only).
  bool listed_only = false;
  // Reports are handed back as messages instead of encoded.
  bool keep_reports = false;
  // Addresses per batch. REQUIRES: >= 1.
  size_t batch_size = 512;
};

// What one batch came to.
struct BatchResult {
  std::string records;               // Whole encoded records, in one piece.
  std::vector<v1::Report> reports;   // Instead, with keep_reports.
  std::vector<IpAddress> addresses;  // Every address of the batch.
  VerdictTally verdicts;             // Every report, written or not.
  int64_t clean = 0;                 // Reports left out (listed_only).
  int64_t local_answers = 0;
};

// The worker threads and their queues. Thread-compatible: one thread
// submits and takes.
class ParallelChecks {
 public:
  // Starts one worker thread per checker (each used only by its thread).
  ParallelChecks(std::vector<std::unique_ptr<CheckerImpl>> checkers,
                 ParallelOptions options);
  // Lets the workers finish the batches given and joins them.
  ~ParallelChecks();

  ParallelChecks(const ParallelChecks&) = delete;
  ParallelChecks& operator=(const ParallelChecks&) = delete;

  // Returns true when a batch can be submitted without more than about two
  // per worker waiting (memory stays flat however long the input).
  bool HasRoom() const;

  // Queues `batch` for the next free worker.
  void Submit(std::vector<IpAddress> batch);

  // Returns a finished batch, waiting up to `max_wait` for one; nullopt if
  // none finished by then.
  std::optional<BatchResult> Take(absl::Duration max_wait);

  // Returns the batches submitted and not yet taken.
  size_t outstanding() const;

  // Returns worker `i`'s Checker (for its zones and health once joined).
  const CheckerImpl& checker(size_t i) const { return *checkers_[i]; }
  size_t threads() const { return checkers_.size(); }

 private:
  // Runs on worker `i`: checks batches until the pool closes.
  void Work(size_t i);
  // Checks `batch` with `checker` and encodes its records.
  BatchResult CheckBatch(CheckerImpl& checker,
                         std::vector<IpAddress> batch) const;

  const ParallelOptions options_;
  std::vector<std::unique_ptr<CheckerImpl>> checkers_;
  std::vector<std::thread> threads_;
  mutable std::mutex mu_;
  std::condition_variable work_ready_;  // Batches queued, or closing.
  std::condition_variable done_ready_;  // Results queued.
  std::deque<std::vector<IpAddress>> todo_;
  std::deque<BatchResult> done_;
  size_t outstanding_ = 0;
  bool closing_ = false;
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_INTERNAL_PARALLEL_CHECKS_H_

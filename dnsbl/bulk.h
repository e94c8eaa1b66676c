// dnsbl/bulk.h
//
// Bulk evidence gathering: check every address of a stream (addresses and
// CIDR networks, one per line) against the catalog, as fast as the servers
// allow, writing each report the moment its last zone has answered.
// Memory does not grow with the input; a run can be resumed after any kill;
// a stop request lets the questions in flight finish and flushes.
//
// Example:
//
//   dnsbl::BulkOptions options;
//   options.checker.nameservers = {"127.0.0.1:5353"};
//   options.output = "reports.json";
//   options.resume = true;
//   absl::StatusOr<std::unique_ptr<dnsbl::BulkRunner>> runner =
//       dnsbl::BulkRunner::Create(options);
//   absl::StatusOr<dnsbl::BulkSummary> summary = (*runner)->Run(&std::cin);

#ifndef DNSBL_DNSBL_BULK_H_
#define DNSBL_DNSBL_BULK_H_

#include <csignal>
#include <cstdint>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/numeric/int128.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dnsbl/checker.h"
#include "dnsbl/dns/question_stats.h"
#include "dnsbl/input/bulk_input.h"
#include "dnsbl/input/shard.h"
#include "dnsbl/output/encode.h"
#include "dnsbl/verdict/verdict.h"

namespace dnsbl {

class AddressSet;        // dnsbl/input/internal/address_set.h, internal.
class AddressSource;     // dnsbl/input/internal/address_source.h, internal.
class ParallelChecks;    // dnsbl/internal/parallel_checks.h, internal.
struct BatchResult;      // dnsbl/internal/parallel_checks.h, internal.
struct CatalogZones;     // dnsbl/catalog/catalog.h.
class AdaptiveResolver;  // dnsbl/dns/internal/adaptive_resolver.h, internal.
class ReportWriter;      // dnsbl/output/internal/report_io.h, internal.

// Where a bulk run stands; also its final summary.
struct BulkSummary {
  // The reports written by this run: verdicts, categories, zone errors by
  // kind, refusing zones.
  VerdictTally verdicts;
  int64_t resumed = 0;        // Addresses skipped: reported by a past run.
  int64_t clean = 0;          // Reports left out as clean (listed_only).
  int64_t other_shards = 0;   // Addresses skipped: another shard's.
  int64_t input_errors = 0;   // Bad input lines.
  absl::uint128 total = 0;    // Addresses in the input, if known, else 0.
  QuestionStats dns;          // Questions, losses, window.
  int64_t local_answers = 0;  // Answers read from local zone data.
  int threads = 1;            // Threads that checked (BulkOptions::threads).
  absl::Duration elapsed;
  bool interrupted = false;  // Stopped early on request.
};

struct BulkOptions {
  // Catalog, zones, nameservers, timeout, tries, TXT, keys, health check.
  // Its max_inflight is replaced by the adaptive window below.
  // Default: CheckerOptions's defaults, but 6 tries: a bulk run drives its
  // window up to the server's limit on purpose and shares the server with
  // other clients, and copies that back off ride out a server that
  // overflows for a while (see AdaptiveOptions::retransmits).
  CheckerOptions checker = [] {
    CheckerOptions defaults;
    defaults.tries = 6;
    return defaults;
  }();

  // How input lines are read. See dnsbl/input/bulk_input.h.
  BulkInputOptions input;

  // Where reports go: a file, or "" / "-" for stdout. Default: stdout.
  std::string output;

  // Default: kJson.
  OutputFormat format = OutputFormat::kJson;

  // Whether to skip addresses already reported in `output` and append.
  // REQUIRES: `output` names a file. Default: false.
  bool resume = false;

  // Which addresses of the input this run checks (dnsbl/input/shard.h).
  // Default: all.
  Shard shard;

  // How many threads check when every zone asked is read from local data
  // (zone_data) and no contact source is asked: each checks its own
  // batches of the input with its own Checker over the data, loaded once;
  // one writer writes whole records. The reports are the same as one
  // thread's, in another order; `shard` and `resume` hold as ever. A run
  // that asks anything over DNS uses one thread (one event loop drives
  // the window). 0: one per core. REQUIRES: >= 0. Default: 0.
  int threads = 0;

  // Whether to write only the reports with findings: an address some zone
  // lists or whose verdict is incomplete (IsClean() false), with only those
  // zones' results (FindingsOf(), dnsbl/verdict/verdict.h); clean addresses
  // are counted in BulkSummary::clean, not written. With a file `output`,
  // the addresses finished are kept in CheckpointPath(output)
  // ("OUTPUT.checkpoint", replaced atomically every `checkpoint_interval`
  // and at the end), so `resume` skips clean ones too; a kill loses at most
  // that interval's clean work, which is checked again. Default: false.
  bool listed_only = false;
  // REQUIRES: > 0. Default: 5 s.
  absl::Duration checkpoint_interval = absl::Seconds(5);

  // Whether a bad input line stops the run (after the questions in flight
  // finish) instead of being reported and skipped. Default: false.
  bool strict = false;

  // The cap of the window of questions in flight, which adapts to what
  // the servers answer: it grows while answers come back and shrinks when
  // questions are lost (dnsbl/dns/internal/adaptive_resolver.h). Default: 4000.
  // REQUIRES: >= 1.
  int max_inflight = 4000;

  // Whether the window stays at `max_inflight` instead of adapting: for a
  // server whose capacity is known (and for measuring the adaptive window
  // against fixed ones). Default: false.
  bool fixed_window = false;

  // The most DNS questions per second overall; 0 for no limit. The zones'
  // own limits (catalog max_qps) hold as well. Default: 0. REQUIRES: >= 0.
  double max_qps = 0;

  // Addresses in the input, for progress; 0 if unknown. Default: 0.
  absl::uint128 total = 0;

  // When set and non-zero, the run stops taking new addresses (a signal
  // handler sets it). Must outlive Run(). Default: null.
  const volatile std::sig_atomic_t* stop = nullptr;

  // Called about every `progress_interval` with the state so far, and for
  // each bad input line. Default: not called.
  absl::AnyInvocable<void(const BulkSummary&)> on_progress;
  absl::Duration progress_interval = absl::Seconds(1);
  absl::AnyInvocable<void(const InputError&)> on_input_error;
  // When set, each report is handed to it, in the order they finish,
  // instead of being written to `output` (then `format` does not apply).
  // REQUIRES: `resume` is false. Default: unset (reports are written).
  absl::AnyInvocable<void(v1::Report)> on_report;
};

// Runs one bulk check. Not thread-safe.
class BulkRunner {
 public:
  // Builds the resolver, the checker and the output (scanning it first
  // when resuming). Returns InvalidArgument / NotFound for bad options,
  // DataLoss when the output to resume is not dnsbl output of `format`.
  static absl::StatusOr<std::unique_ptr<BulkRunner>> Create(
      BulkOptions options);

  // Checks every address of `input` (not owned; read to its end unless
  // stopped). Returns the summary, or the write error that stopped the run
  // (every report before it was written whole), or InvalidArgument for the
  // first bad line with `strict`.
  absl::StatusOr<BulkSummary> Run(std::istream* input);

  BulkRunner(const BulkRunner&) = delete;
  BulkRunner& operator=(const BulkRunner&) = delete;
  ~BulkRunner();

  // Returns the nameservers asked.
  std::string resolver_description() const;

  // Returns advice from building the resolver (Checker::warnings()).
  const std::vector<std::string>& warnings() const { return warnings_; }

  // Returns the health of every zone probed so far (once per run), for
  // PathWarnings().
  std::vector<v1::ZoneHealth> zone_health() const;

 private:
  BulkRunner() = default;
  struct RunState;

  // Builds the one-loop engine: the resolver stack and one Checker.
  absl::Status CreateOneLoop(const BulkOptions& options, CatalogZones selected);
  // Run()'s parts: whether to stop taking input; the next address of this
  // shard (nullopt at the end); progress and checkpoint when due; the two
  // engines; one finished batch of the parallel one.
  bool Stopping(RunState& run);
  std::optional<IpAddress> NextInShard(AddressSource& source, RunState& run);
  void Tick(RunState& run);
  // Brings the summary's time, DNS counts and local answers up to `now`.
  void Measure(const RunState& run, absl::Time now);
  // Replaces the checkpoint, if any, unless a write has failed.
  void SaveCheckpoint(RunState& run);
  void RunOneLoop(AddressSource& source, RunState& run);
  void RunParallel(AddressSource& source, RunState& run);
  void TakeBatch(BatchResult batch, RunState& run);

  // With a file output: removes a stale checkpoint or, resuming, reads it
  // into seen_; with listed_only, starts the checkpoint.
  absl::Status PrepareCheckpoint(const BulkOptions& options);

  BulkOptions options_;
  // Driven by the runner (its window and queue decide how much input to
  // read) and by checker_, which asks the questions.
  std::shared_ptr<AdaptiveResolver> resolver_;
  std::unique_ptr<Checker> checker_;
  // Instead of resolver_ and checker_, when threads check local data.
  std::unique_ptr<ParallelChecks> pool_;
  std::unique_ptr<ReportWriter> writer_;
  // The addresses reported (by this run, or one it resumes).
  std::unique_ptr<AddressSet> seen_;
  // With listed_only to a file: the addresses finished, clean or written,
  // and where they are kept (see BulkOptions::listed_only).
  std::unique_ptr<AddressSet> finished_;
  std::string checkpoint_path_;
  BulkSummary summary_;
  std::vector<std::string> warnings_;
};

// Returns a one-line progress report: done/total, rate, listed, errors,
// window and ETA.
std::string FormatBulkProgress(const BulkSummary& summary);

// Returns the final summary for a person: addresses, questions, listed by
// category, errors by kind, wall time, questions per second. Its first
// line starts with the number of addresses; a tool puts its own name in
// front ("dnsbl bulk: ").
std::string FormatBulkSummary(const BulkSummary& summary);

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_BULK_H_

#include "dnsbl/bulk.h"

#include <algorithm>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "dnsbl/base/escape.h"
#include "dnsbl/catalog/catalog.h"
#include "dnsbl/dns/internal/adaptive_resolver.h"
#include "dnsbl/dns/internal/resolver_stack.h"
#include "dnsbl/input/internal/address_set.h"
#include "dnsbl/input/internal/address_source.h"
#include "dnsbl/internal/checker_setup.h"
#include "dnsbl/internal/parallel_checks.h"
#include "dnsbl/output/internal/checkpoint.h"
#include "dnsbl/output/internal/report_io.h"

namespace dnsbl {
namespace {

std::string Uint128Text(absl::uint128 n) {
  if (absl::Uint128High64(n) != 0) return "more than 2^64";
  return absl::StrCat(absl::Uint128Low64(n));
}

// Addresses per batch of a parallel run: enough to make a worker's
// hand-off rare, few enough to keep every worker busy near the end.
constexpr size_t kParallelBatch = 512;

std::string DurationText(absl::Duration d) {
  int64_t s = absl::ToInt64Seconds(d);
  return absl::StrFormat("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
}

}  // namespace

absl::StatusOr<std::unique_ptr<BulkRunner>> BulkRunner::Create(
    BulkOptions options) {
  const bool to_stdout = options.output.empty() || options.output == "-";
  if (options.resume && options.on_report) {
    return absl::InvalidArgumentError(
        absl::StrCat(options.checker.setting_names.resume,
                     " needs reports written to a file, not handed to a "
                     "callback"));
  }
  if (options.resume && to_stdout) {
    const SettingNames& settings = options.checker.setting_names;
    return absl::InvalidArgumentError(
        absl::StrCat(settings.resume, " needs ", settings.output,
                     ": there is nothing to resume on stdout"));
  }
  auto runner = std::unique_ptr<BulkRunner>(new BulkRunner());
  runner->seen_ = std::make_unique<AddressSet>();
  CheckerOptions& checker_options = options.checker;
  absl::StatusOr<CatalogZones> selected = SelectZonesFor(checker_options);
  if (!selected.ok()) return selected.status();
  checker_options.catalog = selected->catalog;
  if (options.threads < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "threads must be 0 (every core) or more, not ", options.threads));
  }
  const int threads =
      options.threads > 0
          ? options.threads
          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // Every zone local: one Checker per thread over data loaded once, and
  // no DNS resolver at all (one thread or many, the same reports).
  // Otherwise one event loop drives the DNS window (FailedPrecondition).
  std::vector<std::unique_ptr<CheckerImpl>> local_checkers;
  absl::StatusOr<std::vector<std::unique_ptr<CheckerImpl>>> local =
      CreateLocalCheckers(checker_options, *selected, threads);
  if (local.ok()) {
    local_checkers = *std::move(local);
  } else if (!absl::IsFailedPrecondition(local.status())) {
    return local.status();
  }
  if (local_checkers.empty()) {
    if (absl::Status s = runner->CreateOneLoop(options, *std::move(selected));
        !s.ok()) {
      return s;
    }
  }
  runner->summary_.threads = std::max<int>(1, local_checkers.size());

  int64_t valid_bytes = 0;
  CsvLayout csv_layout = CsvLayout::kCurrent;
  if (options.resume) {
    absl::StatusOr<ResumeState> state =
        ScanOutput(options.output, options.format);
    if (!state.ok()) return state.status();
    *runner->seen_ = std::move(state->done);
    runner->summary_.resumed = state->records;
    valid_bytes = state->valid_bytes;
    csv_layout = state->csv_layout;
  }
  if (!to_stdout && !options.on_report) {
    if (absl::Status s = runner->PrepareCheckpoint(options); !s.ok()) return s;
  }
  if (!options.on_report) {
    absl::StatusOr<std::unique_ptr<ReportWriter>> writer =
        ReportWriter::Open(options.output, options.format, options.resume,
                           valid_bytes, csv_layout);
    if (!writer.ok()) return writer.status();
    runner->writer_ = *std::move(writer);
  }
  if (!local_checkers.empty()) {
    ParallelOptions parallel;
    parallel.format = options.format;
    parallel.csv_layout = csv_layout;
    parallel.listed_only = options.listed_only;
    parallel.keep_reports = static_cast<bool>(options.on_report);
    runner->pool_ =
        std::make_unique<ParallelChecks>(std::move(local_checkers), parallel);
  }
  runner->summary_.total = options.total;
  runner->options_ = std::move(options);
  return runner;
}

absl::Status BulkRunner::CreateOneLoop(const BulkOptions& options,
                                       CatalogZones selected) {
  if (options.max_inflight < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_inflight must be at least 1, not ", options.max_inflight));
  }
  const CheckerOptions& checker_options = options.checker;
  AdaptiveOptions window;
  window.clock = checker_options.clock;  // Run() reads the same clock.
  window.max_inflight = options.max_inflight;
  if (options.fixed_window) {
    window.initial_window = options.max_inflight;
    window.min_window = options.max_inflight;
  }
  window.max_qps = options.max_qps;
  window.zone_qps = ZoneRateLimits(selected.zones);
  absl::StatusOr<ResolverStack> stack =
      CreateResolverStack(TransportOf(checker_options, selected.zones), window);
  if (!stack.ok()) return stack.status();
  resolver_ = std::move(stack->resolver);
  warnings_ = std::move(stack->warnings);
  absl::StatusOr<std::unique_ptr<Checker>> checker =
      CreateCheckerOver(checker_options, std::move(selected), resolver_);
  if (!checker.ok()) return checker.status();
  checker_ = *std::move(checker);
  return absl::OkStatus();
}

absl::Status BulkRunner::PrepareCheckpoint(const BulkOptions& options) {
  const SettingNames& names = options.checker.setting_names;
  const std::string path = CheckpointPath(options.output);
  if (!options.resume) {
    // The output starts anew: an older run's checkpoint would skip
    // addresses this one never checked.
    if (absl::Status s = RemoveCheckpoint(path); !s.ok()) return s;
  } else {
    absl::StatusOr<AddressSet> checkpoint = ReadCheckpoint(path);
    if (checkpoint.ok()) {
      if (!options.listed_only) {
        return absl::InvalidArgumentError(absl::StrCat(
            QuoteInput(options.output), " was written with ", names.listed_only,
            " (", QuoteInput(path),
            " holds the clean addresses it left out): resume it with ",
            names.listed_only, ", or write a new output"));
      }
      for (const IpRange& range : checkpoint->ToRanges()) {
        seen_->Insert(range);
      }
      const absl::uint128 done = seen_->size();
      summary_.resumed =
          absl::Uint128High64(done) != 0 || absl::Uint128Low64(done) > INT64_MAX
              ? INT64_MAX
              : static_cast<int64_t>(absl::Uint128Low64(done));
    } else if (!absl::IsNotFound(checkpoint.status())) {
      return checkpoint.status();
    }
  }
  if (!options.listed_only) return absl::OkStatus();
  if (options.checkpoint_interval <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkpoint_interval must be positive, not ",
                     absl::FormatDuration(options.checkpoint_interval)));
  }
  checkpoint_path_ = path;
  finished_ = std::make_unique<AddressSet>(*seen_);
  // At once: an unwritable place fails the run before it asks anything.
  return WriteCheckpoint(checkpoint_path_, *finished_);
}

BulkRunner::~BulkRunner() = default;

std::string BulkRunner::resolver_description() const {
  return checker_ != nullptr ? checker_->resolver_description()
                             : pool_->checker(0).resolver_description();
}

std::vector<v1::ZoneHealth> BulkRunner::zone_health() const {
  return checker_ != nullptr ? checker_->ProbedHealth()
                             : pool_->checker(0).ProbedHealth();
}

// Where Run() stands, shared by its one-loop and parallel halves.
struct BulkRunner::RunState {
  Clock* clock = nullptr;
  absl::Time start;
  absl::Time next_progress;
  absl::Time next_checkpoint;
  std::optional<InputError> strict_error;
  absl::Status write_status;
  bool input_done = false;
};

absl::StatusOr<BulkSummary> BulkRunner::Run(std::istream* input) {
  RunState run;
  run.clock = options_.checker.clock != nullptr ? options_.checker.clock
                                                : Clock::Real();
  run.start = run.clock->Now();
  run.next_progress = run.start + options_.progress_interval;
  run.next_checkpoint = run.start + options_.checkpoint_interval;
  AddressSource source(input, options_.input, seen_.get(),
                       [&](const InputError& e) {
                         ++summary_.input_errors;
                         if (options_.on_input_error)
                           options_.on_input_error(e);
                         if (options_.strict && !run.strict_error) {
                           run.strict_error = e;
                         }
                       });
  if (pool_ != nullptr) {
    RunParallel(source, run);
  } else {
    RunOneLoop(source, run);
  }
  SaveCheckpoint(run);
  Measure(run, run.clock->Now());
  if (!run.write_status.ok()) return run.write_status;
  if (run.strict_error.has_value()) {
    const InputError& e = *run.strict_error;
    return absl::InvalidArgumentError(
        absl::StrCat("line ", e.line, ": ", e.text, ": ", e.message, " (",
                     options_.checker.setting_names.strict, ")"));
  }
  return summary_;
}

bool BulkRunner::Stopping(RunState& run) {
  const bool stop_requested = options_.stop != nullptr && *options_.stop;
  if (stop_requested) summary_.interrupted = true;
  return stop_requested || run.strict_error.has_value() ||
         !run.write_status.ok();
}

std::optional<IpAddress> BulkRunner::NextInShard(AddressSource& source,
                                                 RunState& run) {
  while (true) {
    std::optional<IpAddress> ip = source.Next();
    if (!ip.has_value()) {
      run.input_done = true;
      return std::nullopt;
    }
    if (InShard(*ip, options_.shard)) return ip;
    ++summary_.other_shards;
  }
}

void BulkRunner::Tick(RunState& run) {
  const absl::Time now = run.clock->Now();
  if (options_.on_progress && now >= run.next_progress) {
    Measure(run, now);
    options_.on_progress(summary_);
    run.next_progress = now + options_.progress_interval;
  }
  if (now >= run.next_checkpoint) {
    SaveCheckpoint(run);
    run.next_checkpoint = now + options_.checkpoint_interval;
  }
}

void BulkRunner::Measure(const RunState& run, absl::Time now) {
  summary_.elapsed = now - run.start;
  if (resolver_ != nullptr) summary_.dns = resolver_->stats();
  // (The parallel engine adds its workers' answers batch by batch.)
  if (checker_ != nullptr) summary_.local_answers = checker_->local_answers();
}

void BulkRunner::SaveCheckpoint(RunState& run) {
  if (finished_ != nullptr && run.write_status.ok()) {
    run.write_status = WriteCheckpoint(checkpoint_path_, *finished_);
  }
}

void BulkRunner::RunOneLoop(AddressSource& source, RunState& run) {
  int64_t in_flight = 0;
  const size_t zone_count = std::max<size_t>(1, checker_->zones().size());
  while (true) {
    const bool stopping = Stopping(run);
    // Keep the window fed, but hold no more addresses than it needs:
    // memory stays flat however long the input.
    // Questions answered from local zone data never reach the window, so
    // addresses in flight are bounded too (memory stays flat either way).
    const size_t window = static_cast<size_t>(resolver_->stats().window);
    const size_t max_in_flight = std::max<size_t>(1024, 4 * window);
    while (!stopping && !run.input_done && !run.strict_error.has_value() &&
           static_cast<size_t>(in_flight) < max_in_flight &&
           resolver_->queued() < std::max(zone_count, window)) {
      std::optional<IpAddress> ip = NextInShard(source, run);
      if (!ip.has_value()) break;
      ++in_flight;
      checker_->CheckAsync(*ip, [&, address = *ip](v1::Report report) {
        --in_flight;
        summary_.verdicts.Add(report);
        if (options_.listed_only && IsClean(report)) {
          ++summary_.clean;
        } else {
          if (options_.listed_only) report = FindingsOf(std::move(report));
          if (options_.on_report) {
            options_.on_report(std::move(report));
          } else if (run.write_status.ok()) {
            run.write_status = writer_->Write(report);
          }
          if (!run.write_status.ok()) return;  // Not finished: not written.
        }
        if (finished_ != nullptr) finished_->Add(address);
      });
    }
    if (in_flight == 0 &&
        (run.input_done || stopping || run.strict_error.has_value())) {
      return;
    }
    checker_->Poll(
        std::min(options_.progress_interval, absl::Milliseconds(100)));
    Tick(run);
  }
}

void BulkRunner::RunParallel(AddressSource& source, RunState& run) {
  while (true) {
    const bool stopping = Stopping(run);
    while (!stopping && !run.input_done && !run.strict_error.has_value() &&
           pool_->HasRoom()) {
      std::vector<IpAddress> batch;
      batch.reserve(kParallelBatch);
      while (batch.size() < kParallelBatch) {
        std::optional<IpAddress> ip = NextInShard(source, run);
        if (!ip.has_value() || run.strict_error.has_value()) break;
        batch.push_back(*ip);
      }
      if (batch.empty()) break;
      pool_->Submit(std::move(batch));
    }
    if (pool_->outstanding() == 0 &&
        (run.input_done || stopping || run.strict_error.has_value())) {
      return;
    }
    std::optional<BatchResult> done = pool_->Take(
        std::min(options_.progress_interval, absl::Milliseconds(100)));
    if (done.has_value()) TakeBatch(*std::move(done), run);
    Tick(run);
  }
}

void BulkRunner::TakeBatch(BatchResult batch, RunState& run) {
  summary_.verdicts.Add(batch.verdicts);
  summary_.clean += batch.clean;
  summary_.local_answers += batch.local_answers;
  if (!run.write_status.ok()) return;  // Nothing after a failed write.
  if (options_.on_report) {
    for (v1::Report& report : batch.reports) {
      options_.on_report(std::move(report));
    }
  } else if (!batch.records.empty()) {
    run.write_status = writer_->WriteEncoded(batch.records);
    if (!run.write_status.ok()) return;
  }
  if (finished_ != nullptr) {
    for (const IpAddress& address : batch.addresses) finished_->Add(address);
  }
}

std::string FormatBulkProgress(const BulkSummary& s) {
  double seconds = std::max(1e-3, absl::ToDoubleSeconds(s.elapsed));
  double qps = static_cast<double>(s.dns.sent) / seconds;
  std::string done = absl::StrCat(s.verdicts.reports, " addresses");
  std::string eta;
  if (s.total > 0) {
    double total = static_cast<double>(s.total);
    double finished =
        static_cast<double>(s.verdicts.reports + s.resumed + s.other_shards);
    done = absl::StrFormat("%d/%s addresses (%.1f%%)",
                           s.verdicts.reports + s.resumed, Uint128Text(s.total),
                           100 * finished / total);
    double rate = static_cast<double>(s.verdicts.reports) / seconds;
    if (rate > 0 && total > finished) {
      eta = absl::StrCat(
          ", ETA ", DurationText(absl::Seconds((total - finished) / rate)));
    }
  }
  int64_t errors = 0;
  for (const auto& [kind, n] : s.verdicts.errors) errors += n;
  return absl::StrFormat("%s, %.0f q/s, listed %d, errors %d, window %d%s",
                         done, qps, s.verdicts.listed, errors, s.dns.window,
                         eta);
}

std::string FormatBulkSummary(const BulkSummary& s) {
  double seconds = std::max(1e-3, absl::ToDoubleSeconds(s.elapsed));
  std::string out = absl::StrFormat(
      "%d addresses checked%s%s in %.1f s%s; %d DNS questions, "
      "%.0f per second%s%s\n",
      s.verdicts.reports,
      s.resumed > 0 ? absl::StrCat(" (", s.resumed, " already done)") : "",
      s.other_shards > 0
          ? absl::StrCat(", ", s.other_shards, " left to other shards")
          : "",
      seconds, s.threads > 1 ? absl::StrCat(" on ", s.threads, " threads") : "",
      s.dns.sent, static_cast<double>(s.dns.sent) / seconds,
      s.local_answers > 0
          ? absl::StrFormat("; %d answers from local zone data, %.0f per "
                            "second",
                            s.local_answers,
                            static_cast<double>(s.local_answers) / seconds)
          : "",
      s.interrupted ? "; INTERRUPTED before the end of the input" : "");
  std::vector<std::string> categories;
  for (const auto& [name, n] : s.verdicts.by_category) {
    categories.push_back(absl::StrCat(name, " ", n));
  }
  absl::StrAppend(
      &out, "  listed: ", s.verdicts.listed,
      categories.empty()
          ? ""
          : absl::StrCat(" (", absl::StrJoin(categories, ", "), ")"),
      "\n");
  absl::StrAppend(&out, "  incomplete verdicts: ", s.verdicts.incomplete, "\n");
  if (s.clean > 0) {
    absl::StrAppend(&out, "  clean, not written (listed only): ", s.clean,
                    "\n");
  }
  std::vector<std::string> errors;
  for (const auto& [kind, n] : s.verdicts.errors)
    errors.push_back(absl::StrCat(kind, " ", n));
  absl::StrAppend(&out, "  zone errors: ",
                  errors.empty() ? "none" : absl::StrJoin(errors, ", "), "\n");
  if (s.input_errors > 0) {
    absl::StrAppend(&out, "  bad input lines: ", s.input_errors, "\n");
  }
  absl::StrAppend(
      &out, absl::StrFormat("  window %d (cut %d times), round trip %.1f ms, "
                            "%d questions lost and retried or overdue\n",
                            s.dns.window, s.dns.decreases, s.dns.srtt_ms,
                            s.dns.lost));
  return out;
}

}  // namespace dnsbl

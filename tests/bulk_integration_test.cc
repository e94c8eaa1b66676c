// `dnsbl bulk` and BulkRunner against rbldnsd: ground truth for every
// address and zone, through a lossy proxy, killed and resumed, interrupted,
// in every output format.

#include <signal.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "dnsbl/dnsbl.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fault_proxy.h"
#include "tests/rbldnsd_server.h"
#include "tests/subprocess.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;

constexpr int kZones = 3;

// Which addresses each zone lists: the truth every output is checked
// against.
struct GroundTruth {
  std::vector<std::set<std::string>> listed{kZones + 1};
};

std::string TempPath(const std::string& name) {
  return absl::StrCat(std::getenv("TEST_TMPDIR"), "/", name);
}

class BulkTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    truth_ = new GroundTruth();
    std::mt19937 rng(7);
    std::vector<testing::ZoneData> data;
    std::string catalog;
    for (int z = 0; z < kZones; ++z) {
      std::string name = absl::StrCat("z", z, ".test");
      std::string code = absl::StrCat("127.0.0.", z + 2);
      std::string text =
          absl::StrCat(":", code, ":listed in ", name, "\n", "127.0.0.2\n");
      // About 10% of 192.0.2.0/24, 198.51.100.0/24 and 10.1.0.0/18.
      for (const char* prefix : {"192.0.2.", "198.51.100."}) {
        for (int i = 0; i < 256; ++i) {
          if (rng() % 10 != 0) continue;
          std::string ip = absl::StrCat(prefix, i);
          truth_->listed[z].insert(ip);
          absl::StrAppend(&text, ip, "\n");
        }
      }
      for (int i = 0; i < (1 << 14); ++i) {
        if (rng() % 10 != 0) continue;
        std::string ip = absl::StrCat("10.1.", i / 256, ".", i % 256);
        truth_->listed[z].insert(ip);
        absl::StrAppend(&text, ip, "\n");
      }
      data.push_back({name, "ip4set", text});
      absl::StrAppend(&catalog, "zone { name: \"", name,
                      "\" ipv4: true ipv6: true code { value: \"", code,
                      "\" category: OPEN_PROXY meaning: \"proxy\" } }\n");
    }
    // IPv6 listings in the first zone.
    std::string v6 = ":127.0.0.2:v6\n::ffff:7f00:2\n";
    for (int i = 0; i < 256; i += 7) {
      std::string ip =
          IpAddress::Parse(absl::StrCat("2001:db8:1::", absl::Hex(i)))
              ->ToString();
      truth_->listed[0].insert(ip);
      absl::StrAppend(&v6, ip, "\n");
    }
    data.push_back({"z0.test", "ip6trie", v6});
    absl::StatusOr<std::unique_ptr<testing::RbldnsdServer>> server =
        testing::RbldnsdServer::Start(data);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    catalog_path_ = new std::string(TempPath("bulk-catalog.textproto"));
    std::ofstream(*catalog_path_) << catalog;
  }

  static void TearDownTestSuite() {
    delete server_;
    delete truth_;
    delete catalog_path_;
  }

  static std::string WriteInput(const std::string& name,
                                const std::string& text) {
    std::string path = TempPath(name);
    std::ofstream(path) << text;
    return path;
  }

  // Checks every report against the truth; returns address -> listed zones.
  static std::map<std::string, std::string> Verify(
      const std::vector<v1::Report>& reports, bool allow_errors = false) {
    std::map<std::string, std::string> seen;
    for (const v1::Report& report : reports) {
      EXPECT_TRUE(seen.count(report.address()) == 0)
          << report.address() << " reported twice";
      std::string listed;
      for (int z = 0; z < kZones; ++z) {
        const v1::ZoneResult& r = report.results(z);
        bool truly = truth_->listed[z].count(report.address()) > 0;
        if (r.status() == v1::ERROR && allow_errors) continue;
        EXPECT_EQ(r.status(), truly ? v1::LISTED : v1::NOT_LISTED)
            << report.address() << " in " << r.zone() << ": " << r.detail();
        if (truly) absl::StrAppend(&listed, r.zone(), " ");
      }
      seen[report.address()] = listed;
    }
    return seen;
  }

  static BulkOptions Options(const std::string& output, OutputFormat format) {
    BulkOptions options;
    options.checker.catalog =
        std::make_shared<const v1::Catalog>(*LoadCatalogFile(*catalog_path_));
    options.checker.nameservers = {server_->endpoint()};
    options.checker.fetch_txt = false;
    options.output = output;
    options.format = format;
    return options;
  }

  static std::vector<std::string> BulkArgv(
      const std::vector<std::string>& extra) {
    std::vector<std::string> argv = {testing::RunfilePath("cli/dnsbl"), "bulk",
                                     "--nameserver=" + server_->endpoint(),
                                     "--catalog=" + *catalog_path_, "--notxt"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }

  static testing::RbldnsdServer* server_;
  static GroundTruth* truth_;
  static std::string* catalog_path_;
};

testing::RbldnsdServer* BulkTest::server_ = nullptr;
GroundTruth* BulkTest::truth_ = nullptr;
std::string* BulkTest::catalog_path_ = nullptr;

TEST_F(BulkTest, EveryAddressOnceMatchingGroundTruthInEveryFormat) {
  std::string input =
      "# two networks, an IPv6 range, a duplicate and a bad line\n"
      "192.0.2.0/24\n198.51.100.0/24\n2001:db8:1::/120\n192.0.2.7\n1.2.3\n";
  std::map<std::string, std::string> first;
  for (OutputFormat format : {OutputFormat::kJson, OutputFormat::kBinary}) {
    std::string out = TempPath("all.out");
    BulkOptions options = Options(out, format);
    std::vector<InputError> errors;
    options.on_input_error = [&](const InputError& e) { errors.push_back(e); };
    absl::StatusOr<std::unique_ptr<BulkRunner>> runner =
        BulkRunner::Create(std::move(options));
    ASSERT_TRUE(runner.ok()) << runner.status();
    std::istringstream in(input);
    absl::StatusOr<BulkSummary> summary = (*runner)->Run(&in);
    ASSERT_TRUE(summary.ok()) << summary.status();
    EXPECT_EQ(summary->verdicts.reports, 768);
    EXPECT_EQ(summary->input_errors, 1);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].line, 6);
    absl::StatusOr<std::vector<v1::Report>> reports = ReadReports(out, format);
    ASSERT_TRUE(reports.ok()) << reports.status();
    ASSERT_EQ(reports->size(), 768u);
    std::map<std::string, std::string> seen = Verify(*reports);
    if (first.empty()) {
      first = seen;
    } else {
      EXPECT_EQ(seen, first);
    }
    EXPECT_GT(summary->verdicts.listed, 100);
    EXPECT_TRUE(summary->verdicts.errors.empty());
  }
}

TEST_F(BulkTest, ReportsHandedToACallbackInsteadOfWritten) {
  const std::string out = TempPath("callback.out");
  BulkOptions options = Options(out, OutputFormat::kJson);
  std::vector<v1::Report> reports;
  options.on_report = [&](v1::Report r) { reports.push_back(std::move(r)); };
  absl::StatusOr<std::unique_ptr<BulkRunner>> runner =
      BulkRunner::Create(std::move(options));
  ASSERT_TRUE(runner.ok()) << runner.status();
  std::istringstream in("192.0.2.0/26\n10.1.0.0/28\n");
  absl::StatusOr<BulkSummary> summary = (*runner)->Run(&in);
  ASSERT_TRUE(summary.ok()) << summary.status();
  ASSERT_EQ(reports.size(), 80u);
  EXPECT_EQ(summary->verdicts.reports, 80);
  Verify(reports);
  // Nothing was written: the output file was never opened.
  EXPECT_FALSE(std::ifstream(out).good());

  BulkOptions resume = Options(out, OutputFormat::kJson);
  resume.resume = true;
  resume.on_report = [](v1::Report) {};
  EXPECT_EQ(BulkRunner::Create(std::move(resume)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(BulkTest, CsvRowsMatchGroundTruth) {
  std::string input = WriteInput("csv.in", "192.0.2.0/25\n2001:db8:1::/124\n");
  std::string out = TempPath("csv.out");
  absl::StatusOr<testing::CommandResult> r =
      testing::RunCommand(BulkArgv({"--format=csv", "--output=" + out, input}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 1) << r->err;
  std::ifstream in(out);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line,
            "address,zone,status,codes,categories,txt,detail,network,notify,"
            "resolution,server");
  int rows = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> fields = absl::StrSplit(line, ',');
    ASSERT_GE(fields.size(), 3u) << line;
    int z = fields[1][1] - '0';
    bool truly = truth_->listed[z].count(fields[0]) > 0;
    EXPECT_EQ(fields[2], truly ? "LISTED" : "NOT_LISTED") << line;
    ++rows;
  }
  EXPECT_EQ(rows, (128 + 16) * kZones);
}

TEST_F(BulkTest, ReadsStdinAndReportsBadLinesOnStderr) {
  std::string input = WriteInput(
      "stdin.in", "192.0.2.1\n192.0.2.1\n256.0.0.1\n\n198.51.100.9\n");
  absl::StatusOr<testing::CommandResult> r =
      testing::RunCommand(BulkArgv({}), {}, input);
  ASSERT_TRUE(r.ok());
  std::vector<std::string> lines =
      absl::StrSplit(r->out, '\n', absl::SkipEmpty());
  EXPECT_EQ(lines.size(), 2u);
  EXPECT_THAT(r->err, HasSubstr("input line 3: '256.0.0.1'"));
  EXPECT_THAT(r->err, HasSubstr("dnsbl bulk: 2 addresses checked"));
  EXPECT_THAT(r->err, HasSubstr("bad input lines: 1"));
}

TEST_F(BulkTest, StrictStopsBeforeAnyQuery) {
  absl::StatusOr<std::unique_ptr<testing::BlackHoleServer>> hole =
      testing::BlackHoleServer::Start();
  ASSERT_TRUE(hole.ok());
  std::string input = WriteInput("strict.in", "192.0.2.1\nnot an address\n");
  absl::StatusOr<testing::CommandResult> r =
      testing::RunCommand({testing::RunfilePath("cli/dnsbl"), "bulk",
                           "--nameserver=" + (*hole)->endpoint(),
                           "--catalog=" + *catalog_path_, "--strict", input});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 2);
  EXPECT_THAT(r->err, HasSubstr("line 2: 'not an address'"));
  EXPECT_EQ((*hole)->Received(), 0);
  r = testing::RunCommand(BulkArgv({"--resume", input}));
  EXPECT_EQ(r->exit_code, 2);
  EXPECT_THAT(r->err, HasSubstr("--resume needs --output=FILE"));
}

// A run killed with SIGKILL at a random moment and then resumed gives
// exactly the records of an uninterrupted run, each address once.
TEST_F(BulkTest, KilledAtARandomMomentThenResumedLosesNothing) {
  std::string input = WriteInput("kill.in", "10.1.0.0/18\n192.0.2.0/24\n");
  std::string out = TempPath("kill.json");
  std::remove(out.c_str());
  absl::Time start = absl::Now();
  absl::StatusOr<testing::CommandResult> whole =
      testing::RunCommand(BulkArgv({"--output=" + out, input}));
  const absl::Duration run_time = absl::Now() - start;
  ASSERT_TRUE(whole.ok());
  ASSERT_EQ(whole->exit_code, 1) << whole->err;
  absl::StatusOr<std::vector<v1::Report>> reference =
      ReadReports(out, OutputFormat::kJson);
  ASSERT_TRUE(reference.ok());
  ASSERT_EQ(reference->size(), (1u << 14) + 256);
  const std::map<std::string, std::string> expected = Verify(*reference);

  std::random_device seed;
  std::mt19937 rng(seed());
  for (int round = 0; round < 3; ++round) {
    // Anywhere from the start to the end of a whole run.
    absl::Duration delay =
        run_time * std::uniform_real_distribution<double>(0.02, 0.8)(rng);
    SCOPED_TRACE(absl::StrCat("killed after ", absl::FormatDuration(delay),
                              " of ", absl::FormatDuration(run_time)));
    std::remove(out.c_str());
    absl::StatusOr<testing::RunningCommand> run =
        testing::RunningCommand::Start(BulkArgv({"--output=" + out, input}));
    ASSERT_TRUE(run.ok());
    absl::SleepFor(delay);
    run->Signal(SIGKILL);
    run->Wait();
    absl::StatusOr<testing::CommandResult> resumed =
        testing::RunCommand(BulkArgv({"--output=" + out, "--resume", input}));
    ASSERT_TRUE(resumed.ok());
    // 1 when what remained held a listing, 0 when nothing did.
    EXPECT_TRUE(resumed->exit_code == 0 || resumed->exit_code == 1)
        << resumed->err;
    absl::StatusOr<std::vector<v1::Report>> reports =
        ReadReports(out, OutputFormat::kJson);
    ASSERT_TRUE(reports.ok()) << reports.status();
    EXPECT_EQ(Verify(*reports), expected);
  }
}

// The reports --listed_only must write: every address some zone lists,
// with only the listing zones' results (no errors here).
std::map<std::string, std::string> ListedOnlyTruth(
    const std::vector<std::string>& addresses, const GroundTruth& truth) {
  std::map<std::string, std::string> out;
  for (const std::string& address : addresses) {
    std::string listed;
    for (int z = 0; z < kZones; ++z) {
      if (truth.listed[z].count(address) > 0) {
        absl::StrAppend(&listed, "z", z, ".test ");
      }
    }
    if (!listed.empty()) out[address] = listed;
  }
  return out;
}

// Address -> the zones of its results, each address once; every result
// LISTED.
std::map<std::string, std::string> Findings(
    const std::vector<v1::Report>& reports) {
  std::map<std::string, std::string> out;
  for (const v1::Report& report : reports) {
    EXPECT_EQ(out.count(report.address()), 0u) << report.address();
    std::string zones;
    for (const v1::ZoneResult& r : report.results()) {
      EXPECT_EQ(r.status(), v1::LISTED) << report.address() << " " << r.zone();
      absl::StrAppend(&zones, r.zone(), " ");
    }
    EXPECT_EQ(report.summary().asked(), kZones) << report.address();
    out[report.address()] = zones;
  }
  return out;
}

std::vector<std::string> Network10_1() {
  std::vector<std::string> out;
  for (int i = 0; i < (1 << 14); ++i) {
    out.push_back(absl::StrCat("10.1.", i / 256, ".", i % 256));
  }
  return out;
}

// --listed_only writes exactly the listed addresses; killed at random
// moments and resumed, it still writes each exactly once, and the resumed
// run skips the clean addresses the checkpoint holds.
TEST_F(BulkTest, ListedOnlyKilledThenResumedWritesEachListingOnce) {
  const std::string input = WriteInput("listed.in", "10.1.0.0/18\n");
  const std::string out = TempPath("listed.json");
  const std::map<std::string, std::string> expected =
      ListedOnlyTruth(Network10_1(), *truth_);
  ASSERT_GT(expected.size(), 1000u);
  absl::Time start = absl::Now();
  absl::StatusOr<testing::CommandResult> whole = testing::RunCommand(
      BulkArgv({"--listed_only", "--output=" + out, input}));
  const absl::Duration run_time = absl::Now() - start;
  ASSERT_TRUE(whole.ok());
  ASSERT_EQ(whole->exit_code, 1) << whole->err;
  EXPECT_THAT(whole->err,
              HasSubstr(absl::StrCat("clean, not written (listed only): ",
                                     (1 << 14) - expected.size())));
  absl::StatusOr<std::vector<v1::Report>> reports =
      ReadReports(out, OutputFormat::kJson);
  ASSERT_TRUE(reports.ok()) << reports.status();
  EXPECT_EQ(Findings(*reports), expected);
  // A finished run resumed asks nothing more.
  absl::StatusOr<testing::CommandResult> again = testing::RunCommand(
      BulkArgv({"--listed_only", "--output=" + out, "--resume", input}));
  ASSERT_TRUE(again.ok());
  EXPECT_THAT(again->err, HasSubstr("0 addresses checked (16384 already"));
  // Resuming it as a full run would take the clean addresses as reported.
  again = testing::RunCommand(BulkArgv({"--output=" + out, "--resume", input}));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->exit_code, 2);
  EXPECT_THAT(again->err, HasSubstr("was written with --listed_only"));

  std::random_device seed;
  std::mt19937 rng(seed());
  int resumed_with_work_done = 0;
  for (int round = 0; round < 3; ++round) {
    absl::Duration delay =
        run_time * std::uniform_real_distribution<double>(0.3, 0.9)(rng);
    SCOPED_TRACE(absl::StrCat("killed after ", absl::FormatDuration(delay),
                              " of ", absl::FormatDuration(run_time)));
    std::remove(out.c_str());
    absl::StatusOr<testing::RunningCommand> run =
        testing::RunningCommand::Start(
            BulkArgv({"--listed_only", "--checkpoint_interval=5ms",
                      "--output=" + out, input}));
    ASSERT_TRUE(run.ok());
    absl::SleepFor(delay);
    run->Signal(SIGKILL);
    run->Wait();
    std::ifstream written(out);
    const int64_t records_written =
        std::count(std::istreambuf_iterator<char>(written),
                   std::istreambuf_iterator<char>(), '\n');
    absl::StatusOr<testing::CommandResult> resumed = testing::RunCommand(
        BulkArgv({"--listed_only", "--output=" + out, "--resume", input}));
    ASSERT_TRUE(resumed.ok());
    EXPECT_TRUE(resumed->exit_code == 0 || resumed->exit_code == 1)
        << resumed->err;
    // "(N already done)": more than the records, when the checkpoint held
    // clean addresses.
    int64_t already_done = 0;
    const size_t at = resumed->err.find(" addresses checked (");
    if (at != std::string::npos) {
      already_done = std::strtoll(
          resumed->err.c_str() + at + strlen(" addresses checked ("), nullptr,
          10);
    }
    if (already_done > records_written) ++resumed_with_work_done;
    reports = ReadReports(out, OutputFormat::kJson);
    ASSERT_TRUE(reports.ok()) << reports.status();
    EXPECT_EQ(Findings(*reports), expected);
  }
  EXPECT_GT(resumed_with_work_done, 0);
}

// Shards of a --listed_only run together write what one run writes.
TEST_F(BulkTest, ListedOnlyShardsAddUpToOneRun) {
  const std::string input = WriteInput("listed-shards.in", "10.1.0.0/18\n");
  std::vector<v1::Report> all;
  for (int k = 0; k < 3; ++k) {
    const std::string out = TempPath(absl::StrCat("listed-shard", k, ".bin"));
    absl::StatusOr<testing::CommandResult> r = testing::RunCommand(
        BulkArgv({"--listed_only", "--format=binary", "--output=" + out,
                  absl::StrCat("--shard=", k, "/3"), input}));
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->exit_code, 1) << r->err;
    absl::StatusOr<std::vector<v1::Report>> part =
        ReadReports(out, OutputFormat::kBinary);
    ASSERT_TRUE(part.ok()) << part.status();
    all.insert(all.end(), part->begin(), part->end());
  }
  EXPECT_EQ(Findings(all), ListedOnlyTruth(Network10_1(), *truth_));
}

// Two bulk runs at once against one server, as when two people (or a
// resolver's other clients) share it: each fills the server's socket buffer
// while the other is sending, so losses come in runs. Every result of both
// must still come back right (copies back off and there are six of them),
// never ERROR.
TEST_F(BulkTest, TwoRunsSharingOneServerBothGetEveryResult) {
  std::string input = WriteInput("shared.in", "10.1.0.0/18\n");
  std::vector<std::string> outputs = {TempPath("shared-a.json"),
                                      TempPath("shared-b.json")};
  std::vector<testing::RunningCommand> runs;
  for (const std::string& out : outputs) {
    std::remove(out.c_str());
    absl::StatusOr<testing::RunningCommand> run =
        testing::RunningCommand::Start(BulkArgv({"--output=" + out, input}));
    ASSERT_TRUE(run.ok()) << run.status();
    runs.push_back(*std::move(run));
  }
  for (size_t i = 0; i < runs.size(); ++i) {
    testing::CommandResult result = runs[i].Wait();
    EXPECT_EQ(result.exit_code, 1) << result.err;
    absl::StatusOr<std::vector<v1::Report>> reports =
        ReadReports(outputs[i], OutputFormat::kJson);
    ASSERT_TRUE(reports.ok()) << reports.status();
    EXPECT_EQ(reports->size(), 1u << 14);
    Verify(*reports);
  }
}

TEST_F(BulkTest, InterruptFinishesInFlightFlushesAndExits130) {
  // A slow path, so the run is surely still going when interrupted.
  testing::FaultProxyOptions proxy_options;
  proxy_options.upstream_port = server_->port();
  proxy_options.delay = absl::Milliseconds(10);
  absl::StatusOr<std::unique_ptr<testing::FaultProxy>> proxy =
      testing::FaultProxy::Start(proxy_options);
  ASSERT_TRUE(proxy.ok());
  std::string input = WriteInput("int.in", "10.1.0.0/18\n");
  std::string out = TempPath("int.json");
  std::remove(out.c_str());
  std::vector<std::string> argv = {testing::RunfilePath("cli/dnsbl"),
                                   "bulk",
                                   "--nameserver=" + (*proxy)->endpoint(),
                                   "--catalog=" + *catalog_path_,
                                   "--notxt",
                                   "--max_inflight=64",
                                   "--output=" + out,
                                   input};
  absl::StatusOr<testing::RunningCommand> run =
      testing::RunningCommand::Start(argv);
  ASSERT_TRUE(run.ok());
  absl::SleepFor(absl::Milliseconds(500));
  run->Signal(SIGINT);
  testing::CommandResult r = run->Wait();
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_THAT(r.err, HasSubstr("INTERRUPTED"));
  // Every line written is whole, and the summary counts them all.
  absl::StatusOr<std::vector<v1::Report>> reports =
      ReadReports(out, OutputFormat::kJson);
  ASSERT_TRUE(reports.ok()) << reports.status();
  EXPECT_GT(reports->size(), 0u);
  EXPECT_LT(reports->size(), 1u << 14);
  EXPECT_THAT(r.err, HasSubstr(absl::StrCat("dnsbl bulk: ", reports->size(),
                                            " addresses checked")));
  Verify(*reports);
  // The rest, resumed straight against the server.
  absl::StatusOr<testing::CommandResult> resumed =
      testing::RunCommand(BulkArgv({"--output=" + out, "--resume", input}));
  ASSERT_TRUE(resumed.ok());
  reports = ReadReports(out, OutputFormat::kJson);
  EXPECT_EQ(reports->size(), 1u << 14);
  Verify(*reports);
}

// Through 5% loss each way with jitter, the window backs off and every
// result still comes back correct.
TEST_F(BulkTest, AdaptiveWindowKeepsEveryResultCorrectThroughLoss) {
  testing::FaultProxyOptions proxy_options;
  proxy_options.upstream_port = server_->port();
  proxy_options.delay = absl::Milliseconds(2);
  proxy_options.jitter = absl::Milliseconds(3);
  proxy_options.loss = 0.05;
  absl::StatusOr<std::unique_ptr<testing::FaultProxy>> proxy =
      testing::FaultProxy::Start(proxy_options);
  ASSERT_TRUE(proxy.ok()) << proxy.status();
  std::string out = TempPath("lossy.bin");
  BulkOptions options = Options(out, OutputFormat::kBinary);
  options.checker.nameservers = {(*proxy)->endpoint()};
  options.checker.timeout = absl::Milliseconds(150);
  options.checker.tries = 8;
  absl::StatusOr<std::unique_ptr<BulkRunner>> runner =
      BulkRunner::Create(std::move(options));
  ASSERT_TRUE(runner.ok()) << runner.status();
  std::istringstream in("10.1.0.0/20\n192.0.2.0/24\n");
  absl::StatusOr<BulkSummary> summary = (*runner)->Run(&in);
  ASSERT_TRUE(summary.ok()) << summary.status();
  absl::StatusOr<std::vector<v1::Report>> reports =
      ReadReports(out, OutputFormat::kBinary);
  ASSERT_TRUE(reports.ok());
  ASSERT_EQ(reports->size(), 4096u + 256);
  Verify(*reports);
  EXPECT_TRUE(summary->verdicts.errors.empty());
  testing::FaultProxy::Counters c = (*proxy)->counters();
  EXPECT_GT(c.dropped_queries + c.dropped_answers, 200);
  EXPECT_GT(summary->dns.lost, 100);
  EXPECT_GE(summary->dns.decreases, 1);
}

}  // namespace
}  // namespace dnsbl

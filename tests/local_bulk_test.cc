// `dnsbl bulk` over local zone data on several threads: the same reports as
// one thread (in another order), --listed_only, shards, and a kill at a
// random moment then --resume, all against the ground truth of the files.

#include <signal.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "dnsbl/dnsbl.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/subprocess.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;

constexpr int kZones = 4;

std::string TempPath(const std::string& name) {
  return absl::StrCat(std::getenv("TEST_TMPDIR"), "/", name);
}

class LocalBulkTest : public ::testing::Test {
 protected:
  // Four zones over 10.9.0.0/16, about 8% of it listed in each; the last
  // zone is two datasets (an IPv4 set and an IPv4 trie) and lists some
  // addresses twice with the same value.
  static void SetUpTestSuite() {
    listed_ = new std::vector<std::set<std::string>>(kZones);
    flags_ = new std::vector<std::string>();
    std::mt19937 rng(11);
    std::string catalog;
    for (int z = 0; z < kZones; ++z) {
      const std::string zone = absl::StrCat("l", z, ".test");
      std::string text = absl::StrCat(":2:listed in ", zone, " $\n");
      std::string trie = ":2:also $\n";
      for (int i = 0; i < (1 << 16); ++i) {
        if (rng() % 12 != 0) continue;
        const std::string ip = absl::StrCat("10.9.", i / 256, ".", i % 256);
        (*listed_)[z].insert(ip);
        if (z == kZones - 1 && rng() % 2 == 0) {
          absl::StrAppend(&trie, ip, "/32\n");
          if (rng() % 2 == 0) absl::StrAppend(&text, ip, "\n");
        } else {
          absl::StrAppend(&text, ip, "\n");
        }
      }
      const std::string path = TempPath(zone + ".zone");
      std::ofstream(path) << text;
      flags_->push_back(absl::StrCat("--zone_data=", zone, ":ip4set:", path));
      if (z == kZones - 1) {
        const std::string trie_path = TempPath(zone + ".trie");
        std::ofstream(trie_path) << trie;
        flags_->push_back(
            absl::StrCat("--zone_data=", zone, ":ip4trie:", trie_path));
      }
      absl::StrAppend(&catalog, "zone { name: \"", zone,
                      "\" ipv4: true default_category: SPAM_SOURCE }\n");
    }
    // An IPv6-only zone: not asked about IPv4 addresses, never a finding.
    const std::string v6 = TempPath("v6.zone");
    std::ofstream(v6) << "2001:db8::/32\n";
    flags_->push_back("--zone_data=six.test:ip6trie:" + v6);
    absl::StrAppend(&catalog, "zone { name: \"six.test\" ipv6: true }\n");
    const std::string catalog_path = TempPath("local.textproto");
    std::ofstream(catalog_path) << catalog;
    flags_->push_back("--catalog=" + catalog_path);
    input_ = new std::string(TempPath("local.in"));
    std::ofstream(*input_) << "10.9.0.0/16\n";
  }

  static void TearDownTestSuite() {
    delete listed_;
    delete flags_;
    delete input_;
  }

  static std::vector<std::string> Argv(const std::vector<std::string>& extra) {
    std::vector<std::string> argv = {testing::RunfilePath("cli/dnsbl"), "bulk",
                                     "--progress=never"};
    argv.insert(argv.end(), flags_->begin(), flags_->end());
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(*input_);
    return argv;
  }

  // Address -> its zones' statuses, checked against the truth; each
  // address once.
  static std::map<std::string, std::string> Verify(
      const std::vector<v1::Report>& reports) {
    std::map<std::string, std::string> out;
    for (const v1::Report& report : reports) {
      EXPECT_EQ(out.count(report.address()), 0u) << report.address();
      std::string seen;
      for (const v1::ZoneResult& r : report.results()) {
        if (r.zone() == "six.test") {
          EXPECT_EQ(r.status(), v1::SKIPPED);
          continue;
        }
        const int z = r.zone()[1] - '0';
        const bool truly = (*listed_)[z].count(report.address()) > 0;
        EXPECT_EQ(r.status(), truly ? v1::LISTED : v1::NOT_LISTED)
            << report.address() << " " << r.zone();
        if (truly) {
          EXPECT_THAT(r.codes(), ::testing::ElementsAre("127.0.0.2"));
        }
        absl::StrAppend(&seen, r.zone(), "=", v1::Status_Name(r.status()), " ");
      }
      out[report.address()] = seen;
    }
    return out;
  }

  // The addresses some zone lists, with their listing zones.
  static std::map<std::string, std::string> ListedTruth() {
    std::map<std::string, std::string> out;
    for (int i = 0; i < (1 << 16); ++i) {
      const std::string ip = absl::StrCat("10.9.", i / 256, ".", i % 256);
      std::string seen;
      for (int z = 0; z < kZones; ++z) {
        if ((*listed_)[z].count(ip) > 0) {
          absl::StrAppend(&seen, "l", z, ".test=LISTED ");
        }
      }
      if (!seen.empty()) out[ip] = seen;
    }
    return out;
  }

  static std::vector<v1::Report> Read(const std::string& path,
                                      OutputFormat format) {
    absl::StatusOr<std::vector<v1::Report>> reports = ReadReports(path, format);
    EXPECT_TRUE(reports.ok()) << reports.status();
    return reports.ok() ? *reports : std::vector<v1::Report>();
  }

  static std::vector<std::set<std::string>>* listed_;
  static std::vector<std::string>* flags_;
  static std::string* input_;
};

std::vector<std::set<std::string>>* LocalBulkTest::listed_ = nullptr;
std::vector<std::string>* LocalBulkTest::flags_ = nullptr;
std::string* LocalBulkTest::input_ = nullptr;

TEST_F(LocalBulkTest, ThreadsWriteTheSameReportsAsOne) {
  std::map<std::string, std::string> reference;
  for (int threads : {1, 2, 3}) {
    SCOPED_TRACE(absl::StrCat(threads, " threads"));
    const std::string out = TempPath(absl::StrCat("threads", threads, ".bin"));
    absl::StatusOr<testing::CommandResult> r =
        testing::RunCommand(Argv({"--format=binary", "--output=" + out,
                                  absl::StrCat("--threads=", threads)}));
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->exit_code, 1) << r->err;
    if (threads > 1) {
      EXPECT_THAT(r->err, HasSubstr(absl::StrCat("on ", threads, " threads")));
    }
    const std::vector<v1::Report> reports = Read(out, OutputFormat::kBinary);
    ASSERT_EQ(reports.size(), 1u << 16);
    for (const v1::Report& report : reports) {
      // Nothing asked over DNS, and the report says so.
      EXPECT_EQ(report.resolution(), v1::LOCAL);
      EXPECT_EQ(report.resolver(), "local zone data");
    }
    const std::map<std::string, std::string> seen = Verify(reports);
    if (threads == 1) {
      reference = seen;
    } else {
      EXPECT_EQ(seen, reference);
    }
  }
}

TEST_F(LocalBulkTest, ListedOnlyOnThreadsWritesEachListingOnce) {
  const std::string out = TempPath("listed.json");
  absl::StatusOr<testing::CommandResult> r = testing::RunCommand(
      Argv({"--listed_only", "--threads=2", "--output=" + out}));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->exit_code, 1) << r->err;
  const std::map<std::string, std::string> truth = ListedTruth();
  EXPECT_EQ(Verify(Read(out, OutputFormat::kJson)), truth);
  EXPECT_THAT(r->err, HasSubstr(absl::StrCat("clean, not written (listed "
                                             "only): ",
                                             (1 << 16) - truth.size())));
}

TEST_F(LocalBulkTest, ShardsOnThreadsAddUpToOneRun) {
  std::vector<v1::Report> all;
  for (int k = 0; k < 3; ++k) {
    const std::string out = TempPath(absl::StrCat("shard", k, ".csv"));
    absl::StatusOr<testing::CommandResult> r = testing::RunCommand(
        Argv({"--listed_only", "--threads=2", "--output=" + out,
              absl::StrCat("--shard=", k, "/3"), "--format=json"}));
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->exit_code, 1) << r->err;
    const std::vector<v1::Report> part = Read(out, OutputFormat::kJson);
    all.insert(all.end(), part.begin(), part.end());
  }
  EXPECT_EQ(Verify(all), ListedTruth());
}

// Killed at a random moment and resumed, with and without --listed_only:
// every address reported exactly once, as one whole run reports it.
TEST_F(LocalBulkTest, KilledOnThreadsThenResumedLosesNothing) {
  std::random_device seed;
  std::mt19937 rng(seed());
  for (bool listed_only : {false, true}) {
    const std::string out = TempPath("killed.json");
    std::vector<std::string> flags = {"--threads=2", "--output=" + out,
                                      "--checkpoint_interval=5ms"};
    if (listed_only) flags.push_back("--listed_only");
    std::remove(out.c_str());
    const absl::Time start = absl::Now();
    absl::StatusOr<testing::CommandResult> whole =
        testing::RunCommand(Argv(flags));
    const absl::Duration run_time = absl::Now() - start;
    ASSERT_TRUE(whole.ok());
    ASSERT_EQ(whole->exit_code, 1) << whole->err;
    const std::map<std::string, std::string> expected =
        Verify(Read(out, OutputFormat::kJson));
    ASSERT_EQ(expected.size(), listed_only ? ListedTruth().size() : 1u << 16);
    for (int round = 0; round < 2; ++round) {
      const absl::Duration delay =
          run_time * std::uniform_real_distribution<double>(0.2, 0.9)(rng);
      SCOPED_TRACE(absl::StrCat(listed_only ? "listed only, " : "",
                                "killed after ", absl::FormatDuration(delay),
                                " of ", absl::FormatDuration(run_time)));
      std::remove(out.c_str());
      absl::StatusOr<testing::RunningCommand> run =
          testing::RunningCommand::Start(Argv(flags));
      ASSERT_TRUE(run.ok());
      absl::SleepFor(delay);
      run->Signal(SIGKILL);
      run->Wait();
      std::vector<std::string> resume = flags;
      resume.push_back("--resume");
      absl::StatusOr<testing::CommandResult> resumed =
          testing::RunCommand(Argv(resume));
      ASSERT_TRUE(resumed.ok());
      EXPECT_TRUE(resumed->exit_code == 0 || resumed->exit_code == 1)
          << resumed->err;
      EXPECT_EQ(Verify(Read(out, OutputFormat::kJson)), expected);
    }
  }
}

}  // namespace
}  // namespace dnsbl

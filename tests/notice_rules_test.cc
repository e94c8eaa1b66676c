// The rules that keep notices honest and polite, end to end against real
// servers on loopback: two rbldnsd instances playing the blocklists as they
// were when a bulk run gathered evidence ("before") and as they are now
// ("now": 192.0.2.7 is also listed as a spam source, 192.0.2.8 was
// delisted), and a real SMTP server (tests/smtp_sink.py).
// - Fresh evidence or no letter: --max_age, --recheck.
// - Never pester: --renotify_after, keyed by mailbox, address and claim.
// - Good mail citizenship: Auto-Submitted, Reply-To, envelope sender,
//   --smtp_rate.

#include <sys/stat.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/mail_server.h"
#include "tests/rbldnsd_server.h"
#include "tests/subprocess.h"

namespace dnsbl {
namespace {

using testing::FilesIn;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ReadFile;

constexpr char kCatalog[] = R"pb(
  zone {
    name: "relays.test"
    ipv4: true
    code { value: "127.0.0.2" category: OPEN_RELAY meaning: "open relay" }
  }
  zone {
    name: "spam.test"
    ipv4: true
    code { value: "127.0.0.2" category: SPAM_SOURCE meaning: "spam trap hits" }
  }
)pb";

// One desk for 192.0.2.0/24; three for 198.51.100.0/24 (the rate test).
constexpr char kContacts[] =
    "192.0.2.0/24 :127.0.0.2:abuse@a.example\n"
    "198.51.100.0/26 :127.0.0.2:abuse@d1.example\n"
    "198.51.100.64/26 :127.0.0.2:abuse@d2.example\n"
    "198.51.100.128/26 :127.0.0.2:abuse@d3.example\n";

class NoticeRulesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<testing::RbldnsdServer>> before =
        testing::RbldnsdServer::Start({
            {"relays.test", "ip4set",
             "192.0.2.7\n192.0.2.8\n198.51.100.1\n198.51.100.65\n"
             "198.51.100.129\n"},
            {"spam.test", "ip4set", ""},
            {"abuse-contacts.abusix.zone", "ip4trie", kContacts},
        });
    ASSERT_TRUE(before.ok()) << before.status();
    before_ = before->release();
    absl::StatusOr<std::unique_ptr<testing::RbldnsdServer>> now =
        testing::RbldnsdServer::Start({
            {"relays.test", "ip4set", "192.0.2.7\n"},
            {"spam.test", "ip4set", "192.0.2.7\n"},
            {"abuse-contacts.abusix.zone", "ip4trie", kContacts},
        });
    ASSERT_TRUE(now.ok()) << now.status();
    now_ = now->release();
  }

  static void TearDownTestSuite() {
    delete before_;
    delete now_;
  }

  void SetUp() override {
    dir_ = absl::StrCat(
        std::getenv("TEST_TMPDIR"), "/",
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    mkdir(dir_.c_str(), 0700);
    catalog_ = dir_ + "/catalog.textproto";
    std::ofstream(catalog_) << kCatalog;
  }

  // Runs `dnsbl COMMAND` asking `dns` with the test catalog and `args`.
  testing::CommandResult Dnsbl(const std::string& command,
                               const testing::RbldnsdServer& dns,
                               std::vector<std::string> args) {
    std::vector<std::string> argv = {testing::RunfilePath("cli/dnsbl"), command,
                                     "--nameserver=" + dns.endpoint(),
                                     "--catalog=" + catalog_,
                                     "--contact_sources=abusix"};
    argv.insert(argv.end(), args.begin(), args.end());
    absl::StatusOr<testing::CommandResult> r = testing::RunCommand(argv);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : testing::CommandResult();
  }

  // A bulk run over `addresses` asking `dns`: the evidence, as a file.
  std::string Evidence(
      const testing::RbldnsdServer& dns, const std::string& name,
      const std::string& addresses = "192.0.2.7\n192.0.2.8\n") {
    const std::string input = dir_ + "/input.txt";
    std::ofstream(input) << addresses;
    const std::string out = dir_ + "/" + name + ".jsonl";
    testing::CommandResult r =
        Dnsbl("bulk", dns,
              {"--progress=never", "--contacts", "--output=" + out, input});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    return out;
  }

  // Moves every time in OUTDIR/notified.tsv back by `age`, as if the
  // notices had been sent that much earlier.
  void AgeNotified(const std::string& outdir, absl::Duration age) {
    const std::string path = outdir + "/notified.tsv";
    std::vector<std::string> lines;
    for (absl::string_view line :
         absl::StrSplit(ReadFile(path), '\n', absl::SkipEmpty())) {
      std::vector<std::string> fields = absl::StrSplit(line, '\t');
      absl::Time t;
      std::string error;
      ASSERT_TRUE(absl::ParseTime(absl::RFC3339_full, fields[0], &t, &error))
          << line;
      fields[0] =
          absl::FormatTime(absl::RFC3339_full, t - age, absl::UTCTimeZone());
      lines.push_back(absl::StrJoin(fields, "\t"));
    }
    std::ofstream(path) << absl::StrJoin(lines, "\n") << "\n";
  }

  static testing::RbldnsdServer* before_;
  static testing::RbldnsdServer* now_;
  std::string dir_;
  std::string catalog_;
};

testing::RbldnsdServer* NoticeRulesTest::before_ = nullptr;
testing::RbldnsdServer* NoticeRulesTest::now_ = nullptr;

TEST_F(NoticeRulesTest, OldEvidenceIsReCheckedOrRefused) {
  const std::string evidence = Evidence(*before_, "before");
  const std::string out = dir_ + "/notices";
  // Fresh evidence (default --max_age=24h): one letter for the desk.
  testing::CommandResult r = Dnsbl(
      "notice", *now_,
      {"--from=desk@example.org", "--reports=" + evidence, "--outdir=" + out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(FilesIn(out, ".eml").size(), 1u);
  std::string letter = ReadFile(out + "/" + FilesIn(out, ".eml")[0]);
  EXPECT_THAT(letter, HasSubstr("192.0.2.8"));

  // Older than --max_age, not re-checked: no letter, and why.
  const std::string refused = dir_ + "/refused";
  r = Dnsbl("notice", *now_,
            {"--from=desk@example.org", "--reports=" + evidence,
             "--outdir=" + refused, "--max_age=1ms", "--norecheck"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(FilesIn(refused, ".eml"), ::testing::IsEmpty());
  const std::string why = ReadFile(refused + "/without-notice.tsv");
  EXPECT_THAT(why, HasSubstr("192.0.2.7\tthe evidence of "));
  EXPECT_THAT(why, HasSubstr("is older than 1ms: no notice on old evidence"));
  EXPECT_THAT(r.err, HasSubstr("2 listing(s) older than --max_age=1ms: not "
                               "re-checked"));

  // Re-checked against the blocklists of now: .8 was delisted and gets
  // nothing; .7's letter claims what is listed now and says it was
  // re-confirmed.
  const std::string rechecked = dir_ + "/rechecked";
  r = Dnsbl("notice", *now_,
            {"--from=desk@example.org", "--reports=" + evidence,
             "--outdir=" + rechecked, "--max_age=1ms", "--recheck"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("1 re-confirmed, 1 not confirmed"));
  ASSERT_EQ(FilesIn(rechecked, ".eml").size(), 1u);
  letter = ReadFile(rechecked + "/" + FilesIn(rechecked, ".eml")[0]);
  EXPECT_THAT(letter, HasSubstr("Subject: Abuse notice for 192.0.2.7: open "
                                "mail relay, spam source"));
  EXPECT_THAT(letter, HasSubstr("(re-confirmed; first found"));
  EXPECT_THAT(letter, Not(HasSubstr("192.0.2.8")));
  EXPECT_THAT(ReadFile(rechecked + "/without-notice.tsv"),
              HasSubstr("192.0.2.8\tre-checked "));
  EXPECT_THAT(ReadFile(rechecked + "/without-notice.tsv"),
              HasSubstr("listed by none of the 2 blocklists that answered; "
                        "the listing of "));
}

TEST_F(NoticeRulesTest, ADeskIsNotPesteredButHearsOfAStrongerClaim) {
  const std::string sink = dir_ + "/smtp";
  absl::StatusOr<std::unique_ptr<testing::MailServer>> server =
      testing::MailServer::Start(sink, "tests/smtp_sink.py");
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string out = dir_ + "/notices";
  auto send = [&](const testing::RbldnsdServer& dns,
                  const std::string& evidence) {
    return Dnsbl(
        "notice", dns,
        {"--from=desk@example.org", "--reports=" + evidence, "--outdir=" + out,
         "--send", "--smtp=smtp://127.0.0.1:" + (*server)->port()});
  };
  testing::CommandResult r = send(*before_, Evidence(*before_, "day0"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("1 sent"));
  ASSERT_EQ(FilesIn(sink, ".eml").size(), 1u);

  // New evidence of the same listings (other bytes, other Message-ID): the
  // desk was told just now, and a day later still within the 7 days.
  r = send(*before_, Evidence(*before_, "day0-again"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("0 sent, 0 sent before, 0 failed; 2 "
                               "address(es) not notified again"));
  AgeNotified(out, absl::Hours(24));
  r = send(*before_, Evidence(*before_, "day1"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("0 sent"));
  EXPECT_EQ(FilesIn(sink, ".eml").size(), 1u);
  EXPECT_THAT(ReadFile(out + "/without-notice.tsv"),
              HasSubstr("192.0.2.7\tabuse@a.example was sent a notice about "
                        "it on "));

  // The claim grew (.7 is now also a spam source): the desk hears of it,
  // and only of it; .8 is no longer listed.
  r = send(*now_, Evidence(*now_, "day2"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("1 sent"));
  std::vector<std::string> received = FilesIn(sink, ".eml");
  ASSERT_EQ(received.size(), 2u);
  const std::string news = ReadFile(sink + "/2.eml");
  EXPECT_THAT(news, HasSubstr("Subject: Abuse notice for 192.0.2.7: open mail "
                              "relay, spam source"));

  // Eight days on, the same listings are worth one reminder.
  AgeNotified(out, absl::Hours(8 * 24));
  r = send(*now_, Evidence(*now_, "day10"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("1 sent"));
  EXPECT_EQ(FilesIn(sink, ".eml").size(), 3u);
}

TEST_F(NoticeRulesTest, AutoRespondersRepliesAndBouncesGoWhereTheyShould) {
  const std::string sink = dir_ + "/smtp";
  absl::StatusOr<std::unique_ptr<testing::MailServer>> server =
      testing::MailServer::Start(sink, "tests/smtp_sink.py");
  ASSERT_TRUE(server.ok()) << server.status();
  testing::CommandResult r =
      Dnsbl("notice", *before_,
            {"--from=desk@example.org", "--reply_to=tickets@example.org",
             "--bounce_to=bounces@example.org",
             "--reports=" + Evidence(*before_, "evidence"),
             "--outdir=" + dir_ + "/notices", "--send",
             "--smtp=smtp://127.0.0.1:" + (*server)->port()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(FilesIn(sink, ".eml").size(), 1u);
  const std::string message = ReadFile(sink + "/1.eml");
  EXPECT_THAT(message, HasSubstr("\r\nAuto-Submitted: auto-generated\r\n"));
  EXPECT_THAT(message, HasSubstr("\r\nReply-To: tickets@example.org\r\n"));
  EXPECT_THAT(message, HasSubstr("From: desk@example.org\r\n"));
  EXPECT_THAT(message, HasSubstr("please reply to tickets@example.org."));
  EXPECT_EQ(ReadFile(sink + "/1.env"),
            "bounces@example.org\nabuse@a.example\n");

  // A bad --reply_to is a usage error naming it.
  r = Dnsbl(
      "notice", *before_,
      {"--from=desk@example.org", "--reply_to=not a mailbox", "192.0.2.7"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("reply_to"));
}

TEST_F(NoticeRulesTest, SmtpRateSpacesTheMessages) {
  // Three desks, three messages; at 4 a second they take at least half a
  // second (a lower bound: the machine can only make it slower).
  const std::string sink = dir_ + "/smtp";
  absl::StatusOr<std::unique_ptr<testing::MailServer>> server =
      testing::MailServer::Start(sink, "tests/smtp_sink.py");
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string evidence =
      Evidence(*before_, "e", "198.51.100.1\n198.51.100.65\n198.51.100.129\n");
  const absl::Time start = absl::Now();
  testing::CommandResult r =
      Dnsbl("notice", *before_,
            {"--from=desk@example.org", "--reports=" + evidence,
             "--outdir=" + dir_ + "/notices", "--send", "--smtp_rate=4",
             "--smtp=smtp://127.0.0.1:" + (*server)->port()});
  const absl::Duration took = absl::Now() - start;
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(FilesIn(sink, ".eml").size(), 3u);
  EXPECT_GE(took, absl::Milliseconds(500));
}

}  // namespace
}  // namespace dnsbl

// `dnsbl notice` end to end, against real servers on loopback: rbldnsd
// serving blocklists and an Abusix-shaped contact zone, and a real SMTP
// server (aiosmtpd, tests/smtp_sink.py). Every message is parsed back by
// Python's email package (tests/notice_check.py), as a mail client would:
// headers, encodings, and the attached reports equal to the bulk output
// they came from. Ground truth for which address gets which notice.

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/mail_server.h"
#include "tests/rbldnsd_server.h"
#include "tests/subprocess.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kCatalog[] = R"pb(
  zone {
    name: "relays.test"
    ipv4: true
    code { value: "127.0.0.2" category: OPEN_RELAY meaning: "open relay" }
    lookup_url: "https://relays.test/lookup?ip={ip}"
  }
  zone {
    name: "spam.test"
    ipv4: true
    code { value: "127.0.0.2" category: SPAM_SOURCE meaning: "spam trap hits" }
  }
  zone {
    name: "pbl.test"
    ipv4: true
    code { value: "127.0.0.10" category: POLICY meaning: "end-user range" }
  }
)pb";

using testing::FilesIn;
using testing::ReadFile;

class NoticeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<testing::RbldnsdServer>> dns =
        testing::RbldnsdServer::Start({
            // .7 open relay (desk A); .8 spam (desk A); .9 policy only;
            // .130 open relay and spam (desk B and a refusing mailbox);
            // 198.51.100.5 open relay without any contact.
            {"relays.test", "ip4set", "192.0.2.7\n192.0.2.130\n198.51.100.5\n"},
            {"spam.test", "ip4set", "192.0.2.8\n192.0.2.130\n"},
            {"pbl.test", "ip4set", ":127.0.0.10:\n192.0.2.9\n"},
            {"abuse-contacts.abusix.zone", "ip4trie",
             "192.0.2.0/25 :127.0.0.2:abuse@a.example\n"
             "192.0.2.128/25 :127.0.0.2:abuse@b.example reject@b.example\n"},
        });
    ASSERT_TRUE(dns.ok()) << dns.status();
    dns_ = dns->release();
    dir_ = new std::string(absl::StrCat(std::getenv("TEST_TMPDIR"), "/notice"));
    mkdir(dir_->c_str(), 0700);
    catalog_ = new std::string(*dir_ + "/catalog.textproto");
    std::ofstream(*catalog_) << kCatalog;
  }

  static void TearDownTestSuite() {
    delete dns_;
    delete dir_;
    delete catalog_;
  }

  // Runs `dnsbl notice` with the test servers and `args`.
  static testing::CommandResult Notice(std::vector<std::string> args) {
    std::vector<std::string> argv = {
        testing::RunfilePath("cli/dnsbl"), "notice",
        "--nameserver=" + dns_->endpoint(), "--catalog=" + *catalog_,
        "--contact_sources=abusix"};
    argv.insert(argv.end(), args.begin(), args.end());
    absl::StatusOr<testing::CommandResult> r = testing::RunCommand(argv);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : testing::CommandResult();
  }

  // Parses `path` with tests/notice_check.py; returns its output.
  static testing::CommandResult PythonCheck(std::vector<std::string> args) {
    std::vector<std::string> argv = {
        "/usr/bin/python3", testing::RunfilePath("tests/notice_check.py")};
    argv.insert(argv.end(), args.begin(), args.end());
    absl::StatusOr<testing::CommandResult> r = testing::RunCommand(argv);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : testing::CommandResult();
  }

  static std::string BulkReports() {
    const std::string input = *dir_ + "/bulk-input.txt";
    std::ofstream(input) << "192.0.2.7\n192.0.2.8\n192.0.2.9\n192.0.2.50\n"
                            "192.0.2.130\n198.51.100.5\n";
    const std::string out = *dir_ + "/reports.jsonl";
    absl::StatusOr<testing::CommandResult> r = testing::RunCommand(
        {testing::RunfilePath("cli/dnsbl"), "bulk", "--progress=never",
         "--nameserver=" + dns_->endpoint(), "--catalog=" + *catalog_,
         "--contacts", "--contact_sources=abusix", "--output=" + out, input});
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r->exit_code, 1) << r->err;
    return out;
  }

  static testing::RbldnsdServer* dns_;
  static std::string* dir_;
  static std::string* catalog_;
};

testing::RbldnsdServer* NoticeTest::dns_ = nullptr;
std::string* NoticeTest::dir_ = nullptr;
std::string* NoticeTest::catalog_ = nullptr;

TEST_F(NoticeTest, OneAddressInDanishParsesAsAValidMessage) {
  testing::CommandResult r =
      Notice({"--lang=da", "--from=desk@example.org", "192.0.2.7"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string eml = *dir_ + "/one-da.eml";
  std::ofstream(eml, std::ios::binary) << r.out;
  testing::CommandResult check = PythonCheck({eml});
  ASSERT_EQ(check.exit_code, 0) << check.err;
  EXPECT_THAT(check.out,
              HasSubstr("Meddelelse om misbrug for 192.0.2.7: åbent mail "
                        "relay\tabuse@a.example\t192.0.2.7\n"));
  EXPECT_THAT(check.out, HasSubstr("IP-adressen 192.0.2.7 kan være et åbent "
                                   "mail relay."));
  EXPECT_THAT(check.out, HasSubstr("opslag: "
                                   "https://relays.test/lookup?ip=192.0.2.7"));
  EXPECT_THAT(check.out,
              HasSubstr("Misbrugskontakt: abuse@a.example [abusix]"));
}

TEST_F(NoticeTest, ClaimsAreNeverStrongerThanTheEvidence) {
  testing::CommandResult spam =
      Notice({"--format=text", "--from=desk@example.org", "192.0.2.8"});
  ASSERT_EQ(spam.exit_code, 0) << spam.err;
  EXPECT_THAT(spam.out, HasSubstr("is listed as a spam source."));
  EXPECT_THAT(spam.out, Not(HasSubstr("open mail relay")));
  EXPECT_THAT(spam.out, Not(HasSubstr("open proxy")));

  // Policy only and not listed: nothing to send, said why, exit 0.
  testing::CommandResult none =
      Notice({"--from=desk@example.org", "192.0.2.9", "192.0.2.50"});
  EXPECT_EQ(none.exit_code, 0);
  EXPECT_THAT(none.out, IsEmpty());
  EXPECT_THAT(none.err, HasSubstr("no notice for 192.0.2.9: listed only by "
                                  "policy lists (pbl.test)"));
  EXPECT_THAT(none.err, HasSubstr("no notice for 192.0.2.50: listed by none"));
}

TEST_F(NoticeTest, BadInputIsExitTwoNamingIt) {
  const std::string bad = *dir_ + "/bad-template.txt";
  std::ofstream(bad) << "Hello {adress}\n";
  testing::CommandResult r =
      Notice({"--from=desk@example.org", "--template=" + bad, "192.0.2.7"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("'{adress}' on line 1"));
  r = Notice({"--from=desk@example.org",
              "--template=" + *dir_ + "/no-such-file", "192.0.2.7"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("no-such-file"));
  r = Notice({"--from=not an address", "192.0.2.7"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--from"));
  r = Notice({"--from=desk@example.org", "--lang=fr", "192.0.2.7"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("'fr'"));
  r = Notice({"192.0.2.7"});
  EXPECT_EQ(r.exit_code, 2);
}

TEST_F(NoticeTest, CustomTemplate) {
  const std::string path = *dir_ + "/mine.txt";
  std::ofstream(path) << "Olá! {address} {claim}.\n{evidence}\n{{fim}}\n";
  testing::CommandResult r =
      Notice({"--format=text", "--lang=pt", "--from=desk@example.org",
              "--template=" + path, "192.0.2.7"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Olá! 192.0.2.7 pode ser um servidor de correio aberto (“open "
            "relay”).\n"
            "- relays.test: listado como servidor de correio aberto (“open "
            "relay”)\n"
            "  código 127.0.0.2 (significado segundo a base de dados, "
            "citado: \"open\n"
            "  relay\")\n"
            "  consulta: https://relays.test/lookup?ip=192.0.2.7\n"
            "{fim}\n");
}

TEST_F(NoticeTest, BulkReportsBecomeOneMessagePerAbuseDesk) {
  const std::string reports = BulkReports();
  const std::string out = *dir_ + "/per-desk";
  testing::CommandResult r = Notice(
      {"--from=desk@example.org", "--reports=" + reports, "--outdir=" + out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> files = FilesIn(out, ".eml");
  ASSERT_EQ(files.size(), 3u) << r.err;
  std::set<std::string> seen;
  for (const std::string& f : files) {
    testing::CommandResult check = PythonCheck({out + "/" + f, reports});
    ASSERT_EQ(check.exit_code, 0) << f << check.err;
    seen.insert(std::string(check.out.substr(0, check.out.find('\n'))));
  }
  EXPECT_EQ(seen, (std::set<std::string>{
                      "Abuse notice: 2 IP addresses in your network\t"
                      "abuse@a.example\t192.0.2.7,192.0.2.8",
                      "Abuse notice for 192.0.2.130: open mail relay, spam "
                      "source\tabuse@b.example\t192.0.2.130",
                      "Abuse notice for 192.0.2.130: open mail relay, spam "
                      "source\treject@b.example\t192.0.2.130"}));
  const std::string summary = ReadFile(out + "/without-notice.tsv");
  EXPECT_THAT(summary, HasSubstr("192.0.2.9\tlisted only by policy lists"));
  EXPECT_THAT(summary, HasSubstr("192.0.2.50\tlisted by none"));
  EXPECT_THAT(summary,
              HasSubstr("198.51.100.5\tlisted, but no abuse contact is known"));

  // A re-run writes the same files, byte for byte, and no more.
  std::vector<std::string> before;
  for (const std::string& f : files) before.push_back(ReadFile(out + "/" + f));
  r = Notice(
      {"--from=desk@example.org", "--reports=" + reports, "--outdir=" + out});
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(FilesIn(out, ".eml"), files);
  for (size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(ReadFile(out + "/" + files[i]), before[i]) << files[i];
  }

  // The same as one mbox.
  const std::string mbox = *dir_ + "/notices.mbox";
  r = Notice(
      {"--from=desk@example.org", "--reports=" + reports, "--mbox=" + mbox});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  testing::CommandResult check = PythonCheck({"--mbox", mbox, "3"});
  EXPECT_EQ(check.exit_code, 0) << check.err;
}

TEST_F(NoticeTest, SendingThroughARealSmtpServer) {
  const std::string sink = *dir_ + "/smtp";
  absl::StatusOr<std::unique_ptr<testing::MailServer>> server =
      testing::MailServer::Start(sink, "tests/smtp_sink.py");
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string smtp =
      absl::StrCat("--smtp=smtp://127.0.0.1:", (*server)->port());
  const std::string reports = BulkReports();
  const std::string out = *dir_ + "/sent";
  testing::CommandResult r =
      Notice({"--from=desk@example.org", "--reports=" + reports,
              "--outdir=" + out, "--send", smtp});
  // The refusing mailbox fails; the two others are sent all the same.
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_THAT(r.err, HasSubstr("2 sent, 0 sent before, 1 failed"));
  EXPECT_THAT(r.err, HasSubstr("reject@b.example: SMTP"));
  std::vector<std::string> received = FilesIn(sink, ".eml");
  ASSERT_EQ(received.size(), 2u);
  // What the server received is byte for byte what was written.
  std::set<std::string> written;
  for (const std::string& f : FilesIn(out, ".eml")) {
    written.insert(ReadFile(out + "/" + f));
  }
  for (const std::string& f : received) {
    EXPECT_EQ(written.count(ReadFile(sink + "/" + f)), 1u) << f;
    const std::string env =
        ReadFile(sink + "/" + absl::StrReplaceAll(f, {{".eml", ".env"}}));
    EXPECT_TRUE(absl::StartsWith(env, "desk@example.org\n")) << env;
  }
  const std::string log = ReadFile(out + "/sent.log");
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 3);

  // A re-run sends only what was not sent: the refused one, again. The
  // two desks were told about their addresses just now.
  r = Notice({"--from=desk@example.org", "--reports=" + reports,
              "--outdir=" + out, "--send", smtp});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("0 sent, 0 sent before, 1 failed; 3 "
                               "address(es) not notified again"));
  // Without the renotify rule, sent.log still knows the same messages.
  r = Notice({"--from=desk@example.org", "--reports=" + reports,
              "--outdir=" + out, "--send", smtp, "--renotify_after=0"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("0 sent, 2 sent before, 1 failed"));
  EXPECT_EQ(FilesIn(sink, ".eml").size(), 2u);
}

}  // namespace
}  // namespace dnsbl

// Sending notices over TLS with a login, for real: an aiosmtpd server
// (tests/smtp_tls_server.py) with STARTTLS or implicit TLS, certificates
// from a test CA made by openssl when it starts, AUTH PLAIN or LOGIN.
// What must hold: TLS is used when offered and required when asked for or
// when a password would be sent; an untrusted or wrong-name certificate is
// refused; a bad password fails that message alone (exit 3) and is never
// written anywhere; nothing is ever sent in clear when TLS was required.

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/mail_server.h"
#include "tests/rbldnsd_server.h"
#include "tests/subprocess.h"

namespace dnsbl {
namespace {

using testing::FilesIn;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using testing::ReadFile;

constexpr char kPassword[] = "Tr0ub4dor&3-not-in-any-log";

class SmtpTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<testing::RbldnsdServer>> dns =
        testing::RbldnsdServer::Start({
            {"relays.test", "ip4set", "192.0.2.7\n"},
            {"abuse-contacts.abusix.zone", "ip4trie",
             "192.0.2.0/24 :127.0.0.2:abuse@a.example\n"},
        });
    ASSERT_TRUE(dns.ok()) << dns.status();
    dns_ = dns->release();
    catalog_ = new std::string(
        absl::StrCat(std::getenv("TEST_TMPDIR"), "/catalog.textproto"));
    std::ofstream(*catalog_)
        << "zone { name: \"relays.test\" ipv4: true code { value: "
           "\"127.0.0.2\" category: OPEN_RELAY } }\n";
  }
  static void TearDownTestSuite() {
    delete dns_;
    delete catalog_;
  }

  void SetUp() override {
    dir_ = absl::StrCat(
        std::getenv("TEST_TMPDIR"), "/",
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }

  // Starts the TLS server: `mode` starttls, implicit or plain; `auth`
  // PLAIN or LOGIN; `cert` good or wrongname.
  void StartServer(const std::string& mode, const std::string& auth,
                   const std::string& cert = "good") {
    absl::StatusOr<std::unique_ptr<testing::MailServer>> server =
        testing::MailServer::Start(
            dir_ + "/smtp", "tests/smtp_tls_server.py",
            {"--mode=" + mode, "--auth=" + auth, "--cert=" + cert},
            {absl::StrCat("SMTP_TEST_PASSWORD=", kPassword)});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  std::string CaFile() const { return dir_ + "/smtp/pki/ca.pem"; }

  // Sends the notice about 192.0.2.7 through `url` with `args`, the
  // password `password` in the environment (never on the command line).
  testing::CommandResult Send(const std::string& scheme,
                              std::vector<std::string> args,
                              const std::string& password = kPassword) {
    std::vector<std::string> argv = {
        testing::RunfilePath("cli/dnsbl"),
        "notice",
        "--nameserver=" + dns_->endpoint(),
        "--catalog=" + *catalog_,
        "--contact_sources=abusix",
        "--from=desk@example.org",
        "--outdir=" + dir_ + "/out",
        "--send",
        absl::StrCat("--smtp=", scheme, "://127.0.0.1:", server_->port())};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back("192.0.2.7");
    absl::StatusOr<testing::CommandResult> r = testing::RunCommand(
        argv, {absl::StrCat("DNSBL_SMTP_PASSWORD=", password)});
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : testing::CommandResult();
  }

  std::vector<std::string> Received() const {
    return FilesIn(dir_ + "/smtp", ".eml");
  }

  static testing::RbldnsdServer* dns_;
  static std::string* catalog_;
  std::string dir_;
  std::unique_ptr<testing::MailServer> server_;
};

testing::RbldnsdServer* SmtpTlsTest::dns_ = nullptr;
std::string* SmtpTlsTest::catalog_ = nullptr;

TEST_F(SmtpTlsTest, StartTlsOfferedIsUsedWithAuthPlain) {
  StartServer("starttls", "PLAIN");
  testing::CommandResult r =
      Send("smtp", {"--smtp_user=desk", "--smtp_ca_file=" + CaFile()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(Received().size(), 1u);
  EXPECT_EQ(ReadFile(dir_ + "/smtp/1.env"),
            "desk@example.org\nabuse@a.example\ntls=yes\nauth=PLAIN\n");
}

TEST_F(SmtpTlsTest, ImplicitTlsWithAuthLogin) {
  StartServer("implicit", "LOGIN");
  testing::CommandResult r =
      Send("smtps", {"--smtp_user=desk", "--smtp_ca_file=" + CaFile()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(Received().size(), 1u);
  EXPECT_EQ(ReadFile(dir_ + "/smtp/1.env"),
            "desk@example.org\nabuse@a.example\ntls=yes\nauth=LOGIN\n");
}

TEST_F(SmtpTlsTest, RequiredTlsThatIsNotOfferedSendsNothing) {
  StartServer("plain", "PLAIN");
  // Asked for with --smtp_starttls.
  testing::CommandResult r = Send("smtp", {"--smtp_starttls"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_THAT(r.err, HasSubstr("1 failed"));
  EXPECT_THAT(r.err, HasSubstr("abuse@a.example: SMTP"));
  // Implied by a login: a password never crosses the network in clear.
  r = Send("smtp", {"--smtp_user=desk"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_THAT(Received(), IsEmpty());
}

TEST_F(SmtpTlsTest, WrongNameCertificateIsRefused) {
  StartServer("starttls", "PLAIN", "wrongname");
  testing::CommandResult r =
      Send("smtp", {"--smtp_user=desk", "--smtp_ca_file=" + CaFile()});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_THAT(r.err, HasSubstr("abuse@a.example: SMTP"));
  EXPECT_THAT(Received(), IsEmpty());
}

TEST_F(SmtpTlsTest, UntrustedCertificateIsRefused) {
  StartServer("implicit", "PLAIN");
  // The test CA is not among the system's: without --smtp_ca_file the
  // server cannot be trusted.
  testing::CommandResult r = Send("smtps", {"--smtp_user=desk"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_THAT(Received(), IsEmpty());
}

TEST_F(SmtpTlsTest, BadPasswordFailsThatMessageAndIsWrittenNowhere) {
  StartServer("starttls", "LOGIN");
  const std::string wrong = "wrong-password-never-logged";
  testing::CommandResult r =
      Send("smtp", {"--smtp_user=desk", "--smtp_ca_file=" + CaFile()}, wrong);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_THAT(r.err, HasSubstr("0 sent, 0 sent before, 1 failed"));
  EXPECT_THAT(Received(), IsEmpty());
  // The failed message is not "notified": the right password sends it.
  r = Send("smtp", {"--smtp_user=desk", "--smtp_ca_file=" + CaFile()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Received().size(), 1u);
  for (const std::string& secret : {wrong, std::string(kPassword)}) {
    EXPECT_THAT(r.err + r.out, Not(HasSubstr(secret)));
    for (const std::string& f : FilesIn(dir_ + "/out", "")) {
      EXPECT_THAT(ReadFile(dir_ + "/out/" + f), Not(HasSubstr(secret))) << f;
    }
  }
  // There is no flag that would put a password on the command line.
  r = Send("smtp", {"--smtp_password=x"});
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
}  // namespace dnsbl

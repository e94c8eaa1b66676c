// The libunbound Recursor against a real hierarchy (NSD for the root and
// the TLD, rbldnsd for a blocklist) in a private network namespace.

#include "dnsbl/dns/internal/unbound_recursor.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "dnsbl/dns/internal/dns_message.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/dns_servers.h"
#include "tests/rbldnsd_server.h"

namespace dnsbl {
namespace {

using ::testing::UnorderedElementsAre;

constexpr char kHints[] =
    ". 3600000 NS a.root.example.\na.root.example. 3600000 A 127.0.0.10\n";

class UnboundRecursorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto root = testing::NsdServer::Start(
        "127.0.0.10",
        {{".", testing::ZoneHeader(".") + ". NS a.root.example.\n"
                                          "a.root.example. A 127.0.0.10\n"
                                          "example. NS ns.nic.example.\n"
                                          "ns.nic.example. A 127.0.0.11\n"}});
    ASSERT_TRUE(root.ok()) << root.status();
    root_ = *std::move(root);
    auto tld = testing::NsdServer::Start(
        "127.0.0.11", {{"example.", testing::ZoneHeader("example.") +
                                        "example. NS ns.nic.example.\n"
                                        "ns.nic.example. A 127.0.0.11\n"
                                        "bl.example. 600 NS ns1.bl.example.\n"
                                        "ns1.bl.example. 600 A 127.0.0.20\n"}});
    ASSERT_TRUE(tld.ok()) << tld.status();
    tld_ = *std::move(tld);
    auto bl = testing::RbldnsdServer::StartAt(
        "127.0.0.20", 53,
        {{"bl.example", "ip4set",
          "$SOA 300 ns1.bl.example. hostmaster.bl.example. 1 600 300 86400 "
          "60\n$NS 600 ns1.bl.example.\n:127.0.0.2:listed\n127.0.0.2\n"}});
    ASSERT_TRUE(bl.ok()) << bl.status();
    bl_ = *std::move(bl);
  }

  std::unique_ptr<Recursor> MakeRecursor(const std::string& hints,
                                         absl::Duration timeout) {
    absl::StatusOr<RootHints> parsed = RootHints::Parse(hints, "test");
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    RecursorOptions options;
    options.hints = *parsed;
    options.timeout = timeout;
    absl::StatusOr<std::unique_ptr<Recursor>> recursor =
        CreateUnboundRecursor(options);
    EXPECT_TRUE(recursor.ok()) << recursor.status();
    return *std::move(recursor);
  }

  // Resolves and waits.
  RecursorAnswer Resolve(Recursor& recursor, const std::string& name,
                         uint16_t type) {
    std::optional<RecursorAnswer> answer;
    recursor.Resolve(name, type,
                     [&](RecursorAnswer a) { answer = std::move(a); });
    while (!answer.has_value()) recursor.Poll(absl::Seconds(1));
    return *std::move(answer);
  }

  std::unique_ptr<testing::NsdServer> root_;
  std::unique_ptr<testing::NsdServer> tld_;
  std::unique_ptr<testing::RbldnsdServer> bl_;
};

TEST_F(UnboundRecursorTest, FollowsDelegationsFromTheRootHints) {
  std::unique_ptr<Recursor> recursor = MakeRecursor(kHints, absl::Seconds(5));
  RecursorAnswer ns = Resolve(*recursor, "bl.example", kDnsNs);
  ASSERT_TRUE(ns.status.ok()) << ns.status;
  absl::StatusOr<DnsMessage> m = ParseDnsMessage(ns.packet);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->rcode, kRcodeNoError);
  std::vector<std::string> targets;
  for (const DnsRecord& r : m->answers) {
    if (r.type == kDnsNs) targets.push_back(r.target);
  }
  EXPECT_THAT(targets, UnorderedElementsAre("ns1.bl.example"));

  RecursorAnswer a = Resolve(*recursor, "2.0.0.127.bl.example", kDnsA);
  ASSERT_TRUE(a.status.ok()) << a.status;
  m = ParseDnsMessage(a.packet);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->answers.size(), 1u);
  EXPECT_EQ(m->answers[0].address, "127.0.0.2");

  RecursorAnswer nx = Resolve(*recursor, "nothing.example", kDnsA);
  ASSERT_TRUE(nx.status.ok()) << nx.status;
  m = ParseDnsMessage(nx.packet);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->rcode, kRcodeNxDomain);
}

TEST_F(UnboundRecursorTest, GivesUpAtItsDeadlineWhenNoRootAnswers) {
  // Nothing listens at 127.0.0.99.
  std::unique_ptr<Recursor> recursor =
      MakeRecursor(". NS a.root.example.\na.root.example. A 127.0.0.99\n",
                   absl::Milliseconds(1500));
  const absl::Time start = absl::Now();
  RecursorAnswer answer = Resolve(*recursor, "bl.example", kDnsNs);
  const absl::Duration took = absl::Now() - start;
  // Either libunbound gave up with SERVFAIL, or the deadline passed.
  if (answer.status.ok()) {
    absl::StatusOr<DnsMessage> m = ParseDnsMessage(answer.packet);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->rcode, kRcodeServFail);
  } else {
    EXPECT_TRUE(absl::IsDeadlineExceeded(answer.status)) << answer.status;
  }
  EXPECT_LT(took, absl::Seconds(3));
  EXPECT_EQ(recursor->pending(), 0u);
}

}  // namespace
}  // namespace dnsbl

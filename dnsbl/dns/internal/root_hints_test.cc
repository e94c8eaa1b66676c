#include "dnsbl/dns/internal/root_hints.h"

#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;

TEST(RootHintsTest, BuiltinHintsEqualIanasFileAsDebianShipsIt) {
  // Debian's dns-root-data (tools/install-deps.sh) ships IANA's named.root:
  // the compiled-in table must say the same.
  std::ifstream in("/usr/share/dns/root.hints");
  ASSERT_TRUE(in) << "install dns-root-data (tools/install-deps.sh)";
  std::ostringstream text;
  text << in.rdbuf();
  absl::StatusOr<RootHints> file = RootHints::Parse(text.str(), "root.hints");
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->servers(), RootHints::Builtin().servers());
  EXPECT_EQ(RootHints::Builtin().servers().size(), 13u);
  EXPECT_EQ(file->Fingerprint(), RootHints::Builtin().Fingerprint());
  EXPECT_FALSE(RootHints::Builtin().AllLoopback());
}

TEST(RootHintsTest, ParsesALabRoot) {
  absl::StatusOr<RootHints> hints = RootHints::Parse(
      "; a test root\n"
      ".  3600000  IN  NS  A.ROOT.EXAMPLE.\n"
      "a.root.example. 3600000 A 127.0.0.10\n"
      "a.root.example. AAAA ::1 ; no TTL, no class\n"
      ".  NS  b.root.example\n"
      "b.root.example 60 IN A 127.0.0.12\n",
      "lab.hints");
  ASSERT_TRUE(hints.ok()) << hints.status();
  ASSERT_EQ(hints->servers().size(), 2u);
  EXPECT_EQ(hints->servers()[0].name, "a.root.example");
  ASSERT_EQ(hints->servers()[0].addresses.size(), 2u);
  EXPECT_EQ(hints->servers()[0].addresses[1].ToString(), "::1");
  EXPECT_EQ(hints->servers()[1].addresses[0].ToString(), "127.0.0.12");
  EXPECT_TRUE(hints->AllLoopback());
  EXPECT_EQ(hints->source(), "lab.hints");
  EXPECT_NE(hints->Fingerprint(), RootHints::Builtin().Fingerprint());
}

TEST(RootHintsTest, NamesWhatIsWrong) {
  struct Case {
    const char* text;
    const char* message;
  };
  for (const Case& c : {
           Case{". NS a.root.example.\na.root.example. A 300.1.1.1\n",
                "line 2: a bad A address"},
           Case{". NS a.root.example.\na.root.example. AAAA 127.0.0.1\n",
                "a bad AAAA address"},
           Case{"example. NS a.root.example.\n", "not owned by the root"},
           Case{". MX 10 a.root.example.\n", "expected OWNER"},
           Case{". TXT hello\n", "record type 'TXT'"},
           Case{". NS a.root.example.\n", "has no address"},
           Case{"; nothing\n\n", "no root server"},
           Case{". NS a.root.example.\nb.root.example. A 127.0.0.1\n",
                "which is no root server"},
           Case{". NS -bad-.example.\n", "bad root server name"},
       }) {
    absl::StatusOr<RootHints> hints = RootHints::Parse(c.text, "f");
    ASSERT_FALSE(hints.ok()) << c.text;
    EXPECT_TRUE(absl::IsInvalidArgument(hints.status()));
    EXPECT_THAT(hints.status().message(), HasSubstr(c.message)) << c.text;
  }
}

TEST(RootHintsTest, LoadNamesAMissingFile) {
  absl::StatusOr<RootHints> hints = RootHints::Load("/nonexistent/hints");
  ASSERT_FALSE(hints.ok());
  EXPECT_TRUE(absl::IsNotFound(hints.status()));
  EXPECT_THAT(hints.status().message(), HasSubstr("/nonexistent/hints"));
}

}  // namespace
}  // namespace dnsbl

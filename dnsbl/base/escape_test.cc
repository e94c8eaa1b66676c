#include "dnsbl/base/escape.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

TEST(EscapeForTerminalTest, KeepsPrintableUtf8) {
  EXPECT_EQ(EscapeForTerminal("Åbne proxy, São Paulo"),
            "Åbne proxy, São Paulo");
}

TEST(EscapeForTerminalTest, EscapesControlsAndEscapeSequences) {
  EXPECT_EQ(EscapeForTerminal("a\x1b[2Jb\x07\n"), "a\\x1b[2Jb\\x07\\x0a");
  EXPECT_EQ(EscapeForTerminal("\x7f"), "\\x7f");
  // U+009B is the one-byte CSI of C1.
  EXPECT_EQ(EscapeForTerminal("\xc2\x9b"), "\\xc2\\x9b");
  EXPECT_EQ(EscapeForTerminal("back\\slash"), "back\\\\slash");
}

TEST(EscapeForTerminalTest, EscapesInvalidUtf8) {
  EXPECT_EQ(EscapeForTerminal("\xff\xfe"), "\\xff\\xfe");
  EXPECT_EQ(EscapeForTerminal("\xc0\xaf"), "\\xc0\\xaf");  // overlong '/'
  EXPECT_EQ(EscapeForTerminal("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // surrogate
  EXPECT_EQ(EscapeForTerminal("ok\xe2\x82"), "ok\\xe2\\x82");       // truncated
}

TEST(ToValidUtf8Test, ReplacesOnlyInvalidBytes) {
  EXPECT_EQ(ToValidUtf8("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(ToValidUtf8("a\xffz"), "a\\xffz");
  EXPECT_EQ(ToValidUtf8("tab\there"), "tab\there");
}

TEST(QuoteInputTest, ShortensLongInput) {
  EXPECT_EQ(QuoteInput("abc"), "'abc'");
  std::string quoted = QuoteInput(std::string(1000, 'x'));
  EXPECT_THAT(quoted, ::testing::EndsWith("...' (1000 bytes)"));
  EXPECT_LT(quoted.size(), 100u);
}

TEST(JsonQuoteTest, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(JsonQuote("plain"), "\"plain\"");
  EXPECT_EQ(JsonQuote("a \"b\" c\\d"), "\"a \\\"b\\\" c\\\\d\"");
  EXPECT_EQ(JsonQuote("line\nnext\x01"), "\"line\\u000anext\\u0001\"");
  EXPECT_EQ(JsonQuote("caf\xc3\xa9"), "\"caf\xc3\xa9\"");  // UTF-8 kept.
}

}  // namespace
}  // namespace dnsbl

#include "dnsbl/notice/template.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;

TEST(RenderTemplateTest, FillsPlaceholdersAndKeepsLiteralBraces) {
  absl::StatusOr<std::string> text = RenderTemplate(
      "Hi {name},\n{{literal}} and {name} again.", {{"name", "desk"}});
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, "Hi desk,\n{literal} and desk again.");
}

TEST(RenderTemplateTest, UnknownPlaceholderIsNamedWithItsLine) {
  absl::StatusOr<std::string> text =
      RenderTemplate("Dear desk,\n\n{adress} is listed.", {{"address", "x"}});
  EXPECT_EQ(text.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(text.status().message(), HasSubstr("'{adress}' on line 3"));
}

TEST(RenderTemplateTest, UnbalancedBracesAreErrors) {
  EXPECT_THAT(
      RenderTemplate("a {address", {{"address", "x"}}).status().message(),
      HasSubstr("unclosed '{' on line 1"));
  EXPECT_THAT(RenderTemplate("a }", {}).status().message(),
              HasSubstr("stray '}'"));
  EXPECT_THAT(RenderTemplate("a {addr\ness}", {}).status().message(),
              HasSubstr("unclosed"));
}

TEST(CheckTemplateTest, KnowsTheNoticePlaceholders) {
  EXPECT_TRUE(CheckTemplate("{address} {claim} {explanation} {remedy} "
                            "{evidence} {network} {checked} {reply_to}",
                            NoticePlaceholders())
                  .ok());
  EXPECT_FALSE(CheckTemplate("{sender}", NoticePlaceholders()).ok());
}

TEST(RenderTemplateTest, ValuesAreNotReexpanded) {
  // A value holding braces (a TXT reason) is text, not a placeholder.
  absl::StatusOr<std::string> text =
      RenderTemplate("{evidence}", {{"evidence", "{claim} }{"}});
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "{claim} }{");
}

}  // namespace
}  // namespace dnsbl

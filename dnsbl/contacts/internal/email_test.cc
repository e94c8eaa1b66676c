#include "dnsbl/contacts/internal/email.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;

TEST(ValidateEmailTest, AcceptsMailboxesAndNormalizesTheDomain) {
  EXPECT_EQ(*ValidateEmail("abuse@example.net"), "abuse@example.net");
  EXPECT_EQ(*ValidateEmail("Abuse+Desk@Example.NET."),
            "Abuse+Desk@example.net");
  EXPECT_EQ(*ValidateEmail("mailto:noc@example.org"), "noc@example.org");
}

// Whatever a TXT record or a registry says, it never reaches a header
// unless it is an address: no CR/LF, spaces, controls, lists or bare names.
TEST(ValidateEmailTest, RejectsWhatCouldInjectOrMislead) {
  for (const char* bad :
       {"abuse@example.net\r\nBcc: victim@example.org", "abuse @example.net",
        "abuse@exa mple.net", "abuse@example", "@example.net", "abuse@",
        "abuse", "a@b@example.net", "\"abuse\"@example.net",
        "abuse@example.net, other@example.org", "abuse\x1b[31m@example.net",
        "ab\xc3\xa9use@example.net", ".abuse@example.net",
        "ab..use@example.net", "abuse@-bad-.example.net", ""}) {
    EXPECT_FALSE(ValidateEmail(bad).ok()) << bad;
  }
  EXPECT_THAT(ValidateEmail("abuse@example.net\r\nBcc: x").status().message(),
              HasSubstr("\\x0d\\x0a"));
  EXPECT_FALSE(ValidateEmail(std::string(65, 'a') + "@example.net").ok());
}

}  // namespace
}  // namespace dnsbl

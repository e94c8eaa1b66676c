#include "cli/flags.h"

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

ToolOptions Apply(std::vector<std::string> args, ToolCommand command) {
  absl::StatusOr<ParsedFlags> flags = ParseFlags(args, command);
  EXPECT_TRUE(flags.ok()) << flags.status();
  ToolOptions options = DefaultToolOptions(command, Tool::kCli);
  if (flags.ok()) {
    absl::Status s = ApplyFlags(*flags, options);
    EXPECT_TRUE(s.ok()) << s;
  }
  return options;
}

TEST(ParseFlagsTest, FormsAndPositionals) {
  absl::StatusOr<ParsedFlags> flags =
      ParseFlags({"a", "--tries=5", "-timeout", "250ms", "--notxt", "b", "--",
                  "--tries=9"},
                 ToolCommand::kCheck);
  ASSERT_TRUE(flags.ok()) << flags.status();
  EXPECT_THAT(flags->positional, ElementsAre("a", "b", "--tries=9"));
  EXPECT_TRUE(flags->Given("tries"));
  EXPECT_FALSE(flags->Given("zones"));
  ToolOptions options = DefaultToolOptions(ToolCommand::kCheck, Tool::kCli);
  ASSERT_TRUE(ApplyFlags(*flags, options).ok());
  EXPECT_EQ(options.bulk.checker.tries, 5);
  EXPECT_EQ(options.bulk.checker.timeout, absl::Milliseconds(250));
  EXPECT_FALSE(options.bulk.checker.fetch_txt);
  EXPECT_TRUE(Apply({"--txt"}, ToolCommand::kCheck).bulk.checker.fetch_txt);
  // Negative numbers and IPv6 addresses are words, not flags.
  flags = ParseFlags({"-1", "::1"}, ToolCommand::kCheck);
  ASSERT_TRUE(flags.ok());
  EXPECT_THAT(flags->positional, ElementsAre("-1", "::1"));
}

TEST(ParseFlagsTest, ListsCollectRepeatsAndKeysMerge) {
  ToolOptions o = Apply({"--zones=a.test,b.test", "--zones", "c.test",
                         "--key=one=k1", "--key=TWO=k2,one=k3"},
                        ToolCommand::kCheck);
  EXPECT_THAT(o.bulk.checker.zones, ElementsAre("a.test", "b.test", "c.test"));
  EXPECT_THAT(o.bulk.checker.keys,
              ElementsAre(Pair("one", "k3"), Pair("two", "k2")));
  // A piece without ':' is a further file of the spec before it.
  o = Apply({"--zone_data=z.test:ip4set:a.zone,b.zone", "--zone_data",
             "y.test:ip4tset:c.zone"},
            ToolCommand::kBulk);
  EXPECT_THAT(
      o.bulk.checker.zone_data,
      ElementsAre("z.test:ip4set:a.zone,b.zone", "y.test:ip4tset:c.zone"));
}

TEST(ParseFlagsTest, OneOptionSetsWhatEachCommandUses) {
  ToolOptions bulk = Apply({"--max_inflight=300"}, ToolCommand::kBulk);
  EXPECT_EQ(bulk.bulk.max_inflight, 300);
  EXPECT_EQ(Apply({}, ToolCommand::kBulk).bulk.checker.tries, 6);
  EXPECT_EQ(Apply({}, ToolCommand::kCheck).bulk.checker.tries, 2);
  EXPECT_TRUE(Apply({}, ToolCommand::kCheck).bulk.checker.contacts);
  EXPECT_FALSE(Apply({}, ToolCommand::kBulk).bulk.checker.contacts);
  ToolOptions notice =
      Apply({"--from=desk@example.org", "--lang=da"}, ToolCommand::kNotice);
  EXPECT_EQ(notice.delivery.from, "desk@example.org");
  EXPECT_EQ(LetterOptionsOf(notice.delivery).reply_to, "desk@example.org");
  EXPECT_EQ(notice.delivery.letter.language, NoticeLanguage::kDanish);
  // --reply_to wins, whichever comes first.
  notice = Apply({"--reply_to=tickets@example.org", "--from=desk@example.org"},
                 ToolCommand::kNotice);
  EXPECT_EQ(LetterOptionsOf(notice.delivery).reply_to, "tickets@example.org");
  EXPECT_EQ(Apply({"--renotify_after=7d"}, ToolCommand::kNotice)
                .delivery.renotify_after,
            absl::Hours(168));
  // --recheck follows --send unless given.
  auto recheck = [](std::vector<std::string> args) {
    ToolOptions o = Apply(std::move(args), ToolCommand::kNotice);
    EXPECT_TRUE(FinishToolOptions(o).ok());
    return o.freshness.recheck;
  };
  EXPECT_TRUE(recheck({"--send"}));
  EXPECT_FALSE(recheck({}));
  EXPECT_FALSE(recheck({"--send", "--norecheck"}));
  EXPECT_TRUE(recheck({"--recheck"}));
}

TEST(ParseFlagsTest, Errors) {
  auto error = [](std::vector<std::string> args, ToolCommand command) {
    absl::StatusOr<ParsedFlags> flags = ParseFlags(args, command);
    if (!flags.ok()) return std::string(flags.status().message());
    ToolOptions options = DefaultToolOptions(command, Tool::kCli);
    return std::string(ApplyFlags(*flags, options).message());
  };
  EXPECT_THAT(error({"--nope"}, ToolCommand::kCheck),
              HasSubstr("unknown flag '--nope'"));
  // An option, but not this command's.
  EXPECT_THAT(error({"--strict"}, ToolCommand::kCheck),
              HasSubstr("unknown flag '--strict'"));
  EXPECT_THAT(error({"--tries"}, ToolCommand::kCheck),
              HasSubstr("--tries needs a value"));
  EXPECT_THAT(error({"--tries=x"}, ToolCommand::kCheck),
              HasSubstr("flag --tries: expected a whole number, not 'x'"));
  EXPECT_THAT(error({"--tries=0"}, ToolCommand::kCheck),
              HasSubstr("flag --tries: must be from 1"));
  EXPECT_THAT(error({"--notries"}, ToolCommand::kCheck),
              HasSubstr("unknown flag"));
  EXPECT_THAT(error({"--lang=fr"}, ToolCommand::kNotice),
              HasSubstr("flag --lang: "));
  EXPECT_THAT(error({"--max_qps=-1"}, ToolCommand::kBulk),
              HasSubstr("flag --max_qps: must not be negative"));
  EXPECT_THAT(error({"--key=secret"}, ToolCommand::kCheck),
              HasSubstr("flag --key: expected NAME=KEY"));
}

TEST(FlagsHelpTest, ListsHelpAndEachCommandsDefaults) {
  EXPECT_THAT(FlagsHelp(ToolCommand::kCheck),
              HasSubstr("  --timeout=DURATION\n      How long to wait for one "
                        "try"));
  EXPECT_THAT(FlagsHelp(ToolCommand::kCheck),
              HasSubstr("seconds).\n      default: 2s\n"));
  EXPECT_THAT(FlagsHelp(ToolCommand::kBulk), HasSubstr("  --max_inflight=N\n"));
  EXPECT_THAT(FlagsHelp(ToolCommand::kBulk), HasSubstr("default: 4000\n"));
  EXPECT_THAT(FlagsHelp(ToolCommand::kCheck),
              ::testing::Not(HasSubstr("--strict")));
  // Wrapped for a terminal.
  for (absl::string_view line :
       absl::StrSplit(FlagsHelp(ToolCommand::kNotice), '\n')) {
    EXPECT_LE(line.size(), 78u) << line;
  }
}

}  // namespace
}  // namespace dnsbl::cli

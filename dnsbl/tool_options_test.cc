#include "dnsbl/tool_options.h"

#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;

constexpr ToolCommand kCommands[] = {ToolCommand::kCheck,  ToolCommand::kBulk,
                                     ToolCommand::kHealth, ToolCommand::kZones,
                                     ToolCommand::kNotice, ToolCommand::kServe};

TEST(ToolOptionsTest, NamesAreUniquePerToolAndEveryOptionIsUsed) {
  std::set<std::string> cli, python;
  for (const OptionSpec& spec : AllOptions()) {
    SCOPED_TRACE(std::string(spec.name));
    EXPECT_FALSE(spec.help.empty());
    EXPECT_NE(spec.commands, 0);
    EXPECT_NE(spec.tools, 0);
    EXPECT_EQ(spec.value_name.empty(), spec.type == OptionType::kBool);
    if (spec.In(Tool::kCli)) {
      EXPECT_TRUE(cli.insert(std::string(spec.name)).second);
      EXPECT_EQ(FindOption(Tool::kCli, spec.name), &spec);
    }
    if (spec.In(Tool::kPython)) {
      EXPECT_TRUE(
          python.insert(std::string(spec.NameIn(Tool::kPython))).second);
      EXPECT_EQ(FindOption(Tool::kPython, spec.NameIn(Tool::kPython)), &spec);
    }
  }
  EXPECT_EQ(FindOption(Tool::kPython, "nameserver"), nullptr);
  EXPECT_EQ(FindOption(Tool::kCli, "nameservers"), nullptr);
  EXPECT_EQ(FindOption(Tool::kCli, "catalog_text"), nullptr);
}

// What each option shows as its default is what setting it to that text
// gives: the table, the help and the library's defaults agree.
TEST(ToolOptionsTest, EveryDefaultParsesBackToItself) {
  for (const OptionSpec& spec : AllOptions()) {
    if (!spec.In(Tool::kCli) || !spec.shown_default.empty()) continue;
    for (ToolCommand command : kCommands) {
      if (!spec.UsedBy(command)) continue;
      SCOPED_TRACE(
          absl::StrCat(spec.name, " in command ", static_cast<int>(command)));
      ToolOptions defaults = DefaultToolOptions(command, Tool::kCli);
      const std::string text = FormatOptionValue(spec.get(defaults));
      if (text.empty()) continue;  // Unset: nothing to parse.
      absl::StatusOr<OptionValue> value = ParseOptionText(spec, text);
      ASSERT_TRUE(value.ok()) << value.status();
      ToolOptions set = DefaultToolOptions(command, Tool::kCli);
      ASSERT_TRUE(spec.set(*value, set).ok());
      EXPECT_EQ(FormatOptionValue(spec.get(set)), text);
    }
  }
}

TEST(ToolOptionsTest, SettingAnOptionSetsTheLibrarysField) {
  ToolOptions o = DefaultToolOptions(ToolCommand::kCheck, Tool::kCli);
  const OptionSpec* qps = FindOption(Tool::kCli, "rdap_qps");
  ASSERT_NE(qps, nullptr);
  ASSERT_TRUE(qps->set(*ParseOptionText(*qps, "2.5"), o).ok());
  EXPECT_EQ(o.bulk.checker.rdap_queries_per_second, 2.5);
  const OptionSpec* timeout = FindOption(Tool::kPython, "timeout");
  ASSERT_TRUE(timeout->set(absl::Milliseconds(300), o).ok());
  EXPECT_EQ(o.bulk.checker.timeout, absl::Milliseconds(300));
  const OptionSpec* smtp = FindOption(Tool::kCli, "smtp");
  ASSERT_TRUE(smtp->set(std::string("smtp://127.0.0.1:25"), o).ok());
  EXPECT_EQ(o.delivery.smtp.url, "smtp://127.0.0.1:25");
  const OptionSpec* cache = FindOption(Tool::kCli, "delegation_cache");
  ASSERT_TRUE(cache->set(std::string("none"), o).ok());
  EXPECT_EQ(o.bulk.checker.delegation_cache, "");
}

TEST(ToolOptionsTest, EachCommandsDefaults) {
  EXPECT_TRUE(DefaultToolOptions(ToolCommand::kCheck, Tool::kCli)
                  .bulk.checker.contacts);
  EXPECT_TRUE(DefaultToolOptions(ToolCommand::kNotice, Tool::kCli)
                  .bulk.checker.contacts);
  EXPECT_FALSE(
      DefaultToolOptions(ToolCommand::kBulk, Tool::kCli).bulk.checker.contacts);
  EXPECT_FALSE(DefaultToolOptions(ToolCommand::kCheck, Tool::kPython)
                   .bulk.checker.contacts);
  EXPECT_TRUE(DefaultToolOptions(ToolCommand::kCheck, Tool::kPython)
                  .bulk.checker.adaptive_window);
  const OptionSpec& tries = *FindOption(Tool::kCli, "tries");
  EXPECT_EQ(DefaultText(tries, ToolCommand::kCheck, Tool::kCli), "2");
  EXPECT_EQ(DefaultText(tries, ToolCommand::kBulk, Tool::kCli), "6");
  const OptionSpec& inflight = *FindOption(Tool::kCli, "max_inflight");
  EXPECT_EQ(DefaultText(inflight, ToolCommand::kCheck, Tool::kCli), "256");
  EXPECT_EQ(DefaultText(inflight, ToolCommand::kBulk, Tool::kCli), "4000");
  const OptionSpec& txt = *FindOption(Tool::kPython, "txt");
  EXPECT_EQ(DefaultText(txt, ToolCommand::kCheck, Tool::kPython), "True");
  const OptionSpec& sources = *FindOption(Tool::kPython, "contact_sources");
  EXPECT_EQ(DefaultText(sources, ToolCommand::kCheck, Tool::kPython),
            "['cymru', 'abusix', 'rdap']");
}

TEST(ToolOptionsTest, ValuesThatDoNotParseOrFitAreRefused) {
  const OptionSpec& tries = *FindOption(Tool::kCli, "tries");
  EXPECT_THAT(ParseOptionText(tries, "2x").status().message(),
              HasSubstr("expected a whole number, not '2x'"));
  ToolOptions o = DefaultToolOptions(ToolCommand::kCheck, Tool::kCli);
  EXPECT_THAT(tries.set(int64_t{0}, o).message(), HasSubstr("must be from 1"));
  const OptionSpec& timeout = *FindOption(Tool::kCli, "timeout");
  EXPECT_FALSE(ParseOptionText(timeout, "soon").ok());
  const OptionSpec& from = *FindOption(Tool::kCli, "from");
  EXPECT_FALSE(from.set(std::string("not an address"), o).ok());
  const OptionSpec& progress = *FindOption(Tool::kCli, "progress");
  EXPECT_THAT(progress.set(std::string("sometimes"), o).message(),
              HasSubstr("use auto, always or never"));
  const OptionSpec& category = *FindOption(Tool::kCli, "category");
  EXPECT_THAT(category.set(std::string("relays"), o).message(),
              HasSubstr("unknown category 'relays'"));
}

TEST(ToolOptionsTest, FinishLoadsOneCatalog) {
  ToolOptions o = DefaultToolOptions(ToolCommand::kCheck, Tool::kPython);
  o.catalog_text = "zone { name: \"a.test\" ipv4: true }";
  ASSERT_TRUE(FinishToolOptions(o).ok());
  ASSERT_NE(o.bulk.checker.catalog, nullptr);
  EXPECT_EQ(o.bulk.checker.catalog->zone(0).name(), "a.test");
  o.catalog_file = "/nonexistent/catalog";
  EXPECT_THAT(FinishToolOptions(o).message(), HasSubstr("not both"));
  o.catalog_text.clear();
  EXPECT_EQ(FinishToolOptions(o).code(), absl::StatusCode::kNotFound);
}

TEST(ToolOptionsTest, SettingNamesSpellTheToolsOptions) {
  EXPECT_EQ(SettingNamesFor(Tool::kCli).nameserver, "--nameserver");
  EXPECT_EQ(SettingNamesFor(Tool::kPython).nameserver, "nameservers");
  EXPECT_EQ(SettingNamesFor(Tool::kCli).resolution, "--resolution=direct");
  EXPECT_EQ(SettingNamesFor(Tool::kPython).keys, "keys");
}

TEST(ToolOptionsTest, ReferenceNamesEveryOption) {
  const std::string reference = OptionsReference();
  for (const OptionSpec& spec : AllOptions()) {
    // A heading per option: its flag, or its keyword where it has no flag.
    EXPECT_THAT(reference,
                HasSubstr(spec.In(Tool::kCli)
                              ? absl::StrCat("\n## `--", spec.name)
                              : absl::StrCat("\n## `",
                                             spec.NameIn(Tool::kPython), "`")));
  }
  EXPECT_THAT(reference, HasSubstr("- default: `2` (bulk: `6`)"));
}

}  // namespace
}  // namespace dnsbl

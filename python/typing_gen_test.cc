#include "python/typing_gen.h"

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "dnsbl/dnsbl.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace dnsbl::python {
namespace {

using google::protobuf::DescriptorPool;
using google::protobuf::FileDescriptor;
using google::protobuf::FileDescriptorProto;
using ::testing::HasSubstr;
using ::testing::Not;

// proto/dnsbl.proto as the build describes it, comments and all.
const FileDescriptor& DnsblProto(DescriptorPool& pool) {
  std::ifstream in("python/dnsbl.descriptor_set", std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  google::protobuf::FileDescriptorSet set;
  EXPECT_TRUE(set.ParseFromString(bytes.str()));
  for (const FileDescriptorProto& file : set.file()) pool.BuildFile(file);
  const FileDescriptor* file = pool.FindFileByName("proto/dnsbl.proto");
  EXPECT_NE(file, nullptr);
  return *file;
}

// A one-file schema written here, to see each rule apart.
const FileDescriptor* Schema(DescriptorPool& pool, const std::string& text) {
  FileDescriptorProto proto;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &proto));
  return pool.BuildFile(proto);
}

TEST(ReportsModuleTest, MessagesAreTypedDictsWithTheProtosComments) {
  DescriptorPool pool;
  absl::StatusOr<std::string> module = ReportsModule(DnsblProto(pool));
  ASSERT_TRUE(module.ok()) << module.status();
  // A message with only fields without presence is one TypedDict.
  EXPECT_THAT(*module, HasSubstr("class ReturnCode(TypedDict):\n"));
  // Report's Timestamps have presence: they are in the total=False part,
  // as str; its results are a list of ZoneResult.
  EXPECT_THAT(*module, HasSubstr("class Report(_ReportKeys, total=False):"));
  EXPECT_THAT(*module, HasSubstr("    started: str\n"));
  EXPECT_THAT(*module, HasSubstr("    results: List[ZoneResult]\n"));
  // Enums are Literals of their names, with the value's comment.
  EXPECT_THAT(*module, HasSubstr("Status = Literal[\n"));
  EXPECT_THAT(*module, HasSubstr("    \"OPEN_RELAY\",  # Accepts and forwards "
                                 "mail for anyone.\n"));
  // The message's comment is its docstring, and the keys' comments follow.
  EXPECT_THAT(*module, HasSubstr("\"\"\"What one zone said about one "
                                 "address.\n\n    Keys:\n      zone: str\n"));
  EXPECT_THAT(*module, HasSubstr("      codes: List[str]\n"
                                 "          A values, as returned.\n"));
  EXPECT_THAT(*module, HasSubstr("\"\"\"The outcome of asking one zone"));
  EXPECT_THAT(*module, HasSubstr("\"ZoneResult\",\n"));  // In __all__.
}

TEST(ReportsModuleTest, TypesFollowTheJsonMapping) {
  DescriptorPool pool;
  const FileDescriptor* file = Schema(pool, R"pb(
    name: "t.proto"
    package: "t"
    syntax: "proto3"
    enum_type {
      name: "Color"
      value { name: "RED" number: 0 }
    }
    message_type {
      name: "M"
      field { name: "count" number: 1 type: TYPE_INT64 label: LABEL_OPTIONAL }
      field { name: "small" number: 2 type: TYPE_UINT32 label: LABEL_OPTIONAL }
      field { name: "on" number: 3 type: TYPE_BOOL label: LABEL_OPTIONAL }
      field {
        name: "colors"
        number: 4
        type: TYPE_ENUM
        type_name: ".t.Color"
        label: LABEL_REPEATED
      }
      field {
        name: "child"
        number: 5
        type: TYPE_MESSAGE
        type_name: ".t.M"
        label: LABEL_OPTIONAL
      }
      field {
        name: "maybe"
        number: 6
        type: TYPE_STRING
        label: LABEL_OPTIONAL
        proto3_optional: true
        oneof_index: 0
      }
      oneof_decl { name: "_maybe" }
    }
  )pb");
  ASSERT_NE(file, nullptr);
  absl::StatusOr<std::string> module = ReportsModule(*file);
  ASSERT_TRUE(module.ok()) << module.status();
  EXPECT_THAT(*module, HasSubstr("class _MKeys(TypedDict):\n"
                                 "    count: str\n"
                                 "    small: int\n"
                                 "    on: bool\n"
                                 "    colors: List[Color]\n"));
  EXPECT_THAT(*module, HasSubstr("class M(_MKeys, total=False):\n"
                                 "    \"\"\"Keys:\n"
                                 "      count: str\n"));
  EXPECT_THAT(*module, HasSubstr("      maybe: str (only when set)\n"
                                 "    \"\"\"\n"
                                 "    child: M\n"
                                 "    maybe: str\n"));
}

TEST(ReportsModuleTest, RefusesWhatPythonCannotSpell) {
  DescriptorPool pool;
  const FileDescriptor* file = Schema(pool, R"pb(
    name: "k.proto"
    package: "k"
    syntax: "proto3"
    message_type {
      name: "M"
      field { name: "from" number: 1 type: TYPE_STRING label: LABEL_OPTIONAL }
    }
  )pb");
  ASSERT_NE(file, nullptr);
  absl::StatusOr<std::string> module = ReportsModule(*file);
  ASSERT_FALSE(module.ok());
  EXPECT_EQ(module.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(module.status().message(), HasSubstr("k.M.from"));
}

TEST(OptionsJsonTest, ListsThePythonOptionsWithTheirTypes) {
  const std::string json = OptionsJson();
  EXPECT_THAT(json, HasSubstr("{\"name\": \"nameservers\", \"type\": "
                              "\"str | Iterable[str]\""));
  EXPECT_THAT(json, HasSubstr("{\"name\": \"timeout\", \"type\": \"float\""));
  EXPECT_THAT(json, HasSubstr("\"used_by\": [\"bulk\"]"));
  // The command's own options are not the package's.
  EXPECT_THAT(json, Not(HasSubstr("\"name\": \"nameserver\"")));
  EXPECT_THAT(json, Not(HasSubstr("\"name\": \"format\"")));
}

TEST(PythonTypeTest, FilesTakePaths) {
  const OptionSpec* catalog = FindOption(Tool::kPython, "catalog");
  ASSERT_NE(catalog, nullptr);
  EXPECT_EQ(PythonType(*catalog), "str | os.PathLike[str]");
  const OptionSpec* keys = FindOption(Tool::kPython, "keys");
  ASSERT_NE(keys, nullptr);
  EXPECT_EQ(PythonType(*keys), "Mapping[str, str]");
}

}  // namespace
}  // namespace dnsbl::python

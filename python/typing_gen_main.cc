// typing_gen: writes the Python package's generated sources (see
// python/typing_gen.h).
//
//   typing_gen DESCRIPTOR_SET PROTO_FILE REPORTS_PY OPTIONS_JSON
//
// DESCRIPTOR_SET is protoc's --descriptor_set_out with --include_imports
// and --include_source_info; PROTO_FILE names the file in it to write
// REPORTS_PY from.

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "python/typing_gen.h"

namespace {

bool WriteFile(const char* path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) std::cerr << "typing_gen: cannot write " << path << "\n";
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: typing_gen DESCRIPTOR_SET PROTO_FILE REPORTS_PY "
                 "OPTIONS_JSON\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  google::protobuf::FileDescriptorSet set;
  if (!in || !set.ParseFromString(bytes.str())) {
    std::cerr << "typing_gen: " << argv[1] << " is not a FileDescriptorSet\n";
    return 1;
  }
  // Imports come first in protoc's set, so each file's are built by then.
  google::protobuf::DescriptorPool pool;
  for (const google::protobuf::FileDescriptorProto& file : set.file()) {
    if (pool.BuildFile(file) == nullptr) {
      std::cerr << "typing_gen: cannot build " << file.name() << "\n";
      return 1;
    }
  }
  const google::protobuf::FileDescriptor* file = pool.FindFileByName(argv[2]);
  if (file == nullptr) {
    std::cerr << "typing_gen: " << argv[2] << " is not in " << argv[1] << "\n";
    return 1;
  }
  absl::StatusOr<std::string> module = dnsbl::python::ReportsModule(*file);
  if (!module.ok()) {
    std::cerr << "typing_gen: " << module.status().message() << "\n";
    return 1;
  }
  return WriteFile(argv[3], *module) &&
                 WriteFile(argv[4], dnsbl::python::OptionsJson())
             ? 0
             : 1;
}

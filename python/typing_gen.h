// python/typing_gen.h
//
// The typed surface of the Python package, made at build time from the
// two sources it must never drift from:
//
// - ReportsModule(): dnsbl/reports.py, a TypedDict for every message and a
//   Literal of value names for every enum of proto/dnsbl.proto, with the
//   .proto's own comments: the shapes of what Checker.check(), health(),
//   bulk() and zones() return (python/proto_dict.h's mapping).
// - OptionsJson(): the options' table (dnsbl/tool_options.h) as the
//   keyword parameters python/make_stub.py writes into dnsbl/__init__.pyi
//   and its docstrings.
//
// Example:
//
//   absl::StatusOr<std::string> module =
//       dnsbl::python::ReportsModule(*v1::Report::descriptor()->file());

#ifndef DNSBL_PYTHON_TYPING_GEN_H_
#define DNSBL_PYTHON_TYPING_GEN_H_

#include <string>

#include "absl/status/statusor.h"
#include "dnsbl/dnsbl.h"
#include "google/protobuf/descriptor.h"

namespace dnsbl::python {

// Returns the Python source of the module of `file`'s types: each enum as
// `Name = Literal["VALUE", ...]`, each message as a TypedDict whose keys
// are required unless the field has presence (message fields, `optional`,
// oneof members: present only when set), 64-bit integers and Timestamps
// as str, maps as Dict[str, V]. Comments come along when `file` was built
// with its source info. Returns InvalidArgument naming a field whose name
// is a Python keyword or whose type is a message or enum of another file
// (other than google.protobuf.Timestamp): neither can be written as a
// class-syntax TypedDict of this module.
absl::StatusOr<std::string> ReportsModule(
    const google::protobuf::FileDescriptor& file);

// Returns the annotation of `spec`'s values in Python ("float" for
// durations, in seconds; "str | Iterable[str]" for lists), without the
// "| None" every keyword also takes.
std::string PythonType(const OptionSpec& spec);

// Returns every Python option as a JSON array of objects with "name",
// "type" (PythonType), "help", "default" (as help shows it) and
// "used_by" (the entry points that take it: "Checker", "zones", "bulk").
std::string OptionsJson();

}  // namespace dnsbl::python

#endif  // DNSBL_PYTHON_TYPING_GEN_H_

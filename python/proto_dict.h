// python/proto_dict.h
//
// Protobuf messages as Python dicts of the protobuf JSON mapping, built
// directly: the dict json.loads() would make of protobuf's JSON printer's
// output with preserve_proto_field_names and always_print_primitive_fields
// (every key present, unlike dnsbl's lean JSON lines, so Python code can
// index any field), without the text in between. For the Python
// module, where decoding JSON text cost more per report than asking 20
// zones. Keys and enum names are interned Python strings shared by all
// dicts.
//
// Example:
//
//   py::object report = dnsbl::python::ToDict(*checker->Check("192.0.2.7"));

#ifndef DNSBL_PYTHON_PROTO_DICT_H_
#define DNSBL_PYTHON_PROTO_DICT_H_

#include <pybind11/pybind11.h>

#include "google/protobuf/message.h"

namespace dnsbl::python {

// Returns `message` as a dict: every field without presence (repeated ones
// as lists, empty or not), message fields only when set, enums by name,
// 64-bit integers and bytes (base64) as strings, Timestamps in RFC 3339,
// maps as dicts. REQUIRES: the GIL is held.
pybind11::dict ToDict(const google::protobuf::Message& message);

}  // namespace dnsbl::python

#endif  // DNSBL_PYTHON_PROTO_DICT_H_

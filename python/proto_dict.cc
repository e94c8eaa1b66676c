#include "python/proto_dict.h"

#include <Python.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"

namespace dnsbl::python {
namespace {

namespace py = pybind11;
using google::protobuf::Descriptor;
using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// An interned string, created once per `key` and kept for the life of the
// process (field names and enum names: a few hundred in all).
template <typename Key>
py::object Interned(const Key* key, const std::string& text) {
  static auto* cache = new absl::flat_hash_map<const void*, PyObject*>();
  PyObject*& s = (*cache)[key];
  if (s == nullptr) {
    s = PyUnicode_InternFromString(text.c_str());
    if (s == nullptr) throw py::error_already_set();
  }
  return py::reinterpret_borrow<py::object>(s);
}

py::object Text(const std::string& s) {
  // Strings of dnsbl's messages are valid UTF-8; "replace" keeps a stray
  // byte from making the whole report unreadable.
  PyObject* o = PyUnicode_DecodeUTF8(
      s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
  if (o == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(o);
}

py::object Double(double d) {
  if (std::isnan(d)) return py::str("NaN");
  if (std::isinf(d)) return py::str(d > 0 ? "Infinity" : "-Infinity");
  return py::float_(d);
}

py::object Enum(const FieldDescriptor* f, int number) {
  const EnumValueDescriptor* v = f->enum_type()->FindValueByNumber(number);
  if (v == nullptr) return py::int_(number);
  return Interned(v, v->name());
}

py::object MessageValue(const Message& m);

// The value of field `f` of `m`: element `index` of a repeated field, or
// the singular value when `index` is -1.
py::object FieldValue(const Message& m, const FieldDescriptor* f, int index) {
  const Reflection* r = m.GetReflection();
  const bool rep = index >= 0;
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return py::int_(rep ? r->GetRepeatedInt32(m, f, index)
                          : r->GetInt32(m, f));
    case FieldDescriptor::CPPTYPE_UINT32:
      return py::int_(rep ? r->GetRepeatedUInt32(m, f, index)
                          : r->GetUInt32(m, f));
    case FieldDescriptor::CPPTYPE_INT64:
      return py::str(absl::StrCat(rep ? r->GetRepeatedInt64(m, f, index)
                                      : r->GetInt64(m, f)));
    case FieldDescriptor::CPPTYPE_UINT64:
      return py::str(absl::StrCat(rep ? r->GetRepeatedUInt64(m, f, index)
                                      : r->GetUInt64(m, f)));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return Double(rep ? r->GetRepeatedDouble(m, f, index)
                        : r->GetDouble(m, f));
    case FieldDescriptor::CPPTYPE_FLOAT: {
      // The JSON printer writes the shortest text that reads back as the
      // same float; json.loads() reads that text as a double.
      const float v =
          rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f);
      if (!std::isfinite(v)) return Double(v);
      char text[32];
      const std::to_chars_result end =
          std::to_chars(text, text + sizeof(text), v);
      return py::float_(
          std::strtod(std::string(text, end.ptr).c_str(), nullptr));
    }
    case FieldDescriptor::CPPTYPE_BOOL:
      return py::bool_(rep ? r->GetRepeatedBool(m, f, index)
                           : r->GetBool(m, f));
    case FieldDescriptor::CPPTYPE_ENUM:
      return Enum(f, rep ? r->GetRepeatedEnumValue(m, f, index)
                         : r->GetEnumValue(m, f));
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string scratch;
      const std::string& s =
          rep ? r->GetRepeatedStringReference(m, f, index, &scratch)
              : r->GetStringReference(m, f, &scratch);
      if (f->type() == FieldDescriptor::TYPE_BYTES) {
        return py::str(absl::Base64Escape(s));
      }
      return Text(s);
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return MessageValue(rep ? r->GetRepeatedMessage(m, f, index)
                              : r->GetMessage(m, f));
  }
  return py::none();
}

py::object MessageValue(const Message& m) {
  const Descriptor* d = m.GetDescriptor();
  if (d->full_name() == "google.protobuf.Timestamp") {
    const Reflection* r = m.GetReflection();
    google::protobuf::Timestamp t;
    t.set_seconds(r->GetInt64(m, d->FindFieldByName("seconds")));
    t.set_nanos(r->GetInt32(m, d->FindFieldByName("nanos")));
    return py::str(google::protobuf::util::TimeUtil::ToString(t));
  }
  return ToDict(m);
}

}  // namespace

py::dict ToDict(const Message& m) {
  py::dict out;
  const Descriptor* d = m.GetDescriptor();
  const Reflection* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    py::object key = Interned(f, f->name());
    if (f->is_map()) {
      py::dict map;
      const FieldDescriptor* k = f->message_type()->map_key();
      const FieldDescriptor* v = f->message_type()->map_value();
      for (int j = 0; j < r->FieldSize(m, f); ++j) {
        const Message& entry = r->GetRepeatedMessage(m, f, j);
        // JSON object keys are strings; a bool key is "true" or "false".
        py::object key_value = FieldValue(entry, k, -1);
        py::str key_text =
            k->cpp_type() == FieldDescriptor::CPPTYPE_BOOL
                ? py::str(key_value.cast<bool>() ? "true" : "false")
                : py::str(key_value);
        map[key_text] = FieldValue(entry, v, -1);
      }
      out[key] = std::move(map);
    } else if (f->is_repeated()) {
      const int n = r->FieldSize(m, f);
      py::list list(n);
      for (int j = 0; j < n; ++j) list[j] = FieldValue(m, f, j);
      out[key] = std::move(list);
    } else if (!f->has_presence() || r->HasField(m, f)) {
      out[key] = FieldValue(m, f, -1);
    }
  }
  return out;
}

}  // namespace dnsbl::python

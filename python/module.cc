// python/module.cc
//
// dnsbl._dnsbl, the extension module under the Python package `dnsbl`
// (python/dnsbl/__init__.py): Checker, bulk runs over any iterable, zone
// health and the catalog's zones, over the C++ library. Reports come back
// as dicts of the protobuf JSON mapping (python/proto_dict.h: field names
// as in proto/dnsbl.proto, every field present: what json.loads() makes
// of `dnsbl check --format=json` with the defaults it leaves out filled
// in). Errors are raised as dnsbl.Error (subclasses
// by status code; the package defines them) carrying the Status message.
//
// The GIL is released whenever DNS work runs, so other Python threads and
// an asyncio loop keep going; each Checker serializes its own calls (the
// C++ Checker is not thread-safe).

#include <Python.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <deque>
#include <istream>
#include <memory>
#include <mutex>
#include <optional>
#include <streambuf>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "dnsbl/dnsbl.h"
#include "python/proto_dict.h"
#include "python/typing_gen.h"

namespace py = pybind11;

namespace dnsbl {
namespace {

// Returns the dnsbl.Error (subclass for `status`'s code) carrying the code
// name and message.
py::object ErrorFor(const absl::Status& status) {
  py::object make = py::module_::import("dnsbl").attr("_make_error");
  return make(absl::StatusCodeToString(status.code()),
              std::string(status.message()));
}

// Raises ErrorFor(status).
[[noreturn]] void Raise(const absl::Status& status) {
  py::object error = ErrorFor(status);
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(error.ptr())),
                  error.ptr());
  throw py::error_already_set();
}

template <typename T>
T OrRaise(absl::StatusOr<T> value) {
  if (!value.ok()) Raise(value.status());
  return *std::move(value);
}

// A str, or any iterable of them.
std::vector<std::string> Strings(py::handle value) {
  if (py::isinstance<py::str>(value)) return {py::cast<std::string>(value)};
  return py::cast<std::vector<std::string>>(value);
}

// Returns `value` as a value of `spec`'s type (durations in seconds; a
// file name as str or os.PathLike; a list as one str or an iterable of
// them); throws py::cast_error for a value of another type.
OptionValue FromPython(const OptionSpec& spec, py::handle value) {
  switch (spec.type) {
    case OptionType::kBool:
      return py::cast<bool>(value);
    case OptionType::kInt:
      return py::cast<int64_t>(value);
    case OptionType::kDouble:
      return py::cast<double>(value);
    case OptionType::kDuration:
      return absl::Seconds(py::cast<double>(value));
    case OptionType::kText:
      if (!py::isinstance<py::str>(value) && py::hasattr(value, "__fspath__")) {
        return py::cast<std::string>(
            py::module_::import("os").attr("fspath")(value));
      }
      return py::cast<std::string>(value);
    case OptionType::kList:
      return Strings(value);
    case OptionType::kKeyValues:
      return py::cast<std::map<std::string, std::string>>(value);
  }
  throw py::cast_error();
}

// Reads the keyword arguments of an entry point that takes `command`'s
// options (Checker and zones: check's; bulk: bulk's) over their Python
// defaults; an argument that is None keeps its default. Returns
// InvalidArgument naming unknown options and values of the wrong type or
// that their option refuses, and the errors of loading the catalog.
absl::StatusOr<ToolOptions> ReadOptions(const py::kwargs& kwargs,
                                        ToolCommand command) {
  ToolOptions options = DefaultToolOptions(command, Tool::kPython);
  std::vector<std::string> unknown;
  for (auto [key_object, value] : kwargs) {
    const std::string key = py::cast<std::string>(key_object);
    const OptionSpec* spec = FindOption(Tool::kPython, key);
    if (spec == nullptr || !spec->UsedBy(command)) {
      unknown.push_back(key);
      continue;
    }
    if (value.is_none()) continue;
    OptionValue converted;
    try {
      converted = FromPython(*spec, value);
    } catch (const py::cast_error&) {
      return absl::InvalidArgumentError(absl::StrCat(
          "option ", key, "=", py::cast<std::string>(py::repr(value)),
          " has the wrong type"));
    }
    if (absl::Status s = spec->set(std::move(converted), options); !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("option ", key, ": ", s.message()));
    }
  }
  if (!unknown.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown option", unknown.size() > 1 ? "s " : " ",
                     absl::StrJoin(unknown, ", ")));
  }
  if (absl::Status s = FinishToolOptions(options); !s.ok()) return s;
  return options;
}

// The options table for Python: name, type (its annotation), help, default and
// which entry points take it (dnsbl.options()).
py::list Options() {
  py::list out;
  for (const OptionSpec& spec : AllOptions()) {
    if (!spec.In(Tool::kPython)) continue;
    py::dict entry;
    entry["name"] = std::string(spec.NameIn(Tool::kPython));
    entry["type"] = python::PythonType(spec);
    entry["help"] = std::string(spec.help);
    const ToolCommand command = spec.UsedBy(ToolCommand::kCheck)
                                    ? ToolCommand::kCheck
                                    : ToolCommand::kBulk;
    entry["default"] = DefaultText(spec, command, Tool::kPython);
    entry["used_by"] = PythonEntryPoints(spec);
    out.append(entry);
  }
  return out;
}

// One Checker; every call takes its lock, and releases the GIL while
// waiting for it and for the network.
class PyChecker {
 public:
  explicit PyChecker(const py::kwargs& kwargs) {
    const ToolOptions read = OrRaise(ReadOptions(kwargs, ToolCommand::kCheck));
    const CheckerOptions& options = read.bulk.checker;
    absl::StatusOr<std::unique_ptr<Checker>> checker;
    {
      py::gil_scoped_release release;
      checker = Checker::Create(options);  // Local zone data loads here.
    }
    checker_ = OrRaise(std::move(checker));
  }

  py::object Check(const std::string& address) {
    absl::StatusOr<v1::Report> report;
    {
      py::gil_scoped_release release;
      std::lock_guard<std::mutex> lock(mu_);
      report = checker_->Check(address);
    }
    return python::ToDict(OrRaise(std::move(report)));
  }

  // Checks every address at once; each item of the result is a report, or
  // the dnsbl.Error of an address that is not one (nothing is asked
  // about it). The asyncio helpers resolve one future per item.
  // With `all_or_nothing`, raises the error of the first item that is not
  // an address instead, before asking anything.
  py::list CheckEach(const std::vector<std::string>& addresses,
                     bool all_or_nothing) {
    std::vector<absl::StatusOr<v1::Report>> reports(
        addresses.size(), absl::UnknownError("not checked"));
    std::vector<absl::StatusOr<IpAddress>> ips;
    for (const std::string& address : addresses) {
      ips.push_back(IpAddress::Parse(address));
      if (all_or_nothing && !ips.back().ok()) {
        Raise(absl::InvalidArgumentError(absl::StrCat(
            "item ", ips.size() - 1, ": ", ips.back().status().message())));
      }
    }
    {
      py::gil_scoped_release release;
      std::lock_guard<std::mutex> lock(mu_);
      for (size_t i = 0; i < addresses.size(); ++i) {
        if (!ips[i].ok()) {
          reports[i] = ips[i].status();
          continue;
        }
        checker_->CheckAsync(*ips[i], [&reports, i](v1::Report r) {
          reports[i] = std::move(r);
        });
      }
      while (checker_->pending() > 0) checker_->Poll(absl::Milliseconds(100));
    }
    py::list out;
    for (const absl::StatusOr<v1::Report>& report : reports) {
      out.append(report.ok() ? py::object(python::ToDict(*report))
                             : ErrorFor(report.status()));
    }
    return out;
  }

  py::object Health() {
    v1::HealthReport health;
    {
      py::gil_scoped_release release;
      std::lock_guard<std::mutex> lock(mu_);
      health = checker_->ProbeHealth();
    }
    return python::ToDict(health);
  }

  std::string resolver() const { return checker_->resolver_description(); }
  std::string resolution() const {
    return std::string(ResolutionModeName(checker_->resolution()));
  }
  std::vector<std::string> warnings() const { return checker_->warnings(); }

 private:
  std::mutex mu_;
  std::unique_ptr<Checker> checker_;
};

// The lines of a bulk run, pulled from a Python iterator (taking the GIL)
// as BulkRunner reads them: any iterable of addresses and networks, one
// per item (str() of each; line breaks inside an item become spaces, so an
// item is one line and an error names it whole).
class IteratorLines : public std::streambuf {
 public:
  explicit IteratorLines(py::object iterator)
      : iterator_(std::move(iterator)) {}

  ~IteratorLines() override {
    py::gil_scoped_acquire gil;
    iterator_ = py::object();
  }

  // The exception the iterator raised, if any (then input ended there).
  std::optional<py::error_already_set>& error() { return error_; }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    buffer_.clear();
    if (!done_) {
      py::gil_scoped_acquire gil;
      // A batch per GIL hold: taking the GIL once per address would cost
      // more than the address.
      for (int n = 0; n < 256 && !done_; ++n) {
        PyObject* item = PyIter_Next(iterator_.ptr());
        if (item == nullptr) {
          done_ = true;
          if (PyErr_Occurred()) error_.emplace();
          break;
        }
        py::object owned = py::reinterpret_steal<py::object>(item);
        std::string text;
        try {
          text = py::isinstance<py::bytes>(owned)
                     ? py::cast<std::string>(owned)
                     : py::cast<std::string>(py::str(owned));
        } catch (py::error_already_set& e) {
          done_ = true;
          error_.emplace(std::move(e));
          break;
        }
        for (char& c : text) {
          if (c == '\n' || c == '\r') c = ' ';
        }
        buffer_ += text;
        buffer_ += '\n';
      }
    }
    if (buffer_.empty()) return traits_type::eof();
    setg(buffer_.data(), buffer_.data(), buffer_.data() + buffer_.size());
    return traits_type::to_int_type(*gptr());
  }

 private:
  py::object iterator_;
  std::string buffer_;
  bool done_ = false;
  std::optional<py::error_already_set> error_;
};

// A bulk run on a thread of its own, its reports handed to Python one at a
// time as they finish. Memory: the reports finished and not yet taken.
class PyBulk {
 public:
  PyBulk(const py::iterable& input, const py::kwargs& kwargs)
      : lines_(py::iter(input)) {
    BulkOptions options = OrRaise(ReadOptions(kwargs, ToolCommand::kBulk)).bulk;
    options.stop = &stop_;
    // Reports become dicts on the caller's thread (in Next()), not here:
    // this thread drives the DNS loop, and needs no GIL.
    options.on_report = [this](v1::Report report) {
      std::lock_guard<std::mutex> lock(mu_);
      ready_.push_back(std::move(report));
      if (ready_.size() == 1) changed_.notify_one();
    };
    options.on_input_error = [this](const InputError& e) {
      std::lock_guard<std::mutex> lock(mu_);
      input_errors_.push_back(e);
    };
    absl::StatusOr<std::unique_ptr<BulkRunner>> runner;
    {
      py::gil_scoped_release release;
      runner = BulkRunner::Create(std::move(options));
    }
    runner_ = OrRaise(std::move(runner));
    thread_ = std::thread([this] {
      std::istream in(&lines_);
      absl::StatusOr<BulkSummary> result = runner_->Run(&in);
      std::lock_guard<std::mutex> lock(mu_);
      result_ = std::move(result);
      changed_.notify_one();
    });
  }

  ~PyBulk() {
    stop_ = 1;  // Questions in flight finish; no new input is read.
    py::gil_scoped_release release;
    if (thread_.joinable()) thread_.join();
  }

  py::object Next() {
    if (taken_.empty()) {
      py::gil_scoped_release release;
      std::unique_lock<std::mutex> lock(mu_);
      changed_.wait(lock, [this] { return !ready_.empty() || result_; });
      taken_.swap(ready_);  // Every report finished so far, in one go.
    }
    if (!taken_.empty()) {
      py::dict report = python::ToDict(taken_.front());
      taken_.pop_front();
      return std::move(report);
    }
    if (lines_.error().has_value()) {
      py::error_already_set error = std::move(*lines_.error());
      lines_.error().reset();
      throw error;
    }
    if (!result_->ok()) Raise(result_->status());
    throw py::stop_iteration();
  }

  // Where the run stands (its end, once iteration stopped).
  py::dict Summary() {
    py::dict out;
    std::lock_guard<std::mutex> lock(mu_);
    if (result_ && result_->ok()) {
      const BulkSummary& s = **result_;
      out["reports"] = s.verdicts.reports;
      out["listed"] = s.verdicts.listed;
      out["incomplete"] = s.verdicts.incomplete;
      out["clean"] = s.clean;  // Not handed over (listed_only).
      out["input_errors"] = s.input_errors;
      out["other_shards"] = s.other_shards;
      out["questions"] = s.dns.sent;
      out["seconds"] = absl::ToDoubleSeconds(s.elapsed);
      out["interrupted"] = s.interrupted;
      out["errors"] = s.verdicts.errors;
    }
    out["done"] = result_.has_value();
    return out;
  }

  // The input items that were not addresses: (line, text, why).
  py::list InputErrors() {
    py::list out;
    std::lock_guard<std::mutex> lock(mu_);
    for (const InputError& e : input_errors_) {
      out.append(py::make_tuple(e.line, e.text, e.message));
    }
    return out;
  }

 private:
  IteratorLines lines_;
  volatile std::sig_atomic_t stop_ = 0;
  std::unique_ptr<BulkRunner> runner_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<v1::Report> ready_;  // Guarded by mu_.
  // Taken by Next(), not yet returned; only Next() uses them.
  std::deque<v1::Report> taken_;
  std::vector<InputError> input_errors_;               // Guarded by mu_.
  std::optional<absl::StatusOr<BulkSummary>> result_;  // Guarded by mu_.
  std::thread thread_;
};

py::list Zones(const py::kwargs& kwargs) {
  const ToolOptions read = OrRaise(ReadOptions(kwargs, ToolCommand::kCheck));
  const CheckerOptions& options = read.bulk.checker;
  const CatalogZones selected = OrRaise(SelectCatalogZones(
      options.catalog, options.zones, options.setting_names));
  py::list out;
  for (const v1::Zone& zone : selected.zones) out.append(python::ToDict(zone));
  return out;
}

}  // namespace
}  // namespace dnsbl

PYBIND11_MODULE(_dnsbl, m) {
  using dnsbl::PyBulk;
  using dnsbl::PyChecker;
  m.doc() = "dnsbl's C++ core; use the package `dnsbl`, not this module.";
  py::class_<PyChecker>(m, "Checker")
      .def(py::init<const py::kwargs&>())
      .def("check", &PyChecker::Check, py::arg("address"))
      .def("check_each", &PyChecker::CheckEach, py::arg("addresses"),
           py::arg("all_or_nothing") = false)
      .def("health", &PyChecker::Health)
      .def_property_readonly("resolver", &PyChecker::resolver)
      .def_property_readonly("resolution", &PyChecker::resolution)
      .def_property_readonly("warnings", &PyChecker::warnings);
  py::class_<PyBulk>(m, "Bulk")
      .def(py::init<const py::iterable&, const py::kwargs&>())
      .def("__iter__", [](PyBulk& self) -> PyBulk& { return self; })
      .def("__next__", &PyBulk::Next)
      .def_property_readonly("summary", &PyBulk::Summary)
      .def_property_readonly("input_errors", &PyBulk::InputErrors);
  m.def("zones", &dnsbl::Zones);
  m.def("options", &dnsbl::Options);
  m.attr("version") = DNSBL_VERSION_STRING;
}

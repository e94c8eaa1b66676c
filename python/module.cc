// python/module.cc
//
// dnsbl._dnsbl, the extension module under the Python package `dnsbl`
// (python/dnsbl/__init__.py): Checker, bulk runs over any iterable, zone
// health and the catalog's zones, over the C++ library. Reports come back
// as dicts of the protobuf JSON mapping (python/proto_dict.h: field names
// as in proto/dnsbl.proto, every field present), what json.loads() makes
// of `dnsbl check --format=json`. Errors are raised as dnsbl.Error (subclasses
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

// The option names of CheckerOptions as Python spells them, so error
// messages name what the caller wrote.
SettingNames PythonSettingNames() {
  SettingNames names;
  names.key = "keys={\"{name}\": ...}";
  names.keys = "keys";
  names.nameserver = "nameservers";
  names.resolution = "resolution=\"direct\"";
  names.output = "(bulk output)";
  names.resume = "(resume)";
  names.strict = "strict=True";
  names.max_range_size = "max_range_size";
  names.list_zones = "dnsbl.zones()";
  return names;
}

// A str, or any iterable of them.
std::vector<std::string> Strings(py::handle value) {
  if (py::isinstance<py::str>(value)) return {py::cast<std::string>(value)};
  return py::cast<std::vector<std::string>>(value);
}

// Keyword arguments read: the CheckerOptions ones, and the others, for the
// caller to read or refuse.
struct ReadOptions {
  CheckerOptions checker;
  py::dict rest;
};

// Reads the keyword arguments a Checker and bulk() share over `defaults`
// (an option not given, or None, keeps its default). Returns
// InvalidArgument naming an option of the wrong type, NotFound for a
// catalog file that cannot be read.
absl::StatusOr<ReadOptions> ReadCheckerOptions(const py::dict& kwargs,
                                               CheckerOptions defaults = {}) {
  ReadOptions read;
  read.checker = std::move(defaults);
  CheckerOptions& options = read.checker;
  options.setting_names = PythonSettingNames();
  // As the dnsbl command: the user's cache unless told otherwise.
  if (options.delegation_cache.empty()) {
    options.delegation_cache = DefaultDelegationCachePath();
  }
  std::optional<std::string> catalog_path, catalog_text;
  for (auto [key_object, value] : kwargs) {
    const std::string key = py::cast<std::string>(key_object);
    if (value.is_none()) continue;  // As if not given: the default.
    try {
      if (key == "nameservers") {
        options.nameservers = Strings(value);
      } else if (key == "resolution") {
        absl::StatusOr<ResolutionMode> mode =
            ParseResolutionMode(py::cast<std::string>(value));
        if (!mode.ok()) {
          return absl::InvalidArgumentError(
              absl::StrCat("option resolution: ", mode.status().message()));
        }
        options.resolution = *mode;
      } else if (key == "root_hints") {
        options.root_hints = py::cast<std::string>(py::str(value));
      } else if (key == "delegation_cache") {
        const std::string path = py::cast<std::string>(py::str(value));
        options.delegation_cache = path == "none" ? "" : path;
      } else if (key == "catalog") {
        catalog_path = py::cast<std::string>(py::str(value));
      } else if (key == "catalog_text") {
        catalog_text = py::cast<std::string>(value);
      } else if (key == "zones") {
        options.zones = Strings(value);
      } else if (key == "timeout") {
        options.timeout = absl::Seconds(py::cast<double>(value));
      } else if (key == "tries") {
        options.tries = py::cast<int>(value);
      } else if (key == "max_inflight") {
        options.max_inflight = py::cast<int>(value);
      } else if (key == "adaptive_window") {
        options.adaptive_window = py::cast<bool>(value);
      } else if (key == "txt") {
        options.fetch_txt = py::cast<bool>(value);
      } else if (key == "health_check") {
        options.health_check = py::cast<bool>(value);
      } else if (key == "contacts") {
        options.contacts = py::cast<bool>(value);
      } else if (key == "contact_sources") {
        options.contact_sources = Strings(value);
      } else if (key == "zone_data") {
        options.zone_data = Strings(value);
      } else if (key == "keys") {
        options.keys = py::cast<std::map<std::string, std::string>>(value);
      } else if (key == "rdap_url") {
        options.rdap_url = py::cast<std::string>(value);
      } else if (key == "rdap_ca_file") {
        options.rdap_ca_file = py::cast<std::string>(py::str(value));
      } else if (key == "rdap_timeout") {
        options.rdap_timeout = absl::Seconds(py::cast<double>(value));
      } else if (key == "rdap_qps") {
        options.rdap_queries_per_second = py::cast<double>(value);
      } else {
        read.rest[key_object] = value;
      }
    } catch (const py::cast_error&) {
      return absl::InvalidArgumentError(absl::StrCat(
          "option ", key, "=", py::cast<std::string>(py::repr(value)),
          " has the wrong type"));
    }
  }
  if (catalog_path.has_value() && catalog_text.has_value()) {
    return absl::InvalidArgumentError(
        "give catalog (a file) or catalog_text, not both");
  }
  if (catalog_path.has_value() || catalog_text.has_value()) {
    absl::StatusOr<v1::Catalog> catalog =
        catalog_path.has_value() ? LoadCatalogFile(*catalog_path)
                                 : ParseCatalog(*catalog_text, "catalog_text");
    if (!catalog.ok()) return catalog.status();
    options.catalog = std::make_shared<const v1::Catalog>(*std::move(catalog));
  }
  return read;
}

// Returns InvalidArgument naming every option in `rest` (none known).
absl::Status RejectUnknown(const py::dict& rest) {
  if (rest.empty()) return absl::OkStatus();
  std::vector<std::string> names;
  for (auto item : rest) names.push_back(py::cast<std::string>(item.first));
  return absl::InvalidArgumentError(absl::StrCat("unknown option",
                                                 names.size() > 1 ? "s " : " ",
                                                 absl::StrJoin(names, ", ")));
}

// One Checker; every call takes its lock, and releases the GIL while
// waiting for it and for the network.
class PyChecker {
 public:
  explicit PyChecker(const py::kwargs& kwargs) {
    // Python callers check many addresses at once (check_many, asyncio):
    // the window adapts and zones' rate limits hold unless they say not.
    CheckerOptions defaults;
    defaults.adaptive_window = true;
    ReadOptions read = OrRaise(ReadCheckerOptions(kwargs, defaults));
    if (absl::Status s = RejectUnknown(read.rest); !s.ok()) Raise(s);
    const CheckerOptions& options = read.checker;
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
    BulkOptions options;  // Its checker defaults differ (more tries).
    ReadOptions read = OrRaise(ReadCheckerOptions(kwargs, options.checker));
    options.checker = std::move(read.checker);
    py::dict unknown;
    for (auto [key, value] : read.rest) {
      const std::string name = py::cast<std::string>(key);
      try {
        if (name == "strict") {
          options.strict = py::cast<bool>(value);
        } else if (name == "max_range_size") {
          options.input.max_range_size = py::cast<uint64_t>(value);
        } else if (name == "shard") {
          // "K/N", or "N" with K from a Slurm array or Kubernetes
          // Indexed Job's environment, as `dnsbl bulk --shard`.
          options.shard =
              OrRaise(ParseShard(py::cast<std::string>(value),
                                 [](const char* name) -> const char* {
                                   return std::getenv(name);
                                 }));
        } else {
          unknown[key] = value;
        }
      } catch (const py::cast_error&) {
        Raise(absl::InvalidArgumentError(
            absl::StrCat("option ", name, " has the wrong type")));
      }
    }
    if (absl::Status s = RejectUnknown(unknown); !s.ok()) Raise(s);
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
  ReadOptions read = OrRaise(ReadCheckerOptions(kwargs));
  if (absl::Status s = RejectUnknown(read.rest); !s.ok()) Raise(s);
  const CheckerOptions& options = read.checker;
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
  m.attr("version") = DNSBL_VERSION_STRING;
}

#include "dnsbl/report_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "dnsbl/escape.h"
#include "dnsbl/format.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/util/json_util.h"

namespace dnsbl {
namespace {

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::string();  // A missing file is empty output.
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// JSON records start with the address, as FormatJson prints them; reading
// it without a full parse keeps resuming a multi-gigabyte file fast.
constexpr absl::string_view kJsonPrefix = "{\"address\":\"";

bool AddAddress(absl::string_view text, ResumeState& state) {
  absl::StatusOr<IpAddress> ip = IpAddress::Parse(text);
  if (!ip.ok()) return false;
  state.done.Insert(IpRange{*ip, *ip});
  return true;
}

absl::Status ScanJson(absl::string_view data, ResumeState& state) {
  size_t pos = 0;
  while (pos < data.size()) {
    size_t end = data.find('\n', pos);
    if (end == absl::string_view::npos) break;  // torn: no newline
    absl::string_view line = data.substr(pos, end - pos);
    bool last_complete = data.find('\n', end + 1) == absl::string_view::npos;
    if (!absl::StartsWith(line, kJsonPrefix) || !absl::EndsWith(line, "}")) {
      if (last_complete) break;  // A torn line followed only by a newline.
      return absl::DataLossError(absl::StrCat("not dnsbl JSON output at byte ",
                                              pos, ": ",
                                              QuoteInput(line.substr(0, 40))));
    }
    if (last_complete) {
      // The last line is parsed in full: a kill can tear it anywhere.
      v1::Report report;
      if (!google::protobuf::util::JsonStringToMessage(std::string(line),
                                                       &report)
               .ok()) {
        break;
      }
    }
    absl::string_view rest = line.substr(kJsonPrefix.size());
    if (!AddAddress(rest.substr(0, rest.find('"')), state)) {
      return absl::DataLossError(
          absl::StrCat("bad address in the record at byte ", pos));
    }
    ++state.records;
    pos = end + 1;
    state.valid_bytes = static_cast<int64_t>(pos);
  }
  return absl::OkStatus();
}

// Reads length-delimited reports from `data`, calling `on_record` with each,
// until `on_record` returns an error or a record is torn or missing. Returns
// that error, or the offset where whole records end.
absl::StatusOr<int64_t> ReadFrames(
    absl::string_view data,
    absl::FunctionRef<absl::Status(v1::Report)> on_record) {
  google::protobuf::io::CodedInputStream in(
      reinterpret_cast<const uint8_t*>(data.data()),
      static_cast<int>(data.size()));
  in.SetTotalBytesLimit(INT32_MAX);
  int64_t end = 0;
  while (in.CurrentPosition() < static_cast<int>(data.size())) {
    uint32_t size = 0;
    if (!in.ReadVarint32(&size)) break;
    auto limit = in.PushLimit(static_cast<int>(size));
    v1::Report report;
    bool ok = in.BytesUntilLimit() == static_cast<int>(size) &&
              report.ParseFromCodedStream(&in) && in.ConsumedEntireMessage();
    in.PopLimit(limit);
    if (!ok) break;  // torn at the end
    if (absl::Status s = on_record(std::move(report)); !s.ok()) {
      return s;
    }
    end = in.CurrentPosition();
  }
  return end;
}

absl::Status ScanBinary(absl::string_view data, ResumeState& state) {
  absl::StatusOr<int64_t> end =
      ReadFrames(data, [&](v1::Report report) -> absl::Status {
        if (!AddAddress(report.address(), state)) {
          return absl::DataLossError(absl::StrCat(
              "record at byte ", state.valid_bytes, " has no valid address"));
        }
        ++state.records;
        return absl::OkStatus();
      });
  if (!end.ok()) return end.status();
  state.valid_bytes = *end;
  return absl::OkStatus();
}

absl::Status ScanCsv(absl::string_view data, ResumeState& state) {
  const std::string header = CsvHeader();
  if (data.empty()) return absl::OkStatus();
  if (!absl::StartsWith(data, header)) {
    if (absl::StartsWith(header, data)) return absl::OkStatus();  // torn
    return absl::DataLossError("not dnsbl CSV output: the header differs");
  }
  // Rows of one address are contiguous. The last address's rows may be
  // incomplete (the row count per address is not in the file), so its rows
  // are always dropped and it is checked again.
  size_t pos = header.size();
  size_t last_start = pos;
  std::string last_address;
  std::vector<std::pair<std::string, size_t>> addresses;
  while (pos < data.size()) {
    size_t end = data.find('\n', pos);
    if (end == absl::string_view::npos) break;
    absl::string_view row = data.substr(pos, end - pos);
    std::string address(row.substr(0, row.find(',')));
    if (address != last_address) {
      addresses.emplace_back(address, pos);
      last_address = address;
    }
    pos = end + 1;
  }
  if (!addresses.empty()) {
    last_start = addresses.back().second;
    addresses.pop_back();
  }
  for (const auto& [address, offset] : addresses) {
    if (!AddAddress(address, state)) {
      return absl::DataLossError(
          absl::StrCat("bad address in the CSV row at byte ", offset));
    }
    ++state.records;
  }
  state.valid_bytes = static_cast<int64_t>(last_start);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<OutputFormat> ParseOutputFormat(absl::string_view name) {
  if (name == "json") return OutputFormat::kJson;
  if (name == "binary") return OutputFormat::kBinary;
  if (name == "csv") return OutputFormat::kCsv;
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown format ", QuoteInput(name), " (use json, binary or csv)"));
}

std::string EncodeRecord(const v1::Report& report, OutputFormat format) {
  switch (format) {
    case OutputFormat::kJson:
      return std::string(JsonLineEncoder().EncodeLine(report));
    case OutputFormat::kCsv:
      return FormatCsv(report);
    case OutputFormat::kBinary: {
      std::string body = report.SerializeAsString();
      std::string out;
      uint8_t varint[10];
      uint8_t* end =
          google::protobuf::io::CodedOutputStream::WriteVarint32ToArray(
              static_cast<uint32_t>(body.size()), varint);
      out.append(reinterpret_cast<const char*>(varint), end - varint);
      out.append(body);
      return out;
    }
  }
  return "";
}

absl::StatusOr<ResumeState> ScanOutput(const std::string& path,
                                       OutputFormat format) {
  absl::StatusOr<std::string> data = ReadWholeFile(path);
  if (!data.ok()) return data.status();
  ResumeState state;
  absl::Status status;
  switch (format) {
    case OutputFormat::kJson:
      status = ScanJson(*data, state);
      break;
    case OutputFormat::kBinary:
      status = ScanBinary(*data, state);
      break;
    case OutputFormat::kCsv:
      status = ScanCsv(*data, state);
      break;
  }
  if (!status.ok()) {
    return absl::DataLossError(absl::StrCat("cannot resume ", QuoteInput(path),
                                            ": ", status.message()));
  }
  state.torn_bytes = static_cast<int64_t>(data->size()) - state.valid_bytes;
  return state;
}

absl::StatusOr<std::vector<v1::Report>> ReadReports(const std::string& path,
                                                    OutputFormat format) {
  absl::StatusOr<std::string> data = ReadWholeFile(path);
  if (!data.ok()) return data.status();
  std::vector<v1::Report> reports;
  if (format == OutputFormat::kJson) {
    for (absl::string_view line :
         absl::StrSplit(*data, '\n', absl::SkipEmpty())) {
      v1::Report report;
      auto s = google::protobuf::util::JsonStringToMessage(std::string(line),
                                                           &report);
      if (!s.ok()) return absl::DataLossError(std::string(s.message()));
      reports.push_back(std::move(report));
    }
    return reports;
  }
  if (format == OutputFormat::kBinary) {
    absl::StatusOr<int64_t> end = ReadFrames(*data, [&](v1::Report report) {
      reports.push_back(std::move(report));
      return absl::OkStatus();
    });
    if (!end.ok()) return end.status();
    if (*end != static_cast<int64_t>(data->size())) {
      return absl::DataLossError(
          absl::StrCat("torn binary record at byte ", *end));
    }
    return reports;
  }
  return absl::InvalidArgumentError("CSV cannot be read back into reports");
}

absl::StatusOr<std::unique_ptr<ReportWriter>> ReportWriter::Open(
    const std::string& path, OutputFormat format, bool append,
    int64_t valid_bytes) {
  if (path.empty() || path == "-") {
    auto writer = std::unique_ptr<ReportWriter>(
        new ReportWriter(1, false, "stdout", format));
    if (format == OutputFormat::kCsv && !append) {
      if (absl::Status s = writer->WriteAll(CsvHeader()); !s.ok()) return s;
    }
    return writer;
  }
  int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? 0 : O_TRUNC);
  int fd = open(path.c_str(), flags, 0644);
  if (fd < 0) {
    return absl::PermissionDeniedError(absl::StrCat(
        "cannot open output ", QuoteInput(path), ": ", strerror(errno)));
  }
  if (append) {
    if (ftruncate(fd, valid_bytes) != 0 ||
        lseek(fd, valid_bytes, SEEK_SET) < 0) {
      int err = errno;
      close(fd);
      return absl::InternalError(
          absl::StrCat("cannot cut ", QuoteInput(path),
                       " to its last whole record: ", strerror(err)));
    }
  }
  auto writer =
      std::unique_ptr<ReportWriter>(new ReportWriter(fd, true, path, format));
  if (format == OutputFormat::kCsv && (!append || valid_bytes == 0)) {
    if (absl::Status s = writer->WriteAll(CsvHeader()); !s.ok()) return s;
  }
  return writer;
}

ReportWriter::~ReportWriter() {
  if (owned_) close(fd_);
}

absl::Status ReportWriter::Write(const v1::Report& report) {
  if (format_ == OutputFormat::kJson) return WriteAll(json_.EncodeLine(report));
  return WriteAll(EncodeRecord(report, format_));
}

absl::Status ReportWriter::WriteAll(absl::string_view data) {
  while (!data.empty()) {
    ssize_t n = write(fd_, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::DataLossError(absl::StrCat(
          "cannot write to ", QuoteInput(name_), ": ", strerror(errno)));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

}  // namespace dnsbl

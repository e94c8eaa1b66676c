#include "dnsbl/output/internal/report_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "dnsbl/base/escape.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/util/json_util.h"

namespace dnsbl {
namespace {

// Reads a file front to back through a buffer that holds the unread part
// of the current chunk and at most one record: scanning a multi-gigabyte
// output takes as much memory as its longest record, not the file.
class ChunkReader {
 public:
  static constexpr size_t kChunk = 1 << 20;

  // A missing file reads as empty output.
  explicit ChunkReader(const std::string& path)
      : fd_(open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~ChunkReader() {
    if (fd_ >= 0) close(fd_);
  }
  ChunkReader(const ChunkReader&) = delete;
  ChunkReader& operator=(const ChunkReader&) = delete;

  // Returns the bytes read and not yet consumed.
  absl::string_view available() const {
    return absl::string_view(buffer_).substr(start_);
  }
  // Returns the file offset of available().
  int64_t offset() const { return consumed_; }
  // Returns the bytes the file had after everything read so far.
  int64_t size() const { return consumed_ + available().size(); }

  void Consume(size_t n) {
    start_ += n;
    consumed_ += static_cast<int64_t>(n);
  }

  // Reads more until at least `n` bytes are available; returns false at the
  // end of the file (or on a read error) with fewer. Returns the error of a
  // failed read.
  absl::StatusOr<bool> Ensure(size_t n) {
    while (available().size() < n) {
      if (fd_ < 0 || eof_) return false;
      // Drop what was consumed before growing.
      buffer_.erase(0, start_);
      start_ = 0;
      const size_t old = buffer_.size();
      buffer_.resize(old + kChunk);
      ssize_t got;
      do {
        got = read(fd_, &buffer_[old], kChunk);
      } while (got < 0 && errno == EINTR);
      if (got < 0) {
        buffer_.resize(old);
        return absl::DataLossError(
            absl::StrCat("read failed: ", strerror(errno)));
      }
      buffer_.resize(old + static_cast<size_t>(got));
      if (got == 0) eof_ = true;
    }
    return true;
  }

  // Returns the next line without its newline, reading as needed, or
  // nullopt when no newline is left (the rest, if any, is a torn line).
  absl::StatusOr<std::optional<absl::string_view>> NextLine() {
    size_t searched = 0;
    while (true) {
      absl::string_view rest = available();
      size_t newline = rest.find('\n', searched);
      if (newline != absl::string_view::npos) return rest.substr(0, newline);
      searched = rest.size();
      absl::StatusOr<bool> more = Ensure(rest.size() + 1);
      if (!more.ok()) return more.status();
      if (!*more) return std::nullopt;
    }
  }

 private:
  const int fd_;
  std::string buffer_;
  size_t start_ = 0;
  int64_t consumed_ = 0;
  bool eof_ = false;
};

// JSON records start with the address, as FormatJson prints them; reading
// it without a full parse keeps resuming a multi-gigabyte file fast.
constexpr absl::string_view kJsonPrefix = "{\"address\":\"";

bool AddAddress(absl::string_view text, ResumeState& state) {
  absl::StatusOr<IpAddress> ip = IpAddress::Parse(text);
  if (!ip.ok()) return false;
  state.done.Insert(IpRange{*ip, *ip});
  return true;
}

absl::Status ScanJson(ChunkReader& in, ResumeState& state) {
  // A line is committed once the next one is seen; the last whole line is
  // parsed in full, since a kill can tear it anywhere.
  std::string pending;
  bool have_pending = false;
  int64_t pending_at = 0;
  auto commit = [&](bool last) -> absl::Status {
    absl::string_view line = pending;
    if (!absl::StartsWith(line, kJsonPrefix) || !absl::EndsWith(line, "}")) {
      if (last) return absl::OkStatus();  // A torn line, then a newline.
      return absl::DataLossError(absl::StrCat("not dnsbl JSON output at byte ",
                                              pending_at, ": ",
                                              QuoteInput(line.substr(0, 40))));
    }
    if (last) {
      v1::Report report;
      if (!google::protobuf::util::JsonStringToMessage(pending, &report).ok()) {
        return absl::OkStatus();
      }
    }
    absl::string_view rest = line.substr(kJsonPrefix.size());
    if (!AddAddress(rest.substr(0, rest.find('"')), state)) {
      return absl::DataLossError(
          absl::StrCat("bad address in the record at byte ", pending_at));
    }
    ++state.records;
    state.valid_bytes = pending_at + static_cast<int64_t>(line.size()) + 1;
    return absl::OkStatus();
  };
  while (true) {
    const int64_t at = in.offset();
    absl::StatusOr<std::optional<absl::string_view>> line = in.NextLine();
    if (!line.ok()) return line.status();
    if (!line->has_value()) break;
    if (have_pending) {
      if (absl::Status s = commit(/*last=*/false); !s.ok()) return s;
    }
    pending.assign((*line)->data(), (*line)->size());
    pending_at = at;
    have_pending = true;
    in.Consume((*line)->size() + 1);
  }
  return have_pending ? commit(/*last=*/true) : absl::OkStatus();
}

// Reads length-delimited reports from `in`, calling `on_record` with each,
// until the file ends or its last record is torn. Returns the offset where
// whole records end, or the error of `on_record`, or DataLoss for a damaged
// record before the end. It reads each length itself, unlike
// ParseDelimitedFromCodedStream: only the length says how much to read
// into the chunk buffer, and whether a short frame is torn or damaged.
absl::StatusOr<int64_t> ReadFrames(
    ChunkReader& in, absl::FunctionRef<absl::Status(v1::Report)> on_record) {
  while (true) {
    // A varint32 takes at most 5 bytes.
    absl::StatusOr<bool> more = in.Ensure(5);
    if (!more.ok()) return more.status();
    absl::string_view head = in.available();
    if (head.empty()) break;
    google::protobuf::io::CodedInputStream varint(
        reinterpret_cast<const uint8_t*>(head.data()),
        static_cast<int>(std::min<size_t>(head.size(), 5)));
    uint32_t size = 0;
    if (!varint.ReadVarint32(&size) || size > INT32_MAX) {
      if (head.size() < 5) break;  // torn in the length at the end
      return absl::DataLossError(
          absl::StrCat("no record length at byte ", in.offset()));
    }
    const size_t header = static_cast<size_t>(varint.CurrentPosition());
    more = in.Ensure(header + size);
    if (!more.ok()) return more.status();
    if (!*more) break;  // torn at the end
    // A whole frame that does not parse is damage, not a kill mid-write
    // (a record goes out in one write): resuming would cut every record
    // after it.
    v1::Report report;
    if (!report.ParseFromArray(in.available().data() + header,
                               static_cast<int>(size))) {
      return absl::DataLossError(
          absl::StrCat("the record at byte ", in.offset(), " does not parse"));
    }
    if (absl::Status s = on_record(std::move(report)); !s.ok()) return s;
    in.Consume(header + size);
  }
  return in.offset();
}

absl::Status ScanBinary(ChunkReader& in, ResumeState& state) {
  absl::StatusOr<int64_t> end =
      ReadFrames(in, [&](v1::Report report) -> absl::Status {
        if (!AddAddress(report.address(), state)) {
          return absl::DataLossError(absl::StrCat(
              "record at byte ", in.offset(), " has no valid address"));
        }
        ++state.records;
        return absl::OkStatus();
      });
  if (!end.ok()) return end.status();
  state.valid_bytes = *end;
  return absl::OkStatus();
}

absl::Status ScanCsv(ChunkReader& in, ResumeState& state) {
  const std::string current = CsvHeader(CsvLayout::kCurrent);
  const std::string older = CsvHeader(CsvLayout::kWithoutServer);
  absl::StatusOr<bool> more = in.Ensure(std::max(current.size(), older.size()));
  if (!more.ok()) return more.status();
  absl::string_view start = in.available();
  if (start.empty()) return absl::OkStatus();
  size_t header_size = 0;
  if (absl::StartsWith(start, current)) {
    header_size = current.size();
  } else if (absl::StartsWith(start, older)) {
    state.csv_layout = CsvLayout::kWithoutServer;
    header_size = older.size();
  } else if (absl::StartsWith(current, start)) {
    return absl::OkStatus();  // A torn header: the file starts anew.
  } else {
    return absl::DataLossError("not dnsbl CSV output: the header differs");
  }
  in.Consume(header_size);
  // Rows of one address are contiguous. The last address's rows may be
  // incomplete (the row count per address is not in the file), so its rows
  // are always dropped and it is checked again: an address is committed
  // when the next one starts.
  std::string address;
  int64_t address_at = in.offset();
  bool have_address = false;
  while (true) {
    const int64_t at = in.offset();
    absl::StatusOr<std::optional<absl::string_view>> row = in.NextLine();
    if (!row.ok()) return row.status();
    if (!row->has_value()) break;
    absl::string_view next = (*row)->substr(0, (*row)->find(','));
    if (!have_address || next != address) {
      if (have_address) {
        if (!AddAddress(address, state)) {
          return absl::DataLossError(
              absl::StrCat("bad address in the CSV row at byte ", address_at));
        }
        ++state.records;
      }
      address.assign(next.data(), next.size());
      address_at = at;
      have_address = true;
    }
    in.Consume((*row)->size() + 1);
  }
  state.valid_bytes =
      have_address ? address_at : static_cast<int64_t>(header_size);
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckRecordFormat(OutputFormat format) {
  switch (format) {
    case OutputFormat::kJson:
    case OutputFormat::kBinary:
    case OutputFormat::kCsv:
      return absl::OkStatus();
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("format ", OutputFormatName(format),
                       " cannot be written record by record (use json, "
                       "binary or csv)"));
  }
}

absl::StatusOr<ResumeState> ScanOutput(const std::string& path,
                                       OutputFormat format) {
  ChunkReader in(path);
  ResumeState state;
  absl::Status status;
  switch (format) {
    case OutputFormat::kJson:
      status = ScanJson(in, state);
      break;
    case OutputFormat::kBinary:
      status = ScanBinary(in, state);
      break;
    case OutputFormat::kCsv:
      status = ScanCsv(in, state);
      break;
    default:
      status = CheckRecordFormat(format);
      break;
  }
  if (!status.ok()) {
    return absl::DataLossError(absl::StrCat("cannot resume ", QuoteInput(path),
                                            ": ", status.message()));
  }
  // Whatever follows the last whole record is dropped on resume.
  absl::StatusOr<bool> rest = in.Ensure(SIZE_MAX);
  if (!rest.ok()) return rest.status();
  state.torn_bytes = in.size() - state.valid_bytes;
  return state;
}

absl::StatusOr<std::vector<v1::Report>> ReadReports(const std::string& path,
                                                    OutputFormat format) {
  ChunkReader in(path);
  std::vector<v1::Report> reports;
  if (format == OutputFormat::kJson) {
    while (true) {
      absl::StatusOr<std::optional<absl::string_view>> line = in.NextLine();
      if (!line.ok()) return line.status();
      if (!line->has_value()) break;
      if (!(*line)->empty()) {
        v1::Report report;
        auto s = google::protobuf::util::JsonStringToMessage(
            std::string(**line), &report);
        if (!s.ok()) return absl::DataLossError(std::string(s.message()));
        reports.push_back(std::move(report));
      }
      in.Consume((*line)->size() + 1);
    }
    if (!in.available().empty()) {
      return absl::DataLossError(
          absl::StrCat("torn JSON record at byte ", in.offset()));
    }
    return reports;
  }
  if (format == OutputFormat::kBinary) {
    absl::StatusOr<int64_t> end = ReadFrames(in, [&](v1::Report report) {
      reports.push_back(std::move(report));
      return absl::OkStatus();
    });
    if (!end.ok()) return end.status();
    absl::StatusOr<bool> rest = in.Ensure(1);
    if (!rest.ok()) return rest.status();
    if (*rest) {
      return absl::DataLossError(
          absl::StrCat("torn binary record at byte ", *end));
    }
    return reports;
  }
  return absl::InvalidArgumentError("CSV cannot be read back into reports");
}

absl::StatusOr<std::unique_ptr<ReportWriter>> ReportWriter::Open(
    const std::string& path, OutputFormat format, bool append,
    int64_t valid_bytes, CsvLayout csv_layout) {
  if (absl::Status s = CheckRecordFormat(format); !s.ok()) return s;
  if (path.empty() || path == "-") {
    auto writer = std::unique_ptr<ReportWriter>(
        new ReportWriter(1, false, "stdout", format, csv_layout));
    if (format == OutputFormat::kCsv && !append) {
      if (absl::Status s = writer->WriteAll(CsvHeader(csv_layout)); !s.ok()) {
        return s;
      }
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
  if (valid_bytes == 0) csv_layout = CsvLayout::kCurrent;
  auto writer = std::unique_ptr<ReportWriter>(
      new ReportWriter(fd, true, path, format, csv_layout));
  if (format == OutputFormat::kCsv && (!append || valid_bytes == 0)) {
    if (absl::Status s = writer->WriteAll(CsvHeader(csv_layout)); !s.ok()) {
      return s;
    }
  }
  return writer;
}

ReportWriter::~ReportWriter() {
  if (owned_) close(fd_);
}

absl::string_view RecordEncoder::Encode(const v1::Report& report) {
  if (format_ == OutputFormat::kJson) return json_.EncodeLine(report);
  record_ = format_ == OutputFormat::kCsv ? FormatCsv(report, csv_layout_)
                                          : EncodeReport(report, format_);
  return record_;
}

absl::Status ReportWriter::Write(const v1::Report& report) {
  return WriteAll(encoder_.Encode(report));
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

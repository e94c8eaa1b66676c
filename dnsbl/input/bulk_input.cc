#include "dnsbl/input/bulk_input.h"

#include <fstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "dnsbl/base/escape.h"

namespace dnsbl {
namespace {

std::string SizeText(absl::uint128 n) {
  if (n == absl::Uint128Max()) return "2^128";
  if (absl::Uint128High64(n) != 0) return "more than 2^64";
  return absl::StrCat(absl::Uint128Low64(n));
}

}  // namespace

absl::StatusOr<std::optional<IpRange>> ParseInputLine(
    absl::string_view line, const BulkInputOptions& options) {
  size_t hash = line.find('#');
  if (hash != absl::string_view::npos) line = line.substr(0, hash);
  line = absl::StripAsciiWhitespace(line);
  if (line.empty()) return std::nullopt;
  absl::StatusOr<IpRange> range = IpRange::Parse(line);
  if (!range.ok()) return range.status();
  if (range->size() > options.max_range_size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "network ", QuoteInput(line), " holds ", SizeText(range->size()),
        " addresses, over the limit of ", SizeText(options.max_range_size),
        "; raise ", options.setting_names.max_range_size,
        " to check this range"));
  }
  return *range;
}

AddressSource::AddressSource(std::istream* in, const BulkInputOptions& options,
                             AddressSet* seen, ErrorCallback on_error)
    : in_(in), options_(options), seen_(seen), on_error_(std::move(on_error)) {}

bool AddressSource::ReadLine(bool* too_long) {
  line_.clear();
  *too_long = false;
  std::streambuf* buf = in_->rdbuf();
  bool any = false;
  while (true) {
    int c = buf->sbumpc();
    if (c == std::char_traits<char>::eof()) {
      if (!any) return false;
      break;
    }
    any = true;
    if (c == '\n') break;
    if (line_.size() < options_.max_line_length) {
      line_.push_back(static_cast<char>(c));
    } else {
      *too_long = true;
    }
  }
  if (!line_.empty() && line_.back() == '\r') line_.pop_back();
  ++line_number_;
  return true;
}

std::optional<IpAddress> AddressSource::Next() {
  while (true) {
    if (walking_) {
      IpAddress address = IpAddress::FromValue(family_, next_);
      if (next_ == last_) {
        walking_ = false;
      } else {
        ++next_;
      }
      return address;
    }
    if (!fresh_.empty()) {
      family_ = fresh_.front().first.family();
      next_ = fresh_.front().first.value();
      last_ = fresh_.front().last.value();
      fresh_.pop_front();
      walking_ = true;
      continue;
    }
    bool too_long = false;
    if (!ReadLine(&too_long)) return std::nullopt;
    if (too_long) {
      on_error_(InputError{line_number_, QuoteInput(line_),
                           absl::StrCat("line is longer than ",
                                        options_.max_line_length, " bytes")});
      continue;
    }
    absl::StatusOr<std::optional<IpRange>> range =
        ParseInputLine(line_, options_);
    if (!range.ok()) {
      on_error_(InputError{line_number_, QuoteInput(line_),
                           std::string(range.status().message())});
      continue;
    }
    if (!range->has_value()) continue;
    for (IpRange& fresh : seen_->Insert(**range)) {
      fresh_.push_back(std::move(fresh));
    }
  }
}

absl::StatusOr<InputCount> CountInputAddresses(
    const std::string& path, const BulkInputOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read input file ", QuoteInput(path)));
  }
  // Sums range sizes line by line: walking the addresses would take as long
  // as the run.
  InputCount count;
  auto bad = [&](int64_t number, absl::string_view line,
                 absl::string_view message) {
    ++count.bad_lines;
    if (!count.first_error.has_value()) {
      count.first_error =
          InputError{number, QuoteInput(line), std::string(message)};
    }
  };
  std::string line;
  int64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.size() > options.max_line_length) {
      bad(number, line.substr(0, options.max_line_length),
          absl::StrCat("line is longer than ", options.max_line_length,
                       " bytes"));
      continue;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    absl::StatusOr<std::optional<IpRange>> range =
        ParseInputLine(line, options);
    if (!range.ok()) {
      bad(number, line, range.status().message());
    } else if (range->has_value()) {
      count.addresses += (*range)->size();
    }
  }
  return count;
}

}  // namespace dnsbl

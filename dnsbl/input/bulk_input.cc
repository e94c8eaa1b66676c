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

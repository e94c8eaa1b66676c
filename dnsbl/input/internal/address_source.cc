#include "dnsbl/input/internal/address_source.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "dnsbl/base/escape.h"

namespace dnsbl {

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

}  // namespace dnsbl

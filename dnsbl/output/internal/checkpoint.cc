#include "dnsbl/output/internal/checkpoint.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "dnsbl/base/escape.h"

namespace dnsbl {
namespace {

constexpr absl::string_view kHeader =
    "# dnsbl bulk checkpoint: addresses finished, one range a line";

absl::Status CannotWrite(const std::string& path) {
  return absl::DataLossError(absl::StrCat(
      "cannot write the checkpoint ", QuoteInput(path), ": ", strerror(errno)));
}

}  // namespace

std::string CheckpointPath(absl::string_view output) {
  return absl::StrCat(output, ".checkpoint");
}

absl::StatusOr<AddressSet> ReadCheckpoint(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("no checkpoint ", QuoteInput(path)));
  }
  AddressSet done;
  std::string line;
  int64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1) {
      if (line != kHeader) {
        return absl::DataLossError(absl::StrCat(
            QuoteInput(path), " is not a dnsbl checkpoint (line 1 is ",
            QuoteInput(line), ")"));
      }
      continue;
    }
    std::vector<absl::string_view> ends = absl::StrSplit(line, '-');
    absl::StatusOr<IpAddress> first = IpAddress::Parse(ends[0]);
    absl::StatusOr<IpAddress> last =
        ends.size() == 2 ? IpAddress::Parse(ends[1]) : first;
    if (ends.size() > 2 || !first.ok() || !last.ok() ||
        first->family() != last->family() || last->value() < first->value()) {
      return absl::DataLossError(absl::StrCat(QuoteInput(path), " line ",
                                              number, ": ", QuoteInput(line),
                                              " is not FIRST-LAST"));
    }
    done.Insert(IpRange{*first, *last});
  }
  if (number == 0) {
    return absl::DataLossError(
        absl::StrCat(QuoteInput(path), " is empty, not a dnsbl checkpoint"));
  }
  return done;
}

absl::Status WriteCheckpoint(const std::string& path,
                             const AddressSet& finished) {
  const std::string temporary = absl::StrCat(path, ".tmp");
  std::FILE* out = std::fopen(temporary.c_str(), "wb");
  if (out == nullptr) return CannotWrite(temporary);
  std::string text = absl::StrCat(kHeader, "\n");
  for (const IpRange& range : finished.ToRanges()) {
    absl::StrAppend(&text, range.first.ToString(), "-", range.last.ToString(),
                    "\n");
  }
  const bool written =
      std::fwrite(text.data(), 1, text.size(), out) == text.size();
  if (std::fclose(out) != 0 || !written) {
    std::remove(temporary.c_str());
    return CannotWrite(temporary);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return CannotWrite(path);
  }
  return absl::OkStatus();
}

absl::Status RemoveCheckpoint(const std::string& path) {
  if (std::remove(path.c_str()) != 0 && errno != ENOENT) {
    return absl::DataLossError(absl::StrCat("cannot remove the checkpoint ",
                                            QuoteInput(path), ": ",
                                            strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace dnsbl

#include "dnsbl/contacts/internal/rdap_bootstrap.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "dnsbl/base/escape.h"
#include "google/protobuf/util/json_util.h"
#include "proto/rdap.pb.h"

namespace dnsbl {
namespace internal {
// The built-in copy, embedded from the .json files by a genrule.
extern const char kRdapBootstrapIpv4[];
extern const char kRdapBootstrapIpv6[];
}  // namespace internal

namespace {

struct Parsed {
  IpRange range;
  int prefix_length;
};

absl::StatusOr<Parsed> ParsePrefix(absl::string_view text) {
  absl::StatusOr<IpRange> range = IpRange::Parse(text);
  size_t slash = text.find('/');
  int length = 0;
  if (!range.ok() || slash == absl::string_view::npos ||
      !absl::SimpleAtoi(text.substr(slash + 1), &length)) {
    return absl::InvalidArgumentError(
        absl::StrCat("entry ", QuoteInput(text), " is not a CIDR prefix"));
  }
  return Parsed{*range, length};
}

}  // namespace

absl::StatusOr<RdapBootstrap> RdapBootstrap::Parse(
    absl::string_view ipv4_json, absl::string_view ipv6_json) {
  RdapBootstrap out;
  for (auto [family, json] :
       {std::pair{"ipv4", ipv4_json}, std::pair{"ipv6", ipv6_json}}) {
    if (json.empty()) continue;
    rdap::BootstrapFile file;
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    if (!google::protobuf::util::JsonStringToMessage(
             google::protobuf::StringPiece(json.data(), json.size()), &file,
             options)
             .ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(family, " bootstrap file is not IANA's JSON format"));
    }
    const bool want_v4 = std::string_view(family) == "ipv4";
    for (const google::protobuf::Value& service : file.services().values()) {
      const google::protobuf::ListValue& pair = service.list_value();
      if (pair.values_size() < 2 || !pair.values(0).has_list_value() ||
          !pair.values(1).has_list_value()) {
        return absl::InvalidArgumentError(absl::StrCat(
            family, " bootstrap file: a service is not [[entries], [urls]]"));
      }
      // RFC 9224 section 3: prefer HTTPS; this client speaks nothing else.
      std::string base_url;
      for (const google::protobuf::Value& url :
           pair.values(1).list_value().values()) {
        if (absl::StartsWith(url.string_value(), "https://")) {
          base_url = url.string_value();
          break;
        }
      }
      if (base_url.empty()) continue;
      for (const google::protobuf::Value& entry :
           pair.values(0).list_value().values()) {
        absl::StatusOr<Parsed> prefix = ParsePrefix(entry.string_value());
        if (!prefix.ok()) {
          return absl::InvalidArgumentError(absl::StrCat(
              family, " bootstrap file: ", prefix.status().message()));
        }
        if (prefix->range.first.is_ipv4() != want_v4) {
          return absl::InvalidArgumentError(absl::StrCat(
              family, " bootstrap file: entry ",
              QuoteInput(entry.string_value()), " is of the other family"));
        }
        out.entries_.push_back(
            Entry{prefix->range, prefix->prefix_length, base_url});
      }
    }
  }
  std::stable_sort(out.entries_.begin(), out.entries_.end(),
                   [](const Entry& a, const Entry& b) {
                     return a.prefix_length > b.prefix_length;
                   });
  return out;
}

const RdapBootstrap& RdapBootstrap::Builtin() {
  static const RdapBootstrap* const builtin = [] {
    absl::StatusOr<RdapBootstrap> parsed =
        Parse(internal::kRdapBootstrapIpv4, internal::kRdapBootstrapIpv6);
    return new RdapBootstrap(parsed.ok() ? *std::move(parsed)
                                         : RdapBootstrap());
  }();
  return *builtin;
}

std::optional<std::string> RdapBootstrap::BaseUrlFor(
    const IpAddress& address) const {
  for (const Entry& e : entries_) {
    if (e.range.first.family() == address.family() &&
        !(address < e.range.first) && !(e.range.last < address)) {
      return e.base_url;
    }
  }
  return std::nullopt;
}

}  // namespace dnsbl

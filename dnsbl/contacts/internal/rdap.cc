#include "dnsbl/contacts/internal/rdap.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "dnsbl/base/escape.h"
#include "dnsbl/contacts/internal/email.h"
#include "google/protobuf/util/json_util.h"

namespace dnsbl {
namespace {

constexpr int kMaxEntityDepth = 8;
// Registry strings end up in reports and on terminals; a name longer than
// this is cut (with a note) rather than carried whole.
constexpr size_t kMaxTextBytes = 200;

std::string CleanText(absl::string_view text) {
  std::string clean = EscapeForTerminal(text.substr(0, kMaxTextBytes));
  if (text.size() > kMaxTextBytes) absl::StrAppend(&clean, "...");
  return clean;
}

// The value of each "email" property of a jCard (RFC 7095 section 3.3:
// [name, parameters, type, value]).
std::vector<std::string> VcardEmails(const google::protobuf::ListValue& card) {
  std::vector<std::string> emails;
  if (card.values_size() < 2 || !card.values(1).has_list_value()) {
    return emails;
  }
  for (const google::protobuf::Value& property :
       card.values(1).list_value().values()) {
    if (!property.has_list_value()) continue;
    const google::protobuf::ListValue& p = property.list_value();
    if (p.values_size() < 4 || !p.values(0).has_string_value() ||
        !absl::EqualsIgnoreCase(p.values(0).string_value(), "email")) {
      continue;
    }
    for (int i = 3; i < p.values_size(); ++i) {
      if (p.values(i).has_string_value()) {
        emails.push_back(p.values(i).string_value());
      }
    }
  }
  return emails;
}

bool HasRole(const rdap::Entity& entity, absl::string_view role) {
  return std::any_of(
      entity.roles().begin(), entity.roles().end(),
      [&](const std::string& r) { return absl::EqualsIgnoreCase(r, role); });
}

void CollectAbuse(const google::protobuf::RepeatedPtrField<rdap::Entity>& in,
                  int depth, AbuseMailboxes& out) {
  if (depth > kMaxEntityDepth) return;
  for (const rdap::Entity& entity : in) {
    if (HasRole(entity, "abuse")) {
      for (const std::string& text : VcardEmails(entity.vcard_array())) {
        absl::StatusOr<std::string> email = ValidateEmail(text);
        if (!email.ok()) {
          out.rejected.push_back(std::string(email.status().message()));
        } else if (std::find(out.emails.begin(), out.emails.end(), *email) ==
                   out.emails.end()) {
          out.emails.push_back(*std::move(email));
        }
      }
    }
    CollectAbuse(entity.entities(), depth + 1, out);
  }
}

// "192.0.2.0/24" when the range is one CIDR block, else "FIRST - LAST".
std::string RangeText(const IpRange& range) {
  const int bits = range.first.is_ipv4() ? 32 : 128;
  const absl::uint128 size = range.size();
  for (int length = 0; length <= bits; ++length) {
    const int host_bits = bits - length;
    absl::uint128 block =
        host_bits == 128 ? ~absl::uint128(0) : (absl::uint128(1) << host_bits);
    if (block != size) continue;
    if (host_bits < 128 &&
        (range.first.value() & (block - 1)) != absl::uint128(0)) {
      break;
    }
    return absl::StrCat(range.first.ToString(), "/", length);
  }
  return absl::StrCat(range.first.ToString(), " - ", range.last.ToString());
}

// Reads an address as registries have written them: strictly first
// (IpAddress::Parse()), then the two old shapes whose meaning is plain:
// IPv4 octets padded with zeros ("108.000.000.000", ARIN until about 2017;
// decimal, as the rest of the answer is) and an address with the prefix
// length of a single address ("2a00:2381:ffff::/128", RIPE NCC in 2015).
// The network must still hold the asked address (CoveredRange()), so a
// misreading cannot pass for an answer.
absl::StatusOr<IpAddress> ParseRdapAddress(absl::string_view text) {
  absl::StatusOr<IpAddress> strict = IpAddress::Parse(text);
  if (strict.ok()) return strict;
  absl::string_view bare = text;
  if (absl::ConsumeSuffix(&bare, "/128") || absl::ConsumeSuffix(&bare, "/32")) {
    absl::StatusOr<IpAddress> ip = IpAddress::Parse(bare);
    if (ip.ok() && (ip->is_ipv4() ? absl::EndsWith(text, "/32")
                                  : absl::EndsWith(text, "/128"))) {
      return ip;
    }
    return strict.status();
  }
  std::vector<absl::string_view> octets = absl::StrSplit(text, '.');
  if (octets.size() != 4) return strict.status();
  std::vector<std::string> unpadded;
  for (absl::string_view octet : octets) {
    int value = 0;
    if (octet.empty() || octet.size() > 3 ||
        !std::all_of(octet.begin(), octet.end(), absl::ascii_isdigit) ||
        !absl::SimpleAtoi(octet, &value) || value > 255) {
      return strict.status();
    }
    unpadded.push_back(absl::StrCat(value));
  }
  return IpAddress::Parse(absl::StrJoin(unpadded, "."));
}

// The network's range from startAddress/endAddress, checked against the
// address asked about: a range that does not hold it is not this
// network's answer (and must never be cached for other addresses).
absl::StatusOr<IpRange> CoveredRange(const rdap::IpNetwork& network,
                                     const IpAddress& address) {
  absl::StatusOr<IpAddress> first = ParseRdapAddress(network.start_address());
  absl::StatusOr<IpAddress> last = ParseRdapAddress(network.end_address());
  if (!first.ok() || !last.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("no valid startAddress/endAddress (",
                     QuoteInput(network.start_address()), ", ",
                     QuoteInput(network.end_address()), ")"));
  }
  if (first->family() != address.family() ||
      last->family() != address.family() || *last < *first ||
      address < *first || *last < address) {
    return absl::InvalidArgumentError(
        absl::StrCat("the network ", first->ToString(), " - ", last->ToString(),
                     " does not hold ", address.ToString()));
  }
  return IpRange{*first, *last};
}

std::string ErrorBodyText(absl::string_view body) {
  absl::StatusOr<rdap::IpNetwork> error = ParseRdapJson(body);
  if (!error.ok() || (error->title().empty() && error->description().empty())) {
    return "";
  }
  std::vector<std::string> parts;
  if (!error->title().empty()) parts.push_back(error->title());
  if (!error->description().empty()) {
    parts.push_back(absl::StrJoin(error->description(), " "));
  }
  return CleanText(absl::StrJoin(parts, ": "));
}

void Fail(v1::ErrorKind kind, std::string detail, RdapAnswer& out) {
  out.source.set_answered(false);
  out.source.set_error(kind);
  out.source.set_detail(std::move(detail));
}

}  // namespace

std::string RdapIpQuery(absl::string_view base_url, const IpAddress& address) {
  return absl::StrCat(base_url, absl::EndsWith(base_url, "/") ? "" : "/", "ip/",
                      address.ToString());
}

std::string RegistryOfUrl(absl::string_view url) {
  absl::string_view host = url;
  absl::ConsumePrefix(&host, "https://");
  absl::ConsumePrefix(&host, "http://");
  host = host.substr(0, host.find_first_of("/:?#"));
  std::string lower = absl::AsciiStrToLower(host);
  struct Known {
    absl::string_view host_part;
    absl::string_view registry;
  };
  // The RIRs' RDAP hosts (IANA's bootstrap files), and their NIRs under
  // APNIC.
  static constexpr Known kKnown[] = {
      {"arin.net", "arin"},       {"ripe.net", "ripencc"},
      {"apnic.net", "apnic"},     {"lacnic.net", "lacnic"},
      {"afrinic.net", "afrinic"}, {"registro.br", "lacnic"},
  };
  for (const Known& k : kKnown) {
    if (lower == k.host_part ||
        absl::EndsWith(lower, absl::StrCat(".", k.host_part))) {
      return std::string(k.registry);
    }
  }
  return EscapeForTerminal(lower);
}

absl::StatusOr<rdap::IpNetwork> ParseRdapJson(absl::string_view json) {
  rdap::IpNetwork network;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  google::protobuf::util::Status parsed =
      google::protobuf::util::JsonStringToMessage(
          google::protobuf::StringPiece(json.data(), json.size()), &network,
          options);
  if (!parsed.ok()) {
    // The parser's message may quote the body: it is cut and escaped.
    return absl::InvalidArgumentError(absl::StrCat(
        "not an RDAP answer: ", CleanText(parsed.message().as_string())));
  }
  return network;
}

AbuseMailboxes FindAbuseMailboxes(const rdap::IpNetwork& network) {
  AbuseMailboxes out;
  CollectAbuse(network.entities(), 0, out);
  return out;
}

RdapAnswer InterpretRdap(const IpAddress& address, absl::string_view url,
                         const HttpResponse& response) {
  RdapAnswer out;
  out.source.set_source(kRdapSource);
  out.source.set_query(EscapeForTerminal(url));
  switch (response.failure) {
    case HttpResponse::Failure::kNone:
      break;
    case HttpResponse::Failure::kTimeout:
      Fail(v1::TIMEOUT, response.error, out);
      return out;
    case HttpResponse::Failure::kTooLarge:
      Fail(v1::MALFORMED, response.error, out);
      return out;
    case HttpResponse::Failure::kTooManyRedirects:
      Fail(v1::OTHER_ERROR, response.error, out);
      return out;
    case HttpResponse::Failure::kTransport:
      Fail(v1::UNREACHABLE, response.error, out);
      return out;
  }
  if (response.status == 404) {
    // RFC 7480 section 5.3: the server holds nothing for the address
    // (unallocated or reserved space). An answer, with nothing to notify.
    out.source.set_answered(true);
    out.source.set_detail("the registry holds no network for this address");
    return out;
  }
  if (response.status == 429 || response.status == 503) {
    out.retry_after = response.retry_after;
    std::string detail = absl::StrCat(
        "HTTP ", response.status,
        response.status == 429 ? " (rate limited)" : " (unavailable)");
    if (response.retry_after > absl::ZeroDuration()) {
      absl::StrAppend(&detail, ", retry after ",
                      absl::FormatDuration(response.retry_after));
    }
    Fail(response.status == 429 ? v1::RATE_LIMITED : v1::HTTP_ERROR,
         std::move(detail), out);
    return out;
  }
  if (response.status != 200) {
    std::string why = ErrorBodyText(response.body);
    Fail(v1::HTTP_ERROR,
         absl::StrCat("HTTP ", response.status, why.empty() ? "" : ": ", why),
         out);
    return out;
  }
  absl::StatusOr<rdap::IpNetwork> parsed = ParseRdapJson(response.body);
  if (!parsed.ok()) {
    Fail(v1::MALFORMED, std::string(parsed.status().message()), out);
    return out;
  }
  // Old answers (RIPE NCC's in 2015) have no objectClassName at all; the
  // addresses below say what the object is.
  if (!parsed->object_class_name().empty() &&
      !absl::EqualsIgnoreCase(parsed->object_class_name(), "ip network")) {
    Fail(v1::MALFORMED,
         absl::StrCat("not an IP network object (objectClassName ",
                      QuoteInput(parsed->object_class_name()), ")"),
         out);
    return out;
  }
  absl::StatusOr<IpRange> range = CoveredRange(*parsed, address);
  if (!range.ok()) {
    Fail(v1::MALFORMED, std::string(range.status().message()), out);
    return out;
  }
  const std::string registry =
      RegistryOfUrl(response.final_url.empty() ? url : response.final_url);
  v1::Network network;
  network.set_source(kRdapSource);
  network.set_prefix(RangeText(*range));
  network.set_registry(registry);
  network.set_rdap_handle(CleanText(parsed->handle()));
  network.set_rdap_name(CleanText(parsed->name()));
  if (parsed->country().size() == 2 &&
      absl::ascii_isalpha(parsed->country()[0]) &&
      absl::ascii_isalpha(parsed->country()[1])) {
    network.set_country(absl::AsciiStrToUpper(parsed->country()));
  }
  for (const rdap::Event& event : parsed->events()) {
    const std::string& date = event.event_date();
    if (absl::EqualsIgnoreCase(event.event_action(), "registration") &&
        date.size() >= 10 && date[4] == '-' && date[7] == '-' &&
        std::all_of(date.begin(), date.begin() + 10, [](char c) {
          return absl::ascii_isdigit(c) || c == '-';
        })) {
      network.set_allocated(date.substr(0, 10));
      break;
    }
  }
  AbuseMailboxes found = FindAbuseMailboxes(*parsed);
  for (const std::string& email : found.emails) {
    v1::Contact* contact = &out.contacts.emplace_back();
    contact->set_email(email);
    contact->set_source(kRdapSource);
    contact->set_role("abuse");
    contact->set_network(network.prefix());
  }
  out.source.set_answered(true);
  std::string detail = found.emails.empty()
                           ? absl::StrCat("network ", network.rdap_handle(),
                                          " names no abuse mailbox")
                           : absl::StrCat("network ", network.rdap_handle());
  if (response.redirects > 0) {
    absl::StrAppend(&detail, ", answered by ", registry, " after a redirect");
  }
  if (!found.rejected.empty()) {
    absl::StrAppend(&detail,
                    "; ignored: ", absl::StrJoin(found.rejected, "; "));
  }
  out.source.set_detail(std::move(detail));
  out.covers = *range;
  out.network = std::move(network);
  return out;
}

}  // namespace dnsbl

#include "dnsbl/dns/internal/delegation_cache.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "dnsbl/base/address.h"
#include "dnsbl/base/escape.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "proto/delegation_cache.pb.h"

namespace dnsbl {
namespace {

constexpr char kFormat[] = "dnsbl delegation cache 1";

// Keeps the first parse error instead of logging every one.
class FirstError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (first_.empty()) {
      first_ = absl::StrCat("line ", line + 1, ":", column + 1, ": ", message);
    }
  }
  const std::string& first() const { return first_; }

 private:
  std::string first_;
};

absl::Status Damaged(absl::string_view what) {
  return absl::DataLossError(
      absl::StrCat("delegation cache is damaged: ", what));
}

absl::StatusOr<Delegation> ReadEntry(const internal::CachedDelegation& entry,
                                     absl::Time now) {
  auto bad = [&](absl::string_view what) {
    return Damaged(
        absl::StrCat("entry ", QuoteInput(entry.zone()), ": ", what));
  };
  Delegation d;
  d.zone = entry.zone();
  d.cut = entry.cut();
  if (d.zone.empty() || !ValidateDnsName(d.zone, "zone").ok()) {
    return bad("not a zone name");
  }
  if (!d.cut.empty() && !ValidateDnsName(d.cut, "cut").ok()) {
    return bad("its cut is not a name");
  }
  if (!NameAtOrBelow(d.zone, d.cut)) return bad("its cut is not above it");
  d.expires = absl::FromUnixSeconds(entry.expires());
  if (d.expires > now + absl::Hours(24) + absl::Minutes(1)) {
    return bad("it claims to hold for more than a day");
  }
  if (entry.server().empty()) return bad("no server");
  for (const internal::CachedServer& s : entry.server()) {
    NameServer server;
    server.name = s.name();
    if (server.name.empty() || !ValidateDnsName(server.name, "server").ok()) {
      return bad("a server name is not a name");
    }
    if (s.address().empty()) return bad("a server has no address");
    for (const std::string& text : s.address()) {
      absl::StatusOr<IpAddress> ip = IpAddress::Parse(text);
      if (!ip.ok()) return bad("an address is not an address");
      server.addresses.push_back(*ip);
    }
    d.servers.push_back(std::move(server));
  }
  return d;
}

internal::DelegationCacheFile ToFile(absl::string_view fingerprint,
                                     const DelegationCacheContents& contents) {
  internal::DelegationCacheFile file;
  file.set_format(kFormat);
  file.set_root_hints(std::string(fingerprint));
  if (contents.root_unreachable_until != absl::InfinitePast()) {
    file.set_root_unreachable_until(
        absl::ToUnixSeconds(contents.root_unreachable_until));
  }
  for (const Delegation& d : contents.delegations) {
    internal::CachedDelegation* entry = file.add_delegation();
    entry->set_zone(d.zone);
    entry->set_cut(d.cut);
    entry->set_expires(absl::ToUnixSeconds(d.expires));
    for (const NameServer& server : d.servers) {
      internal::CachedServer* s = entry->add_server();
      s->set_name(server.name);
      for (const IpAddress& ip : server.addresses) {
        s->add_address(ip.ToString());
      }
    }
  }
  return file;
}

std::string ReadWhole(const std::string& path, bool& exists) {
  std::ifstream in(path, std::ios::binary);
  exists = static_cast<bool>(in);
  std::ostringstream text;
  if (exists) text << in.rdbuf();
  return text.str();
}

}  // namespace

absl::StatusOr<DelegationCacheContents> ParseDelegationCache(
    absl::string_view text, absl::string_view fingerprint, absl::Time now) {
  internal::DelegationCacheFile file;
  google::protobuf::TextFormat::Parser parser;
  FirstError errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(std::string(text), &file)) {
    return Damaged(errors.first());
  }
  if (file.format() != kFormat) {
    return Damaged(absl::StrCat("format ", QuoteInput(file.format()),
                                " is not ", QuoteInput(kFormat)));
  }
  if (file.root_hints() != fingerprint) {
    return absl::FailedPreconditionError(
        "delegation cache was written under other root hints");
  }
  DelegationCacheContents contents;
  if (file.root_unreachable_until() > 0) {
    contents.root_unreachable_until =
        absl::FromUnixSeconds(file.root_unreachable_until());
    if (contents.root_unreachable_until > now + absl::Hours(24)) {
      return Damaged("the root is said to be unreachable for over a day");
    }
  }
  std::set<std::string> seen;
  for (const internal::CachedDelegation& entry : file.delegation()) {
    absl::StatusOr<Delegation> d = ReadEntry(entry, now);
    if (!d.ok()) return d.status();
    if (!seen.insert(d->zone).second) {
      return Damaged(absl::StrCat("zone ", QuoteInput(d->zone), " twice"));
    }
    if (d->expires > now) contents.delegations.push_back(*std::move(d));
  }
  return contents;
}

absl::StatusOr<DelegationCacheContents> ReadDelegationCache(
    const std::string& path, absl::string_view fingerprint, absl::Time now) {
  bool exists = false;
  std::string text = ReadWhole(path, exists);
  if (!exists) {
    if (errno == ENOENT || errno == ENOTDIR) return DelegationCacheContents();
    return absl::DataLossError(absl::StrCat("cannot read delegation cache ",
                                            QuoteInput(path), ": ",
                                            strerror(errno)));
  }
  absl::StatusOr<DelegationCacheContents> contents =
      ParseDelegationCache(text, fingerprint, now);
  if (!contents.ok()) {
    return absl::Status(
        contents.status().code(),
        absl::StrCat(contents.status().message(), " (", QuoteInput(path), ")"));
  }
  return contents;
}

absl::Status WriteDelegationCache(const std::string& path,
                                  absl::string_view fingerprint,
                                  const DelegationCacheContents& contents,
                                  absl::Time now) {
  const std::filesystem::path target(path);
  std::error_code error;
  if (target.has_parent_path()) {
    std::filesystem::create_directories(target.parent_path(), error);
    if (error) {
      return absl::UnavailableError(
          absl::StrCat("cannot make the directory of ", QuoteInput(path), ": ",
                       error.message()));
    }
  }
  const std::string lock_path = path + ".lock";
  const int lock = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock < 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot open ", QuoteInput(lock_path), ": ", strerror(errno)));
  }
  // Held until close(): the read-merge-write below is one step.
  flock(lock, LOCK_EX);
  DelegationCacheContents merged;
  merged.root_unreachable_until = contents.root_unreachable_until;
  std::map<std::string, Delegation> by_zone;
  absl::StatusOr<DelegationCacheContents> on_disk =
      ReadDelegationCache(path, fingerprint, now);
  if (on_disk.ok()) {
    merged.root_unreachable_until = std::max(merged.root_unreachable_until,
                                             on_disk->root_unreachable_until);
    for (Delegation& d : on_disk->delegations) by_zone[d.zone] = std::move(d);
  }
  for (const Delegation& d : contents.delegations) {
    if (d.expires <= now) continue;
    auto it = by_zone.find(d.zone);
    if (it == by_zone.end() || it->second.expires < d.expires) {
      by_zone[d.zone] = d;
    }
  }
  if (merged.root_unreachable_until <= now) {
    merged.root_unreachable_until = absl::InfinitePast();
  }
  for (auto& [zone, d] : by_zone) merged.delegations.push_back(std::move(d));
  std::string text;
  google::protobuf::TextFormat::PrintToString(ToFile(fingerprint, merged),
                                              &text);
  const std::string temp = absl::StrCat(path, ".tmp.", getpid());
  absl::Status status;
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << "# dnsbl's delegation cache: the servers of each blocklist zone, "
           "found from the root.\n# Safe to delete.\n"
        << text;
    out.flush();
    if (!out) {
      status = absl::UnavailableError(
          absl::StrCat("cannot write ", QuoteInput(temp)));
    }
  }
  if (status.ok() && std::rename(temp.c_str(), path.c_str()) != 0) {
    status = absl::UnavailableError(absl::StrCat(
        "cannot rename ", QuoteInput(temp), ": ", strerror(errno)));
  }
  if (!status.ok()) std::remove(temp.c_str());
  close(lock);
  return status;
}

}  // namespace dnsbl

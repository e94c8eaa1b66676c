#include "dnsbl/localzone/internal/zone_data.h"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "dnsbl/base/escape.h"
#include "dnsbl/localzone/internal/zone_line.h"

namespace dnsbl {
namespace {

constexpr size_t kMaxTxt = 255;       // Templates are cut here on load...
constexpr size_t kMaxExpanded = 254;  // ...and answers here on expansion.

}  // namespace

// Loads a ZoneData line by line, as rbldnsd loads a dataset: the line
// reader classifies each line, specials go to ApplyZoneSpecial(), entries
// to the dataset, values are read and numbered here.
class ZoneLoader final : public EntryContext {
 public:
  ZoneLoader(DatasetType type, absl::Time now)
      : data_(new ZoneData(type)), now_(now) {}

  // Starts a file: a default value holds to the end of its file.
  void StartFile(absl::string_view name) {
    file_ = std::string(name);
    default_ = ZoneData::Value{};
    line_ = 0;
  }

  // Reads one line; FailedPrecondition for data rbldnsd refuses.
  absl::Status Line(absl::string_view raw) {
    ++line_;
    const ZoneLine line =
        ClassifyZoneLine(raw, TakesColonEntries(data_->type_));
    switch (line.kind) {
      case ZoneLineKind::kBlank:
      case ZoneLineKind::kComment:
        return absl::OkStatus();
      case ZoneLineKind::kSpecial:
        return Special(line.text);
      case ZoneLineKind::kValue:
        DefaultValue(line.text);
        return absl::OkStatus();
      case ZoneLineKind::kEntry:
        break;
    }
    ZoneCursor c(line.text);
    const bool excluded = c.at() == '!';
    if (excluded) {
      c.skip();
      c.skip_space();
    }
    data_->dataset_->AddEntry(c, excluded, *this);
    return absl::OkStatus();
  }

  // Records a file read and its modification time.
  void AddFile(std::string name, absl::Time mtime) {
    data_->files_.push_back(std::move(name));
    data_->mtime_ = std::max(data_->mtime_, mtime);
  }

  std::shared_ptr<const ZoneData> Finish() {
    if (HasSingleValue(data_->type_) && data_->values_.empty()) {
      data_->values_.push_back(ZoneData::Value{});
    }
    data_->dataset_->Finish();
    return std::shared_ptr<const ZoneData>(data_.release());
  }

  void Warn(absl::string_view why) override {
    data_->warnings_.push_back(absl::StrCat(file_, ":", line_, ": ", why));
  }

  std::optional<uint32_t> EntryValue(ZoneCursor& c) override {
    c.skip_space();
    if (c.done() || IsZoneComment(c.at())) return Intern(default_);
    ZoneData::Value v;
    if (!ParseValue(c.rest(), default_, &v)) return std::nullopt;
    return Intern(v);
  }

  uint32_t max_range4() const override { return data_->settings_.max_range4; }

 private:
  absl::Status Special(absl::string_view text) {
    absl::Status s =
        ApplyZoneSpecial(text, now_, data_->settings_,
                         [this](absl::string_view why) { Warn(why); });
    if (s.ok()) return s;
    return absl::Status(s.code(),
                        absl::StrCat(file_, ":", line_, ": ", s.message()));
  }

  // A default value line: it holds for the entries after it in this file;
  // in single-value datasets the first one is the dataset's value.
  void DefaultValue(absl::string_view text) {
    ZoneData::Value v;
    if (!ParseValue(text, ZoneData::Value{}, &v)) return;
    if (HasSingleValue(data_->type_)) {
      if (data_->values_.empty()) data_->values_.push_back(v);
      return;
    }
    default_ = v;
  }

  // rbldnsd's ":A:TXT", ":A", ":A:" and "TXT" values; `def` fills what is
  // not given. Returns false (and warns) for a bad value.
  bool ParseValue(absl::string_view text, const ZoneData::Value& def,
                  ZoneData::Value* out) {
    ZoneCursor c(text);
    if (c.at() != ':') {
      out->a = def.a;
      out->txt = std::string(text.substr(0, kMaxTxt));
      return true;
    }
    c.skip();
    uint32_t a = 0;
    if (!ParseAValue(c, &a)) {
      Warn("invalid A RR");
      return false;
    }
    out->a = a;
    c.skip_space();
    if (c.at() == ':') {
      c.skip();
      c.skip_space();
      out->txt = std::string(c.rest().substr(0, kMaxTxt));
    } else if (!c.done()) {
      Warn("unrecognized value for an entry");
      return false;
    } else {
      out->txt = def.txt;
    }
    return true;
  }

  uint32_t Intern(const ZoneData::Value& v) {
    auto [it, added] =
        interned_.try_emplace(std::make_pair(v.a, v.txt),
                              static_cast<uint32_t>(data_->values_.size()));
    if (added) data_->values_.push_back(v);
    return it->second;
  }

  std::unique_ptr<ZoneData> data_;
  const absl::Time now_;
  std::string file_;
  int line_ = 0;
  ZoneData::Value default_;
  std::map<std::pair<uint32_t, std::string>, uint32_t> interned_;
};

ZoneData::~ZoneData() = default;

absl::StatusOr<DatasetType> ParseDatasetType(absl::string_view name) {
  if (name == "ip4set") return DatasetType::kIp4Set;
  if (name == "ip4tset") return DatasetType::kIp4TSet;
  if (name == "ip4trie") return DatasetType::kIp4Trie;
  if (name == "ip6trie") return DatasetType::kIp6Trie;
  if (name == "ip6tset") return DatasetType::kIp6TSet;
  return absl::InvalidArgumentError(
      absl::StrCat("dataset type ", QuoteInput(name),
                   " is not one of ip4set, ip4tset, ip4trie, ip6trie, "
                   "ip6tset"));
}

std::string ZoneData::ExpandTxt(const Value& value,
                                const std::string& address) const {
  if (value.txt.empty() && settings_.base_template.empty()) return "";
  // As rbldnsd's txtsubst(): "$" is the address, "$$" a dollar, "$n" a
  // substitution variable (kept as "$n" when unset), and with a base
  // template ($=) the entry's text (or the address) fills its "$=".
  absl::string_view txt = value.txt;
  absl::string_view entry = address;
  if (!txt.empty() && txt[0] == '=') {
    txt.remove_prefix(1);
    entry = txt;
  } else if (!settings_.base_template.empty()) {
    if (!txt.empty()) entry = txt;
    txt = settings_.base_template;
  } else {
    entry = txt;
  }
  std::string out;
  size_t i = 0;
  while (i < txt.size() && out.size() < kMaxExpanded) {
    const size_t dollar = txt.find('$', i);
    if (dollar == absl::string_view::npos) {
      absl::StrAppend(&out, txt.substr(i));
      break;
    }
    absl::StrAppend(&out, txt.substr(i, dollar - i));
    i = dollar + 1;
    if (i >= txt.size()) {
      out.append(address);
      break;
    }
    const char n = txt[i];
    if (n == '$') {
      out += '$';
      ++i;
    } else if (IsZoneDigit(n)) {
      const std::string& var = settings_.subst[n - '0'];
      out.append(var.empty() ? absl::StrCat("$", std::string(1, n)) : var);
      ++i;
    } else if (n == '=') {
      absl::StrAppend(&out, entry);
      ++i;
    } else {
      out.append(address);
    }
  }
  if (out.size() > kMaxExpanded) out.resize(kMaxExpanded);
  return out;
}

ValueIds ZoneData::FindValues(const IpAddress& address) const {
  ValueIds hits = dataset_->FindValues(address);
  // Several values at one address answer in load order, each once.
  if (hits.size() > 1) {
    std::sort(hits.begin(), hits.end());
    hits.erase(std::unique(hits.begin(), hits.end()), hits.end());
  }
  return hits;
}

ZoneData::AValues ZoneData::LookupA(const IpAddress& address) const {
  AValues out;
  for (uint32_t id : FindValues(address)) out.push_back(values_[id].a);
  return out;
}

LocalAnswer ZoneData::Lookup(const IpAddress& address) const {
  LocalAnswer answer;
  const ValueIds hits = FindValues(address);
  if (hits.empty()) return answer;
  const std::string text =
      address.is_ipv4() ? address.ToString() : ZoneIp6Text(address.bytes());
  for (uint32_t h : hits) {
    const Value& v = values_[h];
    answer.records.push_back({v.a, ExpandTxt(v, text)});
  }
  return answer;
}

size_t ZoneData::MemoryBytes() const {
  size_t n = dataset_->MemoryBytes() + values_.capacity() * sizeof(Value);
  for (const Value& v : values_) n += v.txt.capacity();
  return n;
}

absl::StatusOr<std::shared_ptr<const ZoneData>> ParseZoneData(
    DatasetType type, absl::string_view text, absl::string_view name,
    absl::Time now) {
  ZoneLoader loader(type, now);
  loader.StartFile(name);
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::Status s = loader.Line(line); !s.ok()) return s;
  }
  loader.AddFile(std::string(name), absl::InfinitePast());
  return loader.Finish();
}

absl::StatusOr<std::shared_ptr<const ZoneData>> LoadZoneData(
    DatasetType type, const std::vector<std::string>& files, absl::Time now) {
  if (files.empty()) return absl::InvalidArgumentError("no data file given");
  ZoneLoader loader(type, now);
  for (const std::string& path : files) {
    std::ifstream in(path, std::ios::binary);
    struct stat st;
    if (!in.good() || stat(path.c_str(), &st) != 0) {
      return absl::NotFoundError(absl::StrCat(
          "zone data file '", EscapeForTerminal(path), "' cannot be read"));
    }
    loader.StartFile(path);
    std::string line;
    while (std::getline(in, line)) {
      if (absl::Status s = loader.Line(line); !s.ok()) return s;
    }
    loader.AddFile(path, absl::FromTimeT(st.st_mtime));
  }
  return loader.Finish();
}

}  // namespace dnsbl

#include "executor/binlog/gtid_position.h"

#include <charconv>

namespace lockstep::binlog {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

template <typename T>
bool ParseNumber(std::string_view s, T* out) {
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

bool ParseGtid(std::string_view s, Gtid* out) {
  const size_t a = s.find('-');
  const size_t b = a == std::string_view::npos ? a : s.find('-', a + 1);
  if (b == std::string_view::npos) return false;
  return ParseNumber(s.substr(0, a), &out->domain_id) &&
         ParseNumber(s.substr(a + 1, b - a - 1), &out->server_id) &&
         ParseNumber(s.substr(b + 1), &out->seq_no);
}

}  // namespace

Result<GtidPosition> GtidPosition::Parse(std::string_view text) {
  GtidPosition pos;
  if (Trim(text).empty()) return pos;
  while (true) {
    const size_t comma = text.find(',');
    const std::string_view item = Trim(text.substr(0, comma));
    Gtid gtid;
    if (!ParseGtid(item, &gtid)) {
      return Status::InvalidArgument("not a GTID: '" + std::string(item) + "'");
    }
    if (!pos.by_domain_.emplace(gtid.domain_id, gtid).second) {
      return Status::InvalidArgument("two GTIDs of domain " + std::to_string(gtid.domain_id));
    }
    if (comma == std::string_view::npos) return pos;
    text = text.substr(comma + 1);
  }
}

void GtidPosition::Advance(const Gtid& gtid) { by_domain_[gtid.domain_id] = gtid; }

bool GtidPosition::Covers(const GtidPosition& other) const {
  for (const auto& [domain, wanted] : other.by_domain_) {
    auto had = by_domain_.find(domain);
    if (had == by_domain_.end() || had->second.seq_no < wanted.seq_no) return false;
  }
  return true;
}

GtidPosition GtidPosition::Highest(const std::vector<Gtid>& gtids) {
  GtidPosition highest;
  for (const Gtid& gtid : gtids) {
    auto had = highest.by_domain_.find(gtid.domain_id);
    if (had == highest.by_domain_.end() || had->second.seq_no < gtid.seq_no) highest.Advance(gtid);
  }
  return highest;
}

std::vector<Gtid> GtidPosition::Gtids() const {
  std::vector<Gtid> out;
  out.reserve(by_domain_.size());
  for (const auto& [domain, gtid] : by_domain_) out.push_back(gtid);
  return out;
}

int64_t GtidPosition::CountAhead(const GtidPosition& from) const {
  int64_t ahead = 0;
  for (const auto& [domain, head] : by_domain_) {
    const auto done = from.Find(domain);
    const uint64_t seq = done ? done->seq_no : 0;
    if (head.seq_no > seq) ahead += static_cast<int64_t>(head.seq_no - seq);
  }
  return ahead;
}

std::optional<Gtid> GtidPosition::Find(uint32_t domain_id) const {
  auto it = by_domain_.find(domain_id);
  if (it == by_domain_.end()) return std::nullopt;
  return it->second;
}

std::string GtidPosition::ToString() const {
  std::string out;
  for (const auto& [domain, gtid] : by_domain_) {
    if (!out.empty()) out += ',';
    out += gtid.ToString();
  }
  return out;
}

}  // namespace lockstep::binlog

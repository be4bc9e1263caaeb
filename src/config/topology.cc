#include "config/topology.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <boost/program_options.hpp>

namespace po = boost::program_options;

namespace lockstep {
namespace {

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

// Boost's config parser knows only '#' comments; INI files often use ';' too.
// Lines are blanked rather than removed so that line numbers stay true.
std::string BlankSemicolonComments(const std::string& text) {
  std::istringstream in(text);
  std::string line, out;
  while (std::getline(in, line)) {
    const std::string t = Trim(line);
    out += (!t.empty() && t[0] == ';') ? std::string() : line;
    out += '\n';
  }
  return out;
}

// Section headers with their line numbers, to name duplicates precisely;
// Boost merges repeated sections silently.
Status CheckDuplicateSections(const std::string& text, const std::string& source) {
  std::map<std::string, int> first_line;
  std::istringstream in(text);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    const std::string t = Trim(line);
    if (t.size() < 2 || t.front() != '[' || t.back() != ']') continue;
    const std::string section = Trim(t.substr(1, t.size() - 2));
    auto [it, inserted] = first_line.emplace(section, n);
    if (!inserted) {
      std::string what = "section [" + section + "]";
      if (section.rfind("dc.", 0) == 0) what = "DC '" + section.substr(3) + "'";
      if (section.rfind("zone.", 0) == 0) what = "zone '" + section.substr(5) + "'";
      return Status::InvalidArgument(source + ":" + std::to_string(n) + ": " + what +
                                     " is defined twice (first at line " +
                                     std::to_string(it->second) + ")");
    }
  }
  return Status::Ok();
}

bool ValidName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

// Collects the parsed key/value pairs of one section and reports every
// lookup error with the file, the section and the key.
class SectionReader {
 public:
  SectionReader(std::string source, std::string section, std::map<std::string, std::string> values)
      : source_(std::move(source)), section_(std::move(section)), values_(std::move(values)) {}

  Status Error(const std::string& key, const std::string& what) const {
    return Status::InvalidArgument(source_ + ": [" + section_ + "] " + key + ": " + what);
  }

  bool Has(const std::string& key) const { return values_.count(key) > 0; }

  std::string String(const std::string& key, const std::string& fallback) {
    used_.insert(key);
    auto it = values_.find(key);
    return it == values_.end() ? fallback : it->second;
  }

  Status Int(const std::string& key, int64_t min, int64_t max, int64_t& out) {
    used_.insert(key);
    auto it = values_.find(key);
    if (it == values_.end()) return Status::Ok();
    const std::string& v = it->second;
    errno = 0;
    char* end = nullptr;
    const long long parsed = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || errno == ERANGE) {
      return Error(key, "expected an integer, got '" + v + "'");
    }
    if (parsed < min || parsed > max) {
      return Error(key, "expected an integer from " + std::to_string(min) + " to " +
                            std::to_string(max) + ", got " + v);
    }
    out = parsed;
    return Status::Ok();
  }

  // Every key must be one this section knows: a typo must not be ignored.
  Status CheckNoUnknownKeys(const std::vector<std::string>& known) const {
    for (const auto& [key, value] : values_) {
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      return Error(key, "unknown key (expected one of: " + list + ")");
    }
    return Status::Ok();
  }

 private:
  std::string source_;
  std::string section_;
  std::map<std::string, std::string> values_;
  std::set<std::string> used_;
};

Status ReadDc(SectionReader& r, DcConfig& dc) {
  // Checked first: an inline password must be refused whatever else is wrong.
  if (r.Has("password")) {
    return r.Error("password",
                   "inline passwords are not accepted; use password_env (an environment "
                   "variable) or password_file (a file with mode 0600)");
  }
  LOCKSTEP_RETURN_IF_ERROR(r.CheckNoUnknownKeys({"host", "port", "user", "password_env",
                                                 "password_file", "tls_mode", "tls_ca",
                                                 "tls_cert", "tls_key"}));
  dc.host = r.String("host", "");
  if (dc.host.empty()) return r.Error("host", "missing; expected a host name or address");
  int64_t port = 3306;
  LOCKSTEP_RETURN_IF_ERROR(r.Int("port", 1, 65535, port));
  dc.port = static_cast<unsigned>(port);
  dc.user = r.String("user", "");
  if (dc.user.empty()) return r.Error("user", "missing; expected a MariaDB user name");
  dc.password_env = r.String("password_env", "");
  dc.password_file = r.String("password_file", "");
  if (!dc.password_env.empty() && !dc.password_file.empty()) {
    return r.Error("password_file", "give password_env or password_file, not both");
  }
  const std::string tls = r.String("tls_mode", "preferred");
  static const std::map<std::string, TlsMode> kModes = {
      {"disabled", TlsMode::kDisabled}, {"preferred", TlsMode::kPreferred},
      {"required", TlsMode::kRequired}, {"verify_ca", TlsMode::kVerifyCa},
      {"verify_identity", TlsMode::kVerifyIdentity}};
  auto mode = kModes.find(tls);
  if (mode == kModes.end()) {
    return r.Error("tls_mode", "expected disabled, preferred, required, verify_ca or "
                               "verify_identity, got '" + tls + "'");
  }
  dc.tls_mode = mode->second;
  dc.tls_ca = r.String("tls_ca", "");
  dc.tls_cert = r.String("tls_cert", "");
  dc.tls_key = r.String("tls_key", "");
  if ((dc.tls_mode == TlsMode::kVerifyCa || dc.tls_mode == TlsMode::kVerifyIdentity) &&
      dc.tls_ca.empty()) {
    return r.Error("tls_ca", "required when tls_mode is " + tls);
  }
  if (dc.tls_cert.empty() != dc.tls_key.empty()) {
    return r.Error(dc.tls_cert.empty() ? "tls_cert" : "tls_key",
                   "tls_cert and tls_key must be given together");
  }
  return Status::Ok();
}

std::vector<std::string> SplitPatterns(const std::string& list) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(list);
  while (std::getline(in, item, ',')) {
    item = Trim(item);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

Status ReadZone(SectionReader& r, ZoneConfig& zone) {
  LOCKSTEP_RETURN_IF_ERROR(r.CheckNoUnknownKeys({"type", "tables", "writer"}));
  const std::string type = r.String("type", "");
  if (type == "sharding") {
    zone.type = ZoneType::kSharding;
  } else if (type == "global") {
    zone.type = ZoneType::kGlobal;
  } else {
    return r.Error("type", type.empty() ? "missing; expected sharding or global"
                                        : "unknown zone type '" + type +
                                              "'; expected sharding or global");
  }
  zone.table_patterns = SplitPatterns(r.String("tables", ""));
  if (zone.table_patterns.empty()) {
    return r.Error("tables", "missing; expected a comma-separated list of schema.table patterns");
  }
  for (const auto& p : zone.table_patterns) {
    if (std::count(p.begin(), p.end(), '.') != 1 || p.front() == '.' || p.back() == '.') {
      return r.Error("tables", "pattern '" + p + "' is not of the form schema.table");
    }
  }
  zone.writer_dc = r.String("writer", "");
  if (zone.type == ZoneType::kGlobal && zone.writer_dc.empty()) {
    return r.Error("writer", "missing; a global zone needs its writer DC");
  }
  if (zone.type == ZoneType::kSharding && !zone.writer_dc.empty()) {
    return r.Error("writer", "only a global zone has a writer DC; every DC writes a sharding zone");
  }
  return Status::Ok();
}

Status ReadBudget(SectionReader& r, Budget& b) {
  LOCKSTEP_RETURN_IF_ERROR(r.CheckNoUnknownKeys(
      {"min_free_bytes", "space_headroom_pct", "cutover_window_ms", "lock_wait_ms",
       "max_trx_age_ms", "lag_start_ms", "lag_throttle_ms", "lag_cutover_ms",
       "old_table_retention_s", "max_copy_lead_pct"}));
  constexpr int64_t kMax = INT64_MAX / 4;
  LOCKSTEP_RETURN_IF_ERROR(r.Int("min_free_bytes", 0, kMax, b.min_free_bytes));
  LOCKSTEP_RETURN_IF_ERROR(r.Int("space_headroom_pct", 0, 1000, b.space_headroom_pct));
  LOCKSTEP_RETURN_IF_ERROR(r.Int("cutover_window_ms", 1, 3600000, b.cutover_window_ms));
  LOCKSTEP_RETURN_IF_ERROR(r.Int("lock_wait_ms", 1, 3600000, b.lock_wait_ms));
  LOCKSTEP_RETURN_IF_ERROR(r.Int("max_trx_age_ms", 0, kMax, b.max_trx_age_ms));
  LOCKSTEP_RETURN_IF_ERROR(r.Int("lag_start_ms", 0, kMax, b.lag_start_ms));
  LOCKSTEP_RETURN_IF_ERROR(r.Int("lag_throttle_ms", 0, kMax, b.lag_throttle_ms));
  LOCKSTEP_RETURN_IF_ERROR(r.Int("lag_cutover_ms", 0, kMax, b.lag_cutover_ms));
  LOCKSTEP_RETURN_IF_ERROR(r.Int("old_table_retention_s", 0, kMax, b.old_table_retention_s));
  LOCKSTEP_RETURN_IF_ERROR(r.Int("max_copy_lead_pct", 0, 100, b.max_copy_lead_pct));
  return Status::Ok();
}

std::string ResolvePath(const std::string& path, const std::string& base_dir) {
  if (path.empty() || path[0] == '/' || base_dir.empty()) return path;
  return base_dir + "/" + path;
}

}  // namespace

const char* ZoneTypeName(ZoneType type) {
  return type == ZoneType::kSharding ? "sharding" : "global";
}

bool WildcardMatch(const std::string& pattern, const std::string& text) {
  // Iterative matcher with backtracking to the last '*': linear for typical patterns.
  size_t p = 0, t = 0, star = std::string::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool ZoneConfig::Matches(const std::string& schema, const std::string& table) const {
  for (const auto& pattern : table_patterns) {
    const size_t dot = pattern.find('.');
    if (WildcardMatch(pattern.substr(0, dot), schema) &&
        WildcardMatch(pattern.substr(dot + 1), table)) {
      return true;
    }
  }
  return false;
}

const DcConfig* Topology::FindDc(const std::string& name) const {
  for (const auto& dc : dcs) {
    if (dc.name == name) return &dc;
  }
  return nullptr;
}

const ZoneConfig* Topology::ZoneOf(const std::string& schema, const std::string& table) const {
  for (const auto& zone : zones) {
    if (zone.Matches(schema, table)) return &zone;
  }
  return nullptr;
}

const Budget& Topology::BudgetFor(ZoneType type) const {
  return type == ZoneType::kSharding ? sharding_budget : global_budget;
}

Result<Topology> ParseTopology(const std::string& raw_text, const std::string& source,
                               const std::string& base_dir) {
  const std::string text = BlankSemicolonComments(raw_text);
  LOCKSTEP_RETURN_IF_ERROR(CheckDuplicateSections(text, source));

  po::parsed_options parsed(nullptr);
  try {
    std::istringstream in(text);
    po::options_description none;
    parsed = po::parse_config_file(in, none, /*allow_unregistered=*/true);
  } catch (const po::error& e) {
    return Status::InvalidArgument(source + ": " + e.what());
  }

  // Group "section.key" options by section. A key outside any section or
  // given twice in one section is an error, not a silent override.
  std::map<std::string, std::map<std::string, std::string>> sections;
  std::vector<std::string> section_order;
  for (const auto& opt : parsed.options) {
    const std::string& full = opt.string_key;
    const size_t dot = full.rfind('.');
    if (dot == std::string::npos) {
      return Status::InvalidArgument(source + ": key '" + full + "' is outside any section");
    }
    const std::string section = full.substr(0, dot);
    const std::string key = full.substr(dot + 1);
    const std::string value = opt.value.empty() ? "" : Trim(opt.value.front());
    if (!sections.count(section)) section_order.push_back(section);
    if (!sections[section].emplace(key, value).second) {
      return Status::InvalidArgument(source + ": [" + section + "] " + key + ": given twice");
    }
  }

  Topology topo;
  topo.source_path = source;
  for (const auto& name : section_order) {
    SectionReader reader(source, name, sections[name]);
    if (name == "lockstep") {
      LOCKSTEP_RETURN_IF_ERROR(reader.CheckNoUnknownKeys({"state_db"}));
      topo.state_db_path = ResolvePath(reader.String("state_db", ""), base_dir);
    } else if (name.rfind("dc.", 0) == 0) {
      DcConfig dc;
      dc.name = name.substr(3);
      if (!ValidName(dc.name)) {
        return Status::InvalidArgument(source + ": [" + name + "]: DC name '" + dc.name +
                                       "' must be 1-64 letters, digits, '_' or '-'");
      }
      LOCKSTEP_RETURN_IF_ERROR(ReadDc(reader, dc));
      dc.password_file = ResolvePath(dc.password_file, base_dir);
      topo.dcs.push_back(std::move(dc));
    } else if (name.rfind("zone.", 0) == 0) {
      ZoneConfig zone;
      zone.name = name.substr(5);
      if (!ValidName(zone.name)) {
        return Status::InvalidArgument(source + ": [" + name + "]: zone name '" + zone.name +
                                       "' must be 1-64 letters, digits, '_' or '-'");
      }
      LOCKSTEP_RETURN_IF_ERROR(ReadZone(reader, zone));
      topo.zones.push_back(std::move(zone));
    } else if (name == "budget.sharding") {
      LOCKSTEP_RETURN_IF_ERROR(ReadBudget(reader, topo.sharding_budget));
    } else if (name == "budget.global") {
      LOCKSTEP_RETURN_IF_ERROR(ReadBudget(reader, topo.global_budget));
    } else {
      return Status::InvalidArgument(
          source + ": unknown section [" + name +
          "] (expected [lockstep], [dc.NAME], [zone.NAME], [budget.sharding], [budget.global])");
    }
  }

  if (topo.dcs.empty()) {
    return Status::InvalidArgument(source + ": no DC defined; add a [dc.NAME] section per DC");
  }
  std::map<std::string, std::string> endpoints;
  for (const auto& dc : topo.dcs) {
    const std::string endpoint = dc.host + ":" + std::to_string(dc.port);
    auto [it, inserted] = endpoints.emplace(endpoint, dc.name);
    if (!inserted) {
      return Status::InvalidArgument(source + ": [dc." + dc.name + "] DCs '" + it->second +
                                     "' and '" + dc.name + "' both point to " + endpoint);
    }
  }
  for (const auto& zone : topo.zones) {
    if (zone.type == ZoneType::kGlobal && topo.FindDc(zone.writer_dc) == nullptr) {
      std::string names;
      for (const auto& dc : topo.dcs) names += (names.empty() ? "" : ", ") + dc.name;
      return Status::InvalidArgument(source + ": [zone." + zone.name + "] writer: '" +
                                     zone.writer_dc + "' is not a DC of this topology (DCs: " +
                                     names + ")");
    }
  }
  if (topo.state_db_path.empty()) {
    topo.state_db_path = ResolvePath("lockstep-state.db", base_dir.empty() ? "." : base_dir);
  }
  return topo;
}

Result<Topology> LoadTopology(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::InvalidArgument(path + ": cannot read the topology file");
  std::stringstream buf;
  buf << in.rdbuf();
  const size_t slash = path.rfind('/');
  const std::string base_dir = slash == std::string::npos ? "." : path.substr(0, slash);
  return ParseTopology(buf.str(), path, base_dir.empty() ? "/" : base_dir);
}

Result<std::string> ResolvePassword(const DcConfig& dc) {
  if (!dc.password_env.empty()) {
    const char* value = std::getenv(dc.password_env.c_str());
    if (value == nullptr) {
      return Status::InvalidArgument("DC " + dc.name + ": environment variable " +
                                     dc.password_env + " (password_env) is not set");
    }
    return std::string(value);
  }
  if (!dc.password_file.empty()) {
    struct stat st {};
    if (::stat(dc.password_file.c_str(), &st) != 0) {
      return Status::InvalidArgument("DC " + dc.name + ": password_file " + dc.password_file +
                                     " cannot be read");
    }
    if ((st.st_mode & 077) != 0) {
      return Status::InvalidArgument("DC " + dc.name + ": password_file " + dc.password_file +
                                     " is readable by group or others; chmod 600 it");
    }
    std::ifstream in(dc.password_file);
    std::string line;
    if (!in || !std::getline(in, line)) {
      return Status::InvalidArgument("DC " + dc.name + ": password_file " + dc.password_file +
                                     " is empty or unreadable");
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  return std::string();
}

}  // namespace lockstep

#include "doctor/doctor.h"

#include <algorithm>
#include <map>
#include <set>

namespace lockstep {
namespace {

void Problem(DoctorReport& r, std::string scope, std::string check, std::string message) {
  r.problems.push_back({std::move(scope), std::move(check), std::move(message)});
}

void Warning(DoctorReport& r, std::string scope, std::string check, std::string message) {
  r.warnings.push_back({std::move(scope), std::move(check), std::move(message)});
}

// The links the zones need: a sharding zone is written everywhere, so every DC
// must receive from every other; a global zone needs its writer's rows everywhere.
std::set<std::pair<std::string, std::string>> RequiredLinks(const Topology& t) {
  std::set<std::pair<std::string, std::string>> links;
  const bool full_mesh =
      t.zones.empty() || std::any_of(t.zones.begin(), t.zones.end(), [](const ZoneConfig& z) {
        return z.type == ZoneType::kSharding;
      });
  for (const auto& from : t.dcs) {
    for (const auto& to : t.dcs) {
      if (from.name == to.name) continue;
      bool needed = full_mesh;
      for (const auto& z : t.zones) {
        if (z.type == ZoneType::kGlobal && z.writer_dc == from.name) needed = true;
      }
      if (needed) links.emplace(from.name, to.name);
    }
  }
  return links;
}

void JudgeSettings(DoctorReport& r, const DcFacts& f, size_t dc_count) {
  if (!f.log_bin) {
    Problem(r, f.dc, "log_bin", "the binary log is off; lockstep reads each DC's binlog (log_bin=ON)");
  }
  if (f.binlog_format != "ROW") {
    Problem(r, f.dc, "binlog_format",
            "binlog_format is " + f.binlog_format + "; lockstep needs ROW");
  }
  if (f.binlog_row_image != "FULL") {
    Problem(r, f.dc, "binlog_row_image",
            "binlog_row_image is " + f.binlog_row_image + "; lockstep needs FULL");
  }
  if (!f.log_slave_updates) {
    Problem(r, f.dc, "log_slave_updates",
            "log_slave_updates is OFF; the DC's binlog must also hold the rows other DCs send");
  }
  if (dc_count > 1 && !f.gtid_ignore_duplicates) {
    Problem(r, f.dc, "gtid_ignore_duplicates",
            "gtid_ignore_duplicates is OFF; in a mesh every event would loop between DCs");
  }
  if (f.read_only) {
    Warning(r, f.dc, "read_only", "the server is read_only; lockstep's writes need a primary");
  }
}

void JudgeUniqueness(DoctorReport& r, const std::vector<const DcFacts*>& facts, size_t dc_count) {
  std::map<int64_t, std::string> server_ids, domains, offsets;
  for (const DcFacts* f : facts) {
    if (auto [it, ok] = server_ids.emplace(f->server_id, f->dc); !ok) {
      Problem(r, f->dc, "server_id",
              "server_id " + std::to_string(f->server_id) + " is also used by " + it->second);
    }
    if (auto [it, ok] = domains.emplace(f->gtid_domain_id, f->dc); !ok) {
      Problem(r, f->dc, "gtid_domain_id",
              "gtid_domain_id " + std::to_string(f->gtid_domain_id) + " is also used by " +
                  it->second + "; each DC needs its own GTID domain");
    }
    if (f->auto_increment_increment < static_cast<int64_t>(dc_count)) {
      Problem(r, f->dc, "auto_increment_increment",
              "auto_increment_increment is " + std::to_string(f->auto_increment_increment) +
                  "; it must be at least the number of DCs (" + std::to_string(dc_count) +
                  ") so DCs never generate the same key");
    }
    if (auto [it, ok] = offsets.emplace(f->auto_increment_offset, f->dc); !ok) {
      Problem(r, f->dc, "auto_increment_offset",
              "auto_increment_offset " + std::to_string(f->auto_increment_offset) +
                  " is also used by " + it->second + "; both DCs will generate the same keys");
    }
  }
}

// Which topology DC a link reads from: by the source's server_id once the link
// has connected, else by connection name, else by endpoint.
std::string LinkSource(const LinkFacts& l, const Topology& t,
                       const std::map<int64_t, std::string>& dc_by_server_id) {
  if (l.master_server_id != 0) {
    if (auto it = dc_by_server_id.find(l.master_server_id); it != dc_by_server_id.end()) {
      return it->second;
    }
  }
  if (t.FindDc(l.connection_name) != nullptr) return l.connection_name;
  for (const auto& dc : t.dcs) {
    if (dc.host == l.master_host && dc.port == l.master_port) return dc.name;
  }
  return "";
}

void JudgeLinks(DoctorReport& r, const Topology& t, const std::vector<DcStatus>& dcs) {
  std::map<int64_t, std::string> dc_by_server_id;
  for (const auto& s : dcs) {
    if (s.facts) dc_by_server_id.emplace(s.facts->server_id, s.dc);
  }
  // (from, to) -> the link's facts, for every reachable receiving DC.
  std::map<std::pair<std::string, std::string>, const LinkFacts*> found;
  std::set<std::string> reachable;
  for (const auto& s : dcs) {
    if (!s.facts) continue;
    if (s.facts->links_unknown) {
      Problem(r, s.dc, "links_unknown", *s.facts->links_unknown);
      continue;  // absent is not known either
    }
    reachable.insert(s.dc);
    for (const auto& l : s.facts->links) {
      const std::string from = LinkSource(l, t, dc_by_server_id);
      if (from.empty()) {
        Warning(r, s.dc, "link_unknown_source",
                "link '" + l.connection_name + "' replicates from " + l.master_host + ":" +
                    std::to_string(l.master_port) + ", which is not a DC of this topology");
        continue;
      }
      found.emplace(std::make_pair(from, s.dc), &l);
    }
  }
  for (const auto& [from, to] : RequiredLinks(t)) {
    LinkStatus ls;
    ls.from = from;
    ls.to = to;
    const std::string scope = from + "->" + to;
    auto it = found.find({from, to});
    if (it == found.end()) {
      if (reachable.count(to)) {
        Problem(r, scope, "link_present", to + " does not replicate from " + from);
      }
      r.links.push_back(ls);
      continue;
    }
    const LinkFacts& l = *it->second;
    ls.present = true;
    ls.running = l.io_running && l.sql_running;
    if (l.seconds_behind_master) ls.lag_ms = *l.seconds_behind_master * 1000;
    ls.drops_underscore_tables = l.DropsUnderscoreTables();
    ls.last_error = !l.last_sql_error.empty() ? l.last_sql_error : l.last_io_error;
    if (!ls.running) {
      std::string which = !l.io_running && !l.sql_running ? "IO and SQL threads are"
                          : !l.io_running                  ? "IO thread is"
                                                           : "SQL thread is";
      Problem(r, scope, "link_running",
              "link '" + l.connection_name + "' is not running (" + which + " stopped)" +
                  (ls.last_error.empty() ? "" : ": " + ls.last_error));
    }
    if (!ls.drops_underscore_tables) {
      Problem(r, scope, "link_filter",
              "link '" + l.connection_name + "' does not drop tables named _*; add " +
                  l.connection_name +
                  ".replicate_wild_ignore_table='%.\\_%' so lockstep's shadow tables stay local");
    }
    r.links.push_back(ls);
  }
}

}  // namespace

DoctorReport Judge(const Topology& topology, std::vector<DcStatus> dcs) {
  DoctorReport r;
  std::vector<const DcFacts*> facts;
  for (const auto& s : dcs) {
    if (!s.facts) {
      Problem(r, s.dc, "reachable", "cannot connect: " + s.error);
      continue;
    }
    facts.push_back(&*s.facts);
    JudgeSettings(r, *s.facts, dcs.size());
  }
  JudgeUniqueness(r, facts, dcs.size());
  JudgeLinks(r, topology, dcs);
  if (facts.size() > 1) {
    auto [lo, hi] = std::minmax_element(facts.begin(), facts.end(), [](auto a, auto b) {
      return a->clock_offset_us < b->clock_offset_us;
    });
    // Half the slowest round trip is the measurement's own uncertainty.
    int64_t max_rtt_us = 0;
    for (auto* f : facts) max_rtt_us = std::max(max_rtt_us, f->round_trip_us);
    const int64_t skew_ms = ((*hi)->clock_offset_us - (*lo)->clock_offset_us) / 1000;
    r.clock_skew_ms = skew_ms;
    if (skew_ms > kMaxClockSkewMs + max_rtt_us / 2000) {
      Problem(r, "topology", "clock_skew",
              "clocks of " + (*lo)->dc + " and " + (*hi)->dc + " differ by " +
                  std::to_string(skew_ms) + " ms (limit " + std::to_string(kMaxClockSkewMs) +
                  " ms); fix NTP before cutting over");
    }
  }
  r.dcs = std::move(dcs);
  return r;
}

DoctorReport Diagnose(const Topology& topology, ConnectionFactory& factory) {
  std::vector<DcStatus> dcs;
  for (const auto& dc : topology.dcs) {
    DcStatus s;
    s.dc = dc.name;
    auto conn = factory.Connect(dc);
    if (!conn.ok()) {
      s.error = conn.status().ToString();
    } else if (auto facts = InspectDcSettings(**conn); !facts.ok()) {
      s.error = facts.status().ToString();
    } else if (Status links = ReadLinksWithin(factory, dc, kDoctorLinkReadTimeoutS, *facts);
               !links.ok()) {
      s.error = links.WithContext("reading the DRC links").ToString();
    } else {
      s.facts = std::move(*facts);
    }
    dcs.push_back(std::move(s));
  }
  return Judge(topology, std::move(dcs));
}

}  // namespace lockstep

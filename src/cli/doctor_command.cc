// lockstep doctor: reports per DC and per DRC link whether the topology is fit.
#include <cstdio>
#include <iomanip>
#include <ostream>
#include <sstream>

#include "cli/commands.h"
#include "common/logging.h"
#include "doctor/doctor.h"

namespace po = boost::program_options;

namespace lockstep::cli {
namespace {

std::string YesNo(bool b) { return b ? "yes" : "no"; }

std::string Pad(std::string s, size_t width) {
  if (s.size() < width) s.resize(width, ' ');
  return s + " ";
}

void WriteText(const Topology& topo, const DoctorReport& r, std::ostream& out) {
  out << "lockstep doctor: " << topo.source_path << " (" << topo.dcs.size() << " DCs)\n\n";
  out << Pad("DC", 8) << Pad("reachable", 9) << Pad("version", 26) << Pad("binlog", 9)
      << Pad("row_image", 9) << Pad("slave_upd", 9) << Pad("domain", 6) << Pad("server_id", 9)
      << Pad("auto_inc", 8) << "clock\n";
  for (const auto& s : r.dcs) {
    out << Pad(s.dc, 8) << Pad(YesNo(s.facts.has_value()), 9);
    if (!s.facts) {
      out << s.error << "\n";
      continue;
    }
    const DcFacts& f = *s.facts;
    std::ostringstream clock;
    clock << std::showpos << f.clock_offset_us / 1000 << " ms";
    out << Pad(f.version, 26) << Pad(f.log_bin ? f.binlog_format : "OFF", 9)
        << Pad(f.binlog_row_image, 9) << Pad(f.log_slave_updates ? "ON" : "OFF", 9)
        << Pad(std::to_string(f.gtid_domain_id), 6) << Pad(std::to_string(f.server_id), 9)
        << Pad(std::to_string(f.auto_increment_offset) + "/" +
                   std::to_string(f.auto_increment_increment), 8)
        << clock.str() << "\n";
  }
  if (!r.links.empty()) {
    out << "\n" << Pad("LINK", 14) << Pad("present", 7) << Pad("running", 7) << Pad("lag", 8)
        << "drops _tables\n";
    for (const auto& l : r.links) {
      out << Pad(l.from + " -> " + l.to, 14) << Pad(YesNo(l.present), 7);
      if (!l.present) {
        out << "\n";
        continue;
      }
      out << Pad(YesNo(l.running), 7)
          << Pad(l.lag_ms ? std::to_string(*l.lag_ms / 1000) + " s" : "-", 8)
          << YesNo(l.drops_underscore_tables) << "\n";
    }
  }
  if (r.clock_skew_ms) out << "\nclock skew between DCs: " << *r.clock_skew_ms << " ms\n";
  for (const auto& w : r.warnings) {
    out << "warning: " << w.scope << ": " << w.message << " [" << w.check << "]\n";
  }
  if (r.fit()) {
    out << "\nfit: every DC and link is ready for lockstep\n";
    return;
  }
  out << "\nunfit: " << r.problems.size() << (r.problems.size() == 1 ? " problem" : " problems")
      << "\n";
  for (const auto& p : r.problems) {
    out << "  " << p.scope << ": " << p.message << " [" << p.check << "]\n";
  }
}

void WriteFindings(const char* key, const std::vector<DoctorFinding>& list, std::ostream& out) {
  out << "\"" << key << "\":[";
  for (size_t i = 0; i < list.size(); ++i) {
    out << (i ? "," : "") << "{\"scope\":\"" << JsonEscape(list[i].scope) << "\",\"check\":\""
        << JsonEscape(list[i].check) << "\",\"message\":\"" << JsonEscape(list[i].message)
        << "\"}";
  }
  out << "]";
}

void WriteJson(const DoctorReport& r, std::ostream& out) {
  out << "{\"fit\":" << (r.fit() ? "true" : "false") << ",\"dcs\":[";
  for (size_t i = 0; i < r.dcs.size(); ++i) {
    const auto& s = r.dcs[i];
    out << (i ? "," : "") << "{\"name\":\"" << JsonEscape(s.dc) << "\",\"reachable\":"
        << (s.facts ? "true" : "false");
    if (!s.facts) {
      out << ",\"error\":\"" << JsonEscape(s.error) << "\"}";
      continue;
    }
    const DcFacts& f = *s.facts;
    out << ",\"version\":\"" << JsonEscape(f.version) << "\",\"server_id\":" << f.server_id
        << ",\"gtid_domain_id\":" << f.gtid_domain_id
        << ",\"log_bin\":" << (f.log_bin ? "true" : "false") << ",\"binlog_format\":\""
        << JsonEscape(f.binlog_format) << "\",\"binlog_row_image\":\""
        << JsonEscape(f.binlog_row_image)
        << "\",\"log_slave_updates\":" << (f.log_slave_updates ? "true" : "false")
        << ",\"gtid_ignore_duplicates\":" << (f.gtid_ignore_duplicates ? "true" : "false")
        << ",\"auto_increment_offset\":" << f.auto_increment_offset
        << ",\"auto_increment_increment\":" << f.auto_increment_increment
        << ",\"clock_offset_ms\":" << f.clock_offset_us / 1000
        << ",\"round_trip_ms\":" << f.round_trip_us / 1000.0 << "}";
  }
  out << "],\"links\":[";
  for (size_t i = 0; i < r.links.size(); ++i) {
    const auto& l = r.links[i];
    out << (i ? "," : "") << "{\"from\":\"" << JsonEscape(l.from) << "\",\"to\":\""
        << JsonEscape(l.to) << "\",\"present\":" << (l.present ? "true" : "false")
        << ",\"running\":" << (l.running ? "true" : "false") << ",\"lag_ms\":"
        << (l.lag_ms ? std::to_string(*l.lag_ms) : "null")
        << ",\"drops_underscore_tables\":" << (l.drops_underscore_tables ? "true" : "false")
        << ",\"last_error\":\"" << JsonEscape(l.last_error) << "\"}";
  }
  out << "],\"clock_skew_ms\":"
      << (r.clock_skew_ms ? std::to_string(*r.clock_skew_ms) : "null") << ",";
  WriteFindings("problems", r.problems, out);
  out << ",";
  WriteFindings("warnings", r.warnings, out);
  out << "}\n";
}

}  // namespace

int RunDoctor(const std::vector<std::string>& args, CommandIo io) {
  po::options_description desc(
      "Usage: lockstep doctor [--config FILE] [--format text|json]\n\n"
      "Connects to every DC of the topology and checks that lockstep can work there:\n"
      "reachable, binlog_format=ROW, binlog_row_image=FULL, log_slave_updates=ON,\n"
      "gtid_ignore_duplicates=ON, distinct server_id, GTID domain and auto-increment\n"
      "offset, every DRC link present and running with its lag, every link dropping\n"
      "tables named _* (lockstep's shadow tables), and the clock skew between DCs.\n"
      "Exit 0 when fit, 1 when not (every problem is named), 2 for usage errors.\n\n"
      "Options");
  AddCommonOptions(desc, {"text", "json"});
  ParsedArgs parsed;
  if (!ParseCommandArgs(args, desc, nullptr, io, "doctor", parsed)) return kExitUsage;
  if (parsed.help) {
    io.out << desc << "\n";
    return kExitOk;
  }
  Topology topology;
  if (!LoadCommandTopology(parsed.vars, "doctor", io, topology)) return kExitUsage;
  InitLogging("warn");
  MariaDbConnectionFactory factory;
  const DoctorReport report = Diagnose(topology, factory);
  if (Format(parsed.vars) == "json") {
    WriteJson(report, io.out);
  } else {
    WriteText(topology, report, io.out);
  }
  return report.fit() ? kExitOk : kExitNo;
}

}  // namespace lockstep::cli

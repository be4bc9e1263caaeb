// lockstep doctor: is this topology fit for coordinated schema changes?
//
// Diagnose() reads every DC (read-only); Judge() turns the facts into a list of
// problems (which make the topology unfit) and warnings (which do not). Judge
// is a pure function so every rule is unit-tested without a server.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/topology.h"
#include "db/connection.h"
#include "inspect/dc_facts.h"

namespace lockstep {

struct DoctorFinding {
  std::string scope;  // "dc2", or a link "dc1->dc2", or "topology"
  std::string check;  // stable id, e.g. "binlog_format", "link_filter"
  std::string message;
};

struct DcStatus {
  std::string dc;
  std::optional<DcFacts> facts;  // nullopt when unreachable
  std::string error;             // why it is unreachable
};

struct LinkStatus {
  std::string from;
  std::string to;
  bool present = false;
  bool running = false;
  std::optional<int64_t> lag_ms;
  bool drops_underscore_tables = false;
  std::string last_error;
};

struct DoctorReport {
  std::vector<DcStatus> dcs;
  std::vector<LinkStatus> links;  // the links the topology needs, present or not
  std::optional<int64_t> clock_skew_ms;  // largest difference between two DCs' clocks
  std::vector<DoctorFinding> problems;
  std::vector<DoctorFinding> warnings;

  bool fit() const { return problems.empty(); }
};

// Skew above this makes the topology unfit: fences carry deadlines written by
// one clock and read by another.
inline constexpr int64_t kMaxClockSkewMs = 500;
// How long the doctor waits for a DC's links to be read: a link holding its
// lock while it waits (MASTER_DELAY, a GTID another link applies) makes
// them unknown, a problem, instead of the doctor hanging.
inline constexpr unsigned kDoctorLinkReadTimeoutS = 5;

// Connects to every DC and judges the result.
DoctorReport Diagnose(const Topology& topology, ConnectionFactory& factory);

// Judges facts already read; `dcs` holds one entry per topology DC, in order.
DoctorReport Judge(const Topology& topology, std::vector<DcStatus> dcs);

}  // namespace lockstep

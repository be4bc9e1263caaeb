// What lockstep reads from one DC's server: its replication-relevant settings,
// its clock, and its DRC links (the replication connections it receives on).
// Read-only; the doctor and the planner judge these facts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "db/connection.h"

namespace lockstep {

// One incoming replication connection ("DRC link") of a DC.
struct LinkFacts {
  std::string connection_name;
  std::string master_host;
  unsigned master_port = 0;
  int64_t master_server_id = 0;  // 0 until the link has connected once
  bool io_running = false;
  bool sql_running = false;
  std::optional<int64_t> seconds_behind_master;  // NULL when a thread is stopped
  std::string wild_ignore_tables;                 // Replicate_Wild_Ignore_Table
  std::string last_io_error;
  std::string last_sql_error;

  // The link's filter keeps lockstep's artifacts (tables named `_...`) local.
  bool DropsUnderscoreTables() const;
};

struct DcFacts {
  std::string dc;
  std::string version;
  int64_t server_id = 0;
  int64_t gtid_domain_id = 0;
  bool log_bin = false;
  std::string binlog_format;
  std::string binlog_row_image;
  bool log_slave_updates = false;
  bool gtid_ignore_duplicates = false;
  int64_t auto_increment_increment = 1;
  int64_t auto_increment_offset = 1;
  std::string gtid_binlog_pos;
  bool read_only = false;
  int64_t lock_wait_timeout_s = 0;
  std::string datadir;
  // Server clock minus this machine's clock, measured at the midpoint of a
  // round trip; the skew between two DCs is the difference of their offsets.
  int64_t clock_offset_us = 0;
  int64_t round_trip_us = 0;
  std::vector<LinkFacts> links;
  // Set when the links could not be read in time (ReadLinksWithin): their
  // state is unknown, which the link checks count as a failure.
  std::optional<std::string> links_unknown;
};

// The settings (GTID position among them) and the clock, without the links.
Result<DcFacts> InspectDcSettings(Connection& conn);

// Adds the DC's links to `facts`. SHOW ALL SLAVES STATUS waits for every
// link's own lock, and a link's SQL thread can hold it for as long as it
// waits: measured on the sandbox, 28 s while one link waited in MASTER_DELAY
// and another waited for it to apply the same GTID (gtid_ignore_duplicates).
// So the planner measures the links' lag before it reads them: read first,
// the wait let a lagging link catch up and the lag check pass.
Status InspectLinks(Connection& conn, DcFacts& facts);

// InspectLinks on a session of its own that waits at most `timeout_s` for
// the answer: past it, `facts.links_unknown` says why and the links stay
// empty (that session is then dropped; the server ends its read by itself
// once the link lets go). Fails only when the DC cannot be reached.
Status ReadLinksWithin(ConnectionFactory& factory, const DcConfig& dc, unsigned timeout_s,
                       DcFacts& facts);

}  // namespace lockstep

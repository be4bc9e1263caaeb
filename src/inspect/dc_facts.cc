#include "inspect/dc_facts.h"

#include <errmsg.h>

#include <chrono>
#include <cstdlib>
#include <sstream>

#include "db/sql.h"

namespace lockstep {
namespace {

int64_t ToInt(const std::optional<std::string>& v) {
  return v ? std::strtoll(v->c_str(), nullptr, 10) : 0;
}

bool ToBool(const std::optional<std::string>& v) {
  return v && (*v == "1" || *v == "ON" || *v == "Yes" || *v == "YES");
}

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

bool LinkFacts::DropsUnderscoreTables() const {
  // The filter list is comma-separated; the server shows the pattern as written.
  std::stringstream in(wild_ignore_tables);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item == "%.\\_%" || item == "%.\\\\_%") return true;
  }
  return false;
}

Result<DcFacts> InspectDcSettings(Connection& conn) {
  DcFacts f;
  f.dc = conn.dc_name();
  LOCKSTEP_ASSIGN_OR_RETURN(QueryResult s, conn.Query(sql::ServerSettings()));
  if (s.rows.empty()) return Status::Internal("server settings query returned no row");
  f.version = s.Get(0, "version").value_or("");
  f.server_id = ToInt(s.Get(0, "server_id"));
  f.gtid_domain_id = ToInt(s.Get(0, "gtid_domain_id"));
  f.log_bin = ToBool(s.Get(0, "log_bin"));
  f.binlog_format = s.Get(0, "binlog_format").value_or("");
  f.binlog_row_image = s.Get(0, "binlog_row_image").value_or("");
  f.log_slave_updates = ToBool(s.Get(0, "log_slave_updates"));
  f.gtid_ignore_duplicates = ToBool(s.Get(0, "gtid_ignore_duplicates"));
  f.auto_increment_increment = ToInt(s.Get(0, "auto_increment_increment"));
  f.auto_increment_offset = ToInt(s.Get(0, "auto_increment_offset"));
  f.gtid_binlog_pos = s.Get(0, "gtid_binlog_pos").value_or("");
  f.read_only = ToBool(s.Get(0, "read_only"));
  f.lock_wait_timeout_s = ToInt(s.Get(0, "lock_wait_timeout"));
  f.datadir = s.Get(0, "datadir").value_or("");

  const int64_t before = NowMicros();
  LOCKSTEP_ASSIGN_OR_RETURN(auto server_now, conn.QueryValue(sql::ServerClockMicros()));
  const int64_t after = NowMicros();
  f.round_trip_us = after - before;
  f.clock_offset_us = ToInt(server_now) - (before + after) / 2;
  return f;
}

Status ReadLinksWithin(ConnectionFactory& factory, const DcConfig& dc, unsigned timeout_s,
                       DcFacts& facts) {
  LOCKSTEP_ASSIGN_OR_RETURN(auto conn, factory.ConnectWithReadTimeout(dc, timeout_s));
  Status read = InspectLinks(*conn, facts);
  // A read timeout is a lost connection (2013) to the client library; the
  // server's thread waits on until the link lets go, then ends.
  if (read.ok() || !read.IsDbError() || read.server_errno() != CR_SERVER_LOST) return read;
  facts.links.clear();
  facts.links_unknown = "SHOW ALL SLAVES STATUS did not answer within " +
                        std::to_string(timeout_s) + " s: a DRC link holds its lock while it "
                        "waits (MASTER_DELAY, or for another link to apply the same GTID)";
  return Status::Ok();
}

Status InspectLinks(Connection& conn, DcFacts& f) {
  f.links.clear();
  LOCKSTEP_ASSIGN_OR_RETURN(QueryResult links, conn.Query(sql::ShowAllSlavesStatus()));
  for (size_t r = 0; r < links.rows.size(); ++r) {
    LinkFacts l;
    l.connection_name = links.Get(r, "Connection_name").value_or("");
    l.master_host = links.Get(r, "Master_Host").value_or("");
    l.master_port = static_cast<unsigned>(ToInt(links.Get(r, "Master_Port")));
    l.master_server_id = ToInt(links.Get(r, "Master_Server_Id"));
    l.io_running = ToBool(links.Get(r, "Slave_IO_Running"));
    l.sql_running = ToBool(links.Get(r, "Slave_SQL_Running"));
    if (auto sbm = links.Get(r, "Seconds_Behind_Master")) l.seconds_behind_master = ToInt(sbm);
    l.wild_ignore_tables = links.Get(r, "Replicate_Wild_Ignore_Table").value_or("");
    l.last_io_error = links.Get(r, "Last_IO_Error").value_or("");
    l.last_sql_error = links.Get(r, "Last_SQL_Error").value_or("");
    f.links.push_back(std::move(l));
  }
  return Status::Ok();
}

}  // namespace lockstep

#include "executor/migration/binlog_retention.h"

#include "db/sql.h"
#include "executor/binlog/gtid_position.h"

namespace lockstep {

Status CheckBinlogHolds(Connection& conn, const std::string& position) {
  LOCKSTEP_ASSIGN_OR_RETURN(QueryResult logs, conn.Query(sql::ShowBinaryLogs()));
  if (logs.rows.empty()) return Status::FailedPrecondition("the server has no binary log");
  const std::string oldest = logs.rows[0][0].value_or("");
  LOCKSTEP_ASSIGN_OR_RETURN(auto start, conn.QueryValue(sql::BinlogGtidPosAtStart(oldest)));
  LOCKSTEP_ASSIGN_OR_RETURN(binlog::GtidPosition held, binlog::GtidPosition::Parse(start.value_or("")));
  LOCKSTEP_ASSIGN_OR_RETURN(binlog::GtidPosition wanted, binlog::GtidPosition::Parse(position));
  for (uint32_t domain = 0; domain < 1024; ++domain) {
    auto first = held.Find(domain);
    if (!first) continue;
    auto want = wanted.Find(domain);
    if (!want || want->seq_no < first->seq_no) {
      return Status::FailedPrecondition(
          "the binlog no longer holds position " + position + " (the oldest binlog, " + oldest +
          ", starts after " + first->ToString() + "): the migration cannot resume from its "
          "checkpoint; abort it and start again");
    }
  }
  return Status::Ok();
}

}  // namespace lockstep

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
  if (std::optional<binlog::Gtid> first = FirstGtidNotHeld(held, wanted)) {
    return Status::FailedPrecondition(
        "the binlog no longer holds position " + position + " (the oldest binlog, " + oldest +
        ", starts after " + first->ToString() + "): the migration cannot resume from its "
        "checkpoint; abort it and start again");
  }
  return Status::Ok();
}

std::optional<binlog::Gtid> FirstGtidNotHeld(const binlog::GtidPosition& oldest_start,
                                              const binlog::GtidPosition& wanted) {
  for (const binlog::Gtid& first : oldest_start.Gtids()) {
    auto want = wanted.Find(first.domain_id);
    if (!want || want->seq_no < first.seq_no) return first;
  }
  return std::nullopt;
}

}  // namespace lockstep

#include "executor/binlog/binlog_event.h"

namespace lockstep::binlog {

std::string Gtid::ToString() const {
  return std::to_string(domain_id) + "-" + std::to_string(server_id) + "-" + std::to_string(seq_no);
}

const char* RowChangeKindName(RowChangeKind kind) {
  switch (kind) {
    case RowChangeKind::kInsert: return "insert";
    case RowChangeKind::kUpdate: return "update";
    case RowChangeKind::kDelete: return "delete";
  }
  return "?";
}

const char* EventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kTransactionStart: return "transaction-start";
    case EventKind::kRows: return "rows";
    case EventKind::kCommit: return "commit";
    case EventKind::kXaPrepare: return "xa-prepare";
    case EventKind::kQuery: return "query";
    case EventKind::kRotate: return "rotate";
    case EventKind::kHeartbeat: return "heartbeat";
    case EventKind::kFormatDescription: return "format-description";
    case EventKind::kGtidList: return "gtid-list";
    case EventKind::kFiltered: return "filtered";
    case EventKind::kOther: return "other";
    case EventKind::kReconnected: return "reconnected";
  }
  return "?";
}

}  // namespace lockstep::binlog

#include "state/event_log.h"

namespace lockstep {

Result<int64_t> EventLog::Append(const Event& event) {
  if (event.actor.empty()) return Status::InvalidArgument("an event needs an actor");
  if (event.kind.empty()) return Status::InvalidArgument("an event needs a kind");
  LOCKSTEP_ASSIGN_OR_RETURN(
      SqliteStatement stmt,
      db_.Prepare("INSERT INTO events (migration_id, at, actor, kind, dc, message, reason) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  LOCKSTEP_RETURN_IF_ERROR(stmt.BindAll(event.migration_id, clock_.NowMillis(), event.actor,
                                        event.kind, event.dc, event.message, event.reason));
  LOCKSTEP_RETURN_IF_ERROR(stmt.Run());
  return db_.LastInsertRowId();
}

Result<std::vector<EventRecord>> EventLog::List(std::optional<int64_t> migration_id,
                                                int64_t since_id, int64_t limit) {
  LOCKSTEP_ASSIGN_OR_RETURN(
      SqliteStatement stmt,
      db_.Prepare("SELECT id, at, migration_id, actor, kind, dc, message, reason FROM events "
                  "WHERE id > ?1 AND (?2 IS NULL OR migration_id = ?2) ORDER BY id LIMIT ?3"));
  LOCKSTEP_RETURN_IF_ERROR(stmt.BindAll(since_id, migration_id, limit));
  std::vector<EventRecord> out;
  while (true) {
    LOCKSTEP_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    EventRecord rec;
    rec.id = stmt.ColumnInt64(0);
    rec.at = stmt.ColumnInt64(1);
    rec.event.migration_id = stmt.ColumnOptionalInt64(2);
    rec.event.actor = stmt.ColumnText(3);
    rec.event.kind = stmt.ColumnText(4);
    rec.event.dc = stmt.ColumnOptionalText(5);
    rec.event.message = stmt.ColumnText(6);
    rec.event.reason = stmt.ColumnText(7);
    out.push_back(std::move(rec));
  }
  return out;
}

}  // namespace lockstep

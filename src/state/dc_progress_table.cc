#include "state/dc_progress_table.h"

#include <string>

#include "state/enum_names.h"
#include "state/sqlite_transaction.h"
#include "state/transition_rules.h"

namespace lockstep {
namespace {

constexpr char kSelectProgress[] =
    "SELECT migration_id, dc, phase, binlog_gtid, binlog_file, binlog_pos, copy_watermark, "
    "rows_copied, rows_total_estimate, applier_events, updated_at, checksum_watermark "
    "FROM dc_progress ";

std::string Subject(int64_t migration_id, std::string_view dc) {
  return "migration " + std::to_string(migration_id) + " " + std::string(dc);
}

Status ValidateCheckpoint(const Checkpoint& cp) {
  if (cp.binlog_file.has_value() != cp.binlog_pos.has_value()) {
    return Status::InvalidArgument("a checkpoint's binlog file and position go together");
  }
  if (cp.rows_copied < 0 || cp.rows_total_estimate < 0 || cp.applier_events < 0) {
    return Status::InvalidArgument("a checkpoint's counters cannot be negative");
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<DcProgress>> DcProgressTable::Query(SqliteStatement& stmt) {
  std::vector<DcProgress> out;
  while (true) {
    LOCKSTEP_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    DcProgress p;
    p.migration_id = stmt.ColumnInt64(0);
    p.dc = stmt.ColumnText(1);
    LOCKSTEP_ASSIGN_OR_RETURN(p.phase, enum_names::ColumnEnum(stmt, 2, ParsePhase, "phase"));
    p.checkpoint.binlog_gtid = stmt.ColumnOptionalText(3);
    p.checkpoint.binlog_file = stmt.ColumnOptionalText(4);
    p.checkpoint.binlog_pos = stmt.ColumnOptionalInt64(5);
    p.checkpoint.copy_watermark = stmt.ColumnOptionalText(6);
    p.checkpoint.rows_copied = stmt.ColumnInt64(7);
    p.checkpoint.rows_total_estimate = stmt.ColumnInt64(8);
    p.checkpoint.applier_events = stmt.ColumnInt64(9);
    p.updated_at = stmt.ColumnInt64(10);
    p.checksum_watermark = stmt.ColumnOptionalText(11);
    out.push_back(std::move(p));
  }
  return out;
}

Result<DcProgress> DcProgressTable::Get(int64_t migration_id, std::string_view dc) {
  LOCKSTEP_ASSIGN_OR_RETURN(
      SqliteStatement stmt,
      db_.Prepare(std::string(kSelectProgress) + "WHERE migration_id = ?1 AND dc = ?2"));
  LOCKSTEP_RETURN_IF_ERROR(stmt.BindAll(migration_id, dc));
  LOCKSTEP_ASSIGN_OR_RETURN(auto rows, Query(stmt));
  if (rows.empty())
    return Status::NotFound(Subject(migration_id, dc) + ": no such DC in the migration");
  return std::move(rows.front());
}

Result<std::vector<DcProgress>> DcProgressTable::List(int64_t migration_id) {
  LOCKSTEP_ASSIGN_OR_RETURN(
      SqliteStatement stmt,
      db_.Prepare(std::string(kSelectProgress) + "WHERE migration_id = ?1 ORDER BY dc"));
  LOCKSTEP_RETURN_IF_ERROR(stmt.BindAll(migration_id));
  return Query(stmt);
}

Status DcProgressTable::TransitionDcPhase(int64_t migration_id, std::string_view dc, Phase from,
                                          Phase to, std::string_view actor,
                                          std::string_view reason) {
  if (actor.empty()) return Status::InvalidArgument("a phase transition needs an actor");
  const std::string subject = Subject(migration_id, dc);
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(db_));
  LOCKSTEP_ASSIGN_OR_RETURN(DcProgress current, Get(migration_id, dc));
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteStatement strategy_stmt,
                            db_.Prepare("SELECT strategy FROM migrations WHERE id = ?1"));
  LOCKSTEP_RETURN_IF_ERROR(strategy_stmt.BindAll(migration_id));
  LOCKSTEP_ASSIGN_OR_RETURN(bool has_row, strategy_stmt.Step());
  if (!has_row)
    return Status::NotFound("migration " + std::to_string(migration_id) + " does not exist");
  LOCKSTEP_ASSIGN_OR_RETURN(Strategy strategy,
                            enum_names::ColumnEnum(strategy_stmt, 0, ParseStrategy, "strategy"));
  LOCKSTEP_RETURN_IF_ERROR(CheckTransition(db_, subject, migration_id, strategy, from, to));

  LOCKSTEP_ASSIGN_OR_RETURN(SqliteStatement cas,
                            db_.Prepare("UPDATE dc_progress SET phase = ?4, updated_at = ?5 "
                                        "WHERE migration_id = ?1 AND dc = ?2 AND phase = ?3"));
  LOCKSTEP_RETURN_IF_ERROR(
      cas.BindAll(migration_id, dc, PhaseName(from), PhaseName(to), clock_.NowMillis()));
  LOCKSTEP_RETURN_IF_ERROR(cas.Run());
  if (db_.Changes() != 1) {
    return Status::Conflict(subject + " is in phase " + PhaseName(current.phase) + ", not " +
                            PhaseName(from) + "; " + PhaseName(from) + " -> " + PhaseName(to) +
                            " not applied");
  }
  LOCKSTEP_RETURN_IF_ERROR(
      events_
          .Append({.migration_id = migration_id,
                   .actor = std::string(actor),
                   .kind = event_kinds::kDcPhase,
                   .dc = std::string(dc),
                   .message = std::string(PhaseName(from)) + " -> " + PhaseName(to),
                   .reason = std::string(reason)})
          .status());
  return tx.Commit();
}

Status DcProgressTable::SaveCheckpoint(int64_t migration_id, std::string_view dc,
                                       const Checkpoint& cp) {
  LOCKSTEP_RETURN_IF_ERROR(ValidateCheckpoint(cp));
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(db_));
  LOCKSTEP_ASSIGN_OR_RETURN(
      SqliteStatement update,
      db_.Prepare("UPDATE dc_progress SET binlog_gtid = ?3, binlog_file = ?4, binlog_pos = ?5, "
                  "copy_watermark = ?6, rows_copied = ?7, rows_total_estimate = ?8, "
                  "applier_events = ?9, updated_at = ?10 "
                  "WHERE migration_id = ?1 AND dc = ?2 "
                  "AND phase NOT IN ('done', 'aborted', 'failed') "
                  "AND (SELECT phase FROM migrations WHERE id = ?1) "
                  "    NOT IN ('done', 'aborted', 'failed')"));
  LOCKSTEP_RETURN_IF_ERROR(update.BindAll(
      migration_id, dc, cp.binlog_gtid, cp.binlog_file, cp.binlog_pos, cp.copy_watermark,
      cp.rows_copied, cp.rows_total_estimate, cp.applier_events, clock_.NowMillis()));
  LOCKSTEP_RETURN_IF_ERROR(update.Run());
  if (db_.Changes() != 1) {
    // Tell a missing row from a finished migration, under the same lock.
    LOCKSTEP_ASSIGN_OR_RETURN(DcProgress current, Get(migration_id, dc));
    return Status::FailedPrecondition(Subject(migration_id, dc) + ": checkpoint refused: the " +
                                      "migration or the DC is finished (DC phase " +
                                      PhaseName(current.phase) + "); stop copying");
  }
  return tx.Commit();
}

Status DcProgressTable::SaveChecksumWatermark(int64_t migration_id, std::string_view dc,
                                              const std::optional<std::string>& watermark) {
  LOCKSTEP_ASSIGN_OR_RETURN(
      SqliteStatement update,
      db_.Prepare("UPDATE dc_progress SET checksum_watermark = ?3, updated_at = ?4 "
                  "WHERE migration_id = ?1 AND dc = ?2 "
                  "AND phase NOT IN ('done', 'aborted', 'failed') "
                  "AND (SELECT phase FROM migrations WHERE id = ?1) "
                  "    NOT IN ('done', 'aborted', 'failed')"));
  LOCKSTEP_RETURN_IF_ERROR(update.BindAll(migration_id, dc, watermark, clock_.NowMillis()));
  LOCKSTEP_RETURN_IF_ERROR(update.Run());
  if (db_.Changes() != 1) {
    return Status::FailedPrecondition(Subject(migration_id, dc) +
                                      ": checksum watermark refused: no such DC, or the migration or the DC is "
                                      "finished");
  }
  return Status::Ok();
}

}  // namespace lockstep

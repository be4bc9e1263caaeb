#include "state/cutover_attempt_table.h"

#include "state/enum_names.h"
#include "state/sqlite_transaction.h"

namespace lockstep {
namespace {

using enum_names::ColumnEnum;

constexpr char kSelectAttempt[] =
    "SELECT id, migration_id, attempt_no, mode, decision, started_at, deadline_at, decided_at, "
    "timings_json, reason FROM cutover_attempts ";

std::string Subject(int64_t migration_id) { return "migration " + std::to_string(migration_id); }

}  // namespace

Result<std::vector<CutoverAttempt>> CutoverAttemptTable::Query(SqliteStatement& stmt) {
  std::vector<CutoverAttempt> out;
  while (true) {
    LOCKSTEP_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    CutoverAttempt a;
    a.id = stmt.ColumnInt64(0);
    a.migration_id = stmt.ColumnInt64(1);
    a.attempt_no = stmt.ColumnInt64(2);
    LOCKSTEP_ASSIGN_OR_RETURN(a.mode, ColumnEnum(stmt, 3, ParseCutoverMode, "mode"));
    LOCKSTEP_ASSIGN_OR_RETURN(a.decision, ColumnEnum(stmt, 4, ParseCutoverDecision, "decision"));
    a.started_at = stmt.ColumnInt64(5);
    a.deadline_at = stmt.ColumnInt64(6);
    a.decided_at = stmt.ColumnOptionalInt64(7);
    a.timings_json = stmt.ColumnOptionalText(8);
    a.reason = stmt.ColumnText(9);
    out.push_back(std::move(a));
  }
  return out;
}

Result<CutoverAttempt> CutoverAttemptTable::Get(int64_t attempt_id) {
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteStatement stmt,
                            db_.Prepare(std::string(kSelectAttempt) + "WHERE id = ?1"));
  LOCKSTEP_RETURN_IF_ERROR(stmt.BindAll(attempt_id));
  LOCKSTEP_ASSIGN_OR_RETURN(auto rows, Query(stmt));
  if (rows.empty()) {
    return Status::NotFound("cut-over attempt " + std::to_string(attempt_id) + " does not exist");
  }
  return std::move(rows.front());
}

Result<std::vector<CutoverAttempt>> CutoverAttemptTable::List(int64_t migration_id) {
  LOCKSTEP_ASSIGN_OR_RETURN(
      SqliteStatement stmt,
      db_.Prepare(std::string(kSelectAttempt) + "WHERE migration_id = ?1 ORDER BY attempt_no"));
  LOCKSTEP_RETURN_IF_ERROR(stmt.BindAll(migration_id));
  return Query(stmt);
}

Result<CutoverAttempt> CutoverAttemptTable::Begin(int64_t migration_id, int64_t window_ms,
                                                  std::string_view actor) {
  if (window_ms <= 0) return Status::InvalidArgument("a cut-over window must be positive");
  if (actor.empty()) return Status::InvalidArgument("a cut-over attempt needs an actor");
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(db_));

  LOCKSTEP_ASSIGN_OR_RETURN(
      SqliteStatement migration,
      db_.Prepare("SELECT phase, cutover_mode FROM migrations WHERE id = ?1"));
  LOCKSTEP_RETURN_IF_ERROR(migration.BindAll(migration_id));
  LOCKSTEP_ASSIGN_OR_RETURN(bool found, migration.Step());
  if (!found) return Status::NotFound(Subject(migration_id) + " does not exist");
  LOCKSTEP_ASSIGN_OR_RETURN(Phase phase, ColumnEnum(migration, 0, ParsePhase, "phase"));
  LOCKSTEP_ASSIGN_OR_RETURN(CutoverMode mode,
                            ColumnEnum(migration, 1, ParseCutoverMode, "cutover_mode"));
  if (phase != Phase::kCuttingOver) {
    return Status::FailedPrecondition(Subject(migration_id) + " is " + PhaseName(phase) +
                                      ", not cutting_over; no cut-over attempt may start");
  }

  LOCKSTEP_ASSIGN_OR_RETURN(auto previous, List(migration_id));
  for (const CutoverAttempt& a : previous) {
    if (a.decision == CutoverDecision::kPending) {
      return Status::Conflict(Subject(migration_id) + ": attempt " + std::to_string(a.attempt_no) +
                              " is still pending; decide it before starting another");
    }
    if (a.decision == CutoverDecision::kCommit) {
      return Status::FailedPrecondition(Subject(migration_id) + ": attempt " +
                                        std::to_string(a.attempt_no) + " already committed");
    }
  }
  CutoverAttempt attempt;
  attempt.migration_id = migration_id;
  attempt.attempt_no = previous.empty() ? 1 : previous.back().attempt_no + 1;
  attempt.mode = mode;
  attempt.started_at = clock_.NowMillis();
  attempt.deadline_at = attempt.started_at + window_ms;

  LOCKSTEP_ASSIGN_OR_RETURN(
      SqliteStatement insert,
      db_.Prepare("INSERT INTO cutover_attempts (migration_id, attempt_no, mode, started_at, "
                  "deadline_at) VALUES (?1, ?2, ?3, ?4, ?5)"));
  LOCKSTEP_RETURN_IF_ERROR(insert.BindAll(migration_id, attempt.attempt_no, CutoverModeName(mode),
                                          attempt.started_at, attempt.deadline_at));
  LOCKSTEP_RETURN_IF_ERROR(insert.Run());
  attempt.id = db_.LastInsertRowId();
  LOCKSTEP_RETURN_IF_ERROR(events_
                               .Append({.migration_id = migration_id,
                                        .actor = std::string(actor),
                                        .kind = event_kinds::kCutoverStarted,
                                        .dc = std::nullopt,
                                        .message = "attempt " + std::to_string(attempt.attempt_no) +
                                                   " (" + CutoverModeName(mode) + ", window " +
                                                   std::to_string(window_ms) + " ms)",
                                        .reason = ""})
                               .status());
  LOCKSTEP_RETURN_IF_ERROR(tx.Commit());
  return attempt;
}

Status CutoverAttemptTable::RecordTimings(int64_t attempt_id, const std::string& timings_json) {
  LOCKSTEP_ASSIGN_OR_RETURN(bool valid, db_.IsValidJson(timings_json));
  if (!valid) return Status::InvalidArgument("cut-over timings are not valid JSON");
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteStatement update,
                            db_.Prepare("UPDATE cutover_attempts SET timings_json = ?2 WHERE id = ?1"));
  LOCKSTEP_RETURN_IF_ERROR(update.BindAll(attempt_id, timings_json));
  LOCKSTEP_RETURN_IF_ERROR(update.Run());
  if (db_.Changes() != 1) return Status::NotFound("cut-over attempt " + std::to_string(attempt_id));
  return Status::Ok();
}

Status CutoverAttemptTable::Decide(int64_t attempt_id, CutoverDecision decision,
                                   std::optional<std::string> timings_json, std::string_view actor,
                                   std::string_view reason) {
  if (decision == CutoverDecision::kPending) {
    return Status::InvalidArgument("a cut-over decision is commit or abort");
  }
  if (actor.empty()) return Status::InvalidArgument("a cut-over decision needs an actor");
  if (timings_json.has_value()) {
    LOCKSTEP_ASSIGN_OR_RETURN(bool valid, db_.IsValidJson(*timings_json));
    if (!valid) return Status::InvalidArgument("cut-over timings are not valid JSON");
  }
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(db_));
  LOCKSTEP_ASSIGN_OR_RETURN(CutoverAttempt attempt, Get(attempt_id));
  const std::string subject =
      Subject(attempt.migration_id) + " attempt " + std::to_string(attempt.attempt_no);
  if (attempt.decision != CutoverDecision::kPending) {
    return Status::Conflict(subject +
                            " is already decided: " + CutoverDecisionName(attempt.decision));
  }
  const int64_t now = clock_.NowMillis();
  if (decision == CutoverDecision::kCommit) {
    if (now > attempt.deadline_at) {
      return Status::FailedPrecondition(subject + ": the window closed " +
                                        std::to_string(now - attempt.deadline_at) +
                                        " ms ago; COMMIT refused, record ABORT instead");
    }
    LOCKSTEP_ASSIGN_OR_RETURN(SqliteStatement phase_stmt,
                              db_.Prepare("SELECT phase FROM migrations WHERE id = ?1"));
    LOCKSTEP_RETURN_IF_ERROR(phase_stmt.BindAll(attempt.migration_id));
    LOCKSTEP_ASSIGN_OR_RETURN(bool found, phase_stmt.Step());
    if (!found) return Status::NotFound(Subject(attempt.migration_id) + " does not exist");
    LOCKSTEP_ASSIGN_OR_RETURN(Phase phase, ColumnEnum(phase_stmt, 0, ParsePhase, "phase"));
    if (phase != Phase::kCuttingOver) {
      return Status::FailedPrecondition(subject + ": the migration is " + PhaseName(phase) +
                                        ", not cutting_over; COMMIT refused");
    }
  }
  LOCKSTEP_ASSIGN_OR_RETURN(
      SqliteStatement cas,
      db_.Prepare("UPDATE cutover_attempts SET decision = ?2, decided_at = ?3, timings_json = ?4, "
                  "reason = ?5 WHERE id = ?1 AND decision = 'pending'"));
  LOCKSTEP_RETURN_IF_ERROR(
      cas.BindAll(attempt_id, CutoverDecisionName(decision), now, timings_json, reason));
  LOCKSTEP_RETURN_IF_ERROR(cas.Run());
  if (db_.Changes() != 1) return Status::Conflict(subject + " was decided concurrently");
  LOCKSTEP_RETURN_IF_ERROR(events_
                               .Append({.migration_id = attempt.migration_id,
                                        .actor = std::string(actor),
                                        .kind = event_kinds::kCutoverDecided,
                                        .dc = std::nullopt,
                                        .message = "attempt " + std::to_string(attempt.attempt_no) +
                                                   ": " + CutoverDecisionName(decision),
                                        .reason = std::string(reason)})
                               .status());
  return tx.Commit();
}

}  // namespace lockstep

#include "state/operator_command_queue.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "state/enum_names.h"
#include "state/sqlite_transaction.h"

namespace lockstep {
namespace {

bool IsBlank(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); });
}

}  // namespace

Result<int64_t> OperatorCommandQueue::Enqueue(const OperatorCommand& cmd) {
  const std::string name = OperatorCommandKindName(cmd.command);
  if (IsBlank(cmd.reason)) {
    return Status::InvalidArgument(name +
                                   " needs a reason (--reason): every operator command is "
                                   "recorded with why it was given");
  }
  if (cmd.actor.empty()) return Status::InvalidArgument(name + " needs the operator's identity");
  LOCKSTEP_ASSIGN_OR_RETURN(bool args_are_json, db_.IsValidJson(cmd.args_json));
  if (!args_are_json) return Status::InvalidArgument(name + ": arguments are not valid JSON");

  LOCKSTEP_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(db_));
  const std::string subject = "migration " + std::to_string(cmd.migration_id);
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteStatement phase_stmt,
                            db_.Prepare("SELECT phase FROM migrations WHERE id = ?1"));
  LOCKSTEP_RETURN_IF_ERROR(phase_stmt.BindAll(cmd.migration_id));
  LOCKSTEP_ASSIGN_OR_RETURN(bool found, phase_stmt.Step());
  if (!found) return Status::NotFound(subject + " does not exist");
  LOCKSTEP_ASSIGN_OR_RETURN(Phase phase,
                            enum_names::ColumnEnum(phase_stmt, 0, ParsePhase, "phase"));
  if (IsTerminalPhase(phase)) {
    return Status::FailedPrecondition(subject + " is " + PhaseName(phase) + "; " + name +
                                      " has nothing to act on");
  }

  LOCKSTEP_ASSIGN_OR_RETURN(
      SqliteStatement insert,
      db_.Prepare("INSERT INTO operator_commands (migration_id, command, args_json, actor, reason, "
                  "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  LOCKSTEP_RETURN_IF_ERROR(insert.BindAll(cmd.migration_id, name, cmd.args_json, cmd.actor,
                                          cmd.reason, clock_.NowMillis()));
  LOCKSTEP_RETURN_IF_ERROR(insert.Run());
  const int64_t id = db_.LastInsertRowId();
  LOCKSTEP_RETURN_IF_ERROR(events_
                               .Append({.migration_id = cmd.migration_id,
                                        .actor = cmd.actor,
                                        .kind = event_kinds::kOperatorCommand,
                                        .dc = std::nullopt,
                                        .message = name + " " + cmd.args_json,
                                        .reason = cmd.reason})
                               .status());
  LOCKSTEP_RETURN_IF_ERROR(tx.Commit());
  return id;
}

Result<std::vector<OperatorCommandRecord>> OperatorCommandQueue::TakePending(int64_t migration_id) {
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(db_));
  LOCKSTEP_ASSIGN_OR_RETURN(
      SqliteStatement take,
      db_.Prepare("UPDATE operator_commands SET consumed_at = ?2 "
                  "WHERE migration_id = ?1 AND consumed_at IS NULL "
                  "RETURNING id, migration_id, command, args_json, actor, reason, created_at, "
                  "consumed_at"));
  LOCKSTEP_RETURN_IF_ERROR(take.BindAll(migration_id, clock_.NowMillis()));
  std::vector<OperatorCommandRecord> out;
  while (true) {
    LOCKSTEP_ASSIGN_OR_RETURN(bool has_row, take.Step());
    if (!has_row) break;
    OperatorCommandRecord r;
    r.id = take.ColumnInt64(0);
    r.command.migration_id = take.ColumnInt64(1);
    LOCKSTEP_ASSIGN_OR_RETURN(r.command.command,
                              enum_names::ColumnEnum(take, 2, ParseOperatorCommandKind, "command"));
    r.command.args_json = take.ColumnText(3);
    r.command.actor = take.ColumnText(4);
    r.command.reason = take.ColumnText(5);
    r.created_at = take.ColumnInt64(6);
    r.consumed_at = take.ColumnOptionalInt64(7);
    out.push_back(std::move(r));
  }
  LOCKSTEP_RETURN_IF_ERROR(tx.Commit());
  // RETURNING gives rows in no promised order; commands apply in the order given.
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

}  // namespace lockstep

#include "state/migration_table.h"

#include <algorithm>
#include <set>

#include "state/enum_names.h"
#include "state/sqlite_transaction.h"
#include "state/transition_rules.h"

namespace lockstep {
namespace {

using enum_names::ColumnEnum;

// Column 16 onward are the <phase>_at columns, in kAllPhases order after planned.
constexpr char kSelectMigration[] =
    "SELECT id, table_schema, table_name, alter_sql, alter_fingerprint, topology_fingerprint, "
    "plan_json, zone, skew_class, cutover_mode, strategy, phase, paused, requested_by, "
    "created_at, updated_at, shadow_created_at, copying_at, verifying_at, ready_at, "
    "cutting_over_at, cut_over_at, cleaned_up_at, done_at, aborted_at, failed_at "
    "FROM migrations ";
constexpr int kFirstPhaseAtColumn = 16;

// ?1 id, ?2 from, ?3 to, ?4 now. Stamps the entered phase's column.
constexpr char kCasPhase[] =
    "UPDATE migrations SET phase = ?3, updated_at = ?4, "
    "shadow_created_at = CASE ?3 WHEN 'shadow_created' THEN ?4 ELSE shadow_created_at END, "
    "copying_at = CASE ?3 WHEN 'copying' THEN ?4 ELSE copying_at END, "
    "verifying_at = CASE ?3 WHEN 'verifying' THEN ?4 ELSE verifying_at END, "
    "ready_at = CASE ?3 WHEN 'ready' THEN ?4 ELSE ready_at END, "
    "cutting_over_at = CASE ?3 WHEN 'cutting_over' THEN ?4 ELSE cutting_over_at END, "
    "cut_over_at = CASE ?3 WHEN 'cut_over' THEN ?4 ELSE cut_over_at END, "
    "cleaned_up_at = CASE ?3 WHEN 'cleaned_up' THEN ?4 ELSE cleaned_up_at END, "
    "done_at = CASE ?3 WHEN 'done' THEN ?4 ELSE done_at END, "
    "aborted_at = CASE ?3 WHEN 'aborted' THEN ?4 ELSE aborted_at END, "
    "failed_at = CASE ?3 WHEN 'failed' THEN ?4 ELSE failed_at END "
    "WHERE id = ?1 AND phase = ?2";

std::string Subject(int64_t id) { return "migration " + std::to_string(id); }

}  // namespace

Status MigrationTable::ValidateSpec(const MigrationSpec& spec) const {
  if (spec.cutover_mode == CutoverMode::kRefused) {
    return Status::InvalidArgument("a refused plan cannot become a migration");
  }
  const std::pair<const char*, const std::string*> required[] = {
      {"table_schema", &spec.table_schema}, {"table_name", &spec.table_name},
      {"alter_sql", &spec.alter_sql},       {"alter_fingerprint", &spec.alter_fingerprint},
      {"plan_json", &spec.plan_json},       {"requested_by", &spec.requested_by},
  };
  for (const auto& [name, value] : required) {
    if (value->empty()) return Status::InvalidArgument(std::string("a migration needs ") + name);
  }
  if (spec.dcs.empty()) return Status::InvalidArgument("a migration needs at least one DC");
  std::set<std::string> seen;
  for (const std::string& dc : spec.dcs) {
    if (dc.empty()) return Status::InvalidArgument("a migration's DC name is empty");
    if (!seen.insert(dc).second) return Status::InvalidArgument("DC " + dc + " is listed twice");
  }
  return Status::Ok();
}

Result<int64_t> MigrationTable::Create(const MigrationSpec& spec) {
  LOCKSTEP_RETURN_IF_ERROR(ValidateSpec(spec));
  LOCKSTEP_ASSIGN_OR_RETURN(bool plan_is_json, db_.IsValidJson(spec.plan_json));
  if (!plan_is_json) return Status::InvalidArgument("a migration's plan_json is not valid JSON");
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(db_));
  LOCKSTEP_ASSIGN_OR_RETURN(auto active, ActiveFor(spec.table_schema, spec.table_name));
  if (active.has_value()) {
    return Status::AlreadyExists(spec.table_schema + "." + spec.table_name + " already has " +
                                 Subject(active->id) + " in phase " + PhaseName(active->phase));
  }
  const int64_t now = clock_.NowMillis();
  LOCKSTEP_ASSIGN_OR_RETURN(
      SqliteStatement insert,
      db_.Prepare("INSERT INTO migrations (table_schema, table_name, alter_sql, alter_fingerprint, "
                  "topology_fingerprint, plan_json, zone, skew_class, cutover_mode, strategy, "
                  "phase, requested_by, created_at, updated_at) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'planned', ?11, ?12, ?12)"));
  LOCKSTEP_RETURN_IF_ERROR(insert.BindAll(
      spec.table_schema, spec.table_name, spec.alter_sql, spec.alter_fingerprint,
      spec.topology_fingerprint, spec.plan_json, spec.zone, SkewClassName(spec.skew_class),
      CutoverModeName(spec.cutover_mode), StrategyName(spec.strategy), spec.requested_by, now));
  LOCKSTEP_RETURN_IF_ERROR(insert.Run());
  const int64_t id = db_.LastInsertRowId();

  LOCKSTEP_ASSIGN_OR_RETURN(
      SqliteStatement insert_dc,
      db_.Prepare("INSERT INTO dc_progress (migration_id, dc, phase, updated_at) "
                  "VALUES (?1, ?2, 'planned', ?3)"));
  for (const std::string& dc : spec.dcs) {
    LOCKSTEP_RETURN_IF_ERROR(insert_dc.Reset());
    LOCKSTEP_RETURN_IF_ERROR(insert_dc.BindAll(id, dc, now));
    LOCKSTEP_RETURN_IF_ERROR(insert_dc.Run());
  }
  LOCKSTEP_RETURN_IF_ERROR(
      events_
          .Append({.migration_id = id,
                   .actor = spec.requested_by,
                   .kind = event_kinds::kMigrationCreated,
                   .dc = std::nullopt,
                   .message = spec.table_schema + "." + spec.table_name + ": " + spec.alter_sql,
                   .reason = ""})
          .status());
  LOCKSTEP_RETURN_IF_ERROR(tx.Commit());
  return id;
}

Result<MigrationRecord> MigrationTable::Get(int64_t id) {
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteStatement stmt,
                            db_.Prepare(std::string(kSelectMigration) + "WHERE id = ?1"));
  LOCKSTEP_RETURN_IF_ERROR(stmt.BindAll(id));
  LOCKSTEP_ASSIGN_OR_RETURN(auto rows, Query(stmt));
  if (rows.empty()) return Status::NotFound(Subject(id) + " does not exist");
  return std::move(rows.front());
}

Result<std::vector<MigrationRecord>> MigrationTable::List(const MigrationFilter& filter) {
  LOCKSTEP_ASSIGN_OR_RETURN(
      SqliteStatement stmt,
      db_.Prepare(std::string(kSelectMigration) +
                  "WHERE (?1 = 0 OR phase NOT IN ('done', 'aborted', 'failed')) "
                  "AND (?2 IS NULL OR table_schema = ?2) AND (?3 IS NULL OR table_name = ?3) "
                  "ORDER BY id DESC LIMIT ?4"));
  LOCKSTEP_RETURN_IF_ERROR(stmt.BindAll(filter.active_only ? 1 : 0, filter.table_schema,
                                        filter.table_name, filter.limit));
  return Query(stmt);
}

Result<std::optional<MigrationRecord>> MigrationTable::ActiveFor(std::string_view table_schema,
                                                                 std::string_view table_name) {
  LOCKSTEP_ASSIGN_OR_RETURN(auto rows, List({.active_only = true,
                                             .table_schema = std::string(table_schema),
                                             .table_name = std::string(table_name),
                                             .limit = 1}));
  if (rows.empty()) return std::optional<MigrationRecord>();
  return std::optional<MigrationRecord>(std::move(rows.front()));
}

Result<std::vector<MigrationRecord>> MigrationTable::Query(SqliteStatement& stmt) {
  std::vector<MigrationRecord> out;
  while (true) {
    LOCKSTEP_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    MigrationRecord r;
    r.id = stmt.ColumnInt64(0);
    r.spec.table_schema = stmt.ColumnText(1);
    r.spec.table_name = stmt.ColumnText(2);
    r.spec.alter_sql = stmt.ColumnText(3);
    r.spec.alter_fingerprint = stmt.ColumnText(4);
    r.spec.topology_fingerprint = stmt.ColumnText(5);
    r.spec.plan_json = stmt.ColumnText(6);
    r.spec.zone = stmt.ColumnText(7);
    LOCKSTEP_ASSIGN_OR_RETURN(r.spec.skew_class, ColumnEnum(stmt, 8, ParseSkewClass, "skew_class"));
    LOCKSTEP_ASSIGN_OR_RETURN(r.spec.cutover_mode,
                              ColumnEnum(stmt, 9, ParseCutoverMode, "cutover_mode"));
    LOCKSTEP_ASSIGN_OR_RETURN(r.spec.strategy, ColumnEnum(stmt, 10, ParseStrategy, "strategy"));
    LOCKSTEP_ASSIGN_OR_RETURN(r.phase, ColumnEnum(stmt, 11, ParsePhase, "phase"));
    r.paused = stmt.ColumnInt64(12) != 0;
    r.spec.requested_by = stmt.ColumnText(13);
    r.created_at = stmt.ColumnInt64(14);
    r.updated_at = stmt.ColumnInt64(15);
    r.phase_entered_at[Phase::kPlanned] = r.created_at;
    for (size_t i = 1; i < kAllPhases.size(); ++i) {
      std::optional<int64_t> at =
          stmt.ColumnOptionalInt64(kFirstPhaseAtColumn + static_cast<int>(i) - 1);
      if (at.has_value()) r.phase_entered_at[kAllPhases[i]] = *at;
    }
    out.push_back(std::move(r));
  }
  for (MigrationRecord& r : out) LOCKSTEP_RETURN_IF_ERROR(LoadDcs(r));
  return out;
}

Status MigrationTable::LoadDcs(MigrationRecord& record) {
  LOCKSTEP_ASSIGN_OR_RETURN(
      SqliteStatement stmt,
      db_.Prepare("SELECT dc FROM dc_progress WHERE migration_id = ?1 ORDER BY dc"));
  LOCKSTEP_RETURN_IF_ERROR(stmt.BindAll(record.id));
  while (true) {
    LOCKSTEP_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    record.spec.dcs.push_back(stmt.ColumnText(0));
  }
  return Status::Ok();
}

Status MigrationTable::TransitionPhase(int64_t id, Phase from, Phase to, std::string_view actor,
                                       std::string_view reason) {
  if (actor.empty()) return Status::InvalidArgument("a phase transition needs an actor");
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(db_));
  LOCKSTEP_ASSIGN_OR_RETURN(MigrationRecord current, Get(id));
  LOCKSTEP_RETURN_IF_ERROR(CheckTransition(db_, Subject(id), id, current.spec.strategy, from, to));

  LOCKSTEP_ASSIGN_OR_RETURN(SqliteStatement cas, db_.Prepare(kCasPhase));
  LOCKSTEP_RETURN_IF_ERROR(cas.BindAll(id, PhaseName(from), PhaseName(to), clock_.NowMillis()));
  LOCKSTEP_RETURN_IF_ERROR(cas.Run());
  if (db_.Changes() != 1) {
    // Read under the same write lock as the UPDATE: this is the phase that
    // beat us, not a later one.
    return Status::Conflict(Subject(id) + " is in phase " + PhaseName(current.phase) + ", not " +
                            PhaseName(from) + "; " + PhaseName(from) + " -> " + PhaseName(to) +
                            " not applied");
  }
  LOCKSTEP_RETURN_IF_ERROR(
      events_
          .Append({.migration_id = id,
                   .actor = std::string(actor),
                   .kind = event_kinds::kPhase,
                   .dc = std::nullopt,
                   .message = std::string(PhaseName(from)) + " -> " + PhaseName(to),
                   .reason = std::string(reason)})
          .status());
  return tx.Commit();
}

Status MigrationTable::SetPaused(int64_t id, bool paused, std::string_view actor,
                                 std::string_view reason) {
  if (actor.empty()) return Status::InvalidArgument("pausing or resuming needs an actor");
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(db_));
  LOCKSTEP_ASSIGN_OR_RETURN(MigrationRecord current, Get(id));
  if (current.paused == paused) return tx.Commit();
  if (paused && IsTerminalPhase(current.phase)) {
    return Status::FailedPrecondition(Subject(id) + " is " + PhaseName(current.phase) +
                                      "; there is nothing to pause");
  }
  LOCKSTEP_ASSIGN_OR_RETURN(
      SqliteStatement update,
      db_.Prepare("UPDATE migrations SET paused = ?2, updated_at = ?3 WHERE id = ?1"));
  LOCKSTEP_RETURN_IF_ERROR(update.BindAll(id, paused ? 1 : 0, clock_.NowMillis()));
  LOCKSTEP_RETURN_IF_ERROR(update.Run());
  LOCKSTEP_RETURN_IF_ERROR(
      events_
          .Append({.migration_id = id,
                   .actor = std::string(actor),
                   .kind = paused ? event_kinds::kPaused : event_kinds::kResumed,
                   .dc = std::nullopt,
                   .message = std::string(paused ? "paused in phase " : "resumed in phase ") +
                              PhaseName(current.phase),
                   .reason = std::string(reason)})
          .status());
  return tx.Commit();
}

}  // namespace lockstep

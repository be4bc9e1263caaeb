#include "state/artifact_table.h"

#include <string>

#include "state/enum_names.h"
#include "state/sqlite_transaction.h"

namespace lockstep {
namespace {

using enum_names::ColumnEnum;

constexpr char kSelectArtifact[] =
    "SELECT id, migration_id, dc, schema_name, object_name, kind, state, planned_at, created_at, "
    "dropped_at FROM artifacts ";

std::string Describe(const Artifact& a) {
  return std::string(ArtifactKindName(a.kind)) + " " + a.dc + ":" + a.schema_name + "." +
         a.object_name;
}

Status Validate(const Artifact& a) {
  if (a.dc.empty() || a.schema_name.empty() || a.object_name.empty()) {
    return Status::InvalidArgument("an artifact needs a DC, a schema and a name");
  }
  // The DRC links drop objects whose name starts with '_', and clean-up
  // drops what is recorded here: any other name could be a user's table.
  if (a.kind != ArtifactKind::kMarker && a.object_name.front() != '_') {
    return Status::InvalidArgument("artifact name " + a.object_name +
                                   " must start with '_' (only the marker table may not)");
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<ArtifactRecord>> ArtifactTable::Query(SqliteStatement& stmt) {
  std::vector<ArtifactRecord> out;
  while (true) {
    LOCKSTEP_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    ArtifactRecord r;
    r.id = stmt.ColumnInt64(0);
    r.artifact.migration_id = stmt.ColumnInt64(1);
    r.artifact.dc = stmt.ColumnText(2);
    r.artifact.schema_name = stmt.ColumnText(3);
    r.artifact.object_name = stmt.ColumnText(4);
    LOCKSTEP_ASSIGN_OR_RETURN(r.artifact.kind, ColumnEnum(stmt, 5, ParseArtifactKind, "kind"));
    LOCKSTEP_ASSIGN_OR_RETURN(r.state, ColumnEnum(stmt, 6, ParseArtifactState, "state"));
    r.planned_at = stmt.ColumnInt64(7);
    r.created_at = stmt.ColumnOptionalInt64(8);
    r.dropped_at = stmt.ColumnOptionalInt64(9);
    out.push_back(std::move(r));
  }
  return out;
}

Result<ArtifactRecord> ArtifactTable::Get(int64_t artifact_id) {
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteStatement stmt,
                            db_.Prepare(std::string(kSelectArtifact) + "WHERE id = ?1"));
  LOCKSTEP_RETURN_IF_ERROR(stmt.BindAll(artifact_id));
  LOCKSTEP_ASSIGN_OR_RETURN(auto rows, Query(stmt));
  if (rows.empty())
    return Status::NotFound("artifact " + std::to_string(artifact_id) + " does not exist");
  return std::move(rows.front());
}

Result<std::vector<ArtifactRecord>> ArtifactTable::List(int64_t migration_id) {
  LOCKSTEP_ASSIGN_OR_RETURN(
      SqliteStatement stmt,
      db_.Prepare(std::string(kSelectArtifact) + "WHERE migration_id = ?1 ORDER BY id"));
  LOCKSTEP_RETURN_IF_ERROR(stmt.BindAll(migration_id));
  return Query(stmt);
}

// The migration must exist, be live, and run in the artifact's DC.
Status ArtifactTable::CheckOwner(const Artifact& a) {
  LOCKSTEP_ASSIGN_OR_RETURN(
      SqliteStatement stmt,
      db_.Prepare("SELECT m.phase, EXISTS (SELECT 1 FROM dc_progress d "
                  "WHERE d.migration_id = m.id AND d.dc = ?2) FROM migrations m WHERE m.id = ?1"));
  LOCKSTEP_RETURN_IF_ERROR(stmt.BindAll(a.migration_id, a.dc));
  LOCKSTEP_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  const std::string subject = "migration " + std::to_string(a.migration_id);
  if (!has_row) return Status::NotFound(subject + " does not exist");
  LOCKSTEP_ASSIGN_OR_RETURN(Phase phase, ColumnEnum(stmt, 0, ParsePhase, "phase"));
  if (stmt.ColumnInt64(1) == 0) return Status::NotFound(subject + " does not run in DC " + a.dc);
  if (IsTerminalPhase(phase)) {
    return Status::FailedPrecondition(subject + " is " + PhaseName(phase) + "; it may not create " +
                                      Describe(a));
  }
  return Status::Ok();
}

Result<int64_t> ArtifactTable::RecordPlanned(const Artifact& a) {
  LOCKSTEP_RETURN_IF_ERROR(Validate(a));
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(db_));
  LOCKSTEP_RETURN_IF_ERROR(CheckOwner(a));

  LOCKSTEP_ASSIGN_OR_RETURN(
      SqliteStatement live,
      db_.Prepare(
          std::string(kSelectArtifact) +
          "WHERE dc = ?1 AND schema_name = ?2 AND object_name = ?3 AND state <> 'dropped'"));
  LOCKSTEP_RETURN_IF_ERROR(live.BindAll(a.dc, a.schema_name, a.object_name));
  LOCKSTEP_ASSIGN_OR_RETURN(auto existing, Query(live));
  if (!existing.empty()) {
    const ArtifactRecord& r = existing.front();
    if (r.artifact.migration_id == a.migration_id && r.artifact.kind == a.kind) {
      LOCKSTEP_RETURN_IF_ERROR(tx.Commit());
      return r.id;
    }
    return Status::AlreadyExists(Describe(a) + " is already recorded as live " +
                                 Describe(r.artifact) + " (artifact " + std::to_string(r.id) +
                                 ", migration " + std::to_string(r.artifact.migration_id) + ")");
  }
  LOCKSTEP_ASSIGN_OR_RETURN(
      SqliteStatement insert,
      db_.Prepare("INSERT INTO artifacts (migration_id, dc, schema_name, object_name, kind, state, "
                  "planned_at) VALUES (?1, ?2, ?3, ?4, ?5, 'planned', ?6)"));
  LOCKSTEP_RETURN_IF_ERROR(insert.BindAll(a.migration_id, a.dc, a.schema_name, a.object_name,
                                          ArtifactKindName(a.kind), clock_.NowMillis()));
  LOCKSTEP_RETURN_IF_ERROR(insert.Run());
  const int64_t id = db_.LastInsertRowId();
  LOCKSTEP_RETURN_IF_ERROR(tx.Commit());
  return id;
}

Status ArtifactTable::MarkCreated(int64_t artifact_id) {
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(db_));
  LOCKSTEP_ASSIGN_OR_RETURN(ArtifactRecord current, Get(artifact_id));
  if (current.state == ArtifactState::kCreated) return tx.Commit();
  if (current.state == ArtifactState::kDropped) {
    return Status::Conflict("artifact " + std::to_string(artifact_id) + " (" +
                            Describe(current.artifact) + ") is already dropped");
  }
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteStatement cas,
                            db_.Prepare("UPDATE artifacts SET state = 'created', created_at = ?2 "
                                        "WHERE id = ?1 AND state = 'planned'"));
  LOCKSTEP_RETURN_IF_ERROR(cas.BindAll(artifact_id, clock_.NowMillis()));
  LOCKSTEP_RETURN_IF_ERROR(cas.Run());
  return tx.Commit();
}

Status ArtifactTable::MarkDropped(int64_t artifact_id) {
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(db_));
  LOCKSTEP_ASSIGN_OR_RETURN(ArtifactRecord current, Get(artifact_id));
  if (current.state == ArtifactState::kDropped) return tx.Commit();
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteStatement cas,
                            db_.Prepare("UPDATE artifacts SET state = 'dropped', dropped_at = ?2 "
                                        "WHERE id = ?1 AND state <> 'dropped'"));
  LOCKSTEP_RETURN_IF_ERROR(cas.BindAll(artifact_id, clock_.NowMillis()));
  LOCKSTEP_RETURN_IF_ERROR(cas.Run());
  return tx.Commit();
}

}  // namespace lockstep

#include "executor/migration/abort_cleanup.h"

#include <map>

#include "common/logging.h"
#include "db/artifact_names.h"
#include "db/cutover_sql.h"
#include "db/sql.h"

namespace lockstep {
namespace {

std::string Subject(int64_t id) { return "migration " + std::to_string(id); }

// What an abort takes away: the tables the migration filled itself. `_t_old`
// is the way back after a cut-over, and a cut-over is never aborted.
bool IsAbortDropped(const ArtifactRecord& a) {
  return a.state != ArtifactState::kDropped &&
         (a.artifact.kind == ArtifactKind::kShadow || a.artifact.kind == ArtifactKind::kSentry);
}

Status RefuseCommitted(const MigrationRecord& m, const std::vector<CutoverAttempt>& attempts) {
  for (const CutoverAttempt& a : attempts) {
    if (a.decision == CutoverDecision::kCommit) {
      return Status::FailedPrecondition(
          Subject(m.id) + " has the COMMIT of cut-over attempt " + std::to_string(a.attempt_no) +
          " recorded (phase " + PhaseName(m.phase) +
          "): some DC may already run the new table, so it only rolls forward; finish it with "
          "'lockstep resume --id " + std::to_string(m.id) + " --yes'");
    }
  }
  if (m.phase == Phase::kCutOver || m.phase == Phase::kCleanedUp) {
    return Status::FailedPrecondition(Subject(m.id) + " is " + PhaseName(m.phase) +
                                      "; it only rolls forward");
  }
  return Status::Ok();
}

// Drops `artifacts` (all of one DC) after checking that `t` is there: with `t`
// missing the record and the DC disagree, and `_t_new` may hold the only copy.
Status DropInDc(StateStore& store, ConnectionFactory& factory, const DcConfig& dc,
                const MigrationRecord& m, const std::vector<ArtifactRecord>& artifacts,
                std::string_view actor, std::string_view reason, AbortSummary& summary) {
  const std::string& schema = m.spec.table_schema;
  const std::string& table = m.spec.table_name;
  LOCKSTEP_ASSIGN_OR_RETURN(auto conn, factory.Connect(dc));
  LOCKSTEP_ASSIGN_OR_RETURN(QueryResult present, conn->Query(sql::ExistingTables(schema, {table})));
  if (present.rows.empty()) {
    return Status::FailedPrecondition(
        Subject(m.id) + ": " + schema + "." + table + " does not exist in DC " + dc.name +
        "; nothing was dropped there: check its tables by hand before anything else");
  }
  // The DRC links filter `_` tables already; this keeps even the DROP itself
  // out of the binlog, so no link can carry it to another DC.
  LOCKSTEP_RETURN_IF_ERROR(conn->Execute(sql::SessionBinlogOff()));
  auto log = DcLogger(dc.name);
  for (const ArtifactRecord& a : artifacts) {
    const std::string& name = a.artifact.object_name;
    // The schema only admits '_' names for these kinds; this is the last
    // line before a DROP, so look again.
    if (name.empty() || name[0] != '_' || name == table || name == OldTableName(table) ||
        a.artifact.schema_name != schema) {
      return Status::Internal(Subject(m.id) + ": refusing to drop " + a.artifact.schema_name +
                              "." + name + " (artifact " + std::to_string(a.id) +
                              "), which is not one of its shadow or sentry tables");
    }
    Status dropped = conn->Execute(sql::DropTableIfExists(schema, name));
    if (!dropped.ok()) return dropped.WithContext("dropping " + schema + "." + name + " in " + dc.name);
    LOCKSTEP_RETURN_IF_ERROR(store.MarkArtifactDropped(a.id));
    const std::string what = sql::QualifiedName(schema, name);
    log->info("abort: dropped {}", what);
    LOCKSTEP_RETURN_IF_ERROR(store
                                 .AppendEvent({.migration_id = m.id,
                                               .actor = std::string(actor),
                                               .kind = "artifact_dropped",
                                               .dc = dc.name,
                                               .message = "dropped " + what + " (" +
                                                          ArtifactKindName(a.artifact.kind) + ")",
                                               .reason = std::string(reason)})
                                 .status());
    summary.dropped.push_back(dc.name + ": " + what);
  }
  return Status::Ok();
}

}  // namespace

Status CheckAbortable(StateStore& store, const MigrationRecord& m) {
  if (m.phase == Phase::kAborted) return Status::Ok();
  if (IsTerminalPhase(m.phase)) {
    return Status::FailedPrecondition(Subject(m.id) + " is " + PhaseName(m.phase) +
                                      "; there is nothing to abort");
  }
  LOCKSTEP_ASSIGN_OR_RETURN(std::vector<CutoverAttempt> attempts, store.ListCutoverAttempts(m.id));
  return RefuseCommitted(m, attempts);
}

Result<AbortSummary> AbortMigration(StateStore& store, ConnectionFactory& factory,
                                    const Topology& topology, int64_t migration_id,
                                    std::string_view actor, std::string_view reason) {
  AbortSummary summary;
  LOCKSTEP_ASSIGN_OR_RETURN(MigrationRecord m, store.GetMigration(migration_id));
  if (m.phase == Phase::kAborted) {
    summary.already_aborted = true;
    return summary;
  }
  LOCKSTEP_RETURN_IF_ERROR(CheckAbortable(store, m));
  LOCKSTEP_ASSIGN_OR_RETURN(std::vector<CutoverAttempt> attempts, store.ListCutoverAttempts(m.id));

  std::map<std::string, const DcConfig*> dcs;
  for (const DcConfig& dc : topology.dcs) dcs[dc.name] = &dc;
  for (const std::string& dc : m.spec.dcs) {
    if (dcs.count(dc) == 0) {
      return Status::FailedPrecondition(Subject(m.id) + " runs in DC " + dc +
                                        ", which the topology does not have: its tables there "
                                        "could not be dropped");
    }
  }

  // Persist before acting: once ABORT is decided no DC will rename for this
  // attempt, and its sessions died with the process that opened them.
  for (const CutoverAttempt& a : attempts) {
    if (a.decision != CutoverDecision::kPending) continue;
    LOCKSTEP_RETURN_IF_ERROR(store.DecideCutoverAttempt(a.id, CutoverDecision::kAbort,
                                                        std::nullopt, std::string(actor),
                                                        "migration aborted: " + std::string(reason)));
  }

  LOCKSTEP_ASSIGN_OR_RETURN(std::vector<ArtifactRecord> artifacts, store.ListArtifacts(m.id));
  for (const DcConfig& dc : topology.dcs) {
    std::vector<ArtifactRecord> here;
    for (const ArtifactRecord& a : artifacts) {
      if (a.artifact.dc == dc.name && IsAbortDropped(a)) here.push_back(a);
    }
    if (here.empty()) continue;
    LOCKSTEP_RETURN_IF_ERROR(DropInDc(store, factory, dc, m, here, actor, reason, summary));
  }

  LOCKSTEP_ASSIGN_OR_RETURN(std::vector<DcProgress> progress, store.ListDcProgress(m.id));
  for (const DcProgress& p : progress) {
    if (IsTerminalPhase(p.phase)) continue;
    LOCKSTEP_RETURN_IF_ERROR(
        store.TransitionDcPhase(m.id, p.dc, p.phase, Phase::kAborted, actor, reason));
  }
  LOCKSTEP_RETURN_IF_ERROR(store.TransitionPhase(m.id, m.phase, Phase::kAborted, actor, reason));
  MainLogger()->info("migration {}: {} -> aborted ({})", m.id, PhaseName(m.phase), reason);
  return summary;
}

}  // namespace lockstep

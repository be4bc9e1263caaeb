#include "executor/migration/abort_cleanup.h"

#include <map>

#include "common/logging.h"
#include "db/artifact_names.h"
#include "db/cutover_sql.h"
#include "db/sql.h"
#include "executor/migration/artifact_drop.h"

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

// A cut-over's sentry lives under `_t_old`'s name: dropped only while its
// comment says it is one (a real `_t_old` is never an abort's to drop).
Status DropSentry(StateStore& store, ConnectionFactory& factory, const DcConfig& dc,
                  const MigrationRecord& m, const ArtifactRecord& sentry, std::string_view actor,
                  std::string_view reason, std::vector<std::string>& dropped) {
  const std::string& schema = sentry.artifact.schema_name;
  const std::string& name = sentry.artifact.object_name;
  LOCKSTEP_ASSIGN_OR_RETURN(auto conn, factory.Connect(dc));
  LOCKSTEP_ASSIGN_OR_RETURN(std::optional<std::string> comment,
                            conn->QueryValue(sql::TableComment(schema, name)));
  if (comment && *comment != sql::kSentryComment) {
    return Status::FailedPrecondition(Subject(m.id) + ": " + schema + "." + name + " in " + dc.name +
                                      " is recorded as the cut-over's sentry but is not one; "
                                      "check it by hand before anything else");
  }
  if (comment) {
    LOCKSTEP_RETURN_IF_ERROR(conn->Execute(sql::DropTableIfExists(schema, name))
                                 .WithContext("dropping the sentry " + schema + "." + name));
    dropped.push_back(dc.name + ": " + sql::QualifiedName(schema, name));
  }
  LOCKSTEP_RETURN_IF_ERROR(store.MarkArtifactDropped(sentry.id));
  return store
      .AppendEvent({.migration_id = m.id, .actor = std::string(actor), .kind = "artifact_dropped",
                    .dc = dc.name, .message = "dropped " + sql::QualifiedName(schema, name) + " (sentry)",
                    .reason = std::string(reason)})
      .status();
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

  LOCKSTEP_RETURN_IF_ERROR(MigrationDcs(topology, m, "its tables").status());

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
      if (a.artifact.dc != dc.name || !IsAbortDropped(a)) continue;
      if (a.artifact.kind == ArtifactKind::kSentry) {
        LOCKSTEP_RETURN_IF_ERROR(DropSentry(store, factory, dc, m, a, actor, reason, summary.dropped));
      } else {
        here.push_back(a);
      }
    }
    if (here.empty()) continue;
    // `_t_old` is the way back after a cut-over; an abort never drops it.
    auto shadow_or_sentry = [&](const ArtifactRecord& a) {
      return IsAbortDropped(a) && a.artifact.object_name != OldTableName(m.spec.table_name);
    };
    LOCKSTEP_RETURN_IF_ERROR(DropArtifactsInDc(store, factory, dc, m, here, shadow_or_sentry,
                                               "abort", actor, reason, summary.dropped));
  }

  LOCKSTEP_RETURN_IF_ERROR(ReleaseTableEverywhere(store, factory, topology, m));
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

#include "executor/migration/old_table_cleanup.h"

#include <map>

#include "common/logging.h"
#include "db/artifact_names.h"
#include "executor/migration/artifact_drop.h"

namespace lockstep {
namespace {

std::string Subject(int64_t id) { return "migration " + std::to_string(id); }

Status RequireCutOver(const MigrationRecord& m) {
  if (m.phase == Phase::kCutOver || m.phase == Phase::kCleanedUp || m.phase == Phase::kDone) {
    return Status::Ok();
  }
  return Status::FailedPrecondition(Subject(m.id) + " is " + PhaseName(m.phase) +
                                    ": only a migration that cut over has an old table to drop");
}

}  // namespace

Result<int64_t> OldTablesDueAtMs(const Topology& topology, const MigrationRecord& m) {
  LOCKSTEP_RETURN_IF_ERROR(RequireCutOver(m));
  auto cut = m.phase_entered_at.find(Phase::kCutOver);
  if (cut == m.phase_entered_at.end()) {
    return Status::Internal(Subject(m.id) + " has no recorded cut-over time");
  }
  ZoneType type = ZoneType::kSharding;
  for (const ZoneConfig& zone : topology.zones) {
    if (zone.name == m.spec.zone) type = zone.type;
  }
  return cut->second + 1000 * topology.BudgetFor(type).old_table_retention_s;
}

Status CheckOldTablesReleased(StateStore& store, int64_t id) {
  std::optional<EventRecord> open;
  LOCKSTEP_ASSIGN_OR_RETURN(std::vector<EventRecord> verdicts,
                            store.ListEventsOfKinds(id, {kRenameUnverifiedEvent, kRenameReconciledEvent}));
  for (const EventRecord& e : verdicts) {
    if (e.event.kind == kRenameUnverifiedEvent) open = e;
    if (e.event.kind == kRenameReconciledEvent) open.reset();
  }
  if (!open) return Status::Ok();
  return Status::FailedPrecondition(
      "migration " + std::to_string(id) + "'s rename" +
      (open->event.dc ? " in " + *open->event.dc : std::string()) +
      " was not proven clean (" + open->event.message + "): its old table may hold writes the "
      "new table lacks, so it is kept. Reconcile them, then run 'lockstep cleanup --id " +
      std::to_string(id) + " --reconciled --reason \"...\"'");
}

Result<CleanupSummary> DropOldTables(StateStore& store, ConnectionFactory& factory,
                                     const Topology& topology, int64_t migration_id,
                                     std::string_view actor, std::string_view reason) {
  CleanupSummary summary;
  LOCKSTEP_ASSIGN_OR_RETURN(MigrationRecord m, store.GetMigration(migration_id));
  LOCKSTEP_RETURN_IF_ERROR(RequireCutOver(m));
  if (m.phase == Phase::kDone) {
    summary.already_done = true;
    return summary;
  }
  LOCKSTEP_RETURN_IF_ERROR(CheckOldTablesReleased(store, m.id));
  LOCKSTEP_ASSIGN_OR_RETURN(auto dcs, MigrationDcs(topology, m, "its old table"));
  const std::string old_name = OldTableName(m.spec.table_name);
  auto is_old_table = [&](const ArtifactRecord& a) {
    return a.artifact.kind == ArtifactKind::kOld && a.artifact.object_name == old_name;
  };
  LOCKSTEP_ASSIGN_OR_RETURN(std::vector<ArtifactRecord> artifacts, store.ListArtifacts(m.id));
  for (const std::string& dc : m.spec.dcs) {
    std::vector<ArtifactRecord> here;
    for (const ArtifactRecord& a : artifacts) {
      if (a.artifact.dc == dc && a.state != ArtifactState::kDropped && is_old_table(a)) {
        here.push_back(a);
      }
    }
    if (here.empty()) continue;
    LOCKSTEP_RETURN_IF_ERROR(DropArtifactsInDc(store, factory, *dcs[dc], m, here, is_old_table,
                                               "cleanup", actor, reason, summary.dropped));
  }
  LOCKSTEP_RETURN_IF_ERROR(ReleaseTableEverywhere(store, factory, topology, m));
  // Every DC, then the migration: cut_over -> cleaned_up -> done.
  LOCKSTEP_ASSIGN_OR_RETURN(std::vector<DcProgress> progress, store.ListDcProgress(m.id));
  for (const DcProgress& p : progress) {
    Phase at = p.phase;
    for (Phase next : {Phase::kCleanedUp, Phase::kDone}) {
      if (at != Phase::kCutOver && at != Phase::kCleanedUp) break;
      if (at == next) continue;
      LOCKSTEP_RETURN_IF_ERROR(store.TransitionDcPhase(m.id, p.dc, at, next, actor, reason));
      at = next;
    }
  }
  Phase at = m.phase;
  for (Phase next : {Phase::kCleanedUp, Phase::kDone}) {
    if (at == next) continue;
    LOCKSTEP_RETURN_IF_ERROR(store.TransitionPhase(m.id, at, next, actor, reason));
    at = next;
  }
  MainLogger()->info("migration {}: {} -> done ({})", m.id, PhaseName(m.phase), reason);
  return summary;
}

}  // namespace lockstep

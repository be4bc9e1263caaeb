#include "executor/migration/artifact_drop.h"

#include <set>

#include "common/logging.h"
#include "db/cutover_sql.h"
#include "db/sql.h"
#include "executor/migration/table_owner.h"

namespace lockstep {

Result<std::map<std::string, const DcConfig*>> MigrationDcs(const Topology& topology,
                                                            const MigrationRecord& m,
                                                            std::string_view what) {
  std::map<std::string, const DcConfig*> dcs;
  for (const std::string& name : m.spec.dcs) {
    const DcConfig* dc = topology.FindDc(name);
    if (dc == nullptr) {
      return Status::FailedPrecondition("migration " + std::to_string(m.id) + " runs in DC " +
                                        name + ", which the topology does not have: " +
                                        std::string(what) + " there could not be dropped");
    }
    dcs[name] = dc;
  }
  return dcs;
}

Status ReleaseTableEverywhere(StateStore& store, ConnectionFactory& factory,
                              const Topology& topology, const MigrationRecord& m) {
  LOCKSTEP_ASSIGN_OR_RETURN(std::string store_id, store.Identity());
  LOCKSTEP_ASSIGN_OR_RETURN(auto dcs, MigrationDcs(topology, m, "its owner record"));
  std::set<std::string> claimed;
  LOCKSTEP_ASSIGN_OR_RETURN(std::vector<EventRecord> claims,
                            store.ListEventsOfKinds(m.id, {kTableClaimedEvent}));
  for (const EventRecord& e : claims) {
    if (e.event.dc) claimed.insert(*e.event.dc);
  }
  for (const auto& [name, dc] : dcs) {
    if (!claimed.count(name)) continue;  // never claimed there
    LOCKSTEP_ASSIGN_OR_RETURN(auto conn, factory.Connect(*dc));
    LOCKSTEP_RETURN_IF_ERROR(ReleaseTable(*conn, m.spec.table_schema, m.spec.table_name,
                                          {store_id, m.id, ""})
                                 .WithContext("releasing " + m.spec.table_name + " in " + name));
  }
  return Status::Ok();
}

Status DropArtifactsInDc(StateStore& store, ConnectionFactory& factory, const DcConfig& dc,
                         const MigrationRecord& m, const std::vector<ArtifactRecord>& artifacts,
                         const std::function<bool(const ArtifactRecord&)>& may_drop,
                         std::string_view verb, std::string_view actor, std::string_view reason,
                         std::vector<std::string>& dropped) {
  const std::string subject = "migration " + std::to_string(m.id);
  const std::string& schema = m.spec.table_schema;
  const std::string& table = m.spec.table_name;
  LOCKSTEP_ASSIGN_OR_RETURN(auto conn, factory.Connect(dc));
  LOCKSTEP_ASSIGN_OR_RETURN(QueryResult present, conn->Query(sql::ExistingTables(schema, {table})));
  if (present.rows.empty()) {
    return Status::FailedPrecondition(
        subject + ": " + schema + "." + table + " does not exist in DC " + dc.name +
        "; nothing was dropped there: check its tables by hand before anything else");
  }
  // Binlogged like the CREATE and the RENAME, so the DC's own replicas drop
  // their copy too; the DRC links filter `_` tables (REFERENCE.md section 2).
  auto log = DcLogger(dc.name);
  for (const ArtifactRecord& a : artifacts) {
    const std::string& name = a.artifact.object_name;
    // This is the last line before a DROP, so look again: only '_' names of
    // this migration's schema, never `t`, and what the caller allows.
    if (name.empty() || name[0] != '_' || name == table || a.artifact.schema_name != schema ||
        !may_drop(a)) {
      return Status::Internal(subject + ": refusing to drop " + a.artifact.schema_name + "." +
                              name + " (artifact " + std::to_string(a.id) + ", " +
                              ArtifactKindName(a.artifact.kind) + ")");
    }
    Status done = conn->Execute(sql::DropTableIfExists(schema, name));
    if (!done.ok()) return done.WithContext("dropping " + schema + "." + name + " in " + dc.name);
    LOCKSTEP_RETURN_IF_ERROR(store.MarkArtifactDropped(a.id));
    const std::string what = sql::QualifiedName(schema, name);
    log->info("{}: dropped {}", verb, what);
    LOCKSTEP_RETURN_IF_ERROR(store
                                 .AppendEvent({.migration_id = m.id,
                                               .actor = std::string(actor),
                                               .kind = "artifact_dropped",
                                               .dc = dc.name,
                                               .message = "dropped " + what + " (" +
                                                          ArtifactKindName(a.artifact.kind) + ")",
                                               .reason = std::string(reason)})
                                 .status());
    dropped.push_back(dc.name + ": " + what);
  }
  return Status::Ok();
}

}  // namespace lockstep

// ArtifactTable: every table or trigger lockstep creates in a DC.
//
// Persist before you act: an artifact is recorded as planned BEFORE it is
// created, marked created after, and marked dropped after the DROP. After a
// crash, a planned artifact may or may not exist (drop it with IF EXISTS);
// nothing lockstep made can exist without a row here.
#pragma once

#include <cstdint>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "state/records.h"
#include "state/sqlite_db.h"

namespace lockstep {

class ArtifactTable {
 public:
  // `db` and `clock` must outlive the table. Not thread-safe: StateStore
  // serializes calls.
  ArtifactTable(SqliteDb& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Records `artifact` as planned and returns its id. Recording the same
  // live artifact again for the same migration returns the same id, so a
  // resumed step can repeat the call.
  //   InvalidArgument: empty name, or a name without the leading '_' (only
  //                    the marker table may lack it).
  //   NotFound:        no such migration, or the DC is not one of its DCs.
  //   FailedPrecondition: the migration is terminal.
  //   AlreadyExists:   another migration (or another kind) owns that live name.
  [[nodiscard]] Result<int64_t> RecordPlanned(const Artifact& artifact);

  // planned -> created. Repeating it is a no-op.
  //   NotFound; Conflict: the artifact is already dropped.
  [[nodiscard]] Status MarkCreated(int64_t artifact_id);

  // planned|created -> dropped. Repeating it is a no-op. NotFound.
  [[nodiscard]] Status MarkDropped(int64_t artifact_id);

  // The migration's artifacts in every state, oldest first.
  [[nodiscard]] Result<std::vector<ArtifactRecord>> List(int64_t migration_id);

 private:
  Result<ArtifactRecord> Get(int64_t artifact_id);
  Result<std::vector<ArtifactRecord>> Query(SqliteStatement& stmt);
  Status CheckOwner(const Artifact& artifact);

  SqliteDb& db_;
  const Clock& clock_;
};

}  // namespace lockstep

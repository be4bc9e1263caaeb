#include "state/schema_migrator.h"

#include "state/sqlite_transaction.h"

namespace lockstep {

Status SchemaMigrator::CheckNotNewer(const SqliteDb& db, int64_t version) const {
  if (version <= target_version()) return Status::Ok();
  return Status::FailedPrecondition(
      db.path() + " has state schema version " + std::to_string(version) +
      ", but this lockstep binary knows versions up to " + std::to_string(target_version()) +
      ": it was written by a newer lockstep. Run that newer lockstep; an older binary will not "
      "touch a schema it does not understand.");
}

Status SchemaMigrator::CheckApplicationId(SqliteDb& db) const {
  LOCKSTEP_ASSIGN_OR_RETURN(int64_t app_id, db.QueryInt64("PRAGMA application_id"));
  if (app_id == kStateApplicationId) return Status::Ok();
  return Status::FailedPrecondition(db.path() +
                                    " is a SQLite database but not a lockstep state "
                                    "database (application_id " +
                                    std::to_string(app_id) + ")");
}

Status SchemaMigrator::Migrate(SqliteDb& db) const {
  for (size_t i = 0; i < steps_.size(); ++i) {
    if (steps_[i].version != static_cast<int64_t>(i + 1)) {
      return Status::Internal("schema step " + std::to_string(i) + " has version " +
                              std::to_string(steps_[i].version));
    }
  }
  LOCKSTEP_ASSIGN_OR_RETURN(int64_t version, db.QueryInt64("PRAGMA user_version"));
  LOCKSTEP_RETURN_IF_ERROR(CheckNotNewer(db, version));
  for (const SchemaStep& step : steps_) {
    if (step.version > version) LOCKSTEP_RETURN_IF_ERROR(ApplyStep(db, step));
  }
  if (target_version() > 0) LOCKSTEP_RETURN_IF_ERROR(CheckApplicationId(db));
  return Status::Ok();
}

Status SchemaMigrator::ApplyStep(SqliteDb& db, const SchemaStep& step) const {
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(db));
  // Another process may have upgraded the file while this one waited for
  // the write lock; the version read under the lock is the one that counts.
  LOCKSTEP_ASSIGN_OR_RETURN(int64_t version, db.QueryInt64("PRAGMA user_version"));
  LOCKSTEP_RETURN_IF_ERROR(CheckNotNewer(db, version));
  if (version >= step.version) return tx.Commit();
  if (version != step.version - 1) {
    return Status::Internal(db.path() + ": schema step " + std::to_string(step.version) +
                            " found version " + std::to_string(version));
  }
  if (version == 0) {
    // Version 0 is what SQLite reports for any file that never set it; only
    // an empty one is ours to initialize.
    LOCKSTEP_ASSIGN_OR_RETURN(int64_t objects, db.QueryInt64("SELECT count(*) FROM sqlite_schema"));
    if (objects != 0) {
      return Status::FailedPrecondition(db.path() + " already holds " + std::to_string(objects) +
                                        " tables or indexes but no lockstep schema version; it is "
                                        "not a lockstep state database");
    }
  }
  Status status = db.Exec(step.sql);
  if (!status.ok()) {
    return status.WithContext("schema step " + std::to_string(step.version) + " (" +
                              step.description + ")");
  }
  // PRAGMA takes no bound parameters; the value is our own integer.
  LOCKSTEP_RETURN_IF_ERROR(db.Exec("PRAGMA user_version = " + std::to_string(step.version)));
  return tx.Commit();
}

}  // namespace lockstep

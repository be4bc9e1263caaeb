// SchemaMigrator: brings a state database to the schema this binary knows.
//
// The schema's version is SQLite's PRAGMA user_version. Step N takes the
// database from version N-1 to N, in one transaction together with the
// version bump, so a crash mid-upgrade leaves the old version intact. A
// database newer than the binary is refused: an old binary could otherwise
// misread or damage rows it does not understand.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "common/status.h"
#include "state/sqlite_db.h"

namespace lockstep {

struct SchemaStep {
  int64_t version;          // 1, 2, 3, ... in order
  const char* description;  // one line, for messages
  const char* sql;          // one or more statements
};

// Marks a file as a lockstep state database (PRAGMA application_id), so that
// a --state flag pointing at some other SQLite file is refused, not upgraded.
inline constexpr int64_t kStateApplicationId = 0x4C4B5354;  // "LKST"

class SchemaMigrator {
 public:
  // REQUIRES: steps[i].version == i + 1; step 1 sets PRAGMA application_id
  // to kStateApplicationId; `steps` outlives the migrator.
  explicit SchemaMigrator(std::span<const SchemaStep> steps) : steps_(steps) {}

  // The version a migrated database has.
  int64_t target_version() const { return static_cast<int64_t>(steps_.size()); }

  // Applies the missing steps. Safe to run from two processes at once: each
  // step re-reads the version under the write lock before applying.
  //   FailedPrecondition: the database is newer than target_version(), or is
  //                       not a lockstep state database.
  [[nodiscard]] Status Migrate(SqliteDb& db) const;

 private:
  Status ApplyStep(SqliteDb& db, const SchemaStep& step) const;
  Status CheckNotNewer(const SqliteDb& db, int64_t version) const;
  Status CheckApplicationId(SqliteDb& db) const;

  std::span<const SchemaStep> steps_;
};

}  // namespace lockstep

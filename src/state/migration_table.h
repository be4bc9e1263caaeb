// MigrationTable: the migrations and their phase, the row a crash resumes from.
//
// Phase changes are compare-and-swap (UPDATE ... WHERE phase = <from>) and
// write their event in the same transaction: the log never shows a change
// that did not happen, nor misses one that did.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "state/event_log.h"
#include "state/records.h"
#include "state/sqlite_db.h"

namespace lockstep {

class MigrationTable {
 public:
  // All references must outlive the table. Not thread-safe: StateStore
  // serializes calls.
  MigrationTable(SqliteDb& db, const Clock& clock, EventLog& events)
      : db_(db), clock_(clock), events_(events) {}

  // Persists a new migration in phase planned, a progress row in phase
  // planned for each of its DCs, and a migration_created event.
  //   InvalidArgument: a required field is empty, plan_json is not JSON, no
  //                    DCs, or a DC repeated.
  //   AlreadyExists:   the table already has a migration that is not terminal.
  [[nodiscard]] Result<int64_t> Create(const MigrationSpec& spec);

  [[nodiscard]] Result<MigrationRecord> Get(int64_t id);  // NotFound
  [[nodiscard]] Result<std::vector<MigrationRecord>> List(const MigrationFilter& filter);
  // The table's migration that is not terminal, if any.
  [[nodiscard]] Result<std::optional<MigrationRecord>> ActiveFor(std::string_view table_schema,
                                                                 std::string_view table_name);

  // Moves the migration from `from` to `to` if, and only if, it is in `from`.
  //   NotFound, InvalidArgument (illegal edge, empty actor),
  //   FailedPrecondition (see transition_rules.h),
  //   Conflict: the migration is not in `from`; the message names its phase.
  [[nodiscard]] Status TransitionPhase(int64_t id, Phase from, Phase to, std::string_view actor,
                                       std::string_view reason);

  // Sets the paused flag and logs paused/resumed. Setting the value it
  // already has changes nothing and logs nothing, so it can be repeated.
  //   NotFound, InvalidArgument (empty actor),
  //   FailedPrecondition: pausing a terminal migration.
  [[nodiscard]] Status SetPaused(int64_t id, bool paused, std::string_view actor,
                                 std::string_view reason);

 private:
  Status ValidateSpec(const MigrationSpec& spec) const;
  Result<std::vector<MigrationRecord>> Query(SqliteStatement& stmt);
  Status LoadDcs(MigrationRecord& record);

  SqliteDb& db_;
  const Clock& clock_;
  EventLog& events_;
};

}  // namespace lockstep

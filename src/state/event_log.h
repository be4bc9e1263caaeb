// EventLog: the append-only audit trail (who did what, when, and why).
//
// The events table refuses UPDATE and DELETE by trigger, so history cannot be
// rewritten through the store or through the sqlite3 shell.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "state/records.h"
#include "state/sqlite_db.h"

namespace lockstep {

// The kinds of event the store itself writes. Callers may add their own.
namespace event_kinds {
inline constexpr char kMigrationCreated[] = "migration_created";
inline constexpr char kPhase[] = "phase";       // message "copying -> verifying"
inline constexpr char kDcPhase[] = "dc_phase";  // same, with dc set
inline constexpr char kPaused[] = "paused";
inline constexpr char kResumed[] = "resumed";
inline constexpr char kCutoverStarted[] = "cutover_started";
inline constexpr char kCutoverDecided[] = "cutover_decided";  // message "attempt 2: commit"
inline constexpr char kOperatorCommand[] = "operator_command";
inline constexpr char kLeaseAcquired[] = "lease_acquired";
inline constexpr char kLeaseTakenOver[] = "lease_taken_over";  // message names both owners, why
inline constexpr char kLeaseReleased[] = "lease_released";
}  // namespace event_kinds

class EventLog {
 public:
  // `db` and `clock` must outlive the log. Not thread-safe: StateStore
  // serializes calls.
  EventLog(SqliteDb& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Appends one event stamped with the clock's time. Inside an open
  // transaction it becomes part of it: the event commits or rolls back with
  // the change it describes.
  //   InvalidArgument: empty actor or kind.
  [[nodiscard]] Result<int64_t> Append(const Event& event);

  // Events with id > since_id, oldest first, at most `limit`; of one
  // migration, or of all when `migration_id` is nullopt.
  [[nodiscard]] Result<std::vector<EventRecord>> List(std::optional<int64_t> migration_id,
                                                      int64_t since_id, int64_t limit);

 private:
  SqliteDb& db_;
  const Clock& clock_;
};

}  // namespace lockstep

// CutoverAttemptTable: the cut-over attempts of each migration and their one
// decision.
//
// The decision is the point of no return of the two-phase cut-over: COMMIT is
// written here, durably, before any DC is told to rename. So a decision is a
// compare-and-swap from pending, happens at most once per attempt, and a
// trigger refuses any later change to a decided row.
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

class CutoverAttemptTable {
 public:
  // All references must outlive the table. Not thread-safe: StateStore
  // serializes calls.
  CutoverAttemptTable(SqliteDb& db, const Clock& clock, EventLog& events)
      : db_(db), clock_(clock), events_(events) {}

  // Starts the next attempt (attempt_no = previous + 1) in the migration's
  // cut-over mode, pending, with deadline now + window_ms.
  //   InvalidArgument: window_ms <= 0 or empty actor.  NotFound.
  //   FailedPrecondition: the migration is not cutting_over, or an earlier
  //                       attempt committed.
  //   Conflict: an attempt is still pending (decide it first).
  [[nodiscard]] Result<CutoverAttempt> Begin(int64_t migration_id, int64_t window_ms,
                                             std::string_view actor);

  // pending -> commit|abort, exactly once, with a cutover_decided event.
  // COMMIT is refused after the deadline (fail closed: the DCs' locks may be
  // gone) and unless the migration is cutting_over; ABORT is always allowed.
  //   InvalidArgument: decision is pending, timings_json not JSON, empty actor.
  //   NotFound; FailedPrecondition (see above);
  //   Conflict: already decided; the message names the decision.
  [[nodiscard]] Status Decide(int64_t attempt_id, CutoverDecision decision,
                              std::optional<std::string> timings_json, std::string_view actor,
                              std::string_view reason);

  // The attempt's report (per-DC timings, the rename skew), written when it
  // is known: for a COMMIT after the renames, which come after the decision.
  //   InvalidArgument: not JSON; NotFound.
  [[nodiscard]] Status RecordTimings(int64_t attempt_id, const std::string& timings_json);

  [[nodiscard]] Result<CutoverAttempt> Get(int64_t attempt_id);  // NotFound
  // The migration's attempts, oldest first.
  [[nodiscard]] Result<std::vector<CutoverAttempt>> List(int64_t migration_id);

 private:
  Result<std::vector<CutoverAttempt>> Query(SqliteStatement& stmt);

  SqliteDb& db_;
  const Clock& clock_;
  EventLog& events_;
};

}  // namespace lockstep

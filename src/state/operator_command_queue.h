// OperatorCommandQueue: the DBA's commands (pause, abort, cutover, ...) on
// their way to the running coordinator.
//
// `lockstep pause --reason ...` enqueues from one process; the coordinator,
// in another, takes pending commands on its tick. Every command names who
// gave it and why, and is also written to the event log.
#pragma once

#include <cstdint>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "state/event_log.h"
#include "state/records.h"
#include "state/sqlite_db.h"

namespace lockstep {

class OperatorCommandQueue {
 public:
  // All references must outlive the queue. Not thread-safe: StateStore
  // serializes calls.
  OperatorCommandQueue(SqliteDb& db, const Clock& clock, EventLog& events)
      : db_(db), clock_(clock), events_(events) {}

  // Queues a command and logs an operator_command event with its reason.
  //   InvalidArgument: blank reason, empty actor, args_json not JSON.
  //   NotFound; FailedPrecondition: the migration is terminal.
  [[nodiscard]] Result<int64_t> Enqueue(const OperatorCommand& command);

  // Returns the migration's unconsumed commands, oldest first, and marks them
  // consumed in the same transaction: two coordinators never both get one.
  // Delivery is at most once: a caller that crashes before acting on a
  // command loses it, so act on it by writing its effect to the store (e.g.
  // SetPaused) before anything else.
  [[nodiscard]] Result<std::vector<OperatorCommandRecord>> TakePending(int64_t migration_id);

 private:
  SqliteDb& db_;
  const Clock& clock_;
  EventLog& events_;
};

}  // namespace lockstep

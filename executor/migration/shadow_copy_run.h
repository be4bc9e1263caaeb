// One DC's shadow-copy migration, start to cut-over: create `_t_new`, start
// the applier from the binlog position read before anything else, copy the
// rows in chunks (checkpointing the applied position, then the watermark),
// verify by checksum, and swap the tables atomically with retries.
//
// Every step is recorded in the state store before it is taken.
#pragma once

#include <optional>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "config/topology.h"
#include "db/connection.h"
#include "executor/cutover/cutover_session.h"
#include "executor/migration/copy_throttle.h"
#include "executor/migration/operator_poll.h"
#include "planner/plan/plan.h"
#include "planner/sql/ast.h"
#include "state/state_store.h"

namespace lockstep {

struct ShadowCopyConfig {
  int64_t chunk_target_ms = 500;
  int64_t lock_wait_ms = 2000;      // the zone's lock budget
  int64_t cutover_window_ms = 3000; // the zone's: t is write-locked at most this long
  int64_t drain_timeout_ms = 3000;  // the applier must catch up under the lock in this
  int cutover_attempts = 5;
  int64_t first_backoff_ms = 500;   // doubled after each failed attempt
  // The copy's and the checksum's throttle: applier backlog, DRC lag budget,
  // the share of throughput the application keeps while they run.
  CopyThrottleConfig throttle;
  // Check what is copied already while the copy runs on an idle server
  // (ChecksumTrail); the checksum after the copy then checks only the rest.
  bool checksum_while_copying = true;
  // Sessions the applier writes the shadow table on: a large batch is split
  // by key over them (ChangeApplier). Two drain a backlog faster than one
  // (docs/benchmarks.md, applier_throughput); more would only compete for
  // the same two cores.
  int applier_sessions = 2;
  // Make _t_new without its plain secondary keys and add them after the
  // copy (executor/shadow/deferred_indexes.h): a cheaper copy and applier.
  bool defer_secondary_indexes = true;
};

class ShadowCopyRun {
 public:
  ShadowCopyRun(const DcConfig& dc, ConnectionFactory& factory, StateStore& store,
                const Clock& clock, std::string actor, ShadowCopyConfig config);

  // Runs migration `id` to cut_over, from the phase and checkpoint the state
  // database holds for it: planned for a new one, anything up to
  // cutting_over for one resumed after a crash.
  [[nodiscard]] Status Run(int64_t id, const Plan& plan, const sql::AlterTable& alter);

  // Set when Run() returned because an operator aborted the migration: the
  // caller cleans up (AbortMigration) once everything here has stopped.
  struct OperatorAbort {
    std::string actor;
    std::string reason;
  };
  const std::optional<OperatorAbort>& operator_abort() const { return operator_abort_; }

 private:
  Status Step(int64_t id, Phase from, Phase to, const std::string& reason);
  // After a restart inside the cut-over: reads which tables exist and either
  // records the rename as done, or returns Unavailable with the migration set
  // back to ready (or left committed) for another attempt.
  Status FinishCutover(int64_t id, const Plan& plan);
  // FinishCutover found the rename done: its artifact records, and the
  // binlog's word from the last recorded lock position to the RENAME.
  Status RecordFoundRenamed(int64_t id, const Plan& plan);
  // The attempt's report (cutover_report_json.h), as stored with it.
  std::string AttemptReport(const executor::CutoverSession& session) const;
  Status RecordAttemptReport(int64_t attempt_id, const executor::CutoverSession& session);
  Status WitnessFoundRename(int64_t id, const Plan& plan);
  // The copy or checksum was stopped by its throttle for `reason`.
  Status Stopped(const OperatorPoll& operators, const std::string& what, const std::string& reason);

  const DcConfig& dc_;
  ConnectionFactory& factory_;
  StateStore& store_;
  const Clock& clock_;
  const std::string actor_;
  const ShadowCopyConfig config_;
  std::optional<OperatorAbort> operator_abort_;
};

}  // namespace lockstep

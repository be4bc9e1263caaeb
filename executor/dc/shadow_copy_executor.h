// ShadowCopyExecutor: one DC's shadow copy, in the steps of DcExecutor.
// `_t_new` is created, the applier started from the binlog position read
// before anything else (or from the DC's checkpoint), the rows copied in
// chunks (checkpointing the applied position, then the watermark), the copy
// verified by checksum, and the tables swapped under the cut-over protocol
// of CutoverSession. The applier runs from Open until the DC has renamed.
//
// Every step is recorded in the state store before it is taken. Not
// thread-safe: the coordinator calls one step at a time on each executor.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "config/topology.h"
#include "db/connection.h"
#include "executor/common/sleeper.h"
#include "executor/cutover/cutover_session.h"
#include "executor/dc/dc_executor.h"
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

struct MigrationContext {
  int64_t id = 0;
  Plan plan;
  sql::AlterTable alter;
  std::string actor;
};

class ShadowCopyExecutor final : public DcExecutor {
 public:
  // References must outlive the executor; `operators` is shared by every DC.
  ShadowCopyExecutor(const DcConfig& dc, ConnectionFactory& factory, StateStore& store,
                     OperatorPoll& operators, const Clock& clock, executor::Sleeper& sleeper,
                     const MigrationContext& migration, ShadowCopyConfig config);
  ~ShadowCopyExecutor() override;

  const std::string& dc() const override { return dc_.name; }
  Phase phase() const override { return phase_; }

  Status Open() override;
  Status Copy(CopyPacer& pacer) override;
  Status Verify(CopyPacer& pacer) override;
  Status CatchUp(bool stop_on_abort) override;
  Status Prepare() override;
  Status Commit() override;
  Status Release() override;
  Status BackOut() override;
  Status Reconcile(bool committed) override;
  executor::DcCutoverResult CutoverResult() const override;

 private:
  Status DcStep(Phase to, const std::string& reason);
  Status StartApplier(const std::string& from, bool hold_until_frontier);
  // Starts the applier again where it stood if a release could not (the DC
  // did not answer then).
  Status EnsureApplier();
  // Renamed, found after a restart: the artifact records follow the tables.
  Status RecordFoundRenamed();
  Status WitnessFoundRename();
  // The copy or the checksum stopped by its throttle for `reason`: Conflict
  // for an operator's abort, Cancelled when the coordinator stopped it.
  Status Stopped(const std::string& what, const std::string& reason);

  const DcConfig& dc_;
  ConnectionFactory& factory_;
  StateStore& store_;
  OperatorPoll& operators_;
  const Clock& clock_;
  executor::Sleeper& sleeper_;
  const MigrationContext& migration_;
  const ShadowCopyConfig config_;
  Phase phase_ = Phase::kPlanned;

  struct Work;  // sessions, the shadow's layout, throttles: made by Open()
  std::unique_ptr<Work> work_;
  std::unique_ptr<executor::CutoverSession> session_;
};

}  // namespace lockstep

// Coordinator: runs one shadow-copy migration in every DC at once, one
// DcExecutor per DC on threads of this process, and takes every decision
// for the migration.
//
//   CreateShadows  every DC: _t_new, the applier                -> shadow_created
//   CopyRows       every DC, paced to stay in step (CopyPacing) -> verifying
//   Verify         every DC: deferred keys, checksum            -> ready
//   CutOver        two-phase, under the zone's cutover_window_ms (window mode):
//                  prepare every DC in parallel (t locked, applier drained:
//                  READY); all READY in time -> record COMMIT, rename every
//                  DC in parallel; else record ABORT, release every DC, back
//                  off, try again; after `cutover_attempts` the migration is
//                  paused with the reason. After COMMIT it only rolls forward:
//                  a DC released before its rename is prepared and renamed again.
//
// The migration's phase moves (compare-and-swap in the state store) only
// when every DC has reached the barrier; each DC records its own phase. The
// operator's commands are read between the phases (and by every chunk).
// After a crash, Run() picks up from the state store and, inside the
// cut-over, from the tables each DC holds (RecoverCutover).
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "coordinator/copy_pacing.h"
#include "executor/common/sleeper.h"
#include "executor/cutover/cutover_report_json.h"
#include "executor/dc/dc_executor.h"
#include "executor/migration/operator_poll.h"
#include "state/state_store.h"

namespace lockstep {

struct CoordinatorConfig {
  int64_t cutover_window_ms = 3000;  // the zone's: how long t may be locked in any DC
  // Every DC must be READY within this share of the window, counted from
  // the first lock request, so that the renames fit in what is left.
  double ready_share = 0.5;
  int cutover_attempts = 5;
  int64_t first_backoff_ms = 500;  // doubled after each failed attempt
  // A DC's copy may run this share of the table ahead of the slowest DC's.
  double max_copy_lead = 0.10;

  // How long every DC has to be READY: ready_share of the window.
  int64_t ReadyBudgetMs() const {
    return std::max<int64_t>(1, static_cast<int64_t>(ready_share * static_cast<double>(cutover_window_ms)));
  }
};

class Coordinator {
 public:
  // `dcs` and every reference must outlive the coordinator.
  Coordinator(StateStore& store, OperatorPoll& operators, const Clock& clock,
              executor::Sleeper& sleeper, int64_t migration_id, std::string actor,
              CoordinatorConfig config, std::vector<DcExecutor*> dcs);

  // Runs the migration from the phase the state store holds to cut_over.
  [[nodiscard]] Status Run();

  // Set when Run() returned because an operator aborted the migration: the
  // caller cleans up (AbortMigration) once the executors are gone.
  struct OperatorAbort {
    std::string actor;
    std::string reason;
  };
  const std::optional<OperatorAbort>& operator_abort() const { return operator_abort_; }

 private:
  Status RecoverCutover();
  Status CreateShadows();
  Status CopyRows();
  Status Verify();
  Status CutOver();
  // Attempts until one is committed (and its renames tried), or the
  // migration is paused after `cutover_attempts`.
  Status DecideCutover();
  Status RollForward();

  // Runs `step` on every DC not yet cut over, each on its own thread; the
  // first failure stops the others' copies and is returned.
  Status OnEveryDc(const char* what, const std::function<Status(DcExecutor&)>& step);
  // Moves the migration's phase forward to `to` once every DC is there.
  Status Advance(Phase to);
  // An operator's abort stops here; a pause waits here. Neither holds a
  // migration whose COMMIT is recorded.
  Status CheckOperators(const std::string& before);
  // After an attempt's ABORT is recorded and every DC released: its report,
  // and every DC and the migration back to ready.
  Status BackOut(int64_t attempt_id, const std::vector<DcExecutor*>& dcs);
  // Records the committed attempt's report (a failure is logged, never fatal).
  void RecordReport(int64_t attempt_id, const std::vector<DcExecutor*>& dcs);
  // After Commit() in `dcs` (`outcome(i)` is dcs[i]'s): Ok when every DC is
  // renamed or released for the roll-forward; a DC renamed with a witness's
  // complaint is kept for the end; an unclear outcome is returned.
  Status CommitOutcomes(const std::vector<DcExecutor*>& dcs, const std::function<Status(size_t)>& outcome);
  std::vector<DcExecutor*> NotCutOver() const;

  StateStore& store_;
  OperatorPoll& operators_;
  const Clock& clock_;
  executor::Sleeper& sleeper_;
  const int64_t id_;
  const std::string actor_;
  const CoordinatorConfig config_;
  const std::vector<DcExecutor*> dcs_;
  CopyPacing pacing_;
  // The committed attempt's report, per DC, across the rounds that rename
  // the DCs released before their rename.
  std::map<std::string, executor::DcCutoverResult> committed_report_;
  std::optional<OperatorAbort> operator_abort_;
  std::optional<int64_t> committed_;  // the attempt whose COMMIT is recorded
  std::optional<Status> renamed_with_complaint_;
  bool said_committed_ = false;  // the abort or pause ignored after COMMIT was logged
};

}  // namespace lockstep

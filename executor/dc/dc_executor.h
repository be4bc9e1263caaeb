// DcExecutor: one DC's part of a migration, in steps that each end at a
// barrier of the coordinator (coordinator/coordinator.h). An executor moves
// only its own DC's phase (dc_progress) and never decides for the
// migration: COMMIT and ABORT are the coordinator's.
//
//   Open      claim t, create (or check) _t_new, start the applier
//   Copy      rows in key order, paced against the other DCs  -> verifying
//   Verify    deferred keys, checksum                           -> ready
//   CatchUp   the applier near the binlog's head, outside any lock
//   Prepare   lock t, drain the applier to the lock's position  (READY)
//   Commit    rename; only after the coordinator recorded COMMIT -> cut_over
//   Release   an attempt that is not renamed: unlock, applier running again
//   BackOut   after a recorded ABORT: cutting_over -> ready
//   Reconcile after a restart inside the cut-over: which tables exist
//
// Each step may be called again after a restart: it skips what the DC's
// recorded phase says is done.
#pragma once

#include <string>

#include "common/status.h"
#include "executor/copy/copy_pacer.h"
#include "executor/cutover/cutover_report_json.h"
#include "state/phase.h"

namespace lockstep {

// Commit()'s result: Ok renamed; Unavailable released before the rename
// (prepare again); other errors stop. Renamed (phase cut_over) with an
// error: the binlog witness found (or could not rule out) writes left in
// _t_old.

class DcExecutor {
 public:
  virtual ~DcExecutor() = default;
  virtual const std::string& dc() const = 0;
  // The DC's phase as this executor last recorded or read it.
  virtual Phase phase() const = 0;

  [[nodiscard]] virtual Status Open() = 0;
  [[nodiscard]] virtual Status Copy(CopyPacer& pacer) = 0;
  [[nodiscard]] virtual Status Verify(CopyPacer& pacer) = 0;
  // Until the applier has applied what the binlog held when it was asked;
  // an operator's abort ends the wait when `stop_on_abort` (not after COMMIT).
  [[nodiscard]] virtual Status CatchUp(bool stop_on_abort) = 0;
  [[nodiscard]] virtual Status Prepare() = 0;
  [[nodiscard]] virtual Status Commit() = 0;
  virtual Status Release() = 0;
  [[nodiscard]] virtual Status BackOut() = 0;
  // Reads the tables after a restart inside the cut-over. Found renamed
  // with COMMIT recorded: the records follow (phase() is cut_over) and the
  // binlog is checked from the last lock position. Anything but t and
  // _t_new, or renamed without a COMMIT: FailedPrecondition (ask).
  [[nodiscard]] virtual Status Reconcile(bool committed) = 0;
  // The last attempt's report for this DC (state kIdle when it had none).
  virtual executor::DcCutoverResult CutoverResult() const = 0;
};

}  // namespace lockstep

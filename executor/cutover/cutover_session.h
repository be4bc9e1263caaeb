// CutoverSession: one attempt at the atomic cut-over of one table in one DC,
// `RENAME TABLE t TO _t_old, _t_new TO t`, with no write to t lost between
// the applier's last event and the rename.
//
// Measured on MariaDB 10.11: RENAME TABLE is refused under LOCK TABLES
// (error 1192), so one session cannot both hold the lock and rename. The
// cut-over uses three sessions (gh-ost's idea, with its race closed):
//
//   Prepare  A: LOCK TABLES t WRITE (gives up after lock_wait_ms, so app
//               queries queued behind the pending lock wait no longer than that)
//            A: read @@gtid_binlog_pos; the applier drains up to it
//            C: raise _t_new's AUTO_INCREMENT to t's (gh-ost #381)
//            -> READY, t write-locked, _t_new complete.
//   Commit   B: RENAME ... (waits for A's lock)
//            C: sees B "Waiting for table metadata lock"
//            A: probes _t_new: skipped with warning 1684 = B holds it, so B has
//               every lock it needs but t and waits on t itself
//            A: UNLOCK TABLES -> B's pending exclusive request has priority
//               over queued DML, so the rename runs before any write
//   Abort    kill B if queued, UNLOCK, close the sessions (t writable again)
//
// Why the probe: metadata locks are taken in name order, and `_t_new` sorts
// before t. If another session holds `_t_new` (a long transaction, a
// backup's DDL lock), B waits there, not on t, and A's UNLOCK would let
// queued writes into the old t just before the rename: lost (measured). A
// session under LOCK TABLES only tries metadata locks of other tables, so
// its probe says which case holds without waiting. Tables whose name sorts
// before '_' (an upper-case or digit first letter) cannot be checked this
// way and are refused.
//
// If the coordinator dies, its sessions close: A's lock is released and a
// RENAME still waiting is abandoned by the server with its client (measured),
// so t is left as it was and writable.
//
// The RENAME is binlogged: the DRC filter drops it as a whole (REFERENCE.md
// section 2), and local replicas of this DC need it to follow the primary.
// Nothing here runs with sql_log_bin=0: LOCK TABLES is not logged, and every
// other statement names only `_` artifacts. `_t_old` is kept (retention).
//
// Not thread-safe. One object per attempt; destruction aborts an attempt
// that is prepared but not committed.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "config/topology.h"
#include "db/connection.h"
#include "executor/common/sleeper.h"
#include "executor/cutover/applier_drain.h"
#include "executor/cutover/background_statement.h"
#include "executor/shadow/artifact_recorder.h"

namespace lockstep::executor {

struct CutoverConfig {
  std::string schema;
  std::string table;
  int64_t lock_wait_ms = 500;             // the lock budget's lock_wait_ms
  int64_t drain_timeout_ms = 3000;        // the applier must reach the lock's position in this
  int64_t rename_queue_timeout_ms = 1000; // the RENAME must be seen queued in this
  unsigned rename_lock_wait_s = 10;       // bounds a RENAME stuck after the unlock
  int64_t poll_ms = 1;
};

enum class CutoverState { kIdle, kReady, kCommitted, kAborted, kUnknown };
const char* CutoverStateName(CutoverState state);

struct CutoverTimings {
  int64_t lock_wait_ms = 0;       // LOCK TABLES issued -> granted
  int64_t drain_ms = 0;
  int64_t prepare_ms = 0;         // Prepare() in all
  int64_t rename_queue_ms = 0;    // RENAME issued -> seen queued and verified
  int64_t rename_ms = 0;          // UNLOCK -> RENAME done
  int64_t writes_blocked_ms = 0;  // lock granted -> rename done, or -> unlock on abort
};

struct CutoverReport {
  std::string gtid_binlog_pos;                 // read under the lock
  std::optional<uint64_t> auto_increment;      // t's AUTO_INCREMENT under the lock
  bool auto_increment_raised = false;          // _t_new's was lower and was raised
  CutoverTimings timings;
};

class CutoverSession {
 public:
  // References must outlive the object. The factory opens three sessions to `dc`.
  CutoverSession(ConnectionFactory& factory, DcConfig dc, ArtifactRecorder& recorder,
                 ApplierDrain& applier, const Clock& clock, Sleeper& sleeper, CutoverConfig config);
  ~CutoverSession();

  CutoverSession(const CutoverSession&) = delete;
  CutoverSession& operator=(const CutoverSession&) = delete;

  // Locks t, drains the applier, fixes AUTO_INCREMENT: READY. On failure
  // everything is released and t is writable; lock and drain timeouts are
  // retryable (Timeout, or DbError 1969/1205): back off and try a new session.
  [[nodiscard]] Status Prepare();
  // Renames and unlocks. On failure before the unlock, everything is
  // released and nothing renamed (retryable). After the unlock, the tables
  // are looked at: state() says kCommitted, kAborted, or kUnknown (stop and
  // ask an operator: never retried automatically).
  [[nodiscard]] Status Commit();
  // Releases the lock (and a queued RENAME). Safe to call in any state.
  Status Abort();

  CutoverState state() const { return state_; }
  const CutoverReport& report() const { return report_; }

 private:
  Status Connect();
  Status CheckTables();
  Status RaiseAutoIncrement();
  // Runs the 1684 probe on `_t_new` from the lock session.
  Result<bool> ShadowHeldExclusively();
  // Who may hold the lock the RENAME waits for on `_t_new`, for the DBA:
  // the holders where the metadata_lock_info plugin tells, else the oldest
  // open transactions. Best effort: "" when it cannot tell.
  std::string ShadowLockSuspects();
  Status WaitRenameQueued();
  Status ReleaseAfterFailure(const Status& cause);
  Status SettleAfterRename(const Status& rename_status);
  int64_t Now() const { return clock_.NowMillis(); }

  ConnectionFactory& factory_;
  const DcConfig dc_;
  ArtifactRecorder& recorder_;
  ApplierDrain& applier_;
  const Clock& clock_;
  Sleeper& sleeper_;
  const CutoverConfig config_;
  const std::string shadow_;
  const std::string old_;

  std::unique_ptr<Connection> lock_conn_;     // A: holds LOCK TABLES t WRITE
  std::unique_ptr<Connection> rename_conn_;   // B: runs the RENAME
  std::unique_ptr<Connection> monitor_conn_;  // C: watches B, alters _t_new
  uint64_t rename_conn_id_ = 0;
  uint64_t lock_conn_id_ = 0;
  std::unique_ptr<BackgroundStatement> rename_;
  CutoverState state_ = CutoverState::kIdle;
  bool old_planned_ = false;
  int64_t locked_at_ = 0;
  CutoverReport report_;
};

}  // namespace lockstep::executor

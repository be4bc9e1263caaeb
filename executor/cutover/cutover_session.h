// CutoverSession: one attempt at the atomic cut-over of one table in one DC,
// `RENAME TABLE t TO _t_old, _t_new TO t`, with no write to t lost between
// the applier's last event and the rename.
//
// RENAME TABLE is refused under LOCK TABLES (error 1192), so one session
// cannot both hold the lock and rename. Three sessions (gh-ost's design, its
// races closed; docs/copy-and-cutover.md, "The cut-over"):
//
//   Prepare  C: CREATE TABLE _t_old: the sentry, under the rename's target name
//            A: LOCK TABLES t READ, _t_old WRITE (gives up after lock_wait_ms;
//               READ stops every write to t, reads go on)
//            A: read @@gtid_binlog_pos; the applier drains up to it
//            C: raise _t_new's AUTO_INCREMENT to t's (gh-ost #381)
//            -> READY, t closed to writes, _t_new complete.
//   Commit   B: RENAME ... (waits for A's locks)
//            A: probes _t_new until B holds it (warning 1684): B's remaining
//               locks, _t_old and t, are both A's, so B cannot pass A
//            A: DROP TABLE _t_old (its lock goes with it; B moves on to t)
//            C: no-wait reads of t until one fails (1205): B's exclusive
//               request is queued on t
//            A: UNLOCK TABLES -> B's queued exclusive request has priority
//               over queued DML
//   Abort    kill B if queued, UNLOCK, drop the sentry (t writable again)
//
// The sentry proves the lock: a RENAME let through because A's session died
// (killed, dropped by a proxy, ended by wait_timeout) finds _t_old there and
// fails (1050), so no write made after the lock went is stranded in _t_old.
//
// Why B must be seen queued on t itself: metadata locks are taken in name
// order and `_t_new`, `_t_old` sort before t. A RENAME waiting on another
// session's lock on `_t_new`, or just handed `_t_old`, has not asked for t
// yet, and an unlock then lets queued writes into the old t
// (docs/copy-and-cutover.md, "Cut-over of one DC"). Tables whose name
// sorts before '_' cannot be checked this way and are refused. After the
// rename, the binlog is read up to the RENAME (RenameWitness): a write to t
// found before it stops the migration loudly.
//
// Everything under the lock fits hold_budget_ms (the zone's cut-over
// window): the drain, the AUTO_INCREMENT fix and the wait for B are bounded
// by what is left of it, and A's wait_timeout ends the lock in the server
// if lockstep hangs (SIGSTOP, a cut-off network).
//
// The RENAME and the sentry are binlogged: the DRC filter drops `_` tables
// (REFERENCE.md section 2), and local replicas of this DC follow the
// primary. `_t_old` is kept (retention).
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
#include "executor/cutover/rename_witness.h"
#include "executor/shadow/artifact_recorder.h"

namespace lockstep::executor {

struct CutoverConfig {
  std::string schema;
  std::string table;
  int64_t lock_wait_ms = 500;             // the lock budget's lock_wait_ms
  int64_t hold_budget_ms = 3000;          // the zone's cutover_window_ms: t locked at most this long
  int64_t drain_timeout_ms = 3000;        // the applier must reach the lock's position in this
  unsigned rename_lock_wait_s = 10;       // bounds a RENAME stuck after the unlock
  int64_t poll_ms = 1;
};

enum class CutoverState { kIdle, kReady, kCommitted, kAborted, kUnknown };
const char* CutoverStateName(CutoverState state);

struct CutoverTimings {
  int64_t lock_wait_ms = 0;       // LOCK TABLES issued -> granted
  int64_t drain_ms = 0;
  int64_t prepare_ms = 0;         // Prepare() in all
  int64_t rename_queue_ms = 0;    // RENAME issued -> seen queued on t
  int64_t rename_ms = 0;          // UNLOCK -> RENAME done
  int64_t witness_ms = 0;         // RENAME done -> the binlog read up to it
  int64_t renamed_at_ms = 0;      // the clock when the RENAME returned done (0: not renamed)
  int64_t writes_blocked_ms = 0;  // lock granted -> rename done, or -> unlock on abort
};

struct CutoverReport {
  std::string gtid_binlog_pos;                 // read under the lock
  std::optional<uint64_t> auto_increment;      // t's AUTO_INCREMENT under the lock
  bool auto_increment_raised = false;          // _t_new's was lower and was raised
  // After a rename: what the binlog shows of writes to t between the lock's
  // position and the RENAME (each one is in _t_old, not in t).
  std::optional<WritesBeforeRename> writes_before_rename;
  CutoverTimings timings;
};

class CutoverSession {
 public:
  // References must outlive the object. The factory opens three sessions to `dc`.
  CutoverSession(ConnectionFactory& factory, DcConfig dc, ArtifactRecorder& recorder,
                 ApplierDrain& applier, RenameWitness& witness, const Clock& clock, Sleeper& sleeper,
                 CutoverConfig config);
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
  // ask an operator: never retried automatically). kCommitted with an error
  // means renamed, but the binlog shows writes to t that went to _t_old
  // (or could not be read): stop and ask.
  [[nodiscard]] Status Commit();
  // Releases the lock (and a queued RENAME). Safe to call in any state.
  Status Abort();

  CutoverState state() const { return state_; }
  // The server's id of the session that holds t's lock (0 before Prepare):
  // what a DBA sees in the processlist.
  uint64_t lock_session_id() const { return lock_conn_id_; }
  const CutoverReport& report() const { return report_; }

 private:
  Status Connect();
  Status CheckTables();
  Status PlaceSentry();
  // Drops the sentry if it is still there and is one (its comment says so).
  Status RemoveSentry();
  Status RaiseAutoIncrement();
  // What is left of hold_budget_ms since the lock was granted.
  int64_t Remaining() const { return locked_at_ + config_.hold_budget_ms - Now(); }
  Status RecordRenamed();
  // Runs the 1684 probe on `_t_new` from the lock session.
  Result<bool> ShadowHeldExclusively();
  // Who may hold the lock the RENAME waits for on `_t_new`, for the DBA:
  // the holders where the metadata_lock_info plugin tells, else the oldest
  // open transactions. Best effort: "" when it cannot tell.
  std::string ShadowLockSuspects();
  Status WaitRenameHoldsShadow();
  // Until the no-wait read of t fails: B's exclusive request is queued on t.
  Status WaitRenameQueuedOnTable();
  Status RenameFailedEarly();
  Status ReleaseAfterFailure(const Status& cause);
  Status SettleAfterRename(const Status& rename_status);
  // After a rename: the binlog must show no write to t before the RENAME.
  Status WitnessRename();
  int64_t Now() const { return clock_.NowMillis(); }

  ConnectionFactory& factory_;
  const DcConfig dc_;
  ArtifactRecorder& recorder_;
  ApplierDrain& applier_;
  RenameWitness& witness_;
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
  bool sentry_live_ = false;  // recorded as created and not yet recorded as dropped
  int64_t locked_at_ = 0;
  CutoverReport report_;
};

}  // namespace lockstep::executor

// StateStore: lockstep's durable record, the SQLite file any crash resumes from.
//
// One object per open database file. Every change is a transaction that
// commits before the call returns (synchronous=FULL), so a caller may act on
// it the moment it returns: "persist, then act". Several processes may open
// the same file (WAL mode); writers take turns, waiting up to the busy
// timeout, and every phase change is a compare-and-swap, so of two
// coordinators racing for one step exactly one wins.
//
// Thread-safe: calls are serialized on one connection.
//
//   LOCKSTEP_ASSIGN_OR_RETURN(auto store, StateStore::Open("/var/lib/lockstep/state.db"));
//   LOCKSTEP_ASSIGN_OR_RETURN(int64_t id, store->CreateMigration(spec));
//   LOCKSTEP_RETURN_IF_ERROR(store->TransitionPhase(id, Phase::kPlanned,
//                                                   Phase::kShadowCreated, "lockstep", ""));
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/process.h"
#include "common/status.h"
#include "state/artifact_table.h"
#include "state/cutover_attempt_table.h"
#include "state/dc_progress_table.h"
#include "state/event_log.h"
#include "state/migration_table.h"
#include "state/operator_command_queue.h"
#include "state/records.h"
#include "state/runner_lease_table.h"
#include "state/sqlite_db.h"

namespace lockstep {

struct StateStoreOptions {
  // How long a write waits for another process's write transaction before
  // failing with Timeout. Writes are short; 5 s means something is stuck.
  int busy_timeout_ms = 5000;
  // Source of every stored time. Null: the system clock. Must outlive the store.
  const Clock* clock = nullptr;
  // Tells whether a runner lease's owner on this host is gone. Null: the
  // system's (kill(pid, 0)). Must outlive the store.
  const ProcessProbe* processes = nullptr;
  // The host whose processes `processes` sees. Empty: this host's name.
  // (Braced: designated initializers that leave it out stay warning-free.)
  std::string host = {};
};

class StateStore {
 public:
  // Opens (creating if missing, mode 0600) the state database at `path` and
  // brings its schema up to date. See state_file.h and schema_migrator.h.
  //   FailedPrecondition: missing parent directory, group/other-accessible
  //     file, not a lockstep database, or a schema newer than this binary.
  //   IoError / Timeout: SQLite could not open or set up the file.
  [[nodiscard]] static Result<std::unique_ptr<StateStore>> Open(
      const std::string& path, const StateStoreOptions& options = {});

  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  const std::string& path() const { return path_; }
  // 32 hex digits, made when the store was created (or upgraded to schema 4);
  // the same for every process that opens this file.
  [[nodiscard]] Result<std::string> Identity();

  // --- Migrations (migration_table.h) ---
  [[nodiscard]] Result<int64_t> CreateMigration(const MigrationSpec& spec);
  [[nodiscard]] Result<MigrationRecord> GetMigration(int64_t id);
  [[nodiscard]] Result<std::vector<MigrationRecord>> ListMigrations(
      const MigrationFilter& filter = {});
  [[nodiscard]] Result<std::optional<MigrationRecord>> ActiveMigrationFor(
      std::string_view table_schema, std::string_view table_name);
  [[nodiscard]] Status TransitionPhase(int64_t id, Phase from, Phase to, std::string_view actor,
                                       std::string_view reason);
  [[nodiscard]] Status SetPaused(int64_t id, bool paused, std::string_view actor,
                                 std::string_view reason);

  // --- Per-DC progress (dc_progress_table.h) ---
  [[nodiscard]] Result<DcProgress> GetDcProgress(int64_t migration_id, std::string_view dc);
  [[nodiscard]] Result<std::vector<DcProgress>> ListDcProgress(int64_t migration_id);
  [[nodiscard]] Status TransitionDcPhase(int64_t migration_id, std::string_view dc, Phase from,
                                         Phase to, std::string_view actor, std::string_view reason);
  [[nodiscard]] Status SaveCheckpoint(int64_t migration_id, std::string_view dc,
                                      const Checkpoint& checkpoint);
  [[nodiscard]] Status SaveChecksumWatermark(int64_t migration_id, std::string_view dc,
                                             const std::optional<std::string>& watermark);

  // --- Artifacts (artifact_table.h) ---
  [[nodiscard]] Result<int64_t> RecordArtifactPlanned(const Artifact& artifact);
  [[nodiscard]] Status MarkArtifactCreated(int64_t artifact_id);
  [[nodiscard]] Status MarkArtifactDropped(int64_t artifact_id);
  [[nodiscard]] Result<std::vector<ArtifactRecord>> ListArtifacts(int64_t migration_id);

  // --- Cut-over attempts (cutover_attempt_table.h) ---
  [[nodiscard]] Result<CutoverAttempt> BeginCutoverAttempt(int64_t migration_id, int64_t window_ms,
                                                           std::string_view actor);
  [[nodiscard]] Status DecideCutoverAttempt(int64_t attempt_id, CutoverDecision decision,
                                            std::optional<std::string> timings_json,
                                            std::string_view actor, std::string_view reason);
  [[nodiscard]] Status RecordCutoverTimings(int64_t attempt_id, const std::string& timings_json);
  [[nodiscard]] Result<std::vector<CutoverAttempt>> ListCutoverAttempts(int64_t migration_id);

  // --- Event log (event_log.h) ---
  [[nodiscard]] Result<int64_t> AppendEvent(const Event& event);
  [[nodiscard]] Result<std::vector<EventRecord>> ListEvents(std::optional<int64_t> migration_id,
                                                            int64_t since_id = 0,
                                                            int64_t limit = 1000);
  // Every event of the migration whose kind is one of `kinds`, oldest first.
  [[nodiscard]] Result<std::vector<EventRecord>> ListEventsOfKinds(int64_t migration_id,
                                                                   const std::vector<std::string>& kinds);

  // --- Operator commands (operator_command_queue.h) ---
  [[nodiscard]] Result<int64_t> EnqueueOperatorCommand(const OperatorCommand& command);
  [[nodiscard]] Result<std::vector<OperatorCommandRecord>> TakePendingOperatorCommands(
      int64_t migration_id);

  // --- Runner leases (runner_lease_table.h) ---
  [[nodiscard]] Result<RunnerLease> AcquireRunnerLease(int64_t migration_id,
                                                       const RunnerIdentity& runner,
                                                       int64_t ttl_ms);
  [[nodiscard]] Status RenewRunnerLease(int64_t migration_id, const RunnerIdentity& runner,
                                        int64_t ttl_ms);
  [[nodiscard]] Status ReleaseRunnerLease(int64_t migration_id, const RunnerIdentity& runner);
  [[nodiscard]] Result<std::optional<RunnerLease>> GetRunnerLease(int64_t migration_id);
  // The lease only while it binds its owner: whether anyone runs the migration.
  [[nodiscard]] Result<std::optional<RunnerLease>> LiveRunnerLease(int64_t migration_id);

 private:
  StateStore(SqliteDb db, const Clock& clock, const ProcessProbe& processes, std::string host);

  const std::string path_;
  const Clock& clock_;
  std::mutex mu_;  // guards db_ and every table below (they share db_)
  SqliteDb db_;
  EventLog events_;
  MigrationTable migrations_;
  DcProgressTable dc_progress_;
  ArtifactTable artifacts_;
  CutoverAttemptTable cutover_attempts_;
  OperatorCommandQueue operator_commands_;
  RunnerLeaseTable runner_leases_;
};

}  // namespace lockstep

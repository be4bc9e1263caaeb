#include "state/state_store.h"

#include <algorithm>
#include <utility>

#include "state/schema_migrator.h"
#include "state/schema_steps.h"
#include "state/state_file.h"

namespace lockstep {
namespace {

// Connection settings, in order. Why each:
//  - WAL: readers (status, history) never block the coordinator's writes,
//    and a commit is one append to the -wal file.
//  - synchronous=FULL: with WAL, NORMAL may lose the last commits on power
//    loss or an OS crash. Every commit here is acted on at once (a DC is told
//    to rename after COMMIT is stored), so a lost commit is a lie about the
//    world. The store writes a few rows per second at most; an fsync each is
//    cheap at that rate.
//  - foreign_keys: SQLite leaves them off unless asked, per connection.
// trusted_schema stays at its default (ON): SQLite 3.40 does not mark
// json_valid() innocuous, and the schema's CHECKs use it.
Status ConfigureConnection(SqliteDb& db, int busy_timeout_ms) {
  LOCKSTEP_RETURN_IF_ERROR(db.SetBusyTimeout(busy_timeout_ms));
  LOCKSTEP_ASSIGN_OR_RETURN(std::string mode, db.QueryText("PRAGMA journal_mode = WAL"));
  if (mode != "wal") {
    return Status::IoError(db.path() + ": could not switch to WAL mode (journal_mode is " + mode +
                           "); is the file on a network file system?");
  }
  LOCKSTEP_RETURN_IF_ERROR(db.Exec("PRAGMA synchronous = FULL"));
  LOCKSTEP_RETURN_IF_ERROR(db.Exec("PRAGMA foreign_keys = ON"));
  LOCKSTEP_ASSIGN_OR_RETURN(int64_t fk, db.QueryInt64("PRAGMA foreign_keys"));
  if (fk != 1) return Status::IoError(db.path() + ": SQLite refused to enable foreign keys");
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<StateStore>> StateStore::Open(const std::string& path,
                                                     const StateStoreOptions& options) {
  if (options.busy_timeout_ms < 0) {
    return Status::InvalidArgument("busy_timeout_ms must not be negative");
  }
  LOCKSTEP_RETURN_IF_ERROR(EnsurePrivateStateFile(path));
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteDb db, SqliteDb::OpenExisting(path));
  LOCKSTEP_RETURN_IF_ERROR(ConfigureConnection(db, options.busy_timeout_ms));
  LOCKSTEP_RETURN_IF_ERROR(SchemaMigrator(BuiltinSchemaSteps()).Migrate(db));
  const Clock& clock = options.clock != nullptr ? *options.clock : SystemClock::Instance();
  const ProcessProbe& processes =
      options.processes != nullptr ? *options.processes : SystemProcessProbe::Instance();
  return std::unique_ptr<StateStore>(new StateStore(
      std::move(db), clock, processes, options.host.empty() ? ThisHostName() : options.host));
}

StateStore::StateStore(SqliteDb db, const Clock& clock, const ProcessProbe& processes,
                       std::string host)
    : path_(db.path()),
      clock_(clock),
      db_(std::move(db)),
      events_(db_, clock_),
      migrations_(db_, clock_, events_),
      dc_progress_(db_, clock_, events_),
      artifacts_(db_, clock_),
      cutover_attempts_(db_, clock_, events_),
      operator_commands_(db_, clock_, events_),
      runner_leases_(db_, clock_, events_, processes, std::move(host)) {}

Result<int64_t> StateStore::CreateMigration(const MigrationSpec& spec) {
  std::lock_guard lock(mu_);
  return migrations_.Create(spec);
}

Result<std::string> StateStore::Identity() {
  std::lock_guard lock(mu_);
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteStatement st, db_.Prepare("SELECT id FROM store_identity"));
  LOCKSTEP_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::Internal(path_ + " has no store identity");
  return st.ColumnText(0);
}

Result<MigrationRecord> StateStore::GetMigration(int64_t id) {
  std::lock_guard lock(mu_);
  return migrations_.Get(id);
}

Result<std::vector<MigrationRecord>> StateStore::ListMigrations(const MigrationFilter& filter) {
  std::lock_guard lock(mu_);
  return migrations_.List(filter);
}

Result<std::optional<MigrationRecord>> StateStore::ActiveMigrationFor(std::string_view table_schema,
                                                                      std::string_view table_name) {
  std::lock_guard lock(mu_);
  return migrations_.ActiveFor(table_schema, table_name);
}

Status StateStore::TransitionPhase(int64_t id, Phase from, Phase to, std::string_view actor,
                                   std::string_view reason) {
  std::lock_guard lock(mu_);
  return migrations_.TransitionPhase(id, from, to, actor, reason);
}

Status StateStore::SetPaused(int64_t id, bool paused, std::string_view actor,
                             std::string_view reason) {
  std::lock_guard lock(mu_);
  return migrations_.SetPaused(id, paused, actor, reason);
}

Result<DcProgress> StateStore::GetDcProgress(int64_t migration_id, std::string_view dc) {
  std::lock_guard lock(mu_);
  return dc_progress_.Get(migration_id, dc);
}

Result<std::vector<DcProgress>> StateStore::ListDcProgress(int64_t migration_id) {
  std::lock_guard lock(mu_);
  return dc_progress_.List(migration_id);
}

Status StateStore::TransitionDcPhase(int64_t migration_id, std::string_view dc, Phase from,
                                     Phase to, std::string_view actor, std::string_view reason) {
  std::lock_guard lock(mu_);
  return dc_progress_.TransitionDcPhase(migration_id, dc, from, to, actor, reason);
}

Status StateStore::SaveCheckpoint(int64_t migration_id, std::string_view dc,
                                  const Checkpoint& checkpoint) {
  std::lock_guard lock(mu_);
  return dc_progress_.SaveCheckpoint(migration_id, dc, checkpoint);
}

Status StateStore::SaveChecksumWatermark(int64_t migration_id, std::string_view dc,
                                         const std::optional<std::string>& watermark) {
  std::lock_guard lock(mu_);
  return dc_progress_.SaveChecksumWatermark(migration_id, dc, watermark);
}

Result<int64_t> StateStore::RecordArtifactPlanned(const Artifact& artifact) {
  std::lock_guard lock(mu_);
  return artifacts_.RecordPlanned(artifact);
}

Status StateStore::MarkArtifactCreated(int64_t artifact_id) {
  std::lock_guard lock(mu_);
  return artifacts_.MarkCreated(artifact_id);
}

Status StateStore::MarkArtifactDropped(int64_t artifact_id) {
  std::lock_guard lock(mu_);
  return artifacts_.MarkDropped(artifact_id);
}

Result<std::vector<ArtifactRecord>> StateStore::ListArtifacts(int64_t migration_id) {
  std::lock_guard lock(mu_);
  return artifacts_.List(migration_id);
}

Result<CutoverAttempt> StateStore::BeginCutoverAttempt(int64_t migration_id, int64_t window_ms,
                                                       std::string_view actor) {
  std::lock_guard lock(mu_);
  return cutover_attempts_.Begin(migration_id, window_ms, actor);
}

Status StateStore::RecordCutoverTimings(int64_t attempt_id, const std::string& timings_json) {
  std::lock_guard lock(mu_);
  return cutover_attempts_.RecordTimings(attempt_id, timings_json);
}

Status StateStore::DecideCutoverAttempt(int64_t attempt_id, CutoverDecision decision,
                                        std::optional<std::string> timings_json,
                                        std::string_view actor, std::string_view reason) {
  std::lock_guard lock(mu_);
  return cutover_attempts_.Decide(attempt_id, decision, std::move(timings_json), actor, reason);
}

Result<std::vector<CutoverAttempt>> StateStore::ListCutoverAttempts(int64_t migration_id) {
  std::lock_guard lock(mu_);
  return cutover_attempts_.List(migration_id);
}

Result<int64_t> StateStore::AppendEvent(const Event& event) {
  std::lock_guard lock(mu_);
  return events_.Append(event);
}

Result<std::vector<EventRecord>> StateStore::ListEvents(std::optional<int64_t> migration_id,
                                                        int64_t since_id, int64_t limit) {
  std::lock_guard lock(mu_);
  return events_.List(migration_id, since_id, limit);
}

Result<std::vector<EventRecord>> StateStore::ListEventsOfKinds(int64_t migration_id,
                                                               const std::vector<std::string>& kinds) {
  constexpr int64_t kPage = 1000;
  std::vector<EventRecord> out;
  for (int64_t since = 0;;) {
    LOCKSTEP_ASSIGN_OR_RETURN(std::vector<EventRecord> page, ListEvents(migration_id, since, kPage));
    for (EventRecord& e : page) {
      if (std::find(kinds.begin(), kinds.end(), e.event.kind) != kinds.end()) out.push_back(std::move(e));
    }
    if (static_cast<int64_t>(page.size()) < kPage) return out;
    since = page.back().id;
  }
}

Result<int64_t> StateStore::EnqueueOperatorCommand(const OperatorCommand& command) {
  std::lock_guard lock(mu_);
  return operator_commands_.Enqueue(command);
}

Result<std::vector<OperatorCommandRecord>> StateStore::TakePendingOperatorCommands(
    int64_t migration_id) {
  std::lock_guard lock(mu_);
  return operator_commands_.TakePending(migration_id);
}

Result<RunnerLease> StateStore::AcquireRunnerLease(int64_t migration_id,
                                                   const RunnerIdentity& runner, int64_t ttl_ms) {
  std::lock_guard lock(mu_);
  return runner_leases_.Acquire(migration_id, runner, ttl_ms);
}

Status StateStore::RenewRunnerLease(int64_t migration_id, const RunnerIdentity& runner,
                                    int64_t ttl_ms) {
  std::lock_guard lock(mu_);
  return runner_leases_.Renew(migration_id, runner, ttl_ms);
}

Status StateStore::ReleaseRunnerLease(int64_t migration_id, const RunnerIdentity& runner) {
  std::lock_guard lock(mu_);
  return runner_leases_.Release(migration_id, runner);
}

Result<std::optional<RunnerLease>> StateStore::GetRunnerLease(int64_t migration_id) {
  std::lock_guard lock(mu_);
  return runner_leases_.Get(migration_id);
}

Result<std::optional<RunnerLease>> StateStore::LiveRunnerLease(int64_t migration_id) {
  std::lock_guard lock(mu_);
  return runner_leases_.GetLive(migration_id);
}

}  // namespace lockstep

#include "executor/dc/shadow_copy_executor.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <limits>
#include <map>
#include <set>

#include "common/failpoint.h"
#include "common/logging.h"
#include "common/process.h"
#include "db/artifact_names.h"
#include "db/cutover_sql.h"
#include "db/sql.h"
#include "executor/apply/applier_loop.h"
#include "executor/dc/applier_hooks.h"
#include "executor/common/sleeper.h"
#include "executor/copy/key_span.h"
#include "executor/copy/row_copier.h"
#include "executor/copy/throttler.h"
#include "executor/cutover/applier_drain.h"
#include "executor/cutover/cutover_report_json.h"
#include "executor/cutover/cutover_session.h"
#include "executor/cutover/rename_witness.h"
#include "executor/migration/binlog_retention.h"
#include "executor/migration/copy_throttle.h"
#include "executor/migration/old_table_cleanup.h"
#include "executor/migration/operator_poll.h"
#include "executor/migration/table_owner.h"
#include "executor/shadow/shadow_spec.h"
#include "executor/shadow/shadow_table.h"
#include "executor/shadow/state_store_artifact_recorder.h"
#include "executor/verify/checksum_trail.h"
#include "executor/verify/chunk_checksum.h"
#include "planner/sql/token.h"

namespace lockstep {
namespace {

// A week: the read timeout of the session that adds _t_new's deferred keys.
constexpr unsigned kKeyBuildReadTimeoutS = 7 * 24 * 3600;

}  // namespace

// Everything Open() makes for the steps after it: the DC's sessions, the
// shadow's layout, the applier with its hooks, the throttles, the witness.
struct ShadowCopyExecutor::Work {
  std::unique_ptr<Connection> ddl_conn;
  std::unique_ptr<Connection> probe_conn;
  std::unique_ptr<executor::StateStoreArtifactRecorder> recorder;
  std::unique_ptr<executor::ShadowSpec> spec;
  executor::ShadowTableInfo info;
  std::unique_ptr<RowImageMapping> mapping;
  ApplierLoopOptions applier_options;
  std::unique_ptr<ApplierLoop> applier;
  bool applier_stopped = false;  // stopped under a cut-over lock, not yet restarted
  std::string restart_from;      // where the stopped applier stood
  std::unique_ptr<ApplierHooks> hooks;
  std::unique_ptr<CopyThrottle> copy_throttle;
  std::unique_ptr<CopyThrottle> checksum_throttle;
  std::unique_ptr<executor::BinlogRenameWitness> witness;
  // What the checksum trail checked during the copy (this process only: a
  // resumed verification checks everything again).
  std::optional<executor::ChecksumVerdict> checked_while_copying;
};

ShadowCopyExecutor::ShadowCopyExecutor(const DcConfig& dc, ConnectionFactory& factory,
                                       StateStore& store, OperatorPoll& operators,
                                       const Clock& clock, executor::Sleeper& sleeper,
                                       const MigrationContext& migration, ShadowCopyConfig config)
    : dc_(dc), factory_(factory), store_(store), operators_(operators), clock_(clock),
      sleeper_(sleeper), migration_(migration), config_(config) {}

ShadowCopyExecutor::~ShadowCopyExecutor() {
  // The cut-over session first (its destructor releases a prepared lock),
  // then the applier's threads, before the sessions they use.
  session_.reset();
  if (work_ && work_->applier) work_->applier->Stop();
}

Status ShadowCopyExecutor::DcStep(Phase to, const std::string& reason) {
  DcLogger(dc_.name)->info("migration {}: {} -> {} in {}", migration_.id, PhaseName(phase_),
                           PhaseName(to), dc_.name);
  LOCKSTEP_RETURN_IF_ERROR(
      store_.TransitionDcPhase(migration_.id, dc_.name, phase_, to, migration_.actor, reason));
  phase_ = to;
  return Status::Ok();
}

Status ShadowCopyExecutor::Stopped(const std::string& what, const std::string& reason) {
  if (operators_.last().abort_reason) return Status::Conflict(what + " stopped: " + reason);
  return Status::Internal(what + " stopped: " + reason);
}

Status ShadowCopyExecutor::StartApplier(const std::string& from, bool hold_until_frontier) {
  std::vector<std::unique_ptr<Connection>> sessions;
  for (int i = 0; i < std::max(1, config_.applier_sessions); ++i) {
    LOCKSTEP_ASSIGN_OR_RETURN(auto session, factory_.Connect(dc_));
    sessions.push_back(std::move(session));
  }
  work_->applier_options.start_position = from;
  work_->applier_options.hold_until_frontier = hold_until_frontier;
  const Plan& plan = migration_.plan;
  auto started = ApplierLoop::Start(work_->applier_options, std::move(sessions),
                                    {plan.schema, plan.table, work_->info.shadow_table},
                                    *work_->mapping);
  if (!started.ok()) {
    if (started.status().server_errno() == 1236) {
      return Status::FailedPrecondition(
          "the binlog no longer holds position " + from + " (purged?): the migration "
          "cannot resume from its checkpoint; abort it and start again");
    }
    return started.status();
  }
  work_->applier = std::move(*started);
  work_->applier_stopped = false;
  return Status::Ok();
}

Status ShadowCopyExecutor::Open() {
  auto log = DcLogger(dc_.name);
  const int64_t id = migration_.id;
  const Plan& plan = migration_.plan;
  // Where this DC stands: a fresh one is planned; a resumed one is wherever
  // the state database says it stopped, with its checkpoint.
  LOCKSTEP_ASSIGN_OR_RETURN(DcProgress progress, store_.GetDcProgress(id, dc_.name));
  phase_ = progress.phase;
  if (phase_ == Phase::kCutOver || work_) return Status::Ok();
  work_ = std::make_unique<Work>();
  Work& w = *work_;
  const Checkpoint& checkpoint = progress.checkpoint;
  LOCKSTEP_ASSIGN_OR_RETURN(w.ddl_conn, factory_.Connect(dc_));
  // Before anything touches the DC: no other lockstep may be migrating t.
  // Recorded first, so that an abort knows to release it.
  LOCKSTEP_ASSIGN_OR_RETURN(std::string store_id, store_.Identity());
  LOCKSTEP_RETURN_IF_ERROR(
      store_.AppendEvent({id, migration_.actor, kTableClaimedEvent, dc_.name, "owner record claimed", ""})
          .status());
  LOCKSTEP_RETURN_IF_ERROR(
      ClaimTable(*w.ddl_conn, dc_.name, plan.schema, plan.table, {store_id, id, ThisHostName()}));

  // The applier starts where the binlog stood before the shadow existed and
  // before the first row was copied, or from the last checkpoint: every later
  // change reaches _t_new (replaying some twice is harmless).
  std::string start_position;
  if (phase_ == Phase::kPlanned || !checkpoint.binlog_gtid) {
    LOCKSTEP_ASSIGN_OR_RETURN(auto start, w.ddl_conn->QueryValue("SELECT @@gtid_binlog_pos"));
    start_position = start.value_or("");
  } else {
    start_position = *checkpoint.binlog_gtid;
    LOCKSTEP_RETURN_IF_ERROR(CheckBinlogHolds(*w.ddl_conn, start_position));
    log->info("resuming migration {} in phase {} from {} (watermark {})", id, PhaseName(phase_),
              start_position, checkpoint.copy_watermark.value_or("none"));
  }

  w.recorder = std::make_unique<executor::StateStoreArtifactRecorder>(store_, id, dc_.name);
  LOCKSTEP_ASSIGN_OR_RETURN(executor::ShadowSpec spec,
                            executor::ShadowSpecFromAlter(migration_.alter, plan.schema));
  w.spec = std::make_unique<executor::ShadowSpec>(std::move(spec));
  executor::ShadowTable shadow(*w.ddl_conn, *w.recorder, *w.spec,
                               {.defer_secondary_indexes = config_.defer_secondary_indexes});
  // The application's rate before lockstep changes anything: the copy's and
  // the checksum's governors keep their share of that. Measured later (after
  // the shadow's DDL, with the binlog dump running) it came low, and the
  // governors gave that away too (docs/benchmarks.md, "a governor with a true reference").
  std::optional<CopyThrottle::RateSample> rate_before;
  if ((phase_ == Phase::kPlanned || phase_ == Phase::kShadowCreated || phase_ == Phase::kCopying ||
       phase_ == Phase::kVerifying) &&
      config_.throttle.measure_before_ms > 0) {
    LOCKSTEP_ASSIGN_OR_RETURN(rate_before, CopyThrottle::MeasureRateBefore(
                                               *w.ddl_conn, clock_, sleeper_, config_.throttle));
    if (rate_before->PerSecond() >= config_.throttle.governor.busy_statements_per_s) {
      log->info("the application before the migration: {:.0f} statements/s over {} ms",
                rate_before->PerSecond(), rate_before->ms);
    }
  }
  // Creates _t_new, or checks that an earlier run's is exactly what this
  // change makes of t as it is now (a changed t or ALTER is refused here).
  LOCKSTEP_ASSIGN_OR_RETURN(w.info, shadow.Ensure());
  if (phase_ == Phase::kPlanned) {
    Checkpoint first;
    first.binlog_gtid = start_position;
    LOCKSTEP_RETURN_IF_ERROR(store_.SaveCheckpoint(id, dc_.name, first));
    LOCKSTEP_RETURN_IF_ERROR(DcStep(Phase::kShadowCreated, "created " + w.info.shadow_table));
    Failpoint("after_shadow_created", dc_.name);  // crash tests: this phase lasts milliseconds
  }

  std::map<std::string, std::string> renames;
  for (const auto& pair : w.info.mapping.copied) {
    renames[sql::ToLowerAscii(pair.old_name)] = sql::ToLowerAscii(pair.new_name);
  }
  LOCKSTEP_ASSIGN_OR_RETURN(RowImageMapping mapping,
                            RowImageMapping::Build(w.info.source_def, w.info.shadow_def, renames));
  w.mapping = std::make_unique<RowImageMapping>(std::move(mapping));
  LOCKSTEP_ASSIGN_OR_RETURN(std::string password, ResolvePassword(dc_));
  w.applier_options.dc = dc_;
  w.applier_options.password = password;
  // A replica id no real server uses; one per migration.
  w.applier_options.replica_server_id = 0x4C530000u + static_cast<uint32_t>(id % 0x10000);
  // A copy to run: the applier waits for its range (CopyStarting).
  const bool copy_to_run = phase_ == Phase::kShadowCreated || phase_ == Phase::kCopying;
  LOCKSTEP_ASSIGN_OR_RETURN(w.probe_conn, factory_.Connect(dc_));
  LOCKSTEP_RETURN_IF_ERROR(StartApplier(start_position, copy_to_run));

  w.hooks = std::make_unique<ApplierHooks>(w.applier, *w.probe_conn, store_, id, dc_.name);
  // The copy and the checksum share the DBA's commands and the link check,
  // but each measures its own impact on the application.
  w.copy_throttle =
      std::make_unique<CopyThrottle>(*w.hooks, *w.probe_conn, &operators_, clock_, config_.throttle);
  if (rate_before) w.copy_throttle->RateBefore(*rate_before);
  CopyThrottleConfig checksum_throttle_config = config_.throttle;
  // A differing chunk waits for the applier by itself; waiting for applier
  // lag before every chunk made the checksum under sustained load last
  // longer than the load (docs/benchmarks.md).
  checksum_throttle_config.max_applier_backlog.reset();
  // Resting up to 4 chunk lengths, not the copy's 30: the applier keeps
  // working while the checksum rests, and at 30 a 2M-row checksum under
  // load would take the best part of a quarter of an hour.
  checksum_throttle_config.governor.max_rest_ratio =
      std::min(checksum_throttle_config.governor.max_rest_ratio, 4.0);
  w.checksum_throttle = std::make_unique<CopyThrottle>(*w.hooks, *w.probe_conn, &operators_, clock_,
                                                       checksum_throttle_config);
  if (rate_before) w.checksum_throttle->RateBefore(*rate_before);
  w.hooks->set_throttle(w.copy_throttle.get());
  // Reads the binlog after each rename: no write to t may sit before it.
  w.witness = std::make_unique<executor::BinlogRenameWitness>(
      dc_, password, w.applier_options.replica_server_id + 0x10000u, plan.schema, plan.table);
  return Status::Ok();
}

Status ShadowCopyExecutor::Copy(CopyPacer& pacer) {
  if (phase_ != Phase::kShadowCreated && phase_ != Phase::kCopying) return Status::Ok();
  if (!work_) return Status::Internal("Copy() before Open()");
  Work& w = *work_;
  auto log = DcLogger(dc_.name);
  const int64_t id = migration_.id;
  if (phase_ == Phase::kShadowCreated) {
    LOCKSTEP_RETURN_IF_ERROR(DcStep(Phase::kCopying, "copying rows"));
    Failpoint("after_copying_started", dc_.name);  // crash tests: copying, before the first chunk
  }
  LOCKSTEP_ASSIGN_OR_RETURN(DcProgress progress, store_.GetDcProgress(id, dc_.name));
  LOCKSTEP_ASSIGN_OR_RETURN(auto copy_conn, factory_.Connect(dc_));
  executor::RowCopierConfig copy_config;
  copy_config.chunk.target_ms = config_.chunk_target_ms;
  w.copy_throttle->set_pacer(&pacer);
  w.hooks->set_pacer(&pacer);
  w.hooks->set_rows_before(progress.checkpoint.copy_watermark ? progress.checkpoint.rows_copied : 0);
  executor::RowCopier copier(*copy_conn, w.info, *w.copy_throttle, *w.hooks, clock_, sleeper_,
                             copy_config, w.hooks.get());
  // The checksum of what is copied already, on the second core while the
  // server is otherwise idle.
  std::unique_ptr<Connection> trail_conn, trail_probe;
  std::optional<TrailCatchUp> trail_catch_up;
  std::optional<executor::ChecksumTrail> trail;
  if (config_.checksum_while_copying) {
    LOCKSTEP_ASSIGN_OR_RETURN(trail_conn, factory_.Connect(dc_));
    LOCKSTEP_ASSIGN_OR_RETURN(trail_probe, factory_.Connect(dc_));
    trail_catch_up.emplace(w.applier, *trail_probe);
    CopyThrottle& throttle = *w.copy_throttle;
    trail.emplace(*trail_conn, w.info, *trail_catch_up,
                  [&throttle] { return throttle.QuietAndCopying(); }, clock_, sleeper_);
    w.hooks->set_trail(&*trail);
  }
  Result<executor::CopyOutcome> copy_result = copier.Run(progress.checkpoint.copy_watermark);
  w.applier->SetCopyFrontier(std::nullopt);  // every change from here on
  w.hooks->set_trail(nullptr);
  w.hooks->set_pacer(nullptr);
  w.copy_throttle->set_pacer(nullptr);
  if (trail) {
    executor::ChecksumTrail::Outcome checked = trail->Finish();
    if (!checked.status.ok()) {
      log->warn("the checksum while copying failed ({}); the checksum after the copy checks "
                "everything", checked.status.ToString());
    } else if (checked.verdict.chunks > 0) {
      for (const auto& r : checked.notable) LOCKSTEP_RETURN_IF_ERROR(w.hooks->ChunkChecked(r));
      log->info("checked while copying: {} chunks, {} rows", checked.verdict.chunks,
                checked.verdict.rows);
      w.checked_while_copying = std::move(checked.verdict);
    }
  }
  if (!copy_result.ok()) return copy_result.status();
  const executor::CopyOutcome& copied = *copy_result;
  if (copied.stopped) return Stopped("the copy", *copied.stopped);
  if (w.checked_while_copying && w.checked_while_copying->passed) {
    LOCKSTEP_RETURN_IF_ERROR(
        store_.SaveChecksumWatermark(id, dc_.name, w.checked_while_copying->checked_upto));
  }
  pacer.Finished(dc_.name);
  log->info("copy done: {} rows at {:.0f} rows/s", copied.progress.rows_copied,
            copied.progress.rows_per_second);
  return DcStep(Phase::kVerifying, "checksum");
}

Status ShadowCopyExecutor::Verify(CopyPacer& pacer) {
  if (phase_ != Phase::kVerifying) return Status::Ok();
  if (!work_) return Status::Internal("Verify() before Open()");
  Work& w = *work_;
  auto log = DcLogger(dc_.name);
  const int64_t id = migration_.id;
  const Plan& plan = migration_.plan;
  // The keys _t_new was made without, before it is checked and becomes t.
  if (!w.info.indexes_to_build.empty()) {
    Failpoint("before_deferred_indexes", dc_.name);  // crash tests: verifying, keys still missing
    const std::string names = executor::IndexNames(w.info.indexes_to_build);
    const int64_t started = clock_.NowMillis();
    // A session of its own: the build lasts as long as the table is large,
    // far past the read timeout of lockstep's usual sessions.
    LOCKSTEP_ASSIGN_OR_RETURN(auto build_conn,
                              factory_.ConnectWithReadTimeout(dc_, kKeyBuildReadTimeoutS));
    executor::ShadowTable builder(*build_conn, *w.recorder, *w.spec);
    LOCKSTEP_RETURN_IF_ERROR(builder.BuildDeferredIndexes(w.info));
    log->info("added {} to {} in {} ms", names, w.info.shadow_table, clock_.NowMillis() - started);
    (void)store_.AppendEvent({id, migration_.actor, "deferred_keys_added", dc_.name, names, ""});
    w.info.indexes_to_build.clear();
  }

  LOCKSTEP_ASSIGN_OR_RETURN(auto checksum_conn, factory_.Connect(dc_));
  w.hooks->set_throttle(w.checksum_throttle.get());
  w.checksum_throttle->set_pacer(&pacer);
  w.hooks->SaveChecksumProgress();
  executor::ChunkChecksum checksum(*checksum_conn, w.info, *w.hooks, *w.checksum_throttle, *w.hooks,
                                   clock_, sleeper_);
  // Where the checksum starts: after what the trail checked while copying,
  // or, resumed in this phase, after what an earlier run found equal.
  std::optional<std::string> start_after;
  if (w.checked_while_copying) {
    start_after = w.checked_while_copying->checked_upto;
  } else {
    LOCKSTEP_ASSIGN_OR_RETURN(DcProgress progress, store_.GetDcProgress(id, dc_.name));
    start_after = progress.checksum_watermark;
    if (start_after) log->info("checksum resumes after {}", *start_after);
  }
  Result<executor::ChecksumVerdict> rest = checksum.Run(start_after);
  w.checksum_throttle->set_pacer(nullptr);
  if (!rest.ok()) return rest.status();
  if (rest->stopped) return Stopped("the checksum", *rest->stopped);
  executor::ChecksumVerdict verdict = w.checked_while_copying.value_or(executor::ChecksumVerdict{});
  verdict.Add(*rest);
  if (!verdict.passed) {
    return Status::FailedPrecondition(
        "checksum: " + std::to_string(verdict.mismatches.size()) + " chunk(s) of " +
        w.info.shadow_table + " still differ from " + plan.table + " after re-copying" +
        (verdict.stopped ? " (stopped: " + *verdict.stopped + ")" : ""));
  }
  const int64_t while_copying = w.checked_while_copying ? w.checked_while_copying->chunks : 0;
  log->info("checksum passed: {} chunks, {} rows, {} re-copied ({} chunks checked while "
            "copying)", verdict.chunks, verdict.rows, verdict.recopied, while_copying);
  (void)store_.AppendEvent({id, migration_.actor, "checksum_passed", dc_.name,
                            std::to_string(verdict.chunks) + " chunks (" +
                                std::to_string(while_copying) + " while copying), " +
                                std::to_string(verdict.rows) + " rows",
                            ""});
  LOCKSTEP_RETURN_IF_ERROR(DcStep(Phase::kReady, "verified"));
  Failpoint("after_verified", dc_.name);  // crash tests: ready, with the cut-over still to come
  return Status::Ok();
}

// Catch up before locking, so that under the lock the applier drains only
// what was written while the lock was being taken. A backlog left by the
// copy's last chunk or by a resume otherwise held the application's writes
// for the whole drain timeout, and the attempt failed (docs/copy-and-
// cutover.md, "Cut-over of one DC"). The wait lasts as long as the backlog
// keeps shrinking (a new low at least every 60 s), says how far behind the
// applier is every 5 s, and ends on an operator's abort.
Status ShadowCopyExecutor::CatchUp(bool stop_on_abort) {
  if (phase_ == Phase::kCutOver) return Status::Ok();
  if (!work_) return Status::Internal("CatchUp() before Open()");
  LOCKSTEP_RETURN_IF_ERROR(EnsureApplier());
  Work& w = *work_;
  auto log = DcLogger(dc_.name);
  int64_t lowest = std::numeric_limits<int64_t>::max();
  int64_t lowest_at = clock_.NowMillis();
  while (true) {
    LOCKSTEP_ASSIGN_OR_RETURN(auto head, w.probe_conn->QueryValue("SELECT @@gtid_binlog_pos"));
    Status waited = w.applier->WaitApplied(head.value_or(""), 5000);
    if (!waited.IsTimeout()) {
      if (waited.ok()) return w.hooks->CheckpointApplied(true);
      return waited;  // the applier failed
    }
    LOCKSTEP_ASSIGN_OR_RETURN(OperatorState wish, operators_.Poll());
    if (wish.abort_reason && stop_on_abort) return Stopped("the cut-over", *wish.abort_reason);
    LOCKSTEP_ASSIGN_OR_RETURN(int64_t behind, w.hooks->TransactionsNotApplied());
    const int64_t now = clock_.NowMillis();
    if (behind < lowest) {
      lowest = behind;
      lowest_at = now;
    }
    if (now - lowest_at >= 60000) {
      return Status::Timeout("the applier's backlog has not shrunk for 60 s (" +
                             std::to_string(behind) + " transactions behind)");
    }
    log->info("cut-over waits for the applier: {} transactions behind", behind);
  }
}

Status ShadowCopyExecutor::Prepare() {
  if (phase_ == Phase::kCutOver) return Status::Ok();
  if (!work_) return Status::Internal("Prepare() before Open()");
  LOCKSTEP_RETURN_IF_ERROR(EnsureApplier());
  Work& w = *work_;
  const Plan& plan = migration_.plan;
  if (phase_ == Phase::kReady) LOCKSTEP_RETURN_IF_ERROR(DcStep(Phase::kCuttingOver, "preparing"));
  executor::CutoverConfig cut;
  cut.schema = plan.schema;
  cut.table = plan.table;
  cut.lock_wait_ms = config_.lock_wait_ms;
  cut.hold_budget_ms = config_.cutover_window_ms;
  cut.drain_timeout_ms = config_.drain_timeout_ms;
  session_.reset();  // the last attempt's, released
  session_ = std::make_unique<executor::CutoverSession>(factory_, dc_, *w.recorder, *w.hooks,
                                                        *w.witness, clock_, sleeper_, cut);
  Failpoint("before_prepare", dc_.name);  // fault tests: this DC fails its prepare
  LOCKSTEP_RETURN_IF_ERROR(session_->Prepare());
  // Where the witness starts if this process dies after the rename.
  LOCKSTEP_RETURN_IF_ERROR(store_
                               .AppendEvent({migration_.id, migration_.actor, kCutoverLockedEvent,
                                             dc_.name, session_->report().gtid_binlog_pos, ""})
                               .status());
  Failpoint("after_cutover_prepared", dc_.name);  // hang tests: t locked, nothing decided
  // Drained under the lock: nothing of t is left for the applier, and after
  // the rename it would only meet the new table's rows.
  w.applier->Stop();
  w.applier_stopped = true;
  return Status::Ok();
}

Status ShadowCopyExecutor::Commit() {
  if (phase_ == Phase::kCutOver) return Status::Ok();
  if (!session_ || session_->state() != executor::CutoverState::kReady) {
    return Status::Unavailable(dc_.name + " is not prepared");
  }
  auto log = DcLogger(dc_.name);
  Failpoint("before_rename", dc_.name);  // crash tests: COMMIT recorded, some DCs renamed
  Status committed = session_->Commit();
  if (session_->state() == executor::CutoverState::kCommitted) {
    const auto& t = session_->report().timings;
    log->info("cut over: writes held {} ms (lock {} ms, drain {} ms, rename {} ms)",
              t.writes_blocked_ms, t.lock_wait_ms, t.drain_ms, t.rename_ms);
    LOCKSTEP_RETURN_IF_ERROR(
        DcStep(Phase::kCutOver, "renamed; writes held " + std::to_string(t.writes_blocked_ms) + " ms"));
    if (!committed.ok()) {
      // Renamed, but the binlog shows (or could not rule out) writes
      // stranded in the old table: loud, and never cleaned up silently.
      (void)store_.AppendEvent(
          {migration_.id, migration_.actor, kRenameUnverifiedEvent, dc_.name, committed.ToString(), ""});
      log->error("{}", committed.ToString());
    }
    return committed;
  }
  if (session_->state() != executor::CutoverState::kAborted) {
    // The rename's outcome is not clean: stop and ask, never guess.
    const Plan& plan = migration_.plan;
    return Status::FailedPrecondition(
        dc_.name + ": the cut-over's outcome is " +
        std::string(executor::CutoverStateName(session_->state())) + ": " + committed.ToString() +
        "; check which of " + plan.table + ", " + ShadowTableName(plan.table) + " and " +
        OldTableName(plan.table) + " exist before anything else");
  }
  // Released before the rename: t is unchanged and the applier goes on.
  LOCKSTEP_RETURN_IF_ERROR(Release());
  return Status::Unavailable(dc_.name + ": released before the rename: " + committed.ToString());
}

Status ShadowCopyExecutor::Release() {
  if (phase_ == Phase::kCutOver) return Status::Ok();
  if (session_) (void)session_->Abort();
  return EnsureApplier();
}

Status ShadowCopyExecutor::EnsureApplier() {
  if (!work_ || !work_->applier_stopped) return Status::Ok();
  // Carry on applying from where the applier stood (kept if the start fails).
  if (work_->applier) {
    work_->restart_from = work_->applier->applied_position();
    work_->applier.reset();
  }
  return StartApplier(work_->restart_from, false);
}

Status ShadowCopyExecutor::BackOut() {
  if (phase_ != Phase::kCuttingOver) return Status::Ok();
  return DcStep(Phase::kReady, "attempt aborted");
}

executor::DcCutoverResult ShadowCopyExecutor::CutoverResult() const {
  if (!session_) return {dc_.name, executor::CutoverState::kIdle, {}};
  return {dc_.name, session_->state(), session_->report()};
}

Status ShadowCopyExecutor::RecordFoundRenamed() {
  // The process died between the rename and its records: the tables say it
  // happened, so the records follow them.
  const Plan& plan = migration_.plan;
  LOCKSTEP_ASSIGN_OR_RETURN(std::vector<ArtifactRecord> artifacts, store_.ListArtifacts(migration_.id));
  executor::StateStoreArtifactRecorder recorder(store_, migration_.id, dc_.name);
  for (const ArtifactRecord& a : artifacts) {
    if (a.artifact.dc == dc_.name && a.artifact.kind == ArtifactKind::kSentry &&
        a.state != ArtifactState::kDropped) {
      LOCKSTEP_RETURN_IF_ERROR(store_.MarkArtifactDropped(a.id));
    }
  }
  LOCKSTEP_RETURN_IF_ERROR(recorder.Created(ArtifactKind::kOld, plan.schema, OldTableName(plan.table)));
  return recorder.Dropped(ArtifactKind::kShadow, plan.schema, ShadowTableName(plan.table));
}

Status ShadowCopyExecutor::WitnessFoundRename() {
  const Plan& plan = migration_.plan;
  std::optional<std::string> lock_position;
  LOCKSTEP_ASSIGN_OR_RETURN(std::vector<EventRecord> locked,
                            store_.ListEventsOfKinds(migration_.id, {kCutoverLockedEvent}));
  for (const EventRecord& e : locked) {
    if (e.event.dc == dc_.name) lock_position = e.event.message;
  }
  if (!lock_position) {
    return Status::FailedPrecondition(plan.table + " was found renamed after a restart, and no "
                                      "lock position was recorded to check the binlog from");
  }
  LOCKSTEP_ASSIGN_OR_RETURN(std::string password, ResolvePassword(dc_));
  executor::BinlogRenameWitness witness(
      dc_, password, 0x4C540000u + static_cast<uint32_t>(migration_.id % 0x10000), plan.schema,
      plan.table);
  const std::string rename = sql::CutoverRename(plan.schema, plan.table, OldTableName(plan.table),
                                                ShadowTableName(plan.table));
  LOCKSTEP_ASSIGN_OR_RETURN(executor::WritesBeforeRename seen,
                            witness.WritesBetween(*lock_position, rename, 30000));
  if (seen.gtids.empty()) return Status::Ok();
  return Status::Internal(dc_.name + ": " + plan.table + " was renamed, but " +
                          std::to_string(seen.gtids.size()) +
                          " transaction(s) wrote to it after the lock and before the RENAME (first " +
                          seen.gtids.front() + "): they are in " + OldTableName(plan.table) +
                          ", not in the new table. Stopped: reconcile them by hand");
}

Status ShadowCopyExecutor::Reconcile(bool committed) {
  const Plan& plan = migration_.plan;
  LOCKSTEP_ASSIGN_OR_RETURN(DcProgress progress, store_.GetDcProgress(migration_.id, dc_.name));
  phase_ = progress.phase;
  if (phase_ == Phase::kCutOver) return Status::Ok();
  // A crash inside the cut-over: the sessions died with the process, so
  // locks are gone and a queued RENAME was abandoned. Read the ground truth.
  LOCKSTEP_ASSIGN_OR_RETURN(auto conn, factory_.Connect(dc_));
  LOCKSTEP_ASSIGN_OR_RETURN(
      QueryResult tables,
      conn->Query(sql::ExistingTables(plan.schema, {plan.table, ShadowTableName(plan.table),
                                                    OldTableName(plan.table)})));
  std::set<std::string> present;
  for (const auto& row : tables.rows) present.insert(row[0].value_or(""));
  const bool renamed = present.count(plan.table) && present.count(OldTableName(plan.table)) &&
                       !present.count(ShadowTableName(plan.table));
  if (renamed && committed) {
    LOCKSTEP_RETURN_IF_ERROR(RecordFoundRenamed());
    if (phase_ == Phase::kReady) LOCKSTEP_RETURN_IF_ERROR(DcStep(Phase::kCuttingOver, "found renamed"));
    LOCKSTEP_RETURN_IF_ERROR(DcStep(Phase::kCutOver, "found renamed after a restart"));
    Status witnessed = WitnessFoundRename();
    if (!witnessed.ok()) {
      (void)store_.AppendEvent(
          {migration_.id, migration_.actor, kRenameUnverifiedEvent, dc_.name, witnessed.ToString(), ""});
      return witnessed;
    }
    DcLogger(dc_.name)->info("{} was found renamed after a restart; the binlog holds no write to it "
                             "between the lock and the RENAME", plan.table);
    return Status::Ok();
  }
  if (renamed || !present.count(plan.table) || !present.count(ShadowTableName(plan.table))) {
    // "Ownership ambiguous": never guessed, never retried automatically.
    std::string seen;
    for (const auto& t : present) seen += (seen.empty() ? "" : ", ") + t;
    return Status::FailedPrecondition(dc_.name + ": after a restart inside the cut-over the tables "
                                      "are: " + seen + "; check them by hand before anything else");
  }
  return Status::Ok();  // not renamed: CutOver() renames it
}

}  // namespace lockstep

#include "executor/migration/shadow_copy_run.h"

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

// The applier as the copier, the checksum, the throttle and the cut-over
// need it.
class ApplierHooks final : public ApplierHealth,
                           public executor::ApplierCatchUp,
                           public executor::ApplierDrain,
                           public executor::CopyObserver,
                           public executor::ChecksumObserver {
 public:
  // `applier` is a reference to the owner's pointer: the applier is restarted
  // (a new object) after a cut-over attempt that stopped it and then failed.
  ApplierHooks(std::unique_ptr<ApplierLoop>& applier, Connection& probe, StateStore& store, int64_t id,
               std::string dc)
      : applier_(applier), probe_(probe), store_(store), id_(id), dc_(std::move(dc)) {}

  void set_throttle(const CopyThrottle* throttle) { throttle_ = throttle; }
  void set_trail(executor::ChecksumTrail* trail) { trail_ = trail; }

  Status status() const override { return applier_->status(); }

  // Transactions in this DC's binlog that the applier has not read yet,
  // summed over GTID domains (ApplierHealth).
  // Between two bursts the reader has read everything logged before the last
  // one ended, at most a burst interval ago: it keeps up.
  Result<int64_t> TransactionsBehind() override {
    if (applier_->between_bursts()) return 0;
    return BinlogAhead(applier_->read_position());
  }

  // Transactions in this DC's binlog that are not in the shadow table yet:
  // also those the applier has read and not applied.
  Result<int64_t> TransactionsNotApplied() { return BinlogAhead(applier_->applied_position()); }

  Status WaitForApplierCaughtUp() override {
    LOCKSTEP_ASSIGN_OR_RETURN(auto pos, probe_.QueryValue("SELECT @@gtid_binlog_pos"));
    return applier_->WaitApplied(pos.value_or(""), 60000);
  }

  Status DrainApplierTo(const std::string& gtid_binlog_pos, int64_t timeout_ms) override {
    return applier_->WaitApplied(gtid_binlog_pos, timeout_ms);
  }

  // The applier holds what it reads until the copy knows its range
  // (ApplierLoopOptions::hold_until_frontier); from here on it leaves the
  // keys the copy will read to it, or applies everything where it cannot
  // tell (a key that is not one integer, an empty table).
  void CopyStarting(const std::optional<sql::KeyTuple>& after,
                    const std::optional<sql::KeyTuple>& upper) override {
    std::optional<CopyFrontier> frontier;
    if (upper && upper->size() == 1) {
      const auto top = executor::ParseIntegerKey((*upper)[0]);
      const auto from = after ? executor::ParseIntegerKey((*after)[0])
                              : std::optional<__int128>(CopyFrontier::kNothingCopied);
      if (top && from) frontier = CopyFrontier{*from, *top};
    }
    applier_->SetCopyFrontier(frontier);
  }

  // The applier may leave changes of rows the copy has not read yet to the
  // copy (CopyFrontier): integer keys only, where the order is the number's.
  void ChunkStarting(const sql::KeyTuple& chunk_end, const sql::KeyTuple& upper) override {
    if (chunk_end.size() != 1 || upper.size() != 1) return;
    const auto end = executor::ParseIntegerKey(chunk_end[0]);
    const auto top = executor::ParseIntegerKey(upper[0]);
    if (end && top) applier_->SetCopyFrontier(CopyFrontier{*end, *top});
  }

  // The checkpoint: the applied position is read before the watermark is
  // recorded, so a resume replays (harmless) rather than skips (data loss).
  Status ChunkCopied(const executor::CopyProgress& p) override {
    Checkpoint cp;
    cp.binlog_gtid = applier_->applied_position();
    cp.copy_watermark = p.watermark;
    cp.rows_copied = std::max<int64_t>(0, p.rows_copied);
    cp.rows_total_estimate = std::max<int64_t>(0, p.rows_total_estimate);
    cp.applier_events = static_cast<int64_t>(applier_->rows_applied());
    if (trail_ && p.watermark) trail_->CopiedUpTo(*p.watermark);
    if (p.chunks % 20 == 0 || p.done) {
      std::string pace = "full speed";
      if (throttle_ && throttle_->governor().busy()) {
        const auto& governor = throttle_->governor();
        pace = fmt::format("resting {:.1f}x each chunk", governor.rest_ratio());
        if (governor.share() && governor.reference_rate()) {
          pace += fmt::format(", the application at {:.0f}% of its rate at rest ({:.0f} statements/s)",
                              100 * *governor.share(), *governor.reference_rate());
        }
      }
      DcLogger(dc_)->info("copy: {} / ~{} rows, {:.0f} rows/s while copying, {} ms throttled, {}; "
                          "applier {} rows ({} left to the copy)",
                          p.rows_copied, p.rows_total_estimate, p.rows_per_second, p.throttled_ms,
                          pace, applier_->rows_applied(), applier_->rows_left_to_copy());
    }
    return store_.SaveCheckpoint(id_, dc_, cp);
  }

  // Records the applier's applied position as the DC's resume point, the
  // copy's watermark unchanged: after the copy, a resume (in verifying,
  // ready or after COMMIT) replays seconds of binlog, not the whole checksum.
  // At most once a second, the applied position only ever moving forward.
  Status CheckpointApplied(bool force = false) {
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - last_applied_checkpoint_ < std::chrono::seconds(1)) return Status::Ok();
    last_applied_checkpoint_ = now;
    LOCKSTEP_ASSIGN_OR_RETURN(DcProgress progress, store_.GetDcProgress(id_, dc_));
    Checkpoint cp = progress.checkpoint;
    cp.binlog_gtid = applier_->applied_position();
    return store_.SaveCheckpoint(id_, dc_, cp);
  }

  // From now on every chunk the checksum finds equal (with all before it)
  // moves the DC's checksum watermark, so that a resume repeats at most one
  // chunk of the checksum. A chunk that still differs stops it there.
  void SaveChecksumProgress() { save_checksum_progress_ = true; }

  Status ChunkChecked(const executor::ChecksumChunkResult& r) override {
    LOCKSTEP_RETURN_IF_ERROR(CheckpointApplied());
    if (r.outcome == executor::ChecksumChunkResult::Outcome::kMismatch) {
      save_checksum_progress_ = false;
    } else if (save_checksum_progress_) {
      LOCKSTEP_RETURN_IF_ERROR(store_.SaveChecksumWatermark(id_, dc_, r.upper));
      Failpoint("after_checksum_progress");  // crash tests: verifying, part checked
    }
    if (r.outcome == executor::ChecksumChunkResult::Outcome::kMatch) return Status::Ok();
    auto appended = store_.AppendEvent(
        {id_, "lockstep", "checksum_chunk", dc_,
         std::string(executor::ChecksumOutcomeName(r.outcome)) + " up to " + r.upper +
             (r.pieces_locked ? " (" + std::to_string(r.pieces_locked) + " pieces compared locked)" : ""),
         ""});
    return appended.ok() ? Status::Ok() : appended.status();
  }

 private:
  // Transactions the binlog holds beyond `position`, summed over GTID domains.
  Result<int64_t> BinlogAhead(const std::string& position) {
    LOCKSTEP_ASSIGN_OR_RETURN(auto now, probe_.QueryValue("SELECT @@gtid_binlog_pos"));
    LOCKSTEP_ASSIGN_OR_RETURN(binlog::GtidPosition head, binlog::GtidPosition::Parse(now.value_or("")));
    LOCKSTEP_ASSIGN_OR_RETURN(binlog::GtidPosition from, binlog::GtidPosition::Parse(position));
    return head.CountAhead(from);
  }

  std::unique_ptr<ApplierLoop>& applier_;
  Connection& probe_;
  StateStore& store_;
  const int64_t id_;
  const std::string dc_;
  const CopyThrottle* throttle_ = nullptr;
  executor::ChecksumTrail* trail_ = nullptr;
  std::chrono::steady_clock::time_point last_applied_checkpoint_{};
  bool save_checksum_progress_ = false;
};

// The checksum trail's view of the applier: its own session for reading the
// binlog position, since the probe belongs to the copy's thread.
class TrailCatchUp final : public executor::ApplierCatchUp {
 public:
  TrailCatchUp(std::unique_ptr<ApplierLoop>& applier, Connection& probe)
      : applier_(applier), probe_(probe) {}
  Status WaitForApplierCaughtUp() override {
    LOCKSTEP_ASSIGN_OR_RETURN(auto pos, probe_.QueryValue("SELECT @@gtid_binlog_pos"));
    return applier_->WaitApplied(pos.value_or(""), 60000);
  }

 private:
  std::unique_ptr<ApplierLoop>& applier_;
  Connection& probe_;
};

}  // namespace

ShadowCopyRun::ShadowCopyRun(const DcConfig& dc, ConnectionFactory& factory, StateStore& store,
                             const Clock& clock, std::string actor, ShadowCopyConfig config)
    : dc_(dc), factory_(factory), store_(store), clock_(clock), actor_(std::move(actor)),
      config_(config) {}

Status ShadowCopyRun::Step(int64_t id, Phase from, Phase to, const std::string& reason) {
  MainLogger()->info("migration {}: {} -> {}", id, PhaseName(from), PhaseName(to));
  LOCKSTEP_RETURN_IF_ERROR(store_.TransitionPhase(id, from, to, actor_, reason));
  return store_.TransitionDcPhase(id, dc_.name, from, to, actor_, reason);
}

Status ShadowCopyRun::Stopped(const OperatorPoll& operators, const std::string& what,
                              const std::string& reason) {
  if (operators.last().abort_reason) {
    operator_abort_ = OperatorAbort{operators.last().abort_actor, operators.last().abort_why};
    return Status::Conflict(what + " stopped: " + reason);
  }
  return Status::Internal(what + " stopped: " + reason);
}

Status ShadowCopyRun::Run(int64_t id, const Plan& plan, const sql::AlterTable& alter) {
  auto log = DcLogger(dc_.name);
  // Where this migration stands: a fresh one is planned; a resumed one is
  // wherever the state database says it stopped, with its checkpoint.
  LOCKSTEP_ASSIGN_OR_RETURN(MigrationRecord record, store_.GetMigration(id));
  Phase phase = record.phase;
  LOCKSTEP_ASSIGN_OR_RETURN(DcProgress progress, store_.GetDcProgress(id, dc_.name));
  if (progress.phase != phase) {
    // Step() moves the migration, then this DC, in two transactions: a crash
    // between them leaves the DC one step behind. Finish that step.
    log->info("completing step {} -> {} for {} after a restart", PhaseName(progress.phase),
              PhaseName(phase), dc_.name);
    LOCKSTEP_RETURN_IF_ERROR(store_.TransitionDcPhase(id, dc_.name, progress.phase, phase, actor_,
                                                      "completed after a restart"));
  }
  const Checkpoint& checkpoint = progress.checkpoint;
  LOCKSTEP_ASSIGN_OR_RETURN(auto ddl_conn, factory_.Connect(dc_));
  // Before anything touches the DC: no other lockstep may be migrating t.
  // Recorded first, so that an abort knows to release it.
  LOCKSTEP_ASSIGN_OR_RETURN(std::string store_id, store_.Identity());
  LOCKSTEP_RETURN_IF_ERROR(
      store_.AppendEvent({id, actor_, kTableClaimedEvent, dc_.name, "owner record claimed", ""}).status());
  LOCKSTEP_RETURN_IF_ERROR(
      ClaimTable(*ddl_conn, dc_.name, plan.schema, plan.table, {store_id, id, ThisHostName()}));

  // The applier starts where the binlog stood before the shadow existed and
  // before the first row was copied, or from the last checkpoint: every later
  // change reaches _t_new (replaying some twice is harmless).
  std::string start_position;
  if (phase == Phase::kPlanned || !checkpoint.binlog_gtid) {
    LOCKSTEP_ASSIGN_OR_RETURN(auto start, ddl_conn->QueryValue("SELECT @@gtid_binlog_pos"));
    start_position = start.value_or("");
  } else {
    start_position = *checkpoint.binlog_gtid;
    LOCKSTEP_RETURN_IF_ERROR(CheckBinlogHolds(*ddl_conn, start_position));
    log->info("resuming migration {} in phase {} from {} (watermark {})", id, PhaseName(phase),
              start_position, checkpoint.copy_watermark.value_or("none"));
  }

  executor::StateStoreArtifactRecorder recorder(store_, id, dc_.name);
  LOCKSTEP_ASSIGN_OR_RETURN(executor::ShadowSpec spec,
                            executor::ShadowSpecFromAlter(alter, plan.schema));
  executor::ShadowTable shadow(*ddl_conn, recorder, spec,
                               {.defer_secondary_indexes = config_.defer_secondary_indexes});
  if (phase == Phase::kCutOver) return Status::Ok();
  if (phase == Phase::kCuttingOver) {
    // The shadow may already be the table: look before doing anything.
    Status finished = FinishCutover(id, plan);
    if (!finished.IsUnavailable()) return finished;
    LOCKSTEP_ASSIGN_OR_RETURN(record, store_.GetMigration(id));
    phase = record.phase;  // ready, or cutting_over with COMMIT recorded
  }
  // The application's rate before lockstep changes anything: the copy's and
  // the checksum's governors keep their share of that. Measured later (after
  // the shadow's DDL, with the binlog dump running) it came low, and the
  // governors gave that away too (docs/benchmarks.md, "a governor with a true reference").
  std::optional<CopyThrottle::RateSample> rate_before;
  if ((phase == Phase::kPlanned || phase == Phase::kShadowCreated || phase == Phase::kCopying ||
       phase == Phase::kVerifying) &&
      config_.throttle.measure_before_ms > 0) {
    LOCKSTEP_ASSIGN_OR_RETURN(rate_before, CopyThrottle::MeasureRateBefore(
                                               *ddl_conn, clock_, executor::RealSleeper::Instance(),
                                               config_.throttle));
    if (rate_before->PerSecond() >= config_.throttle.governor.busy_statements_per_s) {
      DcLogger(dc_.name)->info("the application before the migration: {:.0f} statements/s over {} ms",
                               rate_before->PerSecond(), rate_before->ms);
    }
  }
  // Creates _t_new, or checks that an earlier run's is exactly what this
  // change makes of t as it is now (a changed t or ALTER is refused here).
  LOCKSTEP_ASSIGN_OR_RETURN(executor::ShadowTableInfo info, shadow.Ensure());
  if (phase == Phase::kPlanned) {
    Checkpoint first;
    first.binlog_gtid = start_position;
    LOCKSTEP_RETURN_IF_ERROR(store_.SaveCheckpoint(id, dc_.name, first));
    LOCKSTEP_RETURN_IF_ERROR(Step(id, phase, Phase::kShadowCreated, "created " + info.shadow_table));
    Failpoint("after_shadow_created");  // crash tests: this phase lasts milliseconds
    phase = Phase::kShadowCreated;
  }

  std::map<std::string, std::string> renames;
  for (const auto& pair : info.mapping.copied) renames[sql::ToLowerAscii(pair.old_name)] = sql::ToLowerAscii(pair.new_name);
  LOCKSTEP_ASSIGN_OR_RETURN(RowImageMapping mapping,
                            RowImageMapping::Build(info.source_def, info.shadow_def, renames));
  LOCKSTEP_ASSIGN_OR_RETURN(std::string password, ResolvePassword(dc_));
  ApplierLoopOptions applier_options;
  applier_options.dc = dc_;
  applier_options.password = password;
  // A replica id no real server uses; one per migration.
  applier_options.replica_server_id = 0x4C530000u + static_cast<uint32_t>(id % 0x10000);
  std::unique_ptr<ApplierLoop> applier;
  auto start_applier = [&](const std::string& from) -> Status {
    std::vector<std::unique_ptr<Connection>> sessions;
    for (int i = 0; i < std::max(1, config_.applier_sessions); ++i) {
      LOCKSTEP_ASSIGN_OR_RETURN(auto session, factory_.Connect(dc_));
      sessions.push_back(std::move(session));
    }
    applier_options.start_position = from;
    auto started = ApplierLoop::Start(applier_options, std::move(sessions),
                                      {plan.schema, plan.table, info.shadow_table}, mapping);
    if (!started.ok()) {
      if (started.status().server_errno() == 1236) {
        return Status::FailedPrecondition(
            "the binlog no longer holds position " + from + " (purged?): the migration "
            "cannot resume from its checkpoint; abort it and start again");
      }
      return started.status();
    }
    applier = std::move(*started);
    return Status::Ok();
  };
  const bool copy_to_run = phase == Phase::kShadowCreated || phase == Phase::kCopying;
  LOCKSTEP_ASSIGN_OR_RETURN(auto probe_conn, factory_.Connect(dc_));
  executor::RealSleeper& sleeper = executor::RealSleeper::Instance();
  // A copy to run: the applier waits for its range (CopyStarting).
  applier_options.hold_until_frontier = copy_to_run;
  LOCKSTEP_RETURN_IF_ERROR(start_applier(start_position));
  applier_options.hold_until_frontier = false;  // a restart comes after the copy

  ApplierHooks hooks(applier, *probe_conn, store_, id, dc_.name);
  OperatorPoll operators(store_, id, clock_);
  // The copy and the checksum share the DBA's commands and the link check,
  // but each measures its own impact on the application.
  CopyThrottle copy_throttle(hooks, *probe_conn, &operators, clock_, config_.throttle);
  if (rate_before) copy_throttle.RateBefore(*rate_before);
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
  CopyThrottle checksum_throttle(hooks, *probe_conn, &operators, clock_, checksum_throttle_config);
  if (rate_before) checksum_throttle.RateBefore(*rate_before);
  hooks.set_throttle(&copy_throttle);

  // What the checksum trail checked during the copy (this process only: a
  // resumed verification checks everything again).
  std::optional<executor::ChecksumVerdict> checked_while_copying;
  if (phase == Phase::kShadowCreated || phase == Phase::kCopying) {
    if (phase == Phase::kShadowCreated) {
      LOCKSTEP_RETURN_IF_ERROR(Step(id, phase, Phase::kCopying, "copying rows"));
      Failpoint("after_copying_started");  // crash tests: copying, before the first chunk
    }
    LOCKSTEP_ASSIGN_OR_RETURN(auto copy_conn, factory_.Connect(dc_));
    executor::RowCopierConfig copy_config;
    copy_config.chunk.target_ms = config_.chunk_target_ms;
    executor::RowCopier copier(*copy_conn, info, copy_throttle, hooks, clock_, sleeper, copy_config,
                               &hooks);
    // The checksum of what is copied already, on the second core while the
    // server is otherwise idle.
    std::unique_ptr<Connection> trail_conn, trail_probe;
    std::optional<TrailCatchUp> trail_catch_up;
    std::optional<executor::ChecksumTrail> trail;
    if (config_.checksum_while_copying) {
      LOCKSTEP_ASSIGN_OR_RETURN(trail_conn, factory_.Connect(dc_));
      LOCKSTEP_ASSIGN_OR_RETURN(trail_probe, factory_.Connect(dc_));
      trail_catch_up.emplace(applier, *trail_probe);
      trail.emplace(*trail_conn, info, *trail_catch_up,
                    [&copy_throttle] { return copy_throttle.QuietAndCopying(); }, clock_, sleeper);
      hooks.set_trail(&*trail);
    }
    Result<executor::CopyOutcome> copy_result = copier.Run(checkpoint.copy_watermark);
    applier->SetCopyFrontier(std::nullopt);  // every change from here on
    hooks.set_trail(nullptr);
    if (trail) {
      executor::ChecksumTrail::Outcome checked = trail->Finish();
      if (!checked.status.ok()) {
        log->warn("the checksum while copying failed ({}); the checksum after the copy checks "
                  "everything", checked.status.ToString());
      } else if (checked.verdict.chunks > 0) {
        for (const auto& r : checked.notable) LOCKSTEP_RETURN_IF_ERROR(hooks.ChunkChecked(r));
        log->info("checked while copying: {} chunks, {} rows", checked.verdict.chunks,
                  checked.verdict.rows);
        checked_while_copying = std::move(checked.verdict);
      }
    }
    if (!copy_result.ok()) return copy_result.status();
    const executor::CopyOutcome& copied = *copy_result;
    if (copied.stopped) return Stopped(operators, "the copy", *copied.stopped);
    if (checked_while_copying && checked_while_copying->passed) {
      LOCKSTEP_RETURN_IF_ERROR(
          store_.SaveChecksumWatermark(id, dc_.name, checked_while_copying->checked_upto));
    }
    log->info("copy done: {} rows at {:.0f} rows/s", copied.progress.rows_copied,
              copied.progress.rows_per_second);
    LOCKSTEP_RETURN_IF_ERROR(Step(id, Phase::kCopying, Phase::kVerifying, "checksum"));
    phase = Phase::kVerifying;
  }

  // The keys _t_new was made without, before it is checked and becomes t.
  if (!info.indexes_to_build.empty()) {
    Failpoint("before_deferred_indexes");  // crash tests: verifying, keys still missing
    const std::string names = executor::IndexNames(info.indexes_to_build);
    const int64_t started = clock_.NowMillis();
    // A session of its own: the build lasts as long as the table is large,
    // far past the read timeout of lockstep's usual sessions.
    LOCKSTEP_ASSIGN_OR_RETURN(auto build_conn, factory_.ConnectWithReadTimeout(dc_, kKeyBuildReadTimeoutS));
    executor::ShadowTable builder(*build_conn, recorder, spec);
    LOCKSTEP_RETURN_IF_ERROR(builder.BuildDeferredIndexes(info));
    log->info("added {} to {} in {} ms", names, info.shadow_table, clock_.NowMillis() - started);
    (void)store_.AppendEvent({id, actor_, "deferred_keys_added", dc_.name, names, ""});
  }

  if (phase == Phase::kVerifying) {
    LOCKSTEP_ASSIGN_OR_RETURN(auto checksum_conn, factory_.Connect(dc_));
    hooks.set_throttle(&checksum_throttle);
    hooks.SaveChecksumProgress();
    executor::ChunkChecksum checksum(*checksum_conn, info, hooks, checksum_throttle, hooks, clock_,
                                     sleeper);
    // Where the checksum starts: after what the trail checked while copying,
    // or, resumed in this phase, after what an earlier run found equal.
    std::optional<std::string> start_after;
    if (checked_while_copying) {
      start_after = checked_while_copying->checked_upto;
    } else {
      LOCKSTEP_ASSIGN_OR_RETURN(DcProgress progress, store_.GetDcProgress(id, dc_.name));
      start_after = progress.checksum_watermark;
      if (start_after) log->info("checksum resumes after {}", *start_after);
    }
    LOCKSTEP_ASSIGN_OR_RETURN(executor::ChecksumVerdict rest, checksum.Run(start_after));
    if (rest.stopped) return Stopped(operators, "the checksum", *rest.stopped);
    executor::ChecksumVerdict verdict = checked_while_copying.value_or(executor::ChecksumVerdict{});
    verdict.Add(rest);
    if (!verdict.passed) {
      return Status::FailedPrecondition(
          "checksum: " + std::to_string(verdict.mismatches.size()) + " chunk(s) of " +
          info.shadow_table + " still differ from " + plan.table + " after re-copying" +
          (verdict.stopped ? " (stopped: " + *verdict.stopped + ")" : ""));
    }
    log->info("checksum passed: {} chunks, {} rows, {} re-copied ({} chunks checked while "
              "copying)", verdict.chunks, verdict.rows, verdict.recopied,
              checked_while_copying ? checked_while_copying->chunks : 0);
    (void)store_.AppendEvent({id, actor_, "checksum_passed", dc_.name,
                              std::to_string(verdict.chunks) + " chunks (" +
                                  std::to_string(checked_while_copying
                                                     ? checked_while_copying->chunks
                                                     : 0) +
                                  " while copying), " + std::to_string(verdict.rows) + " rows",
                              ""});
    LOCKSTEP_RETURN_IF_ERROR(Step(id, Phase::kVerifying, Phase::kReady, "verified"));
    Failpoint("after_verified");  // crash tests: ready, with the cut-over still to come
  }

  // The cut-over: lock, drain, rename; a failed attempt releases everything
  // and is retried with backoff.
  // Reads the binlog after each rename: no write to t may sit before it.
  executor::BinlogRenameWitness witness(dc_, password, applier_options.replica_server_id + 0x10000u,
                                        plan.schema, plan.table);
  executor::CutoverConfig cut;
  cut.schema = plan.schema;
  cut.table = plan.table;
  cut.lock_wait_ms = config_.lock_wait_ms;
  cut.hold_budget_ms = config_.cutover_window_ms;
  cut.drain_timeout_ms = config_.drain_timeout_ms;
  int64_t backoff = config_.first_backoff_ms;
  Status last;
  std::optional<int64_t> committed_attempt;  // once COMMIT is recorded: roll forward only
  if (phase == Phase::kCuttingOver) {
    LOCKSTEP_ASSIGN_OR_RETURN(auto attempts, store_.ListCutoverAttempts(id));
    if (attempts.empty() || attempts.back().decision != CutoverDecision::kCommit) {
      return Status::Internal("cutting_over without a committed attempt after a restart");
    }
    committed_attempt = attempts.back().id;
  }
  // Catch up before locking, so that under the lock the applier drains only
  // what was written while the lock was being taken. A backlog left by the
  // copy's last chunk or by a resume otherwise held the application's writes
  // for the whole drain timeout, and the attempt failed (docs/copy-and-
  // cutover.md, "Cut-over of one DC"). The wait lasts as long as the
  // backlog keeps shrinking (a new low at least every 60 s), says how far
  // behind the applier is every 5 s, and ends on an operator's abort.
  auto catch_up = [&]() -> Status {
    int64_t lowest = std::numeric_limits<int64_t>::max();
    int64_t lowest_at = clock_.NowMillis();
    while (true) {
      LOCKSTEP_ASSIGN_OR_RETURN(auto head, probe_conn->QueryValue("SELECT @@gtid_binlog_pos"));
      Status waited = applier->WaitApplied(head.value_or(""), 5000);
      if (!waited.IsTimeout()) return waited;  // caught up, or the applier failed
      LOCKSTEP_ASSIGN_OR_RETURN(OperatorState wish, operators.Poll());
      if (wish.abort_reason) return Stopped(operators, "the cut-over", *wish.abort_reason);
      LOCKSTEP_ASSIGN_OR_RETURN(int64_t behind, hooks.TransactionsNotApplied());
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
  };
  for (int attempt = 1; attempt <= config_.cutover_attempts; ++attempt) {
    // After COMMIT too: a resumed applier must not replay its backlog under the lock.
    if (Status caught_up = catch_up(); !caught_up.ok()) {
      // Aborted, the applier failed, or the probe did: nothing to retry.
      if (operator_abort_ || !caught_up.IsTimeout()) return caught_up;
      last = caught_up.WithContext("catching up before the cut-over");
      log->warn("cut-over attempt {} not started: {}; retrying in {} ms", attempt,
                last.ToString(), backoff);
      sleeper.SleepFor(backoff);
      backoff *= 2;
      continue;
    }
    LOCKSTEP_RETURN_IF_ERROR(hooks.CheckpointApplied(true));
    if (!committed_attempt) {
      LOCKSTEP_RETURN_IF_ERROR(Step(id, Phase::kReady, Phase::kCuttingOver,
                                    "cut-over attempt " + std::to_string(attempt)));
    }
    LOCKSTEP_ASSIGN_OR_RETURN(
        CutoverAttempt record,
        committed_attempt ? Result<CutoverAttempt>(CutoverAttempt{})
                          : store_.BeginCutoverAttempt(
                                id, config_.lock_wait_ms + config_.drain_timeout_ms + 5000, actor_));
    executor::CutoverSession session(factory_, dc_, recorder, hooks, witness, clock_, sleeper, cut);
    last = session.Prepare();
    if (last.ok()) {
      // Where the witness starts if this process dies after the rename.
      LOCKSTEP_RETURN_IF_ERROR(store_
                                   .AppendEvent({id, actor_, kCutoverLockedEvent, dc_.name,
                                                 session.report().gtid_binlog_pos, ""})
                                   .status());
      Failpoint("after_cutover_prepared");  // hang tests: t locked, nothing decided
      // Drained under the lock: nothing of t is left for the applier, and
      // after the rename it would only meet the new table's rows.
      applier->Stop();
      if (!committed_attempt) {
        // Persist before acting: once COMMIT is recorded it only rolls forward.
        LOCKSTEP_RETURN_IF_ERROR(store_.DecideCutoverAttempt(
            record.id, CutoverDecision::kCommit, std::nullopt, actor_, "ready"));
        committed_attempt = record.id;
        Failpoint("after_commit_recorded");  // crash tests: COMMIT recorded, nothing renamed
      }
      last = session.Commit();
      LOCKSTEP_RETURN_IF_ERROR(RecordAttemptReport(*committed_attempt, session));
      if (session.state() == executor::CutoverState::kCommitted) {
        const auto& t = session.report().timings;
        log->info("cut over: writes held {} ms (lock {} ms, drain {} ms, rename {} ms)",
                  t.writes_blocked_ms, t.lock_wait_ms, t.drain_ms, t.rename_ms);
        LOCKSTEP_RETURN_IF_ERROR(Step(id, Phase::kCuttingOver, Phase::kCutOver,
                                      "renamed; writes held " + std::to_string(t.writes_blocked_ms) + " ms"));
        if (!last.ok()) {
          // Renamed, but the binlog shows (or could not rule out) writes
          // stranded in the old table: loud, and never cleaned up silently.
          (void)store_.AppendEvent({id, actor_, kRenameUnverifiedEvent, dc_.name, last.ToString(), ""});
          log->error("{}", last.ToString());
        }
        return last;
      }
      if (session.state() != executor::CutoverState::kAborted) {
        // The rename's outcome is not clean: stop and ask, never guess.
        return Status::FailedPrecondition(
            "the cut-over's outcome is " +
            std::string(executor::CutoverStateName(session.state())) + ": " + last.ToString() +
            "; check which of " + plan.table + ", " + info.shadow_table + " and " +
            info.old_table + " exist before anything else");
      }
      // Released before the rename: t is unchanged. Carry on applying from
      // where the applier stood, and try again.
      const std::string from = applier->applied_position();
      applier.reset();
      LOCKSTEP_RETURN_IF_ERROR(start_applier(from));
    } else {
      (void)session.Abort();
      if (!committed_attempt) {
        LOCKSTEP_RETURN_IF_ERROR(store_.DecideCutoverAttempt(
            record.id, CutoverDecision::kAbort, AttemptReport(session), actor_, last.ToString()));
        LOCKSTEP_RETURN_IF_ERROR(Step(id, Phase::kCuttingOver, Phase::kReady, "attempt aborted"));
      }
    }
    log->warn("cut-over attempt {} failed: {}; retrying in {} ms", attempt, last.ToString(),
              backoff);
    sleeper.SleepFor(backoff);
    backoff *= 2;
  }
  return last.WithContext("the cut-over failed " + std::to_string(config_.cutover_attempts) +
                          " times" + (committed_attempt ? " after COMMIT was recorded; it must "
                                                          "be finished, not abandoned"
                                                        : ""));
}

std::string ShadowCopyRun::AttemptReport(const executor::CutoverSession& session) const {
  return executor::CutoverReportJson({{dc_.name, session.state(), session.report()}});
}

Status ShadowCopyRun::RecordAttemptReport(int64_t attempt_id, const executor::CutoverSession& session) {
  DcLogger(dc_.name)->info("cut-over report: {}",
                           executor::CutoverReportLine({dc_.name, session.state(), session.report()}));
  return store_.RecordCutoverTimings(attempt_id, AttemptReport(session));
}

Status ShadowCopyRun::RecordFoundRenamed(int64_t id, const Plan& plan) {
  // The process died between the rename and its records: the tables say it
  // happened, so the records follow them.
  LOCKSTEP_ASSIGN_OR_RETURN(std::vector<ArtifactRecord> artifacts, store_.ListArtifacts(id));
  executor::StateStoreArtifactRecorder recorder(store_, id, dc_.name);
  const std::string old_table = OldTableName(plan.table);
  for (const ArtifactRecord& a : artifacts) {
    if (a.artifact.dc == dc_.name && a.artifact.kind == ArtifactKind::kSentry &&
        a.state != ArtifactState::kDropped) {
      LOCKSTEP_RETURN_IF_ERROR(store_.MarkArtifactDropped(a.id));
    }
  }
  LOCKSTEP_RETURN_IF_ERROR(recorder.Created(ArtifactKind::kOld, plan.schema, old_table));
  return recorder.Dropped(ArtifactKind::kShadow, plan.schema, ShadowTableName(plan.table));
}

Status ShadowCopyRun::WitnessFoundRename(int64_t id, const Plan& plan) {
  std::optional<std::string> lock_position;
  LOCKSTEP_ASSIGN_OR_RETURN(std::vector<EventRecord> locked,
                            store_.ListEventsOfKinds(id, {kCutoverLockedEvent}));
  for (const EventRecord& e : locked) {
    if (e.event.dc == dc_.name) lock_position = e.event.message;
  }
  if (!lock_position) {
    return Status::FailedPrecondition(plan.table + " was found renamed after a restart, and no "
                                      "lock position was recorded to check the binlog from");
  }
  LOCKSTEP_ASSIGN_OR_RETURN(std::string password, ResolvePassword(dc_));
  executor::BinlogRenameWitness witness(dc_, password, 0x4C540000u + static_cast<uint32_t>(id % 0x10000),
                                        plan.schema, plan.table);
  const std::string rename = sql::CutoverRename(plan.schema, plan.table, OldTableName(plan.table),
                                                ShadowTableName(plan.table));
  LOCKSTEP_ASSIGN_OR_RETURN(executor::WritesBeforeRename seen,
                            witness.WritesBetween(*lock_position, rename, 30000));
  if (seen.gtids.empty()) return Status::Ok();
  return Status::Internal(plan.table + " was renamed, but " + std::to_string(seen.gtids.size()) +
                          " transaction(s) wrote to it after the lock and before the RENAME (first " +
                          seen.gtids.front() + "): they are in " + OldTableName(plan.table) +
                          ", not in the new table. Stopped: reconcile them by hand");
}

Status ShadowCopyRun::FinishCutover(int64_t id, const Plan& plan) {
  // A crash inside the cut-over: the sessions died with the process, so
  // locks are gone and a queued RENAME was abandoned. Read the ground truth.
  LOCKSTEP_ASSIGN_OR_RETURN(auto conn, factory_.Connect(dc_));
  LOCKSTEP_ASSIGN_OR_RETURN(
      QueryResult tables,
      conn->Query(sql::ExistingTables(plan.schema, {plan.table, ShadowTableName(plan.table),
                                                    OldTableName(plan.table)})));
  std::set<std::string> present;
  for (const auto& row : tables.rows) present.insert(row[0].value_or(""));
  LOCKSTEP_ASSIGN_OR_RETURN(auto attempts, store_.ListCutoverAttempts(id));
  const bool committed = !attempts.empty() && attempts.back().decision == CutoverDecision::kCommit;
  const bool renamed = present.count(plan.table) && present.count(OldTableName(plan.table)) &&
                       !present.count(ShadowTableName(plan.table));
  if (renamed && committed) {
    LOCKSTEP_RETURN_IF_ERROR(RecordFoundRenamed(id, plan));
    LOCKSTEP_RETURN_IF_ERROR(Step(id, Phase::kCuttingOver, Phase::kCutOver, "found renamed after a restart"));
    Status witnessed = WitnessFoundRename(id, plan);
    if (!witnessed.ok()) {
      (void)store_.AppendEvent({id, actor_, kRenameUnverifiedEvent, dc_.name, witnessed.ToString(), ""});
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
    return Status::FailedPrecondition("after a restart inside the cut-over the tables are: " +
                                      seen + "; check them by hand before anything else");
  }
  if (!attempts.empty() && attempts.back().decision == CutoverDecision::kPending) {
    LOCKSTEP_RETURN_IF_ERROR(store_.DecideCutoverAttempt(attempts.back().id, CutoverDecision::kAbort,
                                                         std::nullopt, actor_,
                                                         "lockstep restarted during the attempt"));
  }
  if (!committed) {
    LOCKSTEP_RETURN_IF_ERROR(Step(id, Phase::kCuttingOver, Phase::kReady, "restarted"));
  }
  return Status::Unavailable("restart the cut-over");  // the caller resumes from ready
}

}  // namespace lockstep

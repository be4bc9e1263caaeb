#include "coordinator/coordinator.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "common/failpoint.h"
#include "coordinator/dc_tasks.h"
#include "common/logging.h"
#include "executor/cutover/cutover_report_json.h"

namespace lockstep {
namespace {

// The longest wait between two tries to rename a DC after COMMIT.
constexpr int64_t kMaxRollForwardBackoffMs = 30000;
// Rounds of a DC's roll-forward in one run (about ten minutes with the
// backoff); then `lockstep resume` takes over with sessions opened anew.
constexpr int kRollForwardRounds = 25;

constexpr Phase kCopyPhases[] = {Phase::kPlanned, Phase::kShadowCreated, Phase::kCopying,
                                 Phase::kVerifying, Phase::kReady};

int CopyPhaseRank(Phase p) {
  for (int i = 0; i < static_cast<int>(std::size(kCopyPhases)); ++i) {
    if (kCopyPhases[i] == p) return i;
  }
  return static_cast<int>(std::size(kCopyPhases));  // cutting over and after
}

std::vector<std::string> Names(const std::vector<DcExecutor*>& dcs) {
  std::vector<std::string> names;
  for (const DcExecutor* dc : dcs) names.push_back(dc->dc());
  return names;
}

}  // namespace

Coordinator::Coordinator(StateStore& store, OperatorPoll& operators, const Clock& clock,
                         executor::Sleeper& sleeper, int64_t migration_id, std::string actor,
                         CoordinatorConfig config, std::vector<DcExecutor*> dcs)
    : store_(store), operators_(operators), clock_(clock), sleeper_(sleeper), id_(migration_id),
      actor_(std::move(actor)), config_(config), dcs_(std::move(dcs)),
      pacing_(Names(dcs_), config.max_copy_lead) {}

Status Coordinator::Run() {
  LOCKSTEP_ASSIGN_OR_RETURN(MigrationRecord record, store_.GetMigration(id_));
  if (record.phase == Phase::kCutOver) return Status::Ok();
  if (record.phase == Phase::kCuttingOver) {
    LOCKSTEP_RETURN_IF_ERROR(RecoverCutover());
    LOCKSTEP_ASSIGN_OR_RETURN(record, store_.GetMigration(id_));
    if (record.phase == Phase::kCutOver) return Status::Ok();  // every DC was found renamed
  }
  LOCKSTEP_RETURN_IF_ERROR(CreateShadows());
  LOCKSTEP_RETURN_IF_ERROR(CheckOperators("the copy"));
  LOCKSTEP_RETURN_IF_ERROR(CopyRows());
  LOCKSTEP_RETURN_IF_ERROR(CheckOperators("the checksum"));
  LOCKSTEP_RETURN_IF_ERROR(Verify());
  LOCKSTEP_RETURN_IF_ERROR(CheckOperators("the cut-over"));
  return CutOver();
}

std::vector<DcExecutor*> Coordinator::NotCutOver() const {
  std::vector<DcExecutor*> left;
  for (DcExecutor* dc : dcs_) {
    if (dc->phase() != Phase::kCutOver) left.push_back(dc);
  }
  return left;
}

Status Coordinator::OnEveryDc(const char* what, const std::function<Status(DcExecutor&)>& step) {
  const std::vector<DcExecutor*> dcs = NotCutOver();
  if (dcs.size() == 1) return step(*dcs[0]);
  // A DC that fails stops the others' copies at their next chunk: none of
  // them can cut over without it. Its error is the one reported, not the
  // others' "stopped".
  std::mutex first_mu;
  std::optional<size_t> first_failed;
  auto guarded = [&](DcExecutor& dc) {
    Status s = step(dc);
    if (!s.ok()) {
      std::lock_guard lock(first_mu);
      if (!first_failed) {
        first_failed = static_cast<size_t>(std::find(dcs.begin(), dcs.end(), &dc) - dcs.begin());
        pacing_.Stop(dc.dc() + " failed: " + s.ToString());
      }
    }
    return s;
  };
  DcTasks tasks(dcs, guarded);
  tasks.Join();
  if (!first_failed) return Status::Ok();
  return tasks.result(*first_failed)->WithContext(std::string(what) + " in " + dcs[*first_failed]->dc());
}

Status Coordinator::Advance(Phase to) {
  LOCKSTEP_ASSIGN_OR_RETURN(MigrationRecord record, store_.GetMigration(id_));
  Phase at = record.phase;
  for (DcExecutor* dc : dcs_) {
    // The barrier: every DC has reached `to`.
    if (CopyPhaseRank(dc->phase()) < CopyPhaseRank(to)) {
      return Status::Internal(dc->dc() + " is in phase " + PhaseName(dc->phase()) + ", not " +
                              PhaseName(to));
    }
  }
  while (CopyPhaseRank(at) < CopyPhaseRank(to)) {
    const Phase next = kCopyPhases[CopyPhaseRank(at) + 1];
    MainLogger()->info("migration {}: {} -> {}", id_, PhaseName(at), PhaseName(next));
    LOCKSTEP_RETURN_IF_ERROR(
        store_.TransitionPhase(id_, at, next, actor_, "every DC is " + std::string(PhaseName(next))));
    at = next;
  }
  return Status::Ok();
}

Status Coordinator::CheckOperators(const std::string& before) {
  bool said = false;
  while (true) {
    LOCKSTEP_ASSIGN_OR_RETURN(OperatorState wish, operators_.Poll());
    if (committed_) {
      // After COMMIT the migration only rolls forward: an abort or a pause
      // would leave the DCs on different schemas.
      if ((wish.abort_reason || wish.paused) && !said_committed_) {
        said_committed_ = true;
        const std::string what = wish.abort_reason ? "abort" : "pause";
        MainLogger()->warn("migration {}: the {} is ignored: COMMIT is recorded and every DC is renamed "
                           "before anything else ({})", id_, what,
                           wish.abort_reason.value_or(wish.pause_reason));
        (void)store_.AppendEvent({id_, actor_, "operator_command_ignored", std::nullopt,
                                  what + " ignored: COMMIT is recorded, the cut-over only rolls forward",
                                  wish.abort_reason ? wish.abort_why : wish.pause_reason});
      }
      return Status::Ok();
    }
    if (wish.abort_reason) {
      operator_abort_ = OperatorAbort{wish.abort_actor, wish.abort_why};
      return Status::Conflict(before + " not started: " + *wish.abort_reason);
    }
    if (!wish.paused) return Status::Ok();
    if (!said) {
      MainLogger()->info("migration {}: {} waits: {}", id_, before, wish.pause_reason);
      said = true;
    }
    sleeper_.SleepFor(500);
  }
}

Status Coordinator::CreateShadows() {
  LOCKSTEP_RETURN_IF_ERROR(OnEveryDc("creating the shadow table", [](DcExecutor& dc) { return dc.Open(); }));
  LOCKSTEP_ASSIGN_OR_RETURN(MigrationRecord record, store_.GetMigration(id_));
  if (record.phase == Phase::kPlanned) return Advance(Phase::kShadowCreated);
  return Status::Ok();
}

Status Coordinator::CopyRows() {
  LOCKSTEP_ASSIGN_OR_RETURN(MigrationRecord record, store_.GetMigration(id_));
  if (record.phase == Phase::kShadowCreated) {
    // The migration copies from the moment the first DC may start.
    MainLogger()->info("migration {}: shadow_created -> copying", id_);
    LOCKSTEP_RETURN_IF_ERROR(store_.TransitionPhase(id_, Phase::kShadowCreated, Phase::kCopying,
                                                    actor_, "copying rows in every DC"));
  }
  // A DC that copied everything before a restart is not held back by, nor
  // holds back, the others.
  for (const DcExecutor* dc : dcs_) {
    if (CopyPhaseRank(dc->phase()) > CopyPhaseRank(Phase::kCopying)) pacing_.Finished(dc->dc());
  }
  Status copied = OnEveryDc("the copy", [this](DcExecutor& dc) { return dc.Copy(pacing_); });
  if (!copied.ok()) {
    if (copied.IsConflict()) (void)CheckOperators("the copy");  // names the operator's abort
    return copied;
  }
  return Advance(Phase::kVerifying);
}

Status Coordinator::Verify() {
  for (const DcExecutor* dc : dcs_) pacing_.Finished(dc->dc());  // past the copy's barrier
  Status verified = OnEveryDc("the checksum", [this](DcExecutor& dc) { return dc.Verify(pacing_); });
  if (!verified.ok()) {
    if (verified.IsConflict()) (void)CheckOperators("the checksum");
    return verified;
  }
  return Advance(Phase::kReady);
}

Status Coordinator::CommitOutcomes(const std::vector<DcExecutor*>& dcs,
                                   const std::function<Status(size_t)>& outcome) {
  for (size_t i = 0; i < dcs.size(); ++i) {
    Status s = outcome(i);
    if (s.ok() || s.IsUnavailable()) continue;  // renamed, or released: rolls forward
    if (dcs[i]->phase() == Phase::kCutOver) {
      // Renamed, but the binlog found writes left in `_t_old`: the other
      // DCs are renamed all the same, then this is reported.
      if (!renamed_with_complaint_) renamed_with_complaint_ = s;
      continue;
    }
    return s;  // an outcome that is not clear: stop and ask
  }
  return Status::Ok();
}

void Coordinator::RecordReport(int64_t attempt_id, const std::vector<DcExecutor*>& dcs) {
  for (const DcExecutor* dc : dcs) {
    executor::DcCutoverResult result = dc->CutoverResult();
    DcLogger(dc->dc())->info("cut-over report: {}", executor::CutoverReportLine(result));
    committed_report_[dc->dc()] = std::move(result);
  }
  std::vector<executor::DcCutoverResult> results;
  for (const auto& [name, result] : committed_report_) results.push_back(result);
  // The report must not hold up the renames.
  if (Status recorded = store_.RecordCutoverTimings(attempt_id, executor::CutoverReportJson(results));
      !recorded.ok()) {
    MainLogger()->warn("migration {}: the cut-over report was not recorded: {}", id_, recorded.ToString());
  }
}

Status Coordinator::BackOut(int64_t attempt_id, const std::vector<DcExecutor*>& dcs) {
  std::vector<executor::DcCutoverResult> results;
  for (const DcExecutor* dc : dcs) results.push_back(dc->CutoverResult());
  LOCKSTEP_RETURN_IF_ERROR(store_.RecordCutoverTimings(attempt_id, executor::CutoverReportJson(results)));
  for (DcExecutor* dc : dcs) LOCKSTEP_RETURN_IF_ERROR(dc->BackOut());
  MainLogger()->info("migration {}: cutting_over -> ready", id_);
  return store_.TransitionPhase(id_, Phase::kCuttingOver, Phase::kReady, actor_, "attempt aborted");
}

// After a restart inside the cut-over: the sessions died with the process,
// so every lock is gone and a queued RENAME was abandoned. An undecided
// attempt is aborted everywhere; after a recorded COMMIT, the DCs found
// renamed are recorded so, and the others are renamed by CutOver().
Status Coordinator::RecoverCutover() {
  LOCKSTEP_ASSIGN_OR_RETURN(std::vector<CutoverAttempt> attempts, store_.ListCutoverAttempts(id_));
  const bool committed = !attempts.empty() && attempts.back().decision == CutoverDecision::kCommit;
  if (!attempts.empty() && attempts.back().decision == CutoverDecision::kPending) {
    LOCKSTEP_RETURN_IF_ERROR(store_.DecideCutoverAttempt(attempts.back().id, CutoverDecision::kAbort,
                                                         std::nullopt, actor_,
                                                         "lockstep restarted during the attempt"));
  }
  for (DcExecutor* dc : dcs_) {
    LOCKSTEP_RETURN_IF_ERROR(dc->Reconcile(committed));
  }
  if (committed) {
    committed_ = attempts.back().id;
    if (NotCutOver().empty()) {
      MainLogger()->info("migration {}: cutting_over -> cut_over", id_);
      return store_.TransitionPhase(id_, Phase::kCuttingOver, Phase::kCutOver, actor_,
                                    "every DC found renamed after a restart");
    }
    return Status::Ok();  // CutOver() renames the rest: COMMIT only rolls forward
  }
  for (DcExecutor* dc : dcs_) LOCKSTEP_RETURN_IF_ERROR(dc->BackOut());
  MainLogger()->info("migration {}: cutting_over -> ready (restarted before any DC renamed)", id_);
  return store_.TransitionPhase(id_, Phase::kCuttingOver, Phase::kReady, actor_, "restarted");
}

namespace {

// Worth another attempt: a lock or drain that timed out, a session that
// died or could not connect, another session holding `_t_new` for a moment.
// Anything else (a missing table, a check that failed) would fail the same
// way again. (An operator's abort is read by CheckOperators, not here.)
bool Retryable(const Status& s) {
  return s.IsTimeout() || s.IsDbError() || s.IsUnavailable() || s.IsConflict();
}

// Releases `dcs`, each on its own thread: every lock goes at once.
void ReleaseAll(const std::vector<DcExecutor*>& dcs) {
  if (dcs.empty()) return;
  DcTasks releases(dcs, [](DcExecutor& dc) { return dc.Release(); });
  releases.Join();
}

}  // namespace

Status Coordinator::CutOver() {
  LOCKSTEP_ASSIGN_OR_RETURN(MigrationRecord record, store_.GetMigration(id_));
  if (record.phase == Phase::kCuttingOver && !committed_) {
    return Status::Internal("cutting_over without a committed attempt after a restart");
  }
  if (!committed_) LOCKSTEP_RETURN_IF_ERROR(DecideCutover());
  if (!committed_) return Status::FailedPrecondition("no cut-over attempt was committed");
  Status rolled = RollForward();
  // A DC renamed with a witness's complaint is reported once every other DC
  // is renamed too.
  if (rolled.ok() && renamed_with_complaint_) return *renamed_with_complaint_;
  return rolled;
}

Status Coordinator::DecideCutover() {
  int64_t backoff = config_.first_backoff_ms;
  Status last;
  for (int attempt = 1; attempt <= config_.cutover_attempts; ++attempt) {
    if (attempt > 1) {
      MainLogger()->warn("migration {}: cut-over attempt {} failed: {}; retrying in {} ms", id_,
                         attempt - 1, last.ToString(), backoff);
      sleeper_.SleepFor(backoff);
      backoff *= 2;
    }
    LOCKSTEP_RETURN_IF_ERROR(CheckOperators("the cut-over"));
    const std::vector<DcExecutor*> dcs = NotCutOver();
    // Catch up unlocked first, so that under the lock each applier drains
    // only what was written while the locks were taken.
    if (Status caught_up = OnEveryDc("catching up", [](DcExecutor& dc) { return dc.CatchUp(true); });
        !caught_up.ok()) {
      if (caught_up.IsConflict()) {
        LOCKSTEP_RETURN_IF_ERROR(CheckOperators("the cut-over"));  // an operator's abort
        return caught_up;
      }
      if (!Retryable(caught_up)) return caught_up;
      last = caught_up.WithContext("catching up before the cut-over");
      continue;
    }
    MainLogger()->info("migration {}: ready -> cutting_over", id_);
    LOCKSTEP_RETURN_IF_ERROR(store_.TransitionPhase(id_, Phase::kReady, Phase::kCuttingOver, actor_,
                                                    "cut-over attempt " + std::to_string(attempt)));
    LOCKSTEP_ASSIGN_OR_RETURN(CutoverAttempt begun,
                              store_.BeginCutoverAttempt(id_, config_.cutover_window_ms, actor_));

    // Prepare: every DC locks t and drains its applier, in parallel. The
    // first failure, or the deadline, ends the wait: the DCs already READY
    // are released at once, not when the slowest answers.
    const int64_t deadline = clock_.NowMillis() + config_.ReadyBudgetMs();
    std::optional<DcTasks> prepares;
    prepares.emplace(dcs, [](DcExecutor& dc) { return dc.Prepare(); });
    const bool all_returned = prepares->WaitUntil(clock_, deadline);
    std::optional<Status> failed;
    for (size_t i = 0; i < dcs.size(); ++i) {
      std::optional<Status> r = prepares->result(i);
      // The failure that would fail again wins: it ends the retries.
      if (r && !r->ok() && (!failed || (Retryable(*failed) && !Retryable(*r)))) {
        failed = r->WithContext("prepare in " + dcs[i]->dc());
      }
    }
    if (!failed && (!all_returned || clock_.NowMillis() > deadline)) {
      std::string late;
      for (size_t i = 0; i < dcs.size(); ++i) {
        if (!prepares->result(i)) late += (late.empty() ? "" : ", ") + dcs[i]->dc();
      }
      failed = Status::Timeout("not READY within " + std::to_string(config_.ReadyBudgetMs()) + " ms of the " +
                               std::to_string(config_.cutover_window_ms) + " ms window: " +
                               (late.empty() ? "the last DC was READY too late" : late));
    }
    if (failed) {
      last = *failed;
      std::vector<DcExecutor*> returned, running;
      for (size_t i = 0; i < dcs.size(); ++i) (prepares->result(i) ? returned : running).push_back(dcs[i]);
      ReleaseAll(returned);
      // Decided before waiting for a late DC, which may take as long as its
      // session's timeouts: nothing can commit this attempt any more.
      LOCKSTEP_RETURN_IF_ERROR(store_.DecideCutoverAttempt(begun.id, CutoverDecision::kAbort,
                                                           std::nullopt, actor_, last.ToString()));
      prepares->Join();
      ReleaseAll(running);
      for (size_t i = 0; i < dcs.size(); ++i) {
        const Status r = *prepares->result(i);  // a late DC's too, now
        if (!r.ok() && Retryable(last) && !Retryable(r)) last = r.WithContext("prepare in " + dcs[i]->dc());
      }
      prepares.reset();
      LOCKSTEP_RETURN_IF_ERROR(BackOut(begun.id, dcs));
      if (!Retryable(last)) return last.WithContext("the cut-over attempt was aborted");
      continue;
    }
    prepares.reset();

    // Every DC READY: persist before acting, then rename everywhere at once.
    if (Status decided = store_.DecideCutoverAttempt(begun.id, CutoverDecision::kCommit, std::nullopt,
                                                     actor_, "ready");
        !decided.ok()) {
      // Not recorded (the state file busy, the window closed): nothing may be
      // renamed on it. Let every DC go, then see what the store holds.
      ReleaseAll(dcs);
      LOCKSTEP_ASSIGN_OR_RETURN(std::vector<CutoverAttempt> now, store_.ListCutoverAttempts(id_));
      if (!now.empty() && now.back().id == begun.id && now.back().decision == CutoverDecision::kCommit) {
        committed_ = begun.id;  // it was recorded after all: roll forward
        return Status::Ok();
      }
      last = decided.WithContext("recording COMMIT");
      LOCKSTEP_RETURN_IF_ERROR(store_.DecideCutoverAttempt(begun.id, CutoverDecision::kAbort, std::nullopt,
                                                           actor_, last.ToString()));
      LOCKSTEP_RETURN_IF_ERROR(BackOut(begun.id, dcs));
      continue;
    }
    committed_ = begun.id;
    Failpoint("after_commit_recorded");  // crash tests: COMMIT recorded, nothing renamed
    DcTasks commits(dcs, [](DcExecutor& dc) { return dc.Commit(); });
    commits.Join();
    RecordReport(*committed_, dcs);
    return CommitOutcomes(dcs, [&commits](size_t i) { return *commits.result(i); });
  }
  const std::string reason = "the cut-over failed " + std::to_string(config_.cutover_attempts) +
                             " times; last: " + last.ToString();
  LOCKSTEP_RETURN_IF_ERROR(store_.SetPaused(id_, true, actor_, reason));
  return last.WithContext("the cut-over failed " + std::to_string(config_.cutover_attempts) +
                          " times; the migration is paused (lockstep resume --table ... continues it)");
}

// After COMMIT: every DC not yet renamed is caught up, prepared and renamed
// on its own, again after a backoff as long as what stops it may pass (a
// lock wait, a session that died, a DC that did not answer); the decision is
// never taken again. A DC renamed with a witness's complaint, or with an
// outcome that is not clear, stops and asks.
Status Coordinator::RollForward() {
  const std::vector<DcExecutor*> dcs = NotCutOver();
  if (!dcs.empty()) {
    DcTasks rolls(dcs, [this](DcExecutor& dc) -> Status {
      int64_t backoff = config_.first_backoff_ms;
      Status s;
      for (int round = 1; round <= kRollForwardRounds; ++round) {
        s = dc.CatchUp(false);
        if (s.ok()) s = dc.Prepare();
        if (s.ok()) {
          s = dc.Commit();
          if (s.ok() || !s.IsUnavailable()) return s;
        } else {
          (void)dc.Release();
          if (!Retryable(s)) return s;
        }
        DcLogger(dc.dc())->warn("COMMIT is recorded; renaming {} failed ({}), round {}; again in {} ms",
                                dc.dc(), s.ToString(), round, backoff);
        sleeper_.SleepFor(backoff);
        backoff = std::min<int64_t>(backoff * 2, kMaxRollForwardBackoffMs);
      }
      // Left to `lockstep resume`, which opens every session anew.
      return s.WithContext("not renamed after " + std::to_string(kRollForwardRounds) + " rounds");
    });
    rolls.Join();
    RecordReport(*committed_, dcs);
    LOCKSTEP_RETURN_IF_ERROR(CommitOutcomes(dcs, [&rolls](size_t i) { return *rolls.result(i); }));
    for (const DcExecutor* dc : dcs) {
      if (dc->phase() != Phase::kCutOver) {
        return Status::Unavailable("COMMIT is recorded and " + dc->dc() + " is not renamed yet: run "
                                   "'lockstep resume' to finish it");
      }
    }
  }
  if (!NotCutOver().empty()) return Status::Internal("a DC is not renamed after COMMIT");
  LOCKSTEP_ASSIGN_OR_RETURN(MigrationRecord record, store_.GetMigration(id_));
  if (record.phase != Phase::kCuttingOver) return Status::Ok();
  MainLogger()->info("migration {}: cutting_over -> cut_over", id_);
  return store_.TransitionPhase(id_, Phase::kCuttingOver, Phase::kCutOver, actor_, "renamed in every DC");
}

}  // namespace lockstep

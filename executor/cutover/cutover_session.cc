#include "executor/cutover/cutover_session.h"

#include <mysqld_error.h>

#include <set>

#include "common/failpoint.h"
#include "db/artifact_names.h"
#include "db/cutover_sql.h"
#include "db/sql.h"

namespace lockstep::executor {
namespace {

// max_statement_time exceeded (ER_STATEMENT_TIMEOUT).
constexpr unsigned kStatementTimeout = 1969;

Result<std::optional<uint64_t>> AutoIncrementOf(Connection& conn, const std::string& schema,
                                                const std::string& table) {
  LOCKSTEP_ASSIGN_OR_RETURN(QueryResult r, conn.Query(sql::TableAutoIncrement(schema, table)));
  if (r.rows.empty() || !r.rows[0][0]) return std::optional<uint64_t>();
  return std::optional<uint64_t>(std::stoull(*r.rows[0][0]));
}

}  // namespace

const char* CutoverStateName(CutoverState state) {
  switch (state) {
    case CutoverState::kIdle: return "idle";
    case CutoverState::kReady: return "ready";
    case CutoverState::kCommitted: return "committed";
    case CutoverState::kAborted: return "aborted";
    case CutoverState::kUnknown: return "unknown";
  }
  return "?";
}

CutoverSession::CutoverSession(ConnectionFactory& factory, DcConfig dc, ArtifactRecorder& recorder,
                               ApplierDrain& applier, RenameWitness& witness, const Clock& clock,
                               Sleeper& sleeper, CutoverConfig config)
    : factory_(factory),
      dc_(std::move(dc)),
      recorder_(recorder),
      applier_(applier),
      witness_(witness),
      clock_(clock),
      sleeper_(sleeper),
      config_(std::move(config)),
      shadow_(ShadowTableName(config_.table)),
      old_(OldTableName(config_.table)) {}

CutoverSession::~CutoverSession() {
  if (state_ == CutoverState::kReady || rename_ != nullptr || lock_conn_ != nullptr || sentry_live_) {
    (void)Abort();
  }
}

Status CutoverSession::Connect() {
  LOCKSTEP_ASSIGN_OR_RETURN(lock_conn_, factory_.Connect(dc_));
  LOCKSTEP_ASSIGN_OR_RETURN(rename_conn_, factory_.Connect(dc_));
  LOCKSTEP_ASSIGN_OR_RETURN(monitor_conn_, factory_.Connect(dc_));
  LOCKSTEP_ASSIGN_OR_RETURN(std::optional<std::string> id, rename_conn_->QueryValue(sql::ConnectionId()));
  rename_conn_id_ = std::stoull(id.value_or("0"));
  LOCKSTEP_ASSIGN_OR_RETURN(id, lock_conn_->QueryValue(sql::ConnectionId()));
  lock_conn_id_ = std::stoull(id.value_or("0"));
  // A idles under the lock at most the budget; longer means lockstep hangs.
  LOCKSTEP_RETURN_IF_ERROR(lock_conn_->Execute(
      sql::SetWaitTimeout(static_cast<unsigned>((config_.hold_budget_ms + 999) / 1000) + 1)));
  return rename_conn_->Execute(sql::SetLockWaitTimeout(config_.rename_lock_wait_s));
}

Status CutoverSession::CheckTables() {
  LOCKSTEP_ASSIGN_OR_RETURN(QueryResult r, monitor_conn_->Query(sql::ExistingTables(
                                               config_.schema, {config_.table, shadow_, old_})));
  std::set<std::string> present;
  for (const auto& row : r.rows) present.insert(row[0].value_or(""));
  if (!present.count(config_.table) || !present.count(shadow_)) {
    return Status::FailedPrecondition("cut-over needs " + config_.table + " and " + shadow_ +
                                      " in " + config_.schema);
  }
  if (present.count(old_)) {
    // A sentry left by an attempt whose process died: ours to remove.
    LOCKSTEP_ASSIGN_OR_RETURN(std::optional<std::string> comment,
                              monitor_conn_->QueryValue(sql::TableComment(config_.schema, old_)));
    if (comment != std::optional<std::string>(sql::kSentryComment)) {
      return Status::FailedPrecondition(config_.schema + "." + old_ +
                                        " exists (kept from an earlier change?): drop it first");
    }
    sentry_live_ = true;
    LOCKSTEP_RETURN_IF_ERROR(RemoveSentry());
  }
  return Status::Ok();
}

Status CutoverSession::PlaceSentry() {
  LOCKSTEP_RETURN_IF_ERROR(recorder_.Planned(ArtifactKind::kSentry, config_.schema, old_));
  sentry_live_ = true;
  LOCKSTEP_RETURN_IF_ERROR(monitor_conn_->Execute(sql::CreateSentry(config_.schema, old_)));
  return recorder_.Created(ArtifactKind::kSentry, config_.schema, old_);
}

Status CutoverSession::RemoveSentry() {
  if (!sentry_live_) return Status::Ok();
  std::unique_ptr<Connection> fresh;
  Connection* conn = monitor_conn_.get();
  if (conn == nullptr || !conn->Query(sql::ConnectionId()).ok()) {
    LOCKSTEP_ASSIGN_OR_RETURN(fresh, factory_.Connect(dc_));
    conn = fresh.get();
  }
  LOCKSTEP_ASSIGN_OR_RETURN(std::optional<std::string> comment,
                            conn->QueryValue(sql::TableComment(config_.schema, old_)));
  if (comment == std::optional<std::string>(sql::kSentryComment)) {
    LOCKSTEP_RETURN_IF_ERROR(conn->Execute(sql::DropTable(config_.schema, old_)));
  } else if (comment) {
    return Status::Internal(config_.schema + "." + old_ + " is no longer the sentry");
  }
  LOCKSTEP_RETURN_IF_ERROR(recorder_.Dropped(ArtifactKind::kSentry, config_.schema, old_));
  sentry_live_ = false;
  return Status::Ok();
}

Status CutoverSession::Prepare() {
  if (state_ != CutoverState::kIdle) {
    return Status::FailedPrecondition(std::string("Prepare() in state ") + CutoverStateName(state_));
  }
  const int64_t start = Now();
  if (!(shadow_ < config_.table)) {
    return Status::FailedPrecondition(
        "table name `" + config_.table + "` sorts before `" + shadow_ +
        "`: the cut-over cannot prove that its RENAME waits on the table itself");
  }
  if (Status st = Connect(); !st.ok()) return ReleaseAfterFailure(st);
  if (Status st = CheckTables(); !st.ok()) return ReleaseAfterFailure(st);

  if (Status st = PlaceSentry(); !st.ok()) return ReleaseAfterFailure(st);

  const int64_t asked = Now();
  // WRITE first: it waits for every open transaction that used t, readers
  // too, and gives up after lock_wait_ms. A reader left holding t would
  // later keep the RENAME, and the writes queued behind it, waiting.
  Status locked = lock_conn_->Execute(sql::LockTableAndSentry(
      config_.schema, config_.table, old_, sql::TableLockMode::kWrite, config_.lock_wait_ms));
  if (locked.ok()) {
    locked = lock_conn_->Execute(sql::LockTableAndSentry(
        config_.schema, config_.table, old_, sql::TableLockMode::kRead, config_.lock_wait_ms));
  }
  report_.timings.lock_wait_ms = Now() - asked;
  if (!locked.ok()) {
    return ReleaseAfterFailure(locked.WithContext(
        "LOCK TABLES " + config_.table + " not granted within " +
        std::to_string(config_.lock_wait_ms) + " ms (a long transaction on the table?)"));
  }
  locked_at_ = Now();

  auto gtid = lock_conn_->QueryValue(sql::GtidBinlogPos());
  if (!gtid.ok()) return ReleaseAfterFailure(gtid.status());
  report_.gtid_binlog_pos = gtid->value_or("");
  const int64_t drain_start = Now();
  Status drained = applier_.DrainApplierTo(report_.gtid_binlog_pos,
                                           std::min(config_.drain_timeout_ms, Remaining()));
  report_.timings.drain_ms = Now() - drain_start;
  if (!drained.ok()) return ReleaseAfterFailure(drained.WithContext("draining the applier"));

  if (Status st = RaiseAutoIncrement(); !st.ok()) return ReleaseAfterFailure(st);
  // Nobody else may hold _t_new exclusively now, or Commit's probe would
  // mistake them for the RENAME.
  Result<bool> held = ShadowHeldExclusively();
  if (!held.ok()) return ReleaseAfterFailure(held.status());
  if (*held) {
    return ReleaseAfterFailure(Status::Conflict("another session holds an exclusive lock on " + shadow_));
  }
  if (Remaining() <= 0) {
    return ReleaseAfterFailure(Status::Timeout(
        "preparing took the whole cut-over budget of " + std::to_string(config_.hold_budget_ms) + " ms"));
  }
  state_ = CutoverState::kReady;
  report_.timings.prepare_ms = Now() - start;
  return Status::Ok();
}

Status CutoverSession::RaiseAutoIncrement() {
  // t is write-locked: its counter cannot move until the rename.
  LOCKSTEP_ASSIGN_OR_RETURN(report_.auto_increment,
                            AutoIncrementOf(*lock_conn_, config_.schema, config_.table));
  if (!report_.auto_increment) return Status::Ok();
  LOCKSTEP_ASSIGN_OR_RETURN(std::optional<uint64_t> shadow,
                            AutoIncrementOf(*monitor_conn_, config_.schema, shadow_));
  if (shadow && *shadow >= *report_.auto_increment) return Status::Ok();
  // Bounded: a session holding _t_new must not keep t locked past the budget.
  LOCKSTEP_RETURN_IF_ERROR(monitor_conn_
                               ->Execute(sql::SetAutoIncrementWithin(config_.schema, shadow_,
                                                                     *report_.auto_increment,
                                                                     Remaining()))
                               .WithContext("raising " + shadow_ + "'s AUTO_INCREMENT under the lock"));
  report_.auto_increment_raised = true;
  LOCKSTEP_ASSIGN_OR_RETURN(shadow, AutoIncrementOf(*monitor_conn_, config_.schema, shadow_));
  if (!shadow || *shadow < *report_.auto_increment) {
    return Status::FailedPrecondition("AUTO_INCREMENT of " + shadow_ + " stays below " +
                                      std::to_string(*report_.auto_increment));
  }
  return Status::Ok();
}

Result<bool> CutoverSession::ShadowHeldExclusively() {
  LOCKSTEP_RETURN_IF_ERROR(lock_conn_->Query(sql::TableAutoIncrement(config_.schema, shadow_)).status());
  LOCKSTEP_ASSIGN_OR_RETURN(QueryResult warnings, lock_conn_->Query(sql::ShowWarnings()));
  for (size_t i = 0; i < warnings.rows.size(); ++i) {
    if (warnings.Get(i, "Code") == std::to_string(ER_WARN_I_S_SKIPPED_TABLE)) return true;
  }
  return false;
}

std::string CutoverSession::ShadowLockSuspects() {
  auto has_plugin = monitor_conn_->QueryValue(sql::InformationSchemaTableExists("METADATA_LOCK_INFO"));
  if (!has_plugin.ok()) return "";
  if (has_plugin->value_or("0") != "0") {
    auto holders = monitor_conn_->Query(sql::MetadataLockHolders(config_.schema, shadow_));
    if (!holders.ok()) return "";
    std::string ids;
    for (size_t i = 0; i < holders->rows.size(); ++i) {
      const std::string id = holders->Get(i, "THREAD_ID").value_or("?");
      if (id == std::to_string(rename_conn_id_)) continue;
      ids += (ids.empty() ? "" : ", ") + id;
    }
    return ids.empty() ? "" : " (threads holding " + shadow_ + ": " + ids + ")";
  }
  auto trx = monitor_conn_->Query(sql::InnodbTransactions());
  if (!trx.ok()) return "";
  std::string oldest;
  int listed = 0;
  for (size_t i = 0; i < trx->rows.size() && listed < 3; ++i) {
    const std::string id = trx->Get(i, "thread_id").value_or("?");
    if (id == std::to_string(rename_conn_id_) || id == std::to_string(lock_conn_id_)) continue;
    oldest += std::string(listed++ ? "; " : "") + "thread " + id + ", " +
              trx->Get(i, "age_ms").value_or("?") + " ms, " + trx->Get(i, "state").value_or("") +
              (trx->Get(i, "query").value_or("").empty() ? "" : ": " + *trx->Get(i, "query"));
  }
  return oldest.empty() ? " (no open transaction: a statement, or InnoDB's purge of " + shadow_ +
                              "'s undo, held it for a moment)"
                        : " (oldest open transactions: " + oldest + ")";
}

Status CutoverSession::RenameFailedEarly() {
  Status st = rename_->Wait(0).value_or(Status::Internal("RENAME result lost"));
  // It cannot have succeeded while A holds t.
  return st.ok() ? Status::Internal("RENAME finished while the table was locked")
                 : st.WithContext("RENAME failed before the unlock");
}

Status CutoverSession::WaitRenameHoldsShadow() {
  auto behind_shadow_lock = [this] {
    return Status::Conflict("the RENAME waited the rest of the " + std::to_string(config_.hold_budget_ms) +
                            " ms budget behind another session's lock on " + shadow_ +
                            " (an open transaction or a backup). Released; retry later" +
                            ShadowLockSuspects());
  };
  while (true) {
    if (rename_->Done()) {
      Status early = RenameFailedEarly();
      // Its max_statement_time is the rest of the budget: it ran out while
      // waiting for _t_new, as the poll below would have found a moment later.
      if (early.server_errno() == kStatementTimeout) return behind_shadow_lock();
      return early;
    }
    // Polled until it turns: once B holds _t_new its remaining locks are A's.
    LOCKSTEP_ASSIGN_OR_RETURN(bool held, ShadowHeldExclusively());
    if (held) return Status::Ok();
    if (Remaining() <= 0) return behind_shadow_lock();
    sleeper_.SleepFor(config_.poll_ms);
  }
}

Status CutoverSession::WaitRenameQueuedOnTable() {
  while (true) {
    if (rename_->Done()) return RenameFailedEarly();
    Status probe = monitor_conn_->Execute(sql::PendingExclusiveProbe(config_.schema, config_.table));
    if (probe.server_errno() == ER_LOCK_WAIT_TIMEOUT) return Status::Ok();
    LOCKSTEP_RETURN_IF_ERROR(probe);
    if (Remaining() <= 0) {
      return Status::Timeout("the RENAME was not seen queued on " + config_.table + " within the " +
                             std::to_string(config_.hold_budget_ms) + " ms budget");
    }
    sleeper_.SleepFor(config_.poll_ms);
  }
}

Status CutoverSession::Commit() {
  if (state_ != CutoverState::kReady) {
    return Status::FailedPrecondition(std::string("Commit() in state ") + CutoverStateName(state_));
  }
  // Nobody else may wait for an exclusive lock on t: the unlock could grant
  // theirs before B's, and the probe below could not tell the two apart.
  if (Status probe = monitor_conn_->Execute(sql::PendingExclusiveProbe(config_.schema, config_.table));
      !probe.ok()) {
    return ReleaseAfterFailure(
        probe.server_errno() == ER_LOCK_WAIT_TIMEOUT
            ? Status::Conflict("another session waits for an exclusive lock on " + config_.table +
                               " (a DDL, or LOCK TABLES ... WRITE); released, retry later")
            : probe);
  }
  const int64_t issued = Now();
  // A reader of t that B must wait for after the unlock keeps writes queued
  // behind B: the budget bounds that too (B gives up, nothing renamed).
  if (Status st = rename_conn_->Execute(sql::SetMaxStatementTime(std::max<int64_t>(Remaining(), 1)));
      !st.ok()) {
    return ReleaseAfterFailure(st);
  }
  rename_ = std::make_unique<BackgroundStatement>(
      *rename_conn_, sql::CutoverRename(config_.schema, config_.table, old_, shadow_));
  if (Status st = WaitRenameHoldsShadow(); !st.ok()) return ReleaseAfterFailure(st);

  // Only A, still holding t, may take the sentry away. If A's session is
  // gone the DROP fails, the sentry stays, and the RENAME fails on it.
  if (Status st = lock_conn_->Execute(
          sql::DropTableWithin(config_.schema, old_, std::max<int64_t>(Remaining(), 1)));
      !st.ok()) {
    return ReleaseAfterFailure(st.WithContext("dropping the sentry under the lock"));
  }
  // B was handed _t_old by the DROP and must now ask for t: until its
  // request is queued there, an unlock would let queued writes in first.
  if (Status st = WaitRenameQueuedOnTable(); !st.ok()) return ReleaseAfterFailure(st);
  report_.timings.rename_queue_ms = Now() - issued;
  // Persist before acting: the unlock lets the rename make _t_old.
  Status recorded = recorder_.Dropped(ArtifactKind::kSentry, config_.schema, old_);
  if (recorded.ok()) {
    sentry_live_ = false;
    recorded = recorder_.Planned(ArtifactKind::kOld, config_.schema, old_);
  }
  if (!recorded.ok()) return ReleaseAfterFailure(recorded);
  old_planned_ = true;

  const int64_t unlocked_at = Now();
  // If A's connection is gone its locks went with it; the RENAME, queued on
  // t with priority over DML, runs either way. Its outcome is what counts.
  (void)lock_conn_->Execute(sql::UnlockTables());
  const int64_t patience_ms = static_cast<int64_t>(config_.rename_lock_wait_s) * 1000 + 5000;
  std::optional<Status> renamed = rename_->Wait(patience_ms);
  if (!renamed) {
    (void)monitor_conn_->Execute(sql::KillQuery(rename_conn_id_));
    renamed = rename_->Wait(patience_ms);
  }
  const int64_t returned_at = Now();
  report_.timings.rename_ms = returned_at - unlocked_at;
  report_.timings.writes_blocked_ms = returned_at - locked_at_;
  if (renamed && renamed->ok()) Failpoint("after_rename", dc_.name);  // crash tests: renamed, not recorded
  Status settled = SettleAfterRename(renamed.value_or(Status::Timeout("RENAME did not return")));
  if (state_ != CutoverState::kCommitted) return settled;
  // When the RENAME returned, not after its records: the skew between DCs
  // is the tables', not the state store's.
  report_.timings.renamed_at_ms = returned_at;
  // Renamed: the binlog's verdict first, whatever the records said.
  Status witnessed = WitnessRename();
  return witnessed.ok() ? settled : witnessed;
}

Status CutoverSession::WitnessRename() {
  const int64_t start = Now();
  constexpr int64_t kWitnessTimeoutMs = 30000;
  Result<WritesBeforeRename> seen = witness_.WritesBetween(
      report_.gtid_binlog_pos, sql::CutoverRename(config_.schema, config_.table, old_, shadow_),
      kWitnessTimeoutMs);
  report_.timings.witness_ms = Now() - start;
  if (!seen.ok()) {
    return seen.status().WithContext(config_.table + " was renamed, but whether a write reached "
                                     "the old table after the lock could not be read from the binlog");
  }
  report_.writes_before_rename = *seen;
  if (seen->gtids.empty()) return Status::Ok();
  std::string gtids;
  for (size_t i = 0; i < seen->gtids.size() && i < 20; ++i) gtids += (i ? ", " : "") + seen->gtids[i];
  if (seen->gtids.size() > 20) gtids += ", ...";
  return Status::Internal(
      config_.table + " was renamed, but " + std::to_string(seen->gtids.size()) + " transaction(s) (" +
      std::to_string(seen->rows) + " row change(s)) wrote to it after the lock and before the RENAME: "
      "they are in " + old_ + ", not in the new " + config_.table + " (GTIDs " + gtids +
      "). Stopped: reconcile them by hand before anything else");
}

Status CutoverSession::RecordRenamed() {
  if (sentry_live_) {
    LOCKSTEP_RETURN_IF_ERROR(recorder_.Dropped(ArtifactKind::kSentry, config_.schema, old_));
    sentry_live_ = false;
  }
  LOCKSTEP_RETURN_IF_ERROR(recorder_.Created(ArtifactKind::kOld, config_.schema, old_));
  // _t_new is now t: no longer an artifact.
  return recorder_.Dropped(ArtifactKind::kShadow, config_.schema, shadow_);
}

Status CutoverSession::SettleAfterRename(const Status& rename_status) {
  lock_conn_.reset();
  rename_.reset();
  rename_conn_.reset();
  CutoverState outcome = CutoverState::kCommitted;
  std::string tables;
  if (!rename_status.ok()) {
    // The statement failed or its reply was lost: the tables tell.
    auto r = monitor_conn_->Query(sql::ExistingTables(config_.schema, {config_.table, shadow_, old_}));
    std::set<std::string> present;
    if (r.ok()) {
      for (const auto& row : r->rows) present.insert(row[0].value_or(""));
      for (const auto& name : present) tables += (tables.empty() ? "" : ", ") + name;
    }
    if (r.ok() && present.count(config_.table) && present.count(old_) && !present.count(shadow_)) {
      outcome = CutoverState::kCommitted;
    } else if (r.ok() && present.count(config_.table) && present.count(shadow_)) {
      // Not renamed (the rename is atomic); a `_t_old` here is the sentry.
      outcome = CutoverState::kAborted;
    } else {
      outcome = CutoverState::kUnknown;
    }
  }
  monitor_conn_.reset();
  state_ = outcome;
  switch (outcome) {
    case CutoverState::kCommitted:
      return RecordRenamed();
    case CutoverState::kAborted:
      if (old_planned_) {
        old_planned_ = false;
        LOCKSTEP_RETURN_IF_ERROR(recorder_.Dropped(ArtifactKind::kOld, config_.schema, old_));
      }
      LOCKSTEP_RETURN_IF_ERROR(RemoveSentry());
      return rename_status.WithContext("RENAME failed after the unlock; " + config_.table +
                                       " is unchanged and writable");
    default:
      return Status::Internal("cut-over outcome unknown (" + rename_status.ToString() +
                              "; tables now: " + (tables.empty() ? "unreadable" : tables) +
                              "): do not retry, an operator must look");
  }
}

Status CutoverSession::ReleaseAfterFailure(const Status& cause) {
  Status aborted = Abort();
  // Renamed after all (the lock session died after dropping the sentry):
  // the rename's verdict is what counts.
  return state_ == CutoverState::kCommitted ? aborted : cause;
}

Status CutoverSession::Abort() {
  const int64_t patience_ms = static_cast<int64_t>(config_.rename_lock_wait_s) * 1000 + 5000;
  if (rename_ != nullptr && !rename_->Done() && monitor_conn_ != nullptr) {
    // Kill the queued RENAME before the unlock, never after.
    (void)monitor_conn_->Execute(sql::KillQuery(rename_conn_id_));
    if (!rename_->Wait(patience_ms)) {
      (void)monitor_conn_->Execute(sql::KillConnection(rename_conn_id_));
      (void)rename_->Wait(patience_ms);
    }
  }
  if (lock_conn_ != nullptr) {
    (void)lock_conn_->Execute(sql::UnlockTables());
    if (locked_at_ != 0 && report_.timings.writes_blocked_ms == 0) {
      report_.timings.writes_blocked_ms = Now() - locked_at_;
    }
  }
  // Closing the session releases whatever an UNLOCK that failed kept.
  lock_conn_.reset();
  std::optional<Status> renamed;
  if (rename_ != nullptr) {
    renamed = rename_->Wait(patience_ms);
    // Its outcome decides what happened, and resetting would join it anyway.
    while (!renamed) renamed = rename_->Wait(patience_ms);
  }
  rename_.reset();  // joins the thread
  rename_conn_.reset();
  if (renamed && renamed->ok()) {
    // Only possible once A dropped the sentry and its session died before
    // the kill: the rename is done.
    monitor_conn_.reset();
    state_ = CutoverState::kCommitted;
    report_.timings.writes_blocked_ms = Now() - locked_at_;
    report_.timings.renamed_at_ms = Now();
    Status recorded = RecordRenamed();
    // The lock session died after the sentry went: whether writes reached
    // the old table is for the binlog to say.
    Status witnessed = WitnessRename();
    return witnessed.ok() ? recorded : witnessed;
  }
  if (state_ != CutoverState::kCommitted && state_ != CutoverState::kUnknown) {
    state_ = CutoverState::kAborted;
  }
  Status result = Status::Ok();
  if (old_planned_ && state_ == CutoverState::kAborted) {
    old_planned_ = false;
    result = recorder_.Dropped(ArtifactKind::kOld, config_.schema, old_);
  }
  if (state_ == CutoverState::kAborted) {
    // Best effort: the next attempt removes a sentry left here.
    Status removed = RemoveSentry();
    if (result.ok()) result = removed;
  }
  monitor_conn_.reset();
  return result;
}

}  // namespace lockstep::executor

#include "executor/cutover/cutover_session.h"

#include <mysqld_error.h>

#include <set>

#include "db/artifact_names.h"
#include "db/cutover_sql.h"
#include "db/sql.h"

namespace lockstep::executor {
namespace {

constexpr const char* kWaitingForMetadataLock = "Waiting for table metadata lock";

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
                               ApplierDrain& applier, const Clock& clock, Sleeper& sleeper,
                               CutoverConfig config)
    : factory_(factory),
      dc_(std::move(dc)),
      recorder_(recorder),
      applier_(applier),
      clock_(clock),
      sleeper_(sleeper),
      config_(std::move(config)),
      shadow_(ShadowTableName(config_.table)),
      old_(OldTableName(config_.table)) {}

CutoverSession::~CutoverSession() {
  if (state_ == CutoverState::kReady || rename_ != nullptr || lock_conn_ != nullptr) {
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
    return Status::FailedPrecondition(config_.schema + "." + old_ +
                                      " exists (kept from an earlier change?): drop it first");
  }
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

  const int64_t asked = Now();
  Status locked = lock_conn_->Execute(sql::LockTableForWrite(config_.schema, config_.table,
                                                             config_.lock_wait_ms));
  report_.timings.lock_wait_ms = Now() - asked;
  if (!locked.ok()) {
    return ReleaseAfterFailure(locked.WithContext(
        "LOCK TABLES " + config_.table + " WRITE not granted within " +
        std::to_string(config_.lock_wait_ms) + " ms (a long transaction on the table?)"));
  }
  locked_at_ = Now();

  auto gtid = lock_conn_->QueryValue(sql::GtidBinlogPos());
  if (!gtid.ok()) return ReleaseAfterFailure(gtid.status());
  report_.gtid_binlog_pos = gtid->value_or("");
  const int64_t drain_start = Now();
  Status drained = applier_.DrainApplierTo(report_.gtid_binlog_pos, config_.drain_timeout_ms);
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
  LOCKSTEP_RETURN_IF_ERROR(monitor_conn_->Execute(
      sql::SetAutoIncrement(config_.schema, shadow_, *report_.auto_increment)));
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

Status CutoverSession::WaitRenameQueued() {
  const int64_t deadline = Now() + config_.rename_queue_timeout_ms;
  while (true) {
    if (rename_->Done()) {
      Status st = rename_->Wait(0).value_or(Status::Internal("RENAME result lost"));
      // It cannot have succeeded while t is locked.
      return st.ok() ? Status::Internal("RENAME finished while the table was locked")
                     : st.WithContext("RENAME failed before the unlock");
    }
    LOCKSTEP_ASSIGN_OR_RETURN(QueryResult r, monitor_conn_->Query(sql::ThreadState(rename_conn_id_)));
    if (r.Get(0, "STATE") == std::optional<std::string>(kWaitingForMetadataLock)) return Status::Ok();
    if (Now() >= deadline) {
      return Status::Timeout("RENAME not seen waiting for the lock within " +
                             std::to_string(config_.rename_queue_timeout_ms) + " ms");
    }
    sleeper_.SleepFor(config_.poll_ms);
  }
}

Status CutoverSession::Commit() {
  if (state_ != CutoverState::kReady) {
    return Status::FailedPrecondition(std::string("Commit() in state ") + CutoverStateName(state_));
  }
  if (Status st = recorder_.Planned(ArtifactKind::kOld, config_.schema, old_); !st.ok()) {
    return ReleaseAfterFailure(st);
  }
  old_planned_ = true;
  const int64_t issued = Now();
  rename_ = std::make_unique<BackgroundStatement>(
      *rename_conn_, sql::CutoverRename(config_.schema, config_.table, old_, shadow_));
  if (Status st = WaitRenameQueued(); !st.ok()) return ReleaseAfterFailure(st);
  // Looked at once, not polled until it turns: a RENAME that waited on
  // _t_new and was just granted it has not yet asked for t, and no probe
  // without performance_schema tells the two apart; unlocking then would let
  // the queued writes into the old t. A holder of a moment (InnoDB's purge,
  // most likely, in run s10b) costs a retry instead.
  Result<bool> held = ShadowHeldExclusively();
  if (!held.ok()) return ReleaseAfterFailure(held.status());
  if (!*held) {
    return ReleaseAfterFailure(Status::Conflict(
        "the RENAME is queued behind another session's lock on " + shadow_ +
        " (an open transaction or a backup), not on " + config_.table +
        ": unlocking could let writes in before it. Released; retry later" +
        ShadowLockSuspects()));
  }
  report_.timings.rename_queue_ms = Now() - issued;

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
  report_.timings.rename_ms = Now() - unlocked_at;
  report_.timings.writes_blocked_ms = Now() - locked_at_;
  return SettleAfterRename(renamed.value_or(Status::Timeout("RENAME did not return")));
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
    } else if (r.ok() && present.count(config_.table) && present.count(shadow_) && !present.count(old_)) {
      outcome = CutoverState::kAborted;
    } else {
      outcome = CutoverState::kUnknown;
    }
  }
  monitor_conn_.reset();
  state_ = outcome;
  switch (outcome) {
    case CutoverState::kCommitted:
      LOCKSTEP_RETURN_IF_ERROR(recorder_.Created(ArtifactKind::kOld, config_.schema, old_));
      // _t_new is now t: no longer an artifact.
      return recorder_.Dropped(ArtifactKind::kShadow, config_.schema, shadow_);
    case CutoverState::kAborted:
      old_planned_ = false;
      LOCKSTEP_RETURN_IF_ERROR(recorder_.Dropped(ArtifactKind::kOld, config_.schema, old_));
      return rename_status.WithContext("RENAME failed after the unlock; " + config_.table +
                                       " is unchanged and writable");
    default:
      return Status::Internal("cut-over outcome unknown (" + rename_status.ToString() +
                              "; tables now: " + (tables.empty() ? "unreadable" : tables) +
                              "): do not retry, an operator must look");
  }
}

Status CutoverSession::ReleaseAfterFailure(const Status& cause) {
  (void)Abort();
  return cause;
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
  if (rename_ != nullptr) renamed = rename_->Wait(patience_ms);
  rename_.reset();  // joins the thread
  rename_conn_.reset();
  monitor_conn_.reset();
  if (renamed && renamed->ok()) {
    // Only possible if A's session died before the kill: the rename is done.
    state_ = CutoverState::kCommitted;
    LOCKSTEP_RETURN_IF_ERROR(recorder_.Created(ArtifactKind::kOld, config_.schema, old_));
    LOCKSTEP_RETURN_IF_ERROR(recorder_.Dropped(ArtifactKind::kShadow, config_.schema, shadow_));
    return Status::FailedPrecondition("abort came too late: the rename is done");
  }
  if (state_ != CutoverState::kCommitted && state_ != CutoverState::kUnknown) {
    state_ = CutoverState::kAborted;
  }
  if (old_planned_ && state_ == CutoverState::kAborted) {
    old_planned_ = false;
    return recorder_.Dropped(ArtifactKind::kOld, config_.schema, old_);
  }
  return Status::Ok();
}

}  // namespace lockstep::executor

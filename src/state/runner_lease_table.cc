#include "state/runner_lease_table.h"

#include "state/enum_names.h"
#include "state/sqlite_transaction.h"

namespace lockstep {
namespace {

constexpr char kLeaseActor[] = "lockstep";

std::string Subject(int64_t id) { return "migration " + std::to_string(id); }

Status ValidateRunner(const RunnerIdentity& runner) {
  if (runner.host.empty()) return Status::InvalidArgument("a runner lease needs the owner's host");
  if (runner.pid <= 0) return Status::InvalidArgument("a runner lease needs the owner's pid");
  return Status::Ok();
}

}  // namespace

std::string DescribeRunner(const RunnerIdentity& runner) {
  return "pid " + std::to_string(runner.pid) + " on host " + runner.host;
}

std::string RunnerLeaseTable::WhyLapsed(const RunnerLease& lease, int64_t now) const {
  if (now >= lease.expires_at) {
    return "its last heartbeat was " + std::to_string(now - lease.heartbeat_at) + " ms ago";
  }
  // Only this host's processes can be looked at; another host's owner binds
  // until its lease expires.
  if (lease.owner.host == this_host_ && !processes_.IsAlive(lease.owner.pid)) {
    return "its process is gone";
  }
  return "";
}

Result<std::optional<RunnerLease>> RunnerLeaseTable::Get(int64_t migration_id) {
  LOCKSTEP_ASSIGN_OR_RETURN(
      SqliteStatement stmt,
      db_.Prepare("SELECT owner_host, owner_pid, acquired_at, heartbeat_at, expires_at "
                  "FROM runner_leases WHERE migration_id = ?1"));
  LOCKSTEP_RETURN_IF_ERROR(stmt.BindAll(migration_id));
  LOCKSTEP_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (!has_row) return std::optional<RunnerLease>();
  RunnerLease lease;
  lease.migration_id = migration_id;
  lease.owner.host = stmt.ColumnText(0);
  lease.owner.pid = stmt.ColumnInt64(1);
  lease.acquired_at = stmt.ColumnInt64(2);
  lease.heartbeat_at = stmt.ColumnInt64(3);
  lease.expires_at = stmt.ColumnInt64(4);
  return std::optional<RunnerLease>(std::move(lease));
}

Result<std::optional<RunnerLease>> RunnerLeaseTable::GetLive(int64_t migration_id) {
  LOCKSTEP_ASSIGN_OR_RETURN(std::optional<RunnerLease> lease, Get(migration_id));
  if (lease && !WhyLapsed(*lease, clock_.NowMillis()).empty()) lease.reset();
  return lease;
}

Result<RunnerLease> RunnerLeaseTable::Acquire(int64_t migration_id, const RunnerIdentity& runner,
                                              int64_t ttl_ms) {
  LOCKSTEP_RETURN_IF_ERROR(ValidateRunner(runner));
  if (ttl_ms <= 0) return Status::InvalidArgument("a runner lease needs a positive time to live");
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(db_));
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteStatement phase_stmt,
                            db_.Prepare("SELECT phase FROM migrations WHERE id = ?1"));
  LOCKSTEP_RETURN_IF_ERROR(phase_stmt.BindAll(migration_id));
  LOCKSTEP_ASSIGN_OR_RETURN(bool found, phase_stmt.Step());
  if (!found) return Status::NotFound(Subject(migration_id) + " does not exist");
  LOCKSTEP_ASSIGN_OR_RETURN(Phase phase,
                            enum_names::ColumnEnum(phase_stmt, 0, ParsePhase, "phase"));
  if (IsTerminalPhase(phase)) {
    return Status::FailedPrecondition(Subject(migration_id) + " is " + PhaseName(phase) +
                                      "; there is nothing to run");
  }

  const int64_t now = clock_.NowMillis();
  LOCKSTEP_ASSIGN_OR_RETURN(std::optional<RunnerLease> held, Get(migration_id));
  std::string event_kind = event_kinds::kLeaseAcquired;
  std::string message = "runner lease taken by " + DescribeRunner(runner);
  int64_t acquired_at = now;
  if (held) {
    if (held->owner == runner) {
      event_kind.clear();  // already ours: a renewal, not news
      acquired_at = held->acquired_at;
    } else {
      const std::string why = WhyLapsed(*held, now);
      if (why.empty()) {
        return Status::Conflict(Subject(migration_id) + " is being run by " +
                                DescribeRunner(held->owner) + " (last heartbeat " +
                                std::to_string(now - held->heartbeat_at) +
                                " ms ago, its lease runs " +
                                std::to_string(held->expires_at - now) + " ms more)");
      }
      event_kind = event_kinds::kLeaseTakenOver;
      message = "runner lease taken over by " + DescribeRunner(runner) + " from " +
                DescribeRunner(held->owner) + ": " + why;
    }
  }
  // One statement for every case; the transaction's write lock makes the
  // read above and this write one compare-and-swap.
  LOCKSTEP_ASSIGN_OR_RETURN(
      SqliteStatement upsert,
      db_.Prepare("INSERT INTO runner_leases (migration_id, owner_host, owner_pid, acquired_at, "
                  "heartbeat_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                  "ON CONFLICT (migration_id) DO UPDATE SET owner_host = excluded.owner_host, "
                  "owner_pid = excluded.owner_pid, acquired_at = excluded.acquired_at, "
                  "heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at"));
  LOCKSTEP_RETURN_IF_ERROR(
      upsert.BindAll(migration_id, runner.host, runner.pid, acquired_at, now, now + ttl_ms));
  LOCKSTEP_RETURN_IF_ERROR(upsert.Run());
  if (!event_kind.empty()) {
    LOCKSTEP_RETURN_IF_ERROR(events_
                                 .Append({.migration_id = migration_id,
                                          .actor = kLeaseActor,
                                          .kind = event_kind,
                                          .dc = std::nullopt,
                                          .message = message,
                                          .reason = ""})
                                 .status());
  }
  LOCKSTEP_RETURN_IF_ERROR(tx.Commit());
  return RunnerLease{migration_id, runner, acquired_at, now, now + ttl_ms};
}

Status RunnerLeaseTable::Renew(int64_t migration_id, const RunnerIdentity& runner, int64_t ttl_ms) {
  LOCKSTEP_RETURN_IF_ERROR(ValidateRunner(runner));
  if (ttl_ms <= 0) return Status::InvalidArgument("a runner lease needs a positive time to live");
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(db_));
  const int64_t now = clock_.NowMillis();
  LOCKSTEP_ASSIGN_OR_RETURN(
      SqliteStatement cas,
      db_.Prepare("UPDATE runner_leases SET heartbeat_at = ?4, expires_at = ?5 "
                  "WHERE migration_id = ?1 AND owner_host = ?2 AND owner_pid = ?3"));
  LOCKSTEP_RETURN_IF_ERROR(cas.BindAll(migration_id, runner.host, runner.pid, now, now + ttl_ms));
  LOCKSTEP_RETURN_IF_ERROR(cas.Run());
  if (db_.Changes() != 1) {
    LOCKSTEP_ASSIGN_OR_RETURN(std::optional<RunnerLease> held, Get(migration_id));
    return Status::Conflict(Subject(migration_id) + ": " + DescribeRunner(runner) +
                            " lost its runner lease" +
                            (held ? " to " + DescribeRunner(held->owner) : std::string()) +
                            "; it must stop running the migration");
  }
  return tx.Commit();
}

Status RunnerLeaseTable::Release(int64_t migration_id, const RunnerIdentity& runner) {
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(db_));
  LOCKSTEP_ASSIGN_OR_RETURN(
      SqliteStatement cas,
      db_.Prepare("DELETE FROM runner_leases "
                  "WHERE migration_id = ?1 AND owner_host = ?2 AND owner_pid = ?3"));
  LOCKSTEP_RETURN_IF_ERROR(cas.BindAll(migration_id, runner.host, runner.pid));
  LOCKSTEP_RETURN_IF_ERROR(cas.Run());
  if (db_.Changes() == 1) {
    LOCKSTEP_RETURN_IF_ERROR(events_
                                 .Append({.migration_id = migration_id,
                                          .actor = kLeaseActor,
                                          .kind = event_kinds::kLeaseReleased,
                                          .dc = std::nullopt,
                                          .message = "runner lease released by " +
                                                     DescribeRunner(runner),
                                          .reason = ""})
                                 .status());
  }
  return tx.Commit();
}

}  // namespace lockstep

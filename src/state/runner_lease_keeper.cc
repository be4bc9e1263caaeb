#include "state/runner_lease_keeper.h"

#include <chrono>
#include <utility>

#include "common/logging.h"
#include "common/process.h"

namespace lockstep {

RunnerIdentity ThisRunner() { return RunnerIdentity{ThisHostName(), ThisProcessId()}; }

Result<std::unique_ptr<RunnerLeaseKeeper>> RunnerLeaseKeeper::Acquire(
    StateStore& store, int64_t migration_id, const RunnerIdentity& runner,
    RunnerLeaseKeeperOptions options) {
  if (options.renew_every_ms <= 0 || options.renew_every_ms >= options.ttl_ms) {
    return Status::InvalidArgument("a runner lease must be renewed more often than it lasts");
  }
  LOCKSTEP_ASSIGN_OR_RETURN(RunnerLease lease,
                            store.AcquireRunnerLease(migration_id, runner, options.ttl_ms));
  return std::unique_ptr<RunnerLeaseKeeper>(
      new RunnerLeaseKeeper(store, std::move(lease), std::move(options)));
}

RunnerLeaseKeeper::RunnerLeaseKeeper(StateStore& store, RunnerLease lease,
                                     RunnerLeaseKeeperOptions options)
    : store_(store),
      lease_(std::move(lease)),
      options_(std::move(options)),
      heartbeat_([this] { Heartbeat(); }) {}

RunnerLeaseKeeper::~RunnerLeaseKeeper() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  heartbeat_.join();
  if (lost()) return;
  Status released = store_.ReleaseRunnerLease(lease_.migration_id, lease_.owner);
  // Not fatal: the lease lapses by itself (dead pid, then expiry).
  if (!released.ok()) {
    MainLogger()->warn("migration {}: could not release the runner lease: {}",
                       lease_.migration_id, released.ToString());
  }
}

bool RunnerLeaseKeeper::lost() const {
  std::lock_guard lock(mu_);
  return lost_;
}

Status RunnerLeaseKeeper::Renew() {
  if (lost()) {
    return Status::Conflict("migration " + std::to_string(lease_.migration_id) +
                            ": the runner lease is lost");
  }
  Status renewed = store_.RenewRunnerLease(lease_.migration_id, lease_.owner, options_.ttl_ms);
  if (renewed.IsConflict()) {
    {
      std::lock_guard lock(mu_);
      lost_ = true;
    }
    MainLogger()->error("{}", renewed.ToString());
    if (options_.on_lost) options_.on_lost(renewed);
  } else if (!renewed.ok()) {
    MainLogger()->warn("migration {}: runner lease heartbeat failed (retrying): {}",
                       lease_.migration_id, renewed.ToString());
  }
  return renewed;
}

void RunnerLeaseKeeper::Heartbeat() {
  std::unique_lock lock(mu_);
  while (true) {
    wake_.wait_for(lock, std::chrono::milliseconds(options_.renew_every_ms),
                   [this] { return stopping_; });
    if (stopping_ || lost_) return;
    lock.unlock();
    (void)Renew();  // reports a loss through on_lost; other errors are retried
    lock.lock();
  }
}

}  // namespace lockstep

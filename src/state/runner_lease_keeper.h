// RunnerLeaseKeeper: holds a migration's runner lease for as long as it
// lives (RAII): acquires it, renews it from a small background thread, and
// releases it when destroyed.
//
//   RunnerLeaseKeeperOptions options;
//   options.on_lost = [](const Status& why) { ... stop ... };
//   LOCKSTEP_ASSIGN_OR_RETURN(auto lease,
//                             RunnerLeaseKeeper::Acquire(store, id, ThisRunner(), options));
//   ... run the migration ...
//   // lease released here
//
// A process that dies keeps no lease for long: on its own host the next
// runner sees its pid is gone; elsewhere the lease expires after ttl_ms.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "common/status.h"
#include "state/state_store.h"

namespace lockstep {

// Renewed every second, a lease survives a few missed heartbeats (a state
// database busy for a moment) and lapses 10 s after its owner stopped.
inline constexpr int64_t kRunnerLeaseTtlMs = 10'000;
inline constexpr int64_t kRunnerLeaseRenewMs = 1'000;

// This process, as a lease owner.
RunnerIdentity ThisRunner();

struct RunnerLeaseKeeperOptions {
  int64_t ttl_ms = kRunnerLeaseTtlMs;
  int64_t renew_every_ms = kRunnerLeaseRenewMs;
  // Called once, from the heartbeat thread, when another runner took the
  // lease over (this one stalled past its expiry): the caller must stop at
  // once, or two processes run one migration. Transient renewal errors are
  // logged and retried, not reported here.
  std::function<void(const Status&)> on_lost = {};
};

class RunnerLeaseKeeper {
 public:
  // Acquires the lease (StateStore::AcquireRunnerLease, same errors) and
  // starts the heartbeat. `store` must outlive the keeper.
  [[nodiscard]] static Result<std::unique_ptr<RunnerLeaseKeeper>> Acquire(
      StateStore& store, int64_t migration_id, const RunnerIdentity& runner,
      RunnerLeaseKeeperOptions options = {});

  // Stops the heartbeat and releases the lease (unless it was lost).
  ~RunnerLeaseKeeper();
  RunnerLeaseKeeper(const RunnerLeaseKeeper&) = delete;
  RunnerLeaseKeeper& operator=(const RunnerLeaseKeeper&) = delete;

  // One heartbeat; the thread calls it every renew_every_ms. Conflict once
  // the lease is lost (and on_lost has been called).
  [[nodiscard]] Status Renew();

  const RunnerLease& lease() const { return lease_; }
  bool lost() const;

 private:
  RunnerLeaseKeeper(StateStore& store, RunnerLease lease, RunnerLeaseKeeperOptions options);
  void Heartbeat();

  StateStore& store_;
  const RunnerLease lease_;
  const RunnerLeaseKeeperOptions options_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  bool lost_ = false;      // guarded by mu_
  std::thread heartbeat_;  // last: started once everything above is set
};

}  // namespace lockstep

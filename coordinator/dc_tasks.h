// DcTasks: the coordinator's way to run one step in several DCs at once.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "executor/dc/dc_executor.h"

namespace lockstep {

// One step running on each of some DCs, each on its own thread. The
// coordinator can wait for all of them up to a deadline and act on those
// done while the others still run (a cut-over releases the DCs that are
// READY when another misses the deadline).
class DcTasks {
 public:
  DcTasks(const std::vector<DcExecutor*>& dcs, std::function<Status(DcExecutor&)> step)
      : step_(std::move(step)), results_(dcs.size()) {
    threads_.reserve(dcs.size());
    for (size_t i = 0; i < dcs.size(); ++i) {
      threads_.emplace_back([this, i, dc = dcs[i]] {
        Status s = step_(*dc);
        std::lock_guard lock(mu_);
        results_[i] = std::move(s);
        done_.notify_all();
      });
    }
  }
  ~DcTasks() { Join(); }

  // Until every step has returned, one has failed, or `clock` passes
  // `deadline_ms`; true when every step returned.
  bool WaitUntil(const Clock& clock, int64_t deadline_ms) {
    std::unique_lock lock(mu_);
    while (!AllDone()) {
      if (AnyFailed()) return false;
      const int64_t left = deadline_ms - clock.NowMillis();
      if (left <= 0) return false;
      done_.wait_for(lock, std::chrono::milliseconds(std::min<int64_t>(left, 5)));
    }
    return true;
  }
  void Join() {
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }
  // nullopt while the step runs.
  std::optional<Status> result(size_t i) {
    std::lock_guard lock(mu_);
    return results_[i];
  }

 private:
  bool AnyFailed() const {
    return std::any_of(results_.begin(), results_.end(), [](const auto& r) { return r && !r->ok(); });
  }
  bool AllDone() const {
    return std::all_of(results_.begin(), results_.end(), [](const auto& r) { return r.has_value(); });
  }

  const std::function<Status(DcExecutor&)> step_;
  std::mutex mu_;
  std::condition_variable done_;
  std::vector<std::optional<Status>> results_;
  std::vector<std::thread> threads_;
};

// The order of the phases a migration goes through before its cut-over.

}  // namespace lockstep

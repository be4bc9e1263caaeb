// Backoff: the delays between retries of a statement that failed for a
// reason worth retrying (lock wait timeout, deadlock): doubling, capped, and
// a bounded number of attempts so a stuck server ends in an error.
#pragma once

#include <cstdint>

namespace lockstep::executor {

struct BackoffConfig {
  int64_t initial_ms = 50;
  int64_t max_ms = 2000;
  int max_attempts = 8;  // attempts in all, the first included
};

class Backoff {
 public:
  explicit Backoff(BackoffConfig config = {}) : config_(config), next_ms_(config.initial_ms) {}

  // Records a failed attempt. True when another attempt is allowed; then
  // delay_ms() is how long to wait before it.
  bool Failed();
  int64_t delay_ms() const { return delay_ms_; }
  int attempts() const { return attempts_; }
  void Reset();

 private:
  BackoffConfig config_;
  int attempts_ = 0;
  int64_t next_ms_;
  int64_t delay_ms_ = 0;
};

}  // namespace lockstep::executor

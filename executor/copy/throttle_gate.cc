#include "executor/copy/throttle_gate.h"

#include <algorithm>

namespace lockstep::executor {

Result<std::optional<std::string>> ThrottleGate::Await() {
  std::optional<int64_t> failing_since;
  while (true) {
    Result<ThrottleDecision> decision = throttler_.Check();
    int64_t wait = 0;
    if (!decision.ok()) {
      const int64_t now = clock_.NowMillis();
      if (!failing_since) failing_since = now;
      if (now - *failing_since >= config_.error_limit_ms) {
        return decision.status().WithContext("throttler failing for " +
                                             std::to_string(now - *failing_since) + " ms");
      }
      wait = config_.error_wait_ms;
    } else {
      failing_since.reset();
      switch (decision->action) {
        case ThrottleDecision::Action::kProceed: return std::optional<std::string>();
        case ThrottleDecision::Action::kStop: return std::optional<std::string>(decision->reason);
        case ThrottleDecision::Action::kWait:
          wait = std::clamp<int64_t>(decision->wait_ms, 1, config_.max_wait_ms);
          break;
      }
    }
    sleeper_.SleepFor(wait);
    waited_ms_ += wait;
  }
}

}  // namespace lockstep::executor

// ThrottleGate: asks a Throttler before each chunk and waits as told.
// Fails closed: a Check() error is a pause, retried after a while; only when
// errors have lasted `error_limit_ms` does the gate give up, and then it
// returns the error (a stop), never a go.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "executor/common/sleeper.h"
#include "executor/copy/throttler.h"

namespace lockstep::executor {

struct ThrottleGateConfig {
  int64_t error_wait_ms = 1000;        // pause after a Check() error
  int64_t error_limit_ms = 300'000;    // errors for this long: give up
  int64_t max_wait_ms = 10'000;        // a kWait longer than this is asked again sooner
};

class ThrottleGate {
 public:
  ThrottleGate(Throttler& throttler, const Clock& clock, Sleeper& sleeper,
               ThrottleGateConfig config = {})
      : throttler_(throttler), clock_(clock), sleeper_(sleeper), config_(config) {}

  // Returns nullopt to go on, or the reason to stop. Blocks while throttled.
  Result<std::optional<std::string>> Await();
  int64_t waited_ms() const { return waited_ms_; }  // in all, for progress

 private:
  Throttler& throttler_;
  const Clock& clock_;
  Sleeper& sleeper_;
  const ThrottleGateConfig config_;
  int64_t waited_ms_ = 0;
};

}  // namespace lockstep::executor

// Throttler: asked before every chunk (of the copy and of the checksum)
// whether to go on. The orchestrator implements it from its signals: DRC
// lag, replica lag, load, an operator's pause or abort. The executor fails
// closed: an error from Check() pauses the work, it never lets it proceed.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace lockstep::executor {

struct ThrottleDecision {
  enum class Action { kProceed, kWait, kStop };
  Action action = Action::kProceed;
  int64_t wait_ms = 0;  // kWait: how long before asking again
  std::string reason;   // kWait/kStop: for progress lines and the event log

  static ThrottleDecision Proceed() { return {}; }
  static ThrottleDecision Wait(int64_t ms, std::string why) { return {Action::kWait, ms, std::move(why)}; }
  static ThrottleDecision Stop(std::string why) { return {Action::kStop, 0, std::move(why)}; }
};

class Throttler {
 public:
  virtual ~Throttler() = default;
  [[nodiscard]] virtual Result<ThrottleDecision> Check() = 0;
  // Whether the application is writing as of the last Check(). The copy
  // keeps chunks short then (see RowCopier); unknown means yes.
  virtual bool ApplicationWriting() const { return true; }
};

// Never throttles: for tools and tests that run without an orchestrator.
class NoThrottle final : public Throttler {
 public:
  Result<ThrottleDecision> Check() override { return ThrottleDecision::Proceed(); }
};

}  // namespace lockstep::executor

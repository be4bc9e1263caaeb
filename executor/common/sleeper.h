// Sleeper: where the executor waits (backoff, throttling, polling), so tests
// can count the waits instead of spending them.
#pragma once

#include <chrono>
#include <cstdint>
#include <thread>

namespace lockstep::executor {

class Sleeper {
 public:
  virtual ~Sleeper() = default;
  virtual void SleepFor(int64_t millis) = 0;
};

class RealSleeper final : public Sleeper {
 public:
  void SleepFor(int64_t millis) override {
    if (millis > 0) std::this_thread::sleep_for(std::chrono::milliseconds(millis));
  }
  // Stateless, so one instance can serve every caller.
  static RealSleeper& Instance() {
    static RealSleeper sleeper;
    return sleeper;
  }
};

}  // namespace lockstep::executor

#include "executor/common/backoff.h"

#include <algorithm>

namespace lockstep::executor {

bool Backoff::Failed() {
  ++attempts_;
  if (attempts_ >= config_.max_attempts) return false;
  delay_ms_ = std::min(next_ms_, config_.max_ms);
  next_ms_ = std::min(next_ms_ * 2, config_.max_ms);
  return true;
}

void Backoff::Reset() {
  attempts_ = 0;
  next_ms_ = config_.initial_ms;
  delay_ms_ = 0;
}

}  // namespace lockstep::executor

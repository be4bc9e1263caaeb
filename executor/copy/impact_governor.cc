#include "executor/copy/impact_governor.h"

#include <algorithm>
#include <cmath>

namespace lockstep::executor {

double ImpactGovernor::Rate(int64_t ms, int64_t statements) const {
  const int64_t theirs = statements - config_.own_statements_per_window;
  return 1000.0 * static_cast<double>(std::max<int64_t>(theirs, 0)) / static_cast<double>(ms);
}

void ImpactGovernor::ChunkWindow(int64_t ms, int64_t statements) {
  if (ms < config_.min_window_ms) return;
  const double rate = Rate(ms, statements);
  chunk_rate_ = rate;
  since_reference_ms_ += ms;
  // Only a chunk window can wake the governor: an idle governor never rests,
  // so it has no rest windows to look at.
  if (!busy_ && rate >= config_.busy_statements_per_s) busy_ = true;
  if (!busy_ || !rest_rate_ || *rest_rate_ <= 0) return;
  const double share = std::clamp(rate / *rest_rate_, 0.0, 1.0);
  slowdown_ = slowdown_ ? (1 - config_.smoothing) * *slowdown_ + config_.smoothing * share : share;
}

void ImpactGovernor::RestWindow(int64_t ms, int64_t statements) {
  if (ms < config_.min_window_ms) return;
  const double rate = Rate(ms, statements);
  since_reference_ms_ += ms;
  if (ms < config_.reference_min_ms) return;
  since_reference_ms_ = 0;
  if (rate < config_.busy_statements_per_s) {
    // The application went quiet: forget what it was like.
    busy_ = false;
    rest_rate_.reset();
    slowdown_.reset();
    return;
  }
  rest_rate_ = rest_rate_ ? (1 - config_.smoothing) * *rest_rate_ + config_.smoothing * rate : rate;
}

double ImpactGovernor::rest_ratio() const {
  if (!busy_) return 0;
  const double slowed_to = slowdown_.value_or(config_.initial_slowdown);
  const double keep = std::clamp(config_.keep_share, 0.0, 0.99);
  const double needed = (keep - slowed_to) / (1 - keep);
  return std::clamp(needed, config_.min_rest_ratio, config_.max_rest_ratio);
}

int64_t ImpactGovernor::RestAfter(int64_t chunk_ms) const {
  if (!busy_) return 0;
  auto rest = static_cast<int64_t>(std::llround(rest_ratio() * static_cast<double>(chunk_ms)));
  if (!rest_rate_ || since_reference_ms_ >= config_.reference_every_ms) {
    rest = std::max(rest, config_.reference_rest_ms);
  }
  return std::max(rest, config_.min_rest_ms);
}

}  // namespace lockstep::executor

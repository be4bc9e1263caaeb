#include "executor/copy/impact_governor.h"

#include <algorithm>
#include <cmath>

namespace lockstep::executor {

ImpactGovernor::ImpactGovernor(ImpactGovernorConfig config)
    : config_(config), rest_ratio_(config.initial_rest_ratio) {}

double ImpactGovernor::Theirs(int64_t statements) const {
  return static_cast<double>(std::max<int64_t>(statements - config_.own_statements_per_window, 0));
}

void ImpactGovernor::Quiet() {
  busy_ = false;
  reference_ = Reference::kNone;
  reference_rate_.reset();
  share_.reset();
  rest_ratio_ = config_.initial_rest_ratio;
  control_ms_ = 0;
  control_statements_ = 0;
}

void ImpactGovernor::AddToControl(int64_t ms, int64_t statements) {
  control_ms_ += ms;
  control_statements_ += Theirs(statements);
  if (control_ms_ < config_.control_period_ms) return;
  if (reference_rate_ && *reference_rate_ > 0) {
    const double rate = 1000.0 * control_statements_ / static_cast<double>(control_ms_);
    share_ = rate / *reference_rate_;
    const double error = config_.keep_share - std::min(*share_, 1.5);
    rest_ratio_ = std::clamp(rest_ratio_ * std::exp(config_.gain * error), config_.min_rest_ratio,
                             config_.max_rest_ratio);
  }
  control_ms_ = 0;
  control_statements_ = 0;
}

void ImpactGovernor::Before(int64_t ms, int64_t statements) {
  if (ms < config_.min_window_ms) return;
  const double rate = 1000.0 * Theirs(statements) / static_cast<double>(ms);
  if (rate < config_.busy_statements_per_s) return;
  busy_ = true;
  reference_rate_ = rate;
  reference_ = Reference::kNone;
  since_reference_ms_ =
      std::max<int64_t>(config_.reference_every_ms - config_.first_reference_after_ms, 0);
}

void ImpactGovernor::ChunkWindow(int64_t ms, int64_t statements) {
  chunk_since_rest_ = true;
  if (reference_ != Reference::kNone && reference_ != Reference::kMeasured) {
    reference_ = Reference::kNone;  // a chunk ran into a reference rest: start it again
  }
  if (ms < config_.min_window_ms) return;
  since_reference_ms_ += ms;
  // Only a chunk window can wake the governor: an idle governor never rests,
  // so it has no rest windows to look at.
  if (!busy_ && 1000.0 * Theirs(statements) / static_cast<double>(ms) >=
                    config_.busy_statements_per_s) {
    busy_ = true;
  }
  if (busy_) AddToControl(ms, statements);
}

void ImpactGovernor::RestWindow(int64_t ms, int64_t statements) {
  since_reference_ms_ += ms;
  switch (reference_) {
    case Reference::kSettling:
      reference_ = Reference::kSettled;  // what the chunks left behind: not counted
      return;
    case Reference::kMeasuring: {
      if (ms < config_.min_window_ms) return;
      const double rate = 1000.0 * Theirs(statements) / static_cast<double>(ms);
      if (rate < config_.busy_statements_per_s) {
        Quiet();  // the application went quiet: the copy may run at full speed
        return;
      }
      reference_rate_ =
          reference_rate_ ? std::max(rate, *reference_rate_ * config_.reference_decay) : rate;
      reference_ = Reference::kMeasured;
      since_reference_ms_ = 0;
      control_ms_ = 0;  // a control period measured against the old reference
      control_statements_ = 0;
      return;
    }
    default:
      if (busy_ && ms >= config_.min_window_ms) AddToControl(ms, statements);
      return;
  }
}

int64_t ImpactGovernor::NextRest(int64_t last_chunk_ms) {
  if (!busy_) return 0;
  switch (reference_) {
    case Reference::kNone:
      if (!reference_rate_ || since_reference_ms_ >= config_.reference_every_ms) {
        reference_ = Reference::kSettling;
        return config_.settle_ms;
      }
      break;
    case Reference::kSettling:  // asked again before the settle window closed
      return config_.settle_ms;
    case Reference::kSettled:
    case Reference::kMeasuring:
      reference_ = Reference::kMeasuring;
      return config_.measure_ms;
    case Reference::kMeasured:
      reference_ = Reference::kNone;
      chunk_since_rest_ = false;
      return 0;
  }
  if (!chunk_since_rest_) return 0;
  chunk_since_rest_ = false;
  const auto rest = std::llround(rest_ratio_ * static_cast<double>(last_chunk_ms));
  return std::max<int64_t>(rest, config_.min_rest_ms);
}

}  // namespace lockstep::executor

#include "coordinator/copy_pacing.h"

#include <algorithm>
#include <cstdio>

namespace lockstep {

CopyPacing::CopyPacing(std::vector<std::string> dcs, double max_lead, int64_t wait_ms)
    : max_lead_(max_lead), wait_ms_(wait_ms) {
  for (auto& dc : dcs) copied_.emplace(std::move(dc), 0.0);
}

void CopyPacing::Copied(const std::string& dc, double fraction) {
  std::lock_guard lock(mu_);
  double& at = copied_[dc];
  at = std::max(at, fraction);  // a resumed copy never moves back
}

executor::ThrottleDecision CopyPacing::Pace(const std::string& dc) {
  std::lock_guard lock(mu_);
  if (stopped_) return executor::ThrottleDecision::Stop(*stopped_);
  const auto self = copied_.find(dc);
  if (self == copied_.end() || copied_.size() < 2) return executor::ThrottleDecision::Proceed();
  const auto slowest = std::min_element(copied_.begin(), copied_.end(),
                                        [](const auto& a, const auto& b) { return a.second < b.second; });
  if (self->second - slowest->second <= max_lead_) return executor::ThrottleDecision::Proceed();
  char why[160];
  std::snprintf(why, sizeof why, "%.0f%% copied, waiting for %s at %.0f%% (pacing: at most %.0f%% ahead)",
                100 * self->second, slowest->first.c_str(), 100 * slowest->second, 100 * max_lead_);
  return executor::ThrottleDecision::Wait(wait_ms_, why);
}

void CopyPacing::Stop(const std::string& reason) {
  std::lock_guard lock(mu_);
  if (!stopped_) stopped_ = reason;
}

std::map<std::string, double> CopyPacing::Progress() const {
  std::lock_guard lock(mu_);
  return copied_;
}

}  // namespace lockstep

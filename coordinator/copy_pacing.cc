#include "coordinator/copy_pacing.h"

#include <algorithm>
#include <cstdio>

namespace lockstep {

CopyPacing::CopyPacing(std::vector<std::string> dcs, double max_lead, int64_t wait_ms)
    : max_lead_(max_lead), wait_ms_(wait_ms) {
  for (auto& dc : dcs) copies_.emplace(std::move(dc), DcCopy{});
}

void CopyPacing::Copied(const std::string& dc, int64_t rows, int64_t rows_estimate) {
  std::lock_guard lock(mu_);
  DcCopy& copy = copies_[dc];
  copy.rows = std::max(copy.rows, rows);  // never moves back
  copy.estimate = std::max(copy.estimate, rows_estimate);
}

void CopyPacing::Finished(const std::string& dc) {
  std::lock_guard lock(mu_);
  copies_[dc].finished = true;
}

int64_t CopyPacing::Total() const {
  int64_t total = 1;
  for (const auto& [dc, copy] : copies_) total = std::max({total, copy.estimate, copy.rows});
  return total;
}

double CopyPacing::Share(const DcCopy& copy) const {
  if (copy.finished) return 1.0;
  return std::min(1.0, static_cast<double>(copy.rows) / static_cast<double>(Total()));
}

executor::ThrottleDecision CopyPacing::Pace(const std::string& dc) {
  std::lock_guard lock(mu_);
  if (stopped_) return executor::ThrottleDecision::Stop(*stopped_);
  const auto self = copies_.find(dc);
  if (self == copies_.end() || copies_.size() < 2) return executor::ThrottleDecision::Proceed();
  const auto slowest = std::min_element(copies_.begin(), copies_.end(), [this](const auto& a, const auto& b) {
    return Share(a.second) < Share(b.second);
  });
  const double ahead = Share(self->second) - Share(slowest->second);
  if (ahead <= max_lead_) return executor::ThrottleDecision::Proceed();
  char why[160];
  std::snprintf(why, sizeof why, "%.0f%% copied, waiting for %s at %.0f%% (pacing: at most %.0f%% ahead)",
                100 * Share(self->second), slowest->first.c_str(), 100 * Share(slowest->second),
                100 * max_lead_);
  return executor::ThrottleDecision::Wait(wait_ms_, why);
}

void CopyPacing::Stop(const std::string& reason) {
  std::lock_guard lock(mu_);
  if (!stopped_) stopped_ = reason;
}

std::map<std::string, double> CopyPacing::Progress() const {
  std::lock_guard lock(mu_);
  std::map<std::string, double> shares;
  for (const auto& [dc, copy] : copies_) shares[dc] = Share(copy);
  return shares;
}

}  // namespace lockstep

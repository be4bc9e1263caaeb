// CopyPacing: keeps the DCs' copies in step. A DC whose copy is ahead of the
// slowest DC's by more than `max_lead` (a share of the table) waits, so that
// every DC finishes its copy, and becomes ready to cut over, at about the
// same time. Stop() ends every copy at its next chunk (another DC failed).
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "executor/copy/copy_pacer.h"

namespace lockstep {

class CopyPacing final : public CopyPacer {
 public:
  CopyPacing(std::vector<std::string> dcs, double max_lead, int64_t wait_ms = 200);

  void Copied(const std::string& dc, double fraction) override;
  executor::ThrottleDecision Pace(const std::string& dc) override;

  void Stop(const std::string& reason);
  // Every DC's copied share as last reported (0 before its first chunk).
  std::map<std::string, double> Progress() const;

 private:
  const double max_lead_;
  const int64_t wait_ms_;
  mutable std::mutex mu_;
  std::map<std::string, double> copied_;
  std::optional<std::string> stopped_;
};

}  // namespace lockstep

// CopyPacing: keeps the DCs' copies in step. A DC whose copy is ahead of the
// slowest DC's by more than `max_lead` (a share of the table) waits, so that
// every DC finishes its copy, and becomes ready to cut over, at about the
// same time. The DCs hold the same rows, so their copies are compared in
// rows, against the largest of their estimates: progress by key would
// mislead on keys with gaps (AUTO_INCREMENT ranges of several DCs), and each
// DC's own estimate differs. Stop() ends every copy at its next chunk
// (another DC failed).
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

  void Copied(const std::string& dc, int64_t rows, int64_t rows_estimate) override;
  void Finished(const std::string& dc) override;
  executor::ThrottleDecision Pace(const std::string& dc) override;

  void Stop(const std::string& reason);
  // Every DC's copied share of the table (0 before its first chunk, 1 once
  // finished).
  std::map<std::string, double> Progress() const;

 private:
  const double max_lead_;
  const int64_t wait_ms_;
  mutable std::mutex mu_;
  struct DcCopy {
    int64_t rows = 0;
    int64_t estimate = 0;
    bool finished = false;
  };
  int64_t Total() const;  // the table's rows: the largest estimate, at least 1
  double Share(const DcCopy& copy) const;
  std::map<std::string, DcCopy> copies_;
  std::optional<std::string> stopped_;
};

}  // namespace lockstep

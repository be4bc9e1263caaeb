// The cut-over report of one attempt: per DC, the lock (requested ->
// granted), the drain, READY, the rename and how long writes to t were
// blocked, what the binlog witness found; and the skew between the first and
// the last rename. Stored as JSON with the attempt (cutover_attempts.
// timings_json) and logged as one line per DC.
#pragma once

#include <string>
#include <vector>

#include "executor/cutover/cutover_session.h"

namespace lockstep::executor {

struct DcCutoverResult {
  std::string dc;
  CutoverState state = CutoverState::kIdle;
  CutoverReport report;
};

std::string CutoverReportJson(const std::vector<DcCutoverResult>& dcs);
// "dc1: committed; lock 1 ms, drain 35 ms, ready after 40 ms, rename 3 ms, writes blocked 49 ms"
std::string CutoverReportLine(const DcCutoverResult& dc);

}  // namespace lockstep::executor

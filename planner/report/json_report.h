// The machine format. Its keys are a contract with scripts; add keys, never
// rename or remove them:
//   {"findings":[{"rule","severity","file","line","column","message","suggestion"}],
//    "summary":{"errors","warnings","infos","files"}}
// severity is "error", "warning" or "info"; line and column are 1-based numbers.
#pragma once

#include <ostream>
#include <vector>

#include "planner/report/diagnostic.h"

namespace lockstep::report {

void WriteJsonReport(const std::vector<Diagnostic>& diagnostics, const Summary& summary,
                     std::ostream& out);

}  // namespace lockstep::report

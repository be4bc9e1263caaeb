// The human format, like a compiler's:
//   file:line:col: error[LS101]: message
//     suggestion: what to do instead
//   1 error, 0 warnings, 0 infos in 1 file
#pragma once

#include <ostream>
#include <vector>

#include "planner/report/diagnostic.h"

namespace lockstep::report {

void WriteTextReport(const std::vector<Diagnostic>& diagnostics, const Summary& summary,
                     std::ostream& out);

}  // namespace lockstep::report

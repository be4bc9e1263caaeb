// LS104: ALTER IGNORE deletes the rows that violate a new unique key, without
// a trace, and each DC deletes different rows (the rows differ by DC).
#include "planner/lint/rules/rules.h"

namespace lockstep::lint {

void CheckAlterIgnore(const StatementInput& input, FindingSink& sink) {
  if (input.alter == nullptr || !input.alter->ignore) return;
  sink.Report(Severity::kError, input.alter->pos,
              "ALTER IGNORE TABLE silently deletes rows that violate a new unique key, different "
              "rows in each DC",
              "remove IGNORE; find and resolve the duplicates in every DC first");
}

}  // namespace lockstep::lint

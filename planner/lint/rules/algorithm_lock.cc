// LS501: lockstep chooses how each DC runs the change (native INSTANT/INPLACE
// inside the cut-over window, or its own shadow copy). ALGORITHM=COPY and
// LOCK=SHARED|EXCLUSIVE would block writes for the whole ALTER.
#include "planner/lint/rule_helpers.h"
#include "planner/lint/rules/rules.h"

namespace lockstep::lint {

void CheckAlgorithmLock(const StatementInput& input, FindingSink& sink) {
  if (input.alter == nullptr) return;
  for (const sql::AlterClause& clause : input.alter->clauses) {
    if (clause.kind != sql::ClauseKind::kAlgorithm && clause.kind != sql::ClauseKind::kLock) continue;
    const std::string value = clause.value.value_or("");
    const std::string text = clause.option + "=" + value;
    const bool blocks = clause.kind == sql::ClauseKind::kAlgorithm
                            ? value == "COPY"
                            : value == "SHARED" || value == "EXCLUSIVE";
    if (blocks) {
      sink.Report(Severity::kError, clause.pos,
                  text + " blocks writes to " + TableName(*input.alter) + " for the whole ALTER",
                  "remove the clause: lockstep chooses the algorithm and blocks writes only inside "
                  "the cut-over window");
    } else {
      sink.Report(Severity::kInfo, clause.pos,
                  text + " is not needed: lockstep chooses the algorithm and lock itself",
                  "remove the clause");
    }
  }
}

}  // namespace lockstep::lint

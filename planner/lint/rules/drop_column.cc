// LS101: a dropped column's data is gone in every DC, and code still reading
// or writing it fails at once.
#include "planner/lint/rule_helpers.h"
#include "planner/lint/rules/rules.h"

namespace lockstep::lint {

void CheckDropColumn(const StatementInput& input, FindingSink& sink) {
  if (input.alter == nullptr) return;
  for (const sql::AlterClause& clause : input.alter->clauses) {
    if (clause.kind != sql::ClauseKind::kDropColumn) continue;
    sink.Report(Severity::kError, clause.pos,
                "DROP COLUMN " + Quoted(clause.name) + " deletes the column and its data in every DC",
                "expand/contract: first deploy code that no longer reads or writes " +
                    Quoted(clause.name) +
                    ", then drop it in a later migration (keep a backup: the data is gone for good)");
  }
}

}  // namespace lockstep::lint

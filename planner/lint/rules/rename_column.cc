// LS201: a renamed column breaks every query that names it, the moment the
// first DC cuts over. (Row events match by position, so replication itself
// survives a rename; the applications do not.)
#include "planner/lint/rule_helpers.h"
#include "planner/lint/rules/rules.h"
#include "planner/sql/token.h"

namespace lockstep::lint {

void CheckRenameColumn(const StatementInput& input, FindingSink& sink) {
  if (input.alter == nullptr) return;
  for (const sql::AlterClause& clause : input.alter->clauses) {
    const bool renames =
        clause.kind == sql::ClauseKind::kRenameColumn ||
        (clause.kind == sql::ClauseKind::kChangeColumn && !sql::EqualsIgnoreCase(clause.name, clause.new_name));
    if (!renames) continue;
    sink.Report(Severity::kError, clause.pos,
                "renames column " + Quoted(clause.name) + " to " + Quoted(clause.new_name) +
                    ": running code that names " + Quoted(clause.name) + " breaks",
                kExpandContract);
  }
}

}  // namespace lockstep::lint

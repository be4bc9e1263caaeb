// LS102: dropping an index loses no data but may turn fast queries into scans.
#include "planner/lint/rule_helpers.h"
#include "planner/lint/rules/rules.h"

namespace lockstep::lint {

void CheckDropIndex(const StatementInput& input, FindingSink& sink) {
  if (input.alter == nullptr) return;
  for (const sql::AlterClause& clause : input.alter->clauses) {
    if (clause.kind != sql::ClauseKind::kDropIndex) continue;
    std::string message = "DROP INDEX " + Quoted(clause.name) + ": queries that use it may become slow";
    const sql::IndexDef* index = input.table ? input.table->FindIndex(clause.name) : nullptr;
    if (index != nullptr && index->IsUnique()) message += ", and duplicates become possible";
    sink.Report(Severity::kWarning, clause.pos, message,
                "check the queries on " + TableName(*input.alter) +
                    " first (EXPLAIN, slow log); try it hidden before dropping it (MariaDB: ALTER "
                    "INDEX " + Quoted(clause.name) + " IGNORED, MySQL: INVISIBLE)");
  }
}

}  // namespace lockstep::lint

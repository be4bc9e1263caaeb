// LS504: partition maintenance is not an online schema change: lockstep does
// not run it through a shadow copy. DROP and TRUNCATE PARTITION delete rows.
#include "planner/lint/rule_helpers.h"
#include "planner/lint/rules/rules.h"

namespace lockstep::lint {

void CheckPartitioning(const StatementInput& input, FindingSink& sink) {
  if (input.alter == nullptr) return;
  for (const sql::AlterClause& clause : input.alter->clauses) {
    if (clause.kind != sql::ClauseKind::kPartition) continue;
    if (clause.option == "DROP PARTITION" || clause.option == "TRUNCATE PARTITION") {
      sink.Report(Severity::kError, clause.pos,
                  clause.option + " deletes the rows of the partition in every DC",
                  "purge old partitions with the server's own commands, per DC, outside lockstep; "
                  "archive the rows first");
      continue;
    }
    sink.Report(Severity::kWarning, clause.pos,
                clause.option + " changes the partitioning of " + TableName(*input.alter) +
                    ": lockstep does not run partitioning changes online",
                "run partition maintenance separately, with the server's own partition commands");
  }
}

}  // namespace lockstep::lint

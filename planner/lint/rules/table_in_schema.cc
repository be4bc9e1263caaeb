// LS004: --schema was given but has no such table: the rules that need the
// table's definition could not run, which the user should know.
#include "planner/lint/rule_helpers.h"
#include "planner/lint/rules/rules.h"

namespace lockstep::lint {

void CheckTableInSchema(const StatementInput& input, FindingSink& sink) {
  if (input.alter == nullptr || input.schema == nullptr || input.table != nullptr) return;
  sink.Report(Severity::kWarning, input.alter->table_pos,
              "--schema has no table " + TableName(*input.alter) +
                  ": the checks that need its definition were skipped",
              "dump the schema the migration will run against (mariadb-dump --no-data)");
}

}  // namespace lockstep::lint

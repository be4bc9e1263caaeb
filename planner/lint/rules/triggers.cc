// LS502: at the cut-over the triggers stay with the old table (RENAME moves
// them), and row events arriving through the DRC link never fire triggers
// (slave_run_triggers_for_rbr=NO), so their effect already differs by DC.
#include "planner/lint/rule_helpers.h"
#include "planner/lint/rules/rules.h"

namespace lockstep::lint {

void CheckTriggers(const StatementInput& input, FindingSink& sink) {
  if (input.alter == nullptr || input.schema == nullptr) return;
  const std::vector<std::string> triggers = input.schema->TriggersOn(input.alter->schema, input.alter->table);
  if (triggers.empty()) return;
  std::string names;
  for (const std::string& t : triggers) names += (names.empty() ? "" : ", ") + Quoted(t);
  sink.Report(Severity::kError, input.alter->table_pos,
              TableName(*input.alter) + " has triggers (" + names +
                  "): they stay on the old table at the cut-over",
              "drop the triggers before the migration and re-create them after it, or move their "
              "logic into the application");
}

}  // namespace lockstep::lint

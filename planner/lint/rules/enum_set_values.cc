// LS105: ENUM and SET store a value's position, not its text. Removing a
// value loses data; reordering changes what stored positions mean, and while
// DCs differ row events carry positions, so rows change silently. Appending at
// the end keeps every existing position.
#include <algorithm>

#include "planner/lint/rule_helpers.h"
#include "planner/lint/rules/rules.h"
#include "planner/lint/type_change.h"

namespace lockstep::lint {

void CheckEnumSetValues(const StatementInput& input, FindingSink& sink) {
  if (input.alter == nullptr) return;
  for (const sql::AlterClause& clause : input.alter->clauses) {
    const sql::ColumnDef* old = OldColumn(input, clause);
    if (old == nullptr) continue;
    if (ClassifyTypeChange(old->type, clause.column->type).kind != TypeChangeKind::kEnumOrSet) continue;
    const std::vector<std::string>& before = old->type.values;
    const std::vector<std::string>& after = clause.column->type.values;
    if (before == after) continue;
    const std::string kind = old->type.name == "set" ? "SET" : "ENUM";
    const std::string column = Quoted(clause.name);
    if (after.size() > before.size() && std::equal(before.begin(), before.end(), after.begin())) {
      sink.Report(Severity::kInfo, clause.pos,
                  "appends values to " + kind + " " + column + ": existing values keep their positions");
      continue;
    }
    std::string removed;
    for (const std::string& v : before) {
      if (std::find(after.begin(), after.end(), v) == after.end()) {
        removed += (removed.empty() ? "'" : ", '") + v + "'";
      }
    }
    const std::string what = removed.empty() ? "reorders the values of " + kind + " " + column
                                             : "removes " + removed + " from " + kind + " " + column;
    sink.Report(Severity::kError, clause.pos,
                what + ": values are stored by position, so stored rows change meaning, and while "
                       "DCs differ row events corrupt silently",
                "only append new values at the end of the list");
  }
}

}  // namespace lockstep::lint

// LS002: a clause the parser kept as text. The classifier treats what it does
// not understand as unsafe (class B), so lint says so rather than stay silent.
#include "planner/lint/rules/rules.h"

namespace lockstep::lint {

void CheckUnknownClause(const StatementInput& input, FindingSink& sink) {
  if (input.alter == nullptr) return;
  for (const sql::AlterClause& clause : input.alter->clauses) {
    if (clause.kind != sql::ClauseKind::kOther) continue;
    sink.Report(Severity::kWarning, clause.pos,
                "lockstep does not recognise the clause '" + clause.text +
                    "' and treats the change as unsafe (fenced cut-over)",
                "if it is table maintenance (ORDER BY, tablespaces, system versioning), run it "
                "outside lockstep");
  }
}

}  // namespace lockstep::lint

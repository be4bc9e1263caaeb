// LS000: a statement that does not parse is reported where it breaks. Lint
// does not guess what was meant, and lockstep will not run it.
#include "planner/lint/rules/rules.h"

namespace lockstep::lint {

void CheckParseError(const StatementInput& input, FindingSink& sink) {
  if (input.statement.kind != sql::ParsedStatement::Kind::kSyntaxError) return;
  sink.Report(Severity::kError, input.statement.pos, "syntax error: " + input.statement.message);
}

}  // namespace lockstep::lint

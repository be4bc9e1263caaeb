// LS103: MODIFY / CHANGE with another type. Narrowing loses data (error);
// widening keeps it, but every type change is class B: row events between DCs
// on different schemas fail (error 1677, REFERENCE.md section 3) until all DCs
// have cut over, so lockstep must fence writes (warning).
#include "planner/lint/rule_helpers.h"
#include "planner/lint/rules/rules.h"
#include "planner/lint/type_change.h"

namespace lockstep::lint {
namespace {

// The type without charset and collation, which LS402 looks at.
std::string TypeText(sql::DataType type) {
  type.charset.reset();
  type.collation.reset();
  return type.ToString();
}

}  // namespace

void CheckTypeChange(const StatementInput& input, FindingSink& sink) {
  if (input.alter == nullptr) return;
  for (const sql::AlterClause& clause : input.alter->clauses) {
    if (!RedefinesColumn(clause)) continue;
    const std::string column = Quoted(clause.name);
    const std::string verb = clause.kind == sql::ClauseKind::kModifyColumn ? "MODIFY " : "CHANGE ";
    const std::string new_type = TypeText(clause.column->type);
    if (input.table == nullptr) {
      sink.Report(Severity::kWarning, clause.pos,
                  verb + column + " redefines the column as " + new_type +
                      ": a type change, cannot tell narrowing from widening without --schema",
                  "pass --schema with a dump of the table; if the type stays the same, ignore this");
      continue;
    }
    const sql::ColumnDef* old = OldColumn(input, clause);
    if (old == nullptr) continue;  // not in the table: the server will refuse the ALTER
    const TypeChange change = ClassifyTypeChange(old->type, clause.column->type);
    const std::string from_to = column + " from " + TypeText(old->type) + " to " + new_type;
    switch (change.kind) {
      case TypeChangeKind::kSame:
      case TypeChangeKind::kEnumOrSet:
        break;
      case TypeChangeKind::kWidening:
        sink.Report(Severity::kWarning, clause.pos,
                    "widens " + from_to +
                        ": no data is lost, but row events between DCs on different schemas fail "
                        "(error 1677) until every DC has cut over",
                    "expect a fenced cut-over; to avoid it, add a new column with the new type and "
                    "switch to it (expand/contract)");
        break;
      case TypeChangeKind::kNarrowing:
      case TypeChangeKind::kIncompatible:
        sink.Report(Severity::kError, clause.pos,
                    (change.kind == TypeChangeKind::kNarrowing ? "narrows " : "changes ") + from_to +
                        ": " + change.reason,
                    "check in every DC that all values fit the new type first, or add a new column "
                    "with the new type and switch to it (expand/contract)");
        break;
    }
  }
}

}  // namespace lockstep::lint

// LS203: NOT NULL without a default breaks INSERTs of code that does not name
// the new column (strict mode). Making an existing column NOT NULL fails on
// existing NULLs, and while DCs differ a NULL written where the old schema
// still runs arrives as 0 or '' silently (REFERENCE.md section 3).
#include "planner/lint/rule_helpers.h"
#include "planner/lint/rules/rules.h"

namespace lockstep::lint {
namespace {

bool NeedsNoValue(const sql::ColumnDef& column) {
  return column.default_value.has_value() || column.auto_increment ||
         column.generated != sql::GeneratedKind::kNone;
}

}  // namespace

void CheckNotNull(const StatementInput& input, FindingSink& sink) {
  if (input.alter == nullptr) return;
  for (const sql::AlterClause& clause : input.alter->clauses) {
    if (!clause.column || clause.column->IsNullable()) continue;
    const sql::ColumnDef& column = *clause.column;
    if (clause.kind == sql::ClauseKind::kAddColumn) {
      if (NeedsNoValue(column)) continue;
      sink.Report(Severity::kWarning, clause.pos,
                  "adds NOT NULL column " + Quoted(column.name) +
                      " without a DEFAULT: INSERTs that do not name it fail (strict mode), and "
                      "existing rows get the type's implicit default (0, '')",
                  "give it a DEFAULT, or add it NULL and make it NOT NULL once every application "
                  "writes it");
      continue;
    }
    if (!RedefinesColumn(clause)) continue;
    const sql::ColumnDef* old = OldColumn(input, clause);
    if (old != nullptr && !old->IsNullable()) continue;  // already NOT NULL
    if (input.table != nullptr && old == nullptr) continue;
    const std::string what = old != nullptr
                                 ? "makes " + Quoted(clause.name) + " NOT NULL"
                                 : "may make " + Quoted(clause.name) +
                                       " NOT NULL (without --schema lint cannot tell whether it was nullable)";
    sink.Report(Severity::kWarning, clause.pos,
                what + ": existing NULLs fail the ALTER or become 0/'', and while DCs differ a "
                       "NULL written on the old schema arrives as 0/'' silently",
                "backfill the NULLs in every DC and make every application write a value first");
  }
}

}  // namespace lockstep::lint

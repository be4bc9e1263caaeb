// LS301: a new unique or primary key depends on the data: the ALTER fails on
// duplicates in any DC, and while DCs differ a duplicate written on the old
// schema breaks the DRC link into a DC on the new one (error 1062).
#include "planner/lint/rule_helpers.h"
#include "planner/lint/rules/rules.h"

namespace lockstep::lint {
namespace {

std::string ColumnList(const std::vector<std::string>& names) {
  std::string out = "(";
  for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + Quoted(names[i]);
  return out + ")";
}

void Report(FindingSink& sink, const sql::SourcePos& at, const std::string& what,
            const std::string& columns) {
  sink.Report(Severity::kWarning, at,
              what + ": the ALTER fails if any DC holds duplicates of " + columns +
                  ", and while DCs differ a duplicate written on the old schema stops the DRC link "
                  "(error 1062)",
              "check every DC for duplicates of " + columns +
                  " first; never remove them with ALTER IGNORE or INSERT IGNORE");
}

}  // namespace

void CheckUniqueKey(const StatementInput& input, FindingSink& sink) {
  if (input.alter == nullptr) return;
  for (const sql::AlterClause& clause : input.alter->clauses) {
    if (clause.kind == sql::ClauseKind::kAddIndex && clause.index && clause.index->IsUnique()) {
      const sql::IndexDef& index = *clause.index;
      const std::string what = index.kind == sql::IndexKind::kPrimary
                                   ? "adds a PRIMARY KEY"
                                   : "adds UNIQUE key" + (index.name.empty() ? "" : " " + Quoted(index.name));
      Report(sink, clause.pos, what, ColumnList(index.ColumnNames()));
    } else if (clause.column && (clause.column->unique_key || clause.column->primary_key)) {
      const char* what = clause.column->primary_key ? "makes the column a PRIMARY KEY"
                                                     : "makes the column UNIQUE";
      Report(sink, clause.pos, what, ColumnList({clause.column->name}));
    }
  }
}

}  // namespace lockstep::lint

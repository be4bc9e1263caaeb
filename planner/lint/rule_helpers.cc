#include "planner/lint/rule_helpers.h"

namespace lockstep::lint {

const char* const kExpandContract =
    "expand/contract: add the new column, dual-write, backfill, switch reads, drop the old in a "
    "later migration";

const sql::ColumnDef* OldColumn(const StatementInput& input, const sql::AlterClause& clause) {
  if (input.table == nullptr || !RedefinesColumn(clause)) return nullptr;
  return input.table->FindColumn(clause.name);
}

std::string TableName(const sql::AlterTable& alter) {
  return alter.schema.empty() ? Quoted(alter.table) : Quoted(alter.schema) + "." + Quoted(alter.table);
}

bool RedefinesColumn(const sql::AlterClause& clause) {
  return (clause.kind == sql::ClauseKind::kModifyColumn ||
          clause.kind == sql::ClauseKind::kChangeColumn) &&
         clause.column.has_value();
}

}  // namespace lockstep::lint

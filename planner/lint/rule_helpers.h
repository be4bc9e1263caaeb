// Small lookups several lint rules share.
#pragma once

#include <string>

#include "planner/lint/lint_rule.h"

namespace lockstep::lint {

// For MODIFY / CHANGE: the column as it is before the ALTER, from --schema;
// nullptr when there is no schema or it has no such column.
const sql::ColumnDef* OldColumn(const StatementInput& input, const sql::AlterClause& clause);

// "`db`.`t`" or "`t`": the ALTER's table as messages name it.
std::string TableName(const sql::AlterTable& alter);

// MODIFY, CHANGE: the clauses that redefine an existing column.
bool RedefinesColumn(const sql::AlterClause& clause);

// The expand/contract sequence, for drops and renames.
extern const char* const kExpandContract;

}  // namespace lockstep::lint

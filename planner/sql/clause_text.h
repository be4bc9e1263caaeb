// The ALTER clauses lockstep itself applies, as SQL text.
#pragma once

#include <string>
#include <vector>

#include "planner/sql/ast.h"

namespace lockstep::sql {

// The clause as it can stand in an ALTER TABLE: `ADD (a INT, b INT)` is
// parsed into one clause per element whose text is the element alone, and
// each needs its ADD back.
std::string ClauseSql(const AlterClause& clause);

// Every clause but ALGORITHM and LOCK (lockstep chooses how to build), as SQL.
std::vector<std::string> EffectClauseSql(const AlterTable& alter);

}  // namespace lockstep::sql

// Skew class of a schema change: can row events cross between a DC that has
// the new schema and one that still has the old, in both directions?
//
// MariaDB applies row events by column position. REFERENCE.md section 3 lists
// what was measured on 10.11; this classifier calls A only what was measured
// (or, for metadata that never reaches a row event, what cannot matter), and
// everything else B: some B changes corrupt data silently, so doubt is B.
#pragma once

#include <string>
#include <vector>

#include "planner/plan/plan.h"
#include "planner/sql/ast.h"
#include "planner/sql/table_def.h"

namespace lockstep {

struct SkewVerdict {
  SkewClass skew_class = SkewClass::kB;
  // For B: every reason, one sentence each. For A: what the change does.
  std::vector<std::string> reasons;
};

// `before` and `after` are the server's definitions (SHOW CREATE TABLE) of the
// table and of a copy with the ALTER applied; `alter` tells renames apart from
// drop-and-add, which the definitions alone cannot.
SkewVerdict ClassifySkew(const sql::TableDef& before, const sql::TableDef& after,
                         const sql::AlterTable& alter);

}  // namespace lockstep

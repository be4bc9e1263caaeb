// CopySafety: whether the row copy may use INSERT IGNORE.
//
// IGNORE is there to keep rows the applier (or an earlier run of the same
// chunk) already put in `_t_new`. But it ignores every other error as well,
// silently: a row that breaks a new UNIQUE key is dropped (pt-osc, gh-ost
// #1633), a NULL copied into a new NOT NULL column becomes 0, an out-of-range
// value is clipped, a row failing a new CHECK is skipped. So IGNORE is used
// only when the change can cause none of these; otherwise the copy is strict
// and stops on the first such row, naming it.
#pragma once

#include <string>
#include <vector>

#include "executor/shadow/column_mapping.h"
#include "planner/sql/table_def.h"

namespace lockstep::executor {

struct CopySafety {
  bool ignore_allowed = false;
  // Why the copy must be strict, one sentence each: "adds unique key `uk_email`".
  std::vector<std::string> strict_reasons;
  // Unique keys of the shadow table (its names) that existing rows may break.
  std::vector<std::string> new_unique_keys;
};

CopySafety AnalyzeCopySafety(const sql::TableDef& old_def, const sql::TableDef& new_def,
                             const ColumnMapping& mapping);

}  // namespace lockstep::executor

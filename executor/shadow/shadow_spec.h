// ShadowSpec: what the shadow table is made of. The ALTER's clauses to apply
// to `_t_new` (without ALGORITHM/LOCK: lockstep chooses how to build), and
// what the clauses say about columns that the server cannot tell us: which
// columns are renamed, and which are dropped even if a column of the same
// name is added back.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "planner/sql/ast.h"

namespace lockstep::executor {

struct ColumnRename {
  std::string from;  // name in the table
  std::string to;    // name in the shadow table
};

struct ShadowSpec {
  std::string schema;
  std::string table;
  std::vector<std::string> alter_clauses;    // applied to `_t_new`, in order
  std::vector<ColumnRename> renames;         // RENAME COLUMN a TO b, CHANGE a b ...
  std::vector<std::string> dropped_columns;  // DROP COLUMN a (old names)

  // The shadow-table name of an old column: its rename target, nullopt when
  // dropped, else the same name. Names compare ignoring case.
  std::optional<std::string> TargetOf(std::string_view old_column) const;
};

// Builds the spec from a parsed ALTER. `default_schema` is used when the
// ALTER does not name one. Refuses what must not be applied to the shadow
// table: RENAME TO (it would rename `_t_new`) and ALTER IGNORE (lockstep
// never drops rows).
Result<ShadowSpec> ShadowSpecFromAlter(const sql::AlterTable& alter, std::string_view default_schema);

}  // namespace lockstep::executor
